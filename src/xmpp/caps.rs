//! XEP-0115 Entity Capabilities: our presence says, in one short hash, which features we answer
//! disco#info with (§5.1 computes it), so servers and peers ask at most once per version. PEP
//! services (XEP-0163 §4.3) read the `+notify` features from it and send us avatars and
//! nicknames as they change.
//!
//! What we advertise is fixed at build time, so the hash is computed from
//! [`disco::FEATURES`](super::disco) and the identity alone, with no forms (§5.1 steps 5-7 have
//! nothing to add).

use super::disco::{FEATURES, IDENTITY};
use super::ns;
use super::xml::Element;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha1::{Digest, Sha1};

/// §4: the URI of the software; peers cache what `NODE#ver` answers.
pub const NODE: &str = "https://parley.example/caps";

/// §5.1: `identities` as `(category, type, xml:lang, name)` and `features`, each sorted, joined
/// with `<`, hashed with SHA-1 and encoded in base64.
pub fn verification_string(identities: &[(&str, &str, &str, &str)], features: &[&str]) -> String {
    let mut identities: Vec<String> = identities
        .iter()
        .map(|(category, kind, lang, name)| format!("{category}/{kind}/{lang}/{name}<"))
        .collect();
    identities.sort();
    let mut features: Vec<&str> = features.to_vec();
    features.sort_unstable();
    features.dedup();
    let mut input = identities.concat();
    for feature in features {
        input.push_str(feature);
        input.push('<');
    }
    BASE64.encode(Sha1::digest(input.as_bytes()))
}

/// Our own verification string.
pub fn own_ver() -> String {
    let (category, kind, name) = IDENTITY;
    verification_string(&[(category, kind, "", name)], &FEATURES)
}

/// §4: the `<c/>` for our presence.
pub fn element() -> Element {
    Element::new("c", ns::CAPS)
        .attr("hash", "sha-1")
        .attr("node", NODE)
        .attr("ver", own_ver())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xep_0115_simple_example() {
        // §5.2.
        let ver = verification_string(
            &[("client", "pc", "", "Exodus 0.9.1")],
            &[
                "http://jabber.org/protocol/caps",
                "http://jabber.org/protocol/disco#info",
                "http://jabber.org/protocol/disco#items",
                "http://jabber.org/protocol/muc",
            ],
        );
        assert_eq!(ver, "QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    #[test]
    fn order_of_features_does_not_matter() {
        let a = verification_string(&[("client", "web", "", "P")], &["b", "a"]);
        let b = verification_string(&[("client", "web", "", "P")], &["a", "b"]);
        assert_eq!(a, b);
    }

    #[test]
    fn presence_element_advertises_our_hash() {
        let c = element();
        assert_eq!(c.get_attr("hash"), Some("sha-1"));
        assert_eq!(c.get_attr("ver"), Some(own_ver().as_str()));
        assert!(FEATURES.contains(&"urn:xmpp:avatar:metadata+notify"));
    }
}
