//! Addresses (RFC 7622) on top of the `jid` crate, plus what a login form needs: turning what a
//! person typed into the bare JID of their account.

pub use ::jid::{BareJid, FullJid, Jid};

use std::fmt;

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
    Invalid(String),
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
    let jid = Jid::new(&full).map_err(|e| AddressError::Invalid(e.to_string()))?;
    let bare = jid.to_bare();
    if bare.node().is_none() {
        return Err(AddressError::MissingLocalpart);
    }
    if let Some(locked) = locked_domain {
        if !bare.domain().as_str().eq_ignore_ascii_case(locked) {
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
