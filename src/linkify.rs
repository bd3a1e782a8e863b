//! Finding links in untrusted text, for rendering as text plus safe anchors.
//!
//! Only `https:`, `http:` and `xmpp:` become links; `javascript:`, `data:` and every other scheme
//! stay text because they are never matched. The caller renders [`Segment::Text`] as a text node
//! and [`Segment::Link`] as an anchor, but only once the browser's URL parser accepts it, with the
//! parsed URL as its text whenever that differs from what was written (see the UI's `chat`).
//!
//! Hand-written rather than the `linkify` crate: the scheme whitelist, the stops at bidi controls
//! and linear time on hostile input are the point, and are easier to prove here than to configure.
//!
//! [`neutralise_overrides`] turns bidi overrides into isolates before text is shown: an override
//! reverses the letters after it, which is how "invoice<U+202E>fdp.exe" reads as "invoiceexe.pdf"; an
//! isolate keeps the intended direction for right-to-left writing and reverses nothing.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
}

const SCHEMES: [&str; 3] = ["https://", "http://", "xmpp:"];

/// Characters that end a link: whitespace, markup-ish quotes and brackets, controls, and bidi
/// controls (which could make a link display as something other than its target).
fn ends_link(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>' | '"' | '\'' | '`' | '{' | '}' | '|' | '\\' | '^'
        )
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Splits `text` into plain text and links, in order; concatenating the segments gives `text` back.
pub fn linkify(text: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(len) = link_at(text, i) {
            if plain_start < i {
                segments.push(Segment::Text(&text[plain_start..i]));
            }
            segments.push(Segment::Link(&text[i..i + len]));
            i += len;
            plain_start = i;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_start < text.len() {
        segments.push(Segment::Text(&text[plain_start..]));
    }
    segments
}

/// The byte length of a link starting at `at`, if one does.
fn link_at(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    // A scheme must start a word: "xjavascript:https://" is not "https://".
    if text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '+' || c == '.' || c == '-')
    {
        return None;
    }
    let scheme = SCHEMES.iter().find(|s| {
        rest.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    })?;
    // Refuse at once what cannot have a target, so a text of many "https:///" stays linear.
    let first = rest[scheme.len()..].chars().next()?;
    if ends_link(first) || (*scheme != "xmpp:" && matches!(first, '/' | '?' | '#')) {
        return None;
    }
    let mut end = rest.find(ends_link).unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence; a ')' stays only if it closes a '(' in the
    // link. The parentheses are counted once, so a link ending in many ')' stays linear.
    let opens = rest[..end].matches('(').count();
    let mut closes = rest[..end].matches(')').count();
    while let Some(last) = rest[..end].chars().next_back() {
        let drop = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '*' => true,
            ')' => opens < closes,
            _ => false,
        };
        if !drop {
            break;
        }
        if last == ')' {
            closes -= 1;
        }
        end -= last.len_utf8();
    }
    let after_scheme = &rest[scheme.len()..end];
    let has_target = match *scheme {
        "xmpp:" => !after_scheme.is_empty(),
        _ => after_scheme
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty()),
    };
    has_target.then_some(end)
}

/// Replaces the bidi overrides LRO and RLO (and the PDF that ends them) with the isolates LRI,
/// RLI and PDI: the text keeps its base direction but no run of letters is displayed reversed.
pub fn neutralise_overrides(text: &str) -> Cow<'_, str> {
    if !text.contains(['\u{202D}', '\u{202E}']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{202D}' => '\u{2066}',
                '\u{202E}' => '\u{2067}',
                '\u{202C}' => '\u{2069}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::Segment::{Link, Text};
    use super::*;

    #[test]
    fn links_are_found_and_text_is_kept() {
        assert_eq!(
            linkify("see https://example.org/a?b=1#c, and xmpp:room@conf.example?join."),
            vec![
                Text("see "),
                Link("https://example.org/a?b=1#c"),
                Text(", and "),
                Link("xmpp:room@conf.example?join"),
                Text("."),
            ]
        );
    }

    #[test]
    fn dangerous_schemes_stay_text() {
        for s in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "notahttps://x.example",
            "https://",
            "http:///path",
        ] {
            assert!(linkify(s).iter().all(|seg| matches!(seg, Text(_))), "{s}");
        }
    }

    #[test]
    fn links_stop_at_markup_and_bidi_controls() {
        assert_eq!(
            linkify("https://a.example/<img src=x>"),
            vec![Link("https://a.example/"), Text("<img src=x>")]
        );
        assert_eq!(
            linkify("https://a.example\u{202E}gpj.exe"),
            vec![Link("https://a.example"), Text("\u{202E}gpj.exe")]
        );
        assert_eq!(
            linkify("\"https://a.example\""),
            vec![Text("\""), Link("https://a.example"), Text("\"")]
        );
    }

    #[test]
    fn balanced_parentheses_stay_in_the_link() {
        assert_eq!(
            linkify("(see https://en.wikipedia.org/wiki/Rust_(language))"),
            vec![
                Text("(see "),
                Link("https://en.wikipedia.org/wiki/Rust_(language)"),
                Text(")")
            ]
        );
    }

    /// A contact controls the text: these were quadratic once and froze the tab.
    #[test]
    fn hostile_texts_stay_linear() {
        let parens = format!("https://a{}", ")".repeat(200_000));
        assert_eq!(
            linkify(&parens),
            vec![Link("https://a"), Text(&parens[9..])]
        );
        let empty_hosts = "https:///".repeat(100_000);
        assert!(linkify(&empty_hosts).iter().all(|s| matches!(s, Text(_))));
        let nested = format!("https://a/{}{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(linkify(&nested), vec![Link(&nested)]);
    }

    #[test]
    fn segments_rebuild_the_text() {
        let text = "é https://ü.example/ö ok HTTP://X.Y http://z\u{0}";
        let rebuilt: String = linkify(text)
            .iter()
            .map(|s| match s {
                Text(t) | Link(t) => *t,
            })
            .collect();
        assert_eq!(rebuilt, text);
    }

    #[test]
    fn overrides_become_isolates_and_plain_text_is_untouched() {
        assert!(matches!(
            neutralise_overrides("plain текст"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            neutralise_overrides("invoice\u{202E}fdp.exe\u{202C} ok"),
            "invoice\u{2067}fdp.exe\u{2069} ok"
        );
        // An embedding (RLE) reverses nothing and may be legitimate: kept.
        assert_eq!(
            neutralise_overrides("a\u{202B}b\u{202C}"),
            "a\u{202B}b\u{202C}"
        );
    }
}
