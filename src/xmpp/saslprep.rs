//! SASLprep (RFC 4013): preparing user names and passwords before SCRAM hashes them, so that a
//! password typed with a no-break space or a soft hyphen still matches what the server stored.
//!
//! Steps (RFC 4013 §2): map non-ASCII spaces to SPACE and drop "commonly mapped to nothing"
//! characters; normalise with NFKC; refuse prohibited characters (RFC 3454 tables C.1.2-C.9);
//! check bidirectional text (RFC 3454 §6). Unassigned code points are allowed, as for queries.
//!
//! NFKC is **the caller's step**: the browser applies `String.prototype.normalize("NFKC")` to
//! what the person typed (see `ui::login`). Unicode's composition tables would add about 50 KB of
//! brotli to the bundle, a fifth of it, for the one thing the browser already has. Mapping and
//! NFKC commute for every mapped character (none has a decomposition that a mapping produces), so
//! normalising first gives the RFC's result.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepError {
    Empty,
    Prohibited(char),
    /// Right-to-left and left-to-right letters mixed, or right-to-left text not starting and
    /// ending with a right-to-left character (RFC 3454 §6).
    Bidi,
}

impl fmt::Display for PrepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty"),
            Self::Prohibited(c) => write!(f, "it contains the character U+{:04X}", *c as u32),
            Self::Bidi => f.write_str("it mixes right-to-left and left-to-right letters"),
        }
    }
}

/// Prepares an (already NFKC-normalised) string per RFC 4013.
pub fn saslprep(input: &str) -> Result<String, PrepError> {
    // Printable ASCII passes unchanged: the common case needs no tables.
    if input.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return if input.is_empty() {
            Err(PrepError::Empty)
        } else {
            Ok(input.to_owned())
        };
    }
    let mapped: String = input
        .chars()
        .filter_map(|c| {
            if is_non_ascii_space(c) {
                Some(' ')
            } else if is_mapped_to_nothing(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect();
    if mapped.is_empty() {
        return Err(PrepError::Empty);
    }
    if let Some(c) = mapped.chars().find(|&c| is_prohibited(c)) {
        return Err(PrepError::Prohibited(c));
    }
    check_bidi(&mapped)?;
    Ok(mapped)
}

/// RFC 3454 C.1.2.
fn is_non_ascii_space(c: char) -> bool {
    matches!(
        c,
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// RFC 3454 B.1.
fn is_mapped_to_nothing(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{1806}'
            | '\u{180B}'..='\u{180D}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// RFC 3454 C.2.1 to C.9 (C.5, surrogates, cannot occur in a Rust string).
fn is_prohibited(c: char) -> bool {
    let cp = c as u32;
    let control = matches!(
        c,
        '\u{0}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{6DD}'
            | '\u{70F}'
            | '\u{180E}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2063}'
            | '\u{FEFF}'
            | '\u{1D173}'..='\u{1D17A}'
    );
    let private_use = matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}');
    let non_character = matches!(c, '\u{FDD0}'..='\u{FDEF}') || (cp & 0xFFFE) == 0xFFFE;
    let not_plain_text = matches!(c, '\u{FFF9}'..='\u{FFFD}');
    let not_canonical = matches!(c, '\u{2FF0}'..='\u{2FFB}');
    let display = matches!(c, '\u{340}' | '\u{341}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{206A}'..='\u{206F}');
    let tagging = matches!(c, '\u{E0001}' | '\u{E0020}'..='\u{E007F}');
    is_non_ascii_space(c)
        || control
        || private_use
        || non_character
        || not_plain_text
        || not_canonical
        || display
        || tagging
}

/// RFC 3454 D.1: characters with bidirectional property R or AL.
fn is_rand_al(c: char) -> bool {
    matches!(
        c,
        '\u{5BE}'
            | '\u{5C0}'
            | '\u{5C3}'
            | '\u{5D0}'..='\u{5EA}'
            | '\u{5F0}'..='\u{5F4}'
            | '\u{61B}'
            | '\u{61F}'
            | '\u{621}'..='\u{63A}'
            | '\u{640}'..='\u{64A}'
            | '\u{66D}'..='\u{66F}'
            | '\u{671}'..='\u{6D5}'
            | '\u{6DD}'
            | '\u{6E5}'..='\u{6E6}'
            | '\u{6FA}'..='\u{6FE}'
            | '\u{700}'..='\u{70D}'
            | '\u{710}'
            | '\u{712}'..='\u{72C}'
            | '\u{780}'..='\u{7A5}'
            | '\u{7B1}'
            | '\u{200F}'
            | '\u{FB1D}'
            | '\u{FB1F}'..='\u{FB28}'
            | '\u{FB2A}'..='\u{FB36}'
            | '\u{FB38}'..='\u{FB3C}'
            | '\u{FB3E}'
            | '\u{FB40}'..='\u{FB41}'
            | '\u{FB43}'..='\u{FB44}'
            | '\u{FB46}'..='\u{FBB1}'
            | '\u{FBD3}'..='\u{FD3D}'
            | '\u{FD50}'..='\u{FD8F}'
            | '\u{FD92}'..='\u{FDC7}'
            | '\u{FDF0}'..='\u{FDFC}'
            | '\u{FE70}'..='\u{FE74}'
            | '\u{FE76}'..='\u{FEFC}'
    )
}

/// RFC 3454 §6. Table D.2 (property L) is approximated by "a letter that is not R or AL", which
/// differs only for a few symbols; an error here only refuses a password the server could not
/// have stored.
fn check_bidi(s: &str) -> Result<(), PrepError> {
    if !s.chars().any(is_rand_al) {
        return Ok(());
    }
    let has_l = s.chars().any(|c| c.is_alphabetic() && !is_rand_al(c));
    let first_last_rtl =
        s.chars().next().is_some_and(is_rand_al) && s.chars().next_back().is_some_and(is_rand_al);
    if has_l || !first_last_rtl {
        Err(PrepError::Bidi)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4013 §3, except the two examples that need NFKC (U+00AA, U+2168), the caller's step.
    #[test]
    fn rfc4013_examples() {
        assert_eq!(saslprep("I\u{AD}X"), Ok("IX".into()));
        assert_eq!(saslprep("user"), Ok("user".into()));
        assert_eq!(saslprep("USER"), Ok("USER".into()));
        assert_eq!(saslprep("\u{7}"), Err(PrepError::Prohibited('\u{7}')));
        assert_eq!(saslprep("\u{627}\u{31}"), Err(PrepError::Bidi));
    }

    #[test]
    fn spaces_map_and_invisible_characters_drop() {
        assert_eq!(saslprep("pass\u{A0}word"), Ok("pass word".into()));
        assert_eq!(saslprep("pass\u{3000}word\u{FEFF}"), Ok("pass word".into()));
        assert_eq!(saslprep("\u{200D}"), Err(PrepError::Empty));
        assert_eq!(saslprep(""), Err(PrepError::Empty));
    }

    #[test]
    fn ordinary_non_ascii_passwords_pass_unchanged() {
        for password in [
            "пароль-Ёжик",
            "mot de passe à l'été",
            "パスワード",
            "😀 emoji",
            "שלום",
            "مرحبا",
        ] {
            assert_eq!(saslprep(password), Ok(password.to_owned()), "{password}");
        }
    }

    #[test]
    fn prohibited_characters_are_refused() {
        for c in [
            '\u{0}',
            '\u{1F}',
            '\u{7F}',
            '\u{85}',
            '\u{E000}',
            '\u{FFFE}',
            '\u{1FFFF}',
            '\u{202E}',
            '\u{E0041}',
            '\u{2FF0}',
            '\u{FFFD}',
        ] {
            assert_eq!(
                saslprep(&format!("a{c}b")),
                Err(PrepError::Prohibited(c)),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn right_to_left_must_stand_alone_and_frame_the_string() {
        assert_eq!(saslprep("שלום123שלום"), Ok("שלום123שלום".into()));
        assert_eq!(saslprep("שלוםabc"), Err(PrepError::Bidi));
        assert_eq!(saslprep("1שלום"), Err(PrepError::Bidi));
    }
}
