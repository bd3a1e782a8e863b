//! XEP-0115 Entity Capabilities: our presence says, in one short hash, which features we answer
//! disco#info with (§5.1 computes it), so servers and peers ask at most once per version. PEP
//! services (XEP-0163 §4.3) read the `+notify` features from it and send us avatars and
//! nicknames as they change.
//!
//! What we advertise is fixed at build time, so the hash is computed from
//! [`disco::FEATURES`](super::disco) and the identity alone, with no forms (§5.1 steps 5-7 have
//! nothing to add).
//!
//! Others' capabilities (§6): a contact's resource that announces a version we do not know is
//! asked once what it means (§6.2), and the answer is kept for the version only if it hashes to
//! it (§5.4, forms included); a version that does not is never asked again this session, and
//! versions are shared by everyone running the same software, so a 10,000-contact roster costs
//! a handful of queries. What is known says which software each resource runs, and whether it
//! shows corrections (XEP-0308 §2), so none is sent to a client that would show it as a new
//! message.
use super::context::Ctx;
use super::disco::{self, DiscoInfo, FEATURES, IDENTITY};
use super::event::Event;
use super::jid::Jid;
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, StanzaError};
use super::xml::Element;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};

/// Versions whose meaning is kept; a hostile roster cannot make the cache a memory sink.
pub const MAX_KNOWN: usize = 1_000;
/// Versions asked about at once.
const MAX_PENDING: usize = 16;

/// §4: the URI of the software; peers cache what `NODE#ver` answers.
pub const NODE: &str = "https://parley.example/caps";

/// §5.1: `identities` as `(category, type, xml:lang, name)` and `features`, each sorted, joined
/// with `<`, hashed with SHA-1 and encoded in base64.
pub fn verification_string(identities: &[(&str, &str, &str, &str)], features: &[&str]) -> String {
    let identities = identities
        .iter()
        .map(|(category, kind, lang, name)| format!("{category}/{kind}/{lang}/{name}"))
        .collect();
    let mut features: Vec<String> = features.iter().map(|f| (*f).to_owned()).collect();
    features.sort_unstable();
    features.dedup();
    BASE64.encode(Sha1::digest(
        compose(identities, features, Vec::new()).as_bytes(),
    ))
}

/// One XEP-0128 form of an answer: its FORM_TYPE and its other fields with all their values.
type Form = (String, Vec<(String, Vec<String>)>);

/// §5.1 steps 1-8: the string that is hashed.
fn compose(mut identities: Vec<String>, mut features: Vec<String>, mut forms: Vec<Form>) -> String {
    identities.sort();
    features.sort();
    forms.sort();
    let mut input = String::new();
    for item in identities.iter().chain(&features) {
        input.push_str(item);
        input.push('<');
    }
    for (form_type, mut fields) in forms {
        input.push_str(&form_type);
        input.push('<');
        fields.sort();
        for (var, mut values) in fields {
            input.push_str(&var);
            input.push('<');
            values.sort();
            for value in values {
                input.push_str(&value);
                input.push('<');
            }
        }
    }
    input
}

/// §5.4: the version a disco#info answer hashes to with `hash` (`sha-1` or `sha-256`), or
/// `None` where the answer must not be cached (an identity, a feature or a form type given
/// twice, an unknown hash).
pub fn verification_of(query: &Element, hash: &str) -> Option<String> {
    let mut identities = Vec::new();
    let mut features = Vec::new();
    let mut forms: Vec<Form> = Vec::new();
    for child in query.elements().take(disco::MAX_FEATURES) {
        if child.is("identity", ns::DISCO_INFO) {
            let attr = |name| child.get_attr(name).unwrap_or_default();
            identities.push(format!(
                "{}/{}/{}/{}",
                attr("category"),
                attr("type"),
                attr("xml:lang"),
                attr("name")
            ));
        } else if child.is("feature", ns::DISCO_INFO) {
            features.push(child.get_attr("var")?.to_owned());
        } else if child.is("x", ns::DATA) && child.get_attr("type") == Some("result") {
            let mut form_type = None;
            let mut fields = Vec::new();
            for field in child.elements().filter(|f| f.is("field", ns::DATA)) {
                let var = field.get_attr("var")?.to_owned();
                let values: Vec<String> = field
                    .elements()
                    .filter(|v| v.is("value", ns::DATA))
                    .map(Element::text_content)
                    .collect();
                if var == "FORM_TYPE" {
                    // §5.4 3.5-3.6: one hidden FORM_TYPE with one value, or the form is ignored.
                    form_type = (field.get_attr("type") == Some("hidden") && values.len() == 1)
                        .then(|| values[0].clone());
                } else {
                    fields.push((var, values));
                }
            }
            if let Some(form_type) = form_type {
                forms.push((form_type, fields));
            }
        }
    }
    let unique = |list: &[String]| list.iter().collect::<HashSet<_>>().len() == list.len();
    let form_types: Vec<String> = forms.iter().map(|(t, _)| t.clone()).collect();
    if !unique(&identities) || !unique(&features) || !unique(&form_types) {
        return None;
    }
    let input = compose(identities, features, forms);
    match hash {
        "sha-1" => Some(BASE64.encode(Sha1::digest(input.as_bytes()))),
        "sha-256" => Some(BASE64.encode(sha2::Sha256::digest(input.as_bytes()))),
        _ => None,
    }
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

/// What a resource said it supports: the software it runs and its features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// The name of its client identity (untrusted text).
    pub client: Option<String>,
    pub features: HashSet<String>,
}

impl Capabilities {
    /// XEP-0308 §2: it replaces a corrected message rather than showing the correction anew.
    pub fn corrects(&self) -> bool {
        self.features.contains(ns::CORRECT)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CapsEvent {
    /// The resource `jid` runs `client` (its identity's name, cut; `None`: it gave none), which
    /// shows corrections or not (`corrects`).
    Client {
        jid: Jid,
        client: Option<String>,
        corrects: bool,
    },
}

/// A query about one version, asked of the resource that announced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapsRequest {
    /// `hash ver`: the cache's key.
    key: String,
    hash: String,
    ver: String,
}

/// Others' capabilities by version, and the version of each online resource.
#[derive(Debug, Default)]
pub struct CapsCache {
    known: HashMap<String, Capabilities>,
    /// Versions whose answer did not hash to them: not asked again.
    false_versions: HashSet<String>,
    pending: HashSet<String>,
    resources: HashMap<Jid, String>,
}

impl CapsCache {
    /// §6: an available presence from a contact's resource (`unavailable`: it left).
    pub(crate) fn presence(
        &mut self,
        from: &Jid,
        presence: &Element,
        unavailable: bool,
        cx: &mut Ctx,
    ) {
        if unavailable {
            self.resources.remove(from);
            return;
        }
        let Some(c) = presence.get_child("c", ns::CAPS) else {
            return;
        };
        let (Some(hash), Some(node), Some(ver)) =
            (c.get_attr("hash"), c.get_attr("node"), c.get_attr("ver"))
        else {
            // §8.3: the legacy form, without a hash, is not verifiable.
            return;
        };
        if !matches!(hash, "sha-1" | "sha-256") {
            return;
        }
        let key = format!("{hash} {ver}");
        if self.resources.get(from) == Some(&key) {
            return;
        }
        self.resources.insert(from.clone(), key.clone());
        if let Some(known) = self.known.get(&key) {
            return cx.emit(Event::Caps(CapsEvent::Client {
                jid: from.clone(),
                client: known.client.clone(),
                corrects: known.corrects(),
            }));
        }
        if self.pending.contains(&key)
            || self.false_versions.contains(&key)
            || self.pending.len() >= MAX_PENDING
        {
            return;
        }
        let query = disco::info_query().attr("node", format!("{node}#{ver}"));
        let owner = Owner::Caps(CapsRequest {
            key: key.clone(),
            hash: hash.to_owned(),
            ver: ver.to_owned(),
        });
        if cx
            .try_request(IqType::Get, Some(from), query, owner)
            .is_ok()
        {
            self.pending.insert(key);
        }
    }

    pub(crate) fn answered(
        &mut self,
        request: CapsRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) {
        self.pending.remove(&request.key);
        let Ok(Some(query)) = result else {
            // Another resource with the same version may answer; asked again when one shows.
            return;
        };
        if !query.is("query", ns::DISCO_INFO) {
            return;
        }
        if verification_of(&query, &request.hash).as_deref() != Some(request.ver.as_str()) {
            cx.warn("a contact's capabilities did not match their version: not kept");
            self.false_versions.insert(request.key);
            return;
        }
        if self.known.len() >= MAX_KNOWN {
            return;
        }
        let info = DiscoInfo::parse(&query);
        let client = info
            .identities
            .iter()
            .find(|i| i.category == "client")
            .and_then(|i| i.name.clone())
            .filter(|n| !n.trim().is_empty());
        let capabilities = Capabilities {
            client,
            features: info.features,
        };
        for (jid, key) in &self.resources {
            if *key == request.key {
                cx.emit(Event::Caps(CapsEvent::Client {
                    jid: jid.clone(),
                    client: capabilities.client.clone(),
                    corrects: capabilities.corrects(),
                }));
            }
        }
        self.known.insert(request.key, capabilities);
    }

    pub(crate) fn unanswered(&mut self, request: CapsRequest) {
        self.pending.remove(&request.key);
    }

    /// The connection ended: nobody is online; what versions mean is still true.
    pub(crate) fn disconnected(&mut self) {
        self.resources.clear();
        self.pending.clear();
    }

    /// What `jid`'s resource supports, if its version is known.
    pub fn of(&self, jid: &Jid) -> Option<&Capabilities> {
        self.known.get(self.resources.get(jid)?)
    }
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
    fn xep_0115_complex_example_with_a_form() {
        // §5.3: two identities with languages, and the software information form.
        let query = crate::xmpp::xml::parse_frame(
            "<query xmlns='http://jabber.org/protocol/disco#info' \
             node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>\
             <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>\
             <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>\
             <feature var='http://jabber.org/protocol/caps'/>\
             <feature var='http://jabber.org/protocol/disco#info'/>\
             <feature var='http://jabber.org/protocol/disco#items'/>\
             <feature var='http://jabber.org/protocol/muc'/>\
             <x xmlns='jabber:x:data' type='result'>\
             <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>\
             <field var='ip_version' type='text-multi'><value>ipv4</value><value>ipv6</value></field>\
             <field var='os'><value>Mac</value></field>\
             <field var='os_version'><value>10.5.1</value></field>\
             <field var='software'><value>Psi</value></field>\
             <field var='software_version'><value>0.11</value></field>\
             </x></query>",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            verification_of(&query, "sha-1").as_deref(),
            Some("q07IKJEyjvHSyhy//CH0CxmKi8w=")
        );
        assert_eq!(verification_of(&query, "md5"), None);
    }

    #[test]
    fn an_answer_with_a_feature_twice_is_not_verifiable() {
        let query = crate::xmpp::xml::parse_frame(
            "<query xmlns='http://jabber.org/protocol/disco#info'>\
             <identity category='client' type='pc' name='X'/>\
             <feature var='a'/><feature var='a'/></query>",
        )
        .unwrap()
        .unwrap();
        assert_eq!(verification_of(&query, "sha-1"), None);
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
