//! Addresses: RFC 7622 JIDs, plus what a login form needs: turning what a person typed into the
//! bare JID of their account.
//!
//! The split follows RFC 7622 §3.1 (resource after the first '/', localpart before the first '@').
//! Each part is checked for length (1 to 1023 bytes, §3.2-§3.4) and for the characters §3.3.1
//! forbids in a localpart; localpart and domain are compared case-insensitively by lowercasing them.
//! Full PRECIS profiles (Unicode normalisation tables) are left out on purpose: they would double
//! the size of the app for what servers enforce anyway. Non-ASCII addresses work; two spellings of
//! the same non-ASCII address that differ only in normalisation are treated as different.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// RFC 7622 §3.2-§3.4: each part is at most 1023 bytes.
pub const MAX_PART_BYTES: usize = 1023;

/// Why a string is not a JID; names the part at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JidError {
    EmptyLocalpart,
    EmptyDomain,
    EmptyResource,
    TooLong(&'static str),
    ForbiddenCharacter(&'static str, char),
    InvalidDomain,
}

impl fmt::Display for JidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyLocalpart => f.write_str("nothing before the @"),
            Self::EmptyDomain => f.write_str("no domain"),
            Self::EmptyResource => f.write_str("nothing after the /"),
            Self::TooLong(part) => write!(f, "the {part} is longer than {MAX_PART_BYTES} bytes"),
            Self::ForbiddenCharacter(part, c) => write!(f, "the {part} cannot contain {c:?}"),
            Self::InvalidDomain => f.write_str("the domain is not a valid host name"),
        }
    }
}

/// A JID with or without a resource, normalised; compare and hash as its string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Jid {
    text: String,
    /// Byte index of the '@', if there is a localpart.
    at: Option<usize>,
    /// Byte index of the '/', if there is a resource.
    slash: Option<usize>,
}

impl Hash for Jid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl Jid {
    pub fn new(input: &str) -> Result<Self, JidError> {
        let (address, resource) = match input.split_once('/') {
            Some((a, r)) => (a, Some(r)),
            None => (input, None),
        };
        let (local, domain) = match address.split_once('@') {
            Some((l, d)) => (Some(l), d),
            None => (None, address),
        };
        let mut text = String::with_capacity(input.len());
        let mut at = None;
        if let Some(local) = local {
            text.push_str(&localpart(local)?);
            at = Some(text.len());
            text.push('@');
        }
        text.push_str(&domainpart(domain)?);
        let mut slash = None;
        if let Some(resource) = resource {
            check_part("resource", resource, JidError::EmptyResource, |c| {
                c.is_control()
            })?;
            slash = Some(text.len());
            text.push('/');
            text.push_str(resource);
        }
        Ok(Self { text, at, slash })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn node(&self) -> Option<&str> {
        self.at.map(|at| &self.text[..at])
    }

    pub fn domain(&self) -> &str {
        let start = self.at.map_or(0, |at| at + 1);
        let end = self.slash.unwrap_or(self.text.len());
        &self.text[start..end]
    }

    pub fn resource(&self) -> Option<&str> {
        self.slash.map(|slash| &self.text[slash + 1..])
    }

    /// The domain alone, as a JID: the server of this address (RFC 7622 §3.2).
    pub fn domain_jid(&self) -> BareJid {
        let domain = self.domain().to_owned();
        BareJid(Jid {
            text: domain,
            at: None,
            slash: None,
        })
    }

    pub fn to_bare(&self) -> BareJid {
        let end = self.slash.unwrap_or(self.text.len());
        BareJid(Jid {
            text: self.text[..end].to_owned(),
            at: self.at,
            slash: None,
        })
    }
}

impl fmt::Display for Jid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Jid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Jid({})", self.text)
    }
}

/// A JID without a resource: an account, a contact, a room.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BareJid(Jid);

impl BareJid {
    /// Parses a bare JID; a resource is an error.
    pub fn new(input: &str) -> Result<Self, JidError> {
        let jid = Jid::new(input)?;
        if jid.slash.is_some() {
            return Err(JidError::ForbiddenCharacter("address", '/'));
        }
        Ok(Self(jid))
    }
}

/// A JID with a resource: one connected client.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FullJid(Jid);

impl FullJid {
    /// Parses a full JID; a missing resource is an error.
    pub fn new(input: &str) -> Result<Self, JidError> {
        let jid = Jid::new(input)?;
        if jid.slash.is_none() {
            return Err(JidError::EmptyResource);
        }
        Ok(Self(jid))
    }
}

macro_rules! jid_wrapper {
    ($name:ident) => {
        impl Deref for $name {
            type Target = Jid;
            fn deref(&self) -> &Jid {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.text)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.text)
            }
        }
        impl From<$name> for Jid {
            fn from(j: $name) -> Jid {
                j.0
            }
        }
    };
}
jid_wrapper!(BareJid);
jid_wrapper!(FullJid);

fn check_part(
    part: &'static str,
    value: &str,
    empty: JidError,
    forbidden: impl Fn(char) -> bool,
) -> Result<(), JidError> {
    if value.is_empty() {
        return Err(empty);
    }
    if value.len() > MAX_PART_BYTES {
        return Err(JidError::TooLong(part));
    }
    match value.chars().find(|&c| forbidden(c)) {
        Some(c) => Err(JidError::ForbiddenCharacter(part, c)),
        None => Ok(()),
    }
}

/// RFC 7622 §3.3: case-mapped, without the characters §3.3.1 reserves, spaces or controls.
fn localpart(local: &str) -> Result<String, JidError> {
    let lowered = local.to_lowercase();
    check_part("user name", &lowered, JidError::EmptyLocalpart, |c| {
        matches!(c, '"' | '&' | '\'' | '/' | ':' | '<' | '>' | '@')
            || c.is_whitespace()
            || c.is_control()
    })?;
    Ok(lowered)
}

/// RFC 7622 §3.2: a host name (lowercased, one trailing dot dropped) or a bracketed IP literal.
fn domainpart(domain: &str) -> Result<String, JidError> {
    let domain = domain.strip_suffix('.').unwrap_or(domain).to_lowercase();
    check_part("domain", &domain, JidError::EmptyDomain, |c| {
        c.is_whitespace() || c.is_control()
    })?;
    if let Some(literal) = domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        let ok = !literal.is_empty()
            && literal
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        return if ok {
            Ok(domain)
        } else {
            Err(JidError::InvalidDomain)
        };
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    if domain.split('.').all(label_ok) {
        Ok(domain)
    } else {
        Err(JidError::InvalidDomain)
    }
}

/// Why a typed address is not a usable account address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    Empty,
    /// `user` alone, and no default domain is configured.
    MissingDomain,
    /// A domain other than the one this deployment is locked to.
    WrongDomain {
        locked: String,
    },
    /// The account address needs a local part: `user@domain`, not `domain`.
    MissingLocalpart,
    Invalid(JidError),
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("enter your address"),
            Self::MissingDomain => f.write_str("enter your full address, like user@example.org"),
            Self::WrongDomain { locked } => write!(f, "only addresses at {locked} can log in here"),
            Self::MissingLocalpart => f.write_str("the address needs a user name before the @"),
            Self::Invalid(why) => write!(f, "this is not a valid address: {why}"),
        }
    }
}

/// Turns `user`, `user@domain` or `user@domain/resource` into the account's bare JID.
/// A bare `user` takes `default_domain`; `locked_domain` refuses any other domain.
pub fn parse_account(
    typed: &str,
    default_domain: Option<&str>,
    locked_domain: Option<&str>,
) -> Result<BareJid, AddressError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(AddressError::Empty);
    }
    let full = if typed.contains('@') {
        typed.to_owned()
    } else {
        match locked_domain.or(default_domain) {
            Some(domain) => format!("{typed}@{domain}"),
            None => return Err(AddressError::MissingDomain),
        }
    };
    let jid = Jid::new(&full).map_err(AddressError::Invalid)?;
    let bare = jid.to_bare();
    if bare.node().is_none() {
        return Err(AddressError::MissingLocalpart);
    }
    if let Some(locked) = locked_domain {
        if !bare.domain().eq_ignore_ascii_case(locked) {
            return Err(AddressError::WrongDomain {
                locked: locked.to_owned(),
            });
        }
    }
    Ok(bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_per_rfc7622() {
        let j = Jid::new("Juliet@Example.COM./balcony/a@b").unwrap();
        assert_eq!(j.as_str(), "juliet@example.com/balcony/a@b");
        assert_eq!(j.node(), Some("juliet"));
        assert_eq!(j.domain(), "example.com");
        assert_eq!(j.resource(), Some("balcony/a@b"));
        assert_eq!(j.to_bare().as_str(), "juliet@example.com");
        let d = Jid::new("conference.localhost").unwrap();
        assert_eq!(
            (d.node(), d.domain(), d.resource()),
            (None, "conference.localhost", None)
        );
        assert_eq!(Jid::new("[::1]").unwrap().domain(), "[::1]");
        assert_eq!(
            Jid::new("Ñandú@dömain.example").unwrap().as_str(),
            "ñandú@dömain.example"
        );
    }

    #[test]
    fn invalid_jids_name_the_part() {
        assert_eq!(Jid::new("@x"), Err(JidError::EmptyLocalpart));
        assert_eq!(Jid::new("a@"), Err(JidError::EmptyDomain));
        assert_eq!(Jid::new("a@b/"), Err(JidError::EmptyResource));
        assert_eq!(
            Jid::new("a b@c"),
            Err(JidError::ForbiddenCharacter("user name", ' '))
        );
        assert_eq!(
            Jid::new("a'b@c"),
            Err(JidError::ForbiddenCharacter("user name", '\''))
        );
        assert_eq!(Jid::new("a@b@c"), Err(JidError::InvalidDomain));
        assert_eq!(Jid::new("a@-b.c"), Err(JidError::InvalidDomain));
        assert_eq!(Jid::new("a@b..c"), Err(JidError::InvalidDomain));
        assert_eq!(
            Jid::new("a@b/x\u{7}"),
            Err(JidError::ForbiddenCharacter("resource", '\u{7}'))
        );
        assert_eq!(
            Jid::new(&"a".repeat(1024)),
            Err(JidError::TooLong("domain"))
        );
        assert_eq!(
            Jid::new(&format!("{}@b", "a".repeat(1024))),
            Err(JidError::TooLong("user name"))
        );
        assert!(BareJid::new("a@b/c").is_err());
        assert!(FullJid::new("a@b").is_err());
    }

    #[test]
    fn user_alone_takes_the_default_domain() {
        assert_eq!(
            parse_account(" alice ", Some("localhost"), None)
                .unwrap()
                .as_str(),
            "alice@localhost"
        );
    }

    #[test]
    fn full_addresses_are_normalised_and_bare() {
        assert_eq!(
            parse_account("Alice@LocalHost/phone", None, None)
                .unwrap()
                .as_str(),
            "alice@localhost"
        );
    }

    #[test]
    fn bad_addresses_are_refused() {
        assert_eq!(parse_account("", None, None), Err(AddressError::Empty));
        assert_eq!(
            parse_account("alice", None, None),
            Err(AddressError::MissingDomain)
        );
        assert!(matches!(
            parse_account("a@b@c", None, None),
            Err(AddressError::Invalid(_))
        ));
        assert!(matches!(
            parse_account("@localhost", None, None),
            Err(AddressError::Invalid(_))
        ));
        assert!(matches!(
            parse_account("a b@localhost", None, None),
            Err(AddressError::Invalid(_))
        ));
        let long = format!("{}@localhost", "a".repeat(1024));
        assert!(matches!(
            parse_account(&long, None, None),
            Err(AddressError::Invalid(_))
        ));
    }

    #[test]
    fn locked_domain_is_enforced() {
        assert_eq!(
            parse_account("mallory@evil.example", None, Some("localhost")),
            Err(AddressError::WrongDomain {
                locked: "localhost".into()
            })
        );
        assert_eq!(
            parse_account("bob", Some("other"), Some("localhost"))
                .unwrap()
                .as_str(),
            "bob@localhost"
        );
    }
}
