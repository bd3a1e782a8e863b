//! XEP-0030 Service Discovery. Answering (§3.1): who we are and what we support, so peers can
//! adapt. Asking (§3.1, §4.1): the queries and the typed answers, with the XEP-0128 forms a room
//! describes itself with; the modules that ask (room services, rooms) send them through the
//! request layer.
//!
//! Answers are untrusted and can be large (a service with 10,000 rooms answers in one reply), so
//! parsing is bounded: at most [`MAX_ITEMS`] items, [`MAX_FEATURES`] features, and every text cut
//! to [`MAX_TEXT_CHARS`].

use super::context::Ctx;
use super::jid::Jid;
use super::ns;
use super::stanza::{build, Iq, IqType};
use super::xml::Element;
use std::collections::HashSet;

/// Items read from one disco#items reply; the rest are ignored.
pub const MAX_ITEMS: usize = 50_000;
/// Features and identities read from one disco#info reply.
pub const MAX_FEATURES: usize = 512;
/// Characters kept of a name, a description or a form value.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// What this client implements, as disco#info features; `+notify` (XEP-0163 §4.3) asks PEP
/// services to send us avatars and nicknames as they change, so nothing is polled.
pub(crate) const FEATURES: [&str; 8] = [
    ns::DISCO_INFO,
    ns::PING,
    ns::CHATSTATES,
    ns::CORRECT,
    ns::SID,
    ns::CAPS,
    "urn:xmpp:avatar:metadata+notify",
    "http://jabber.org/protocol/nick+notify",
];
/// Who we are: `(category, type, name)` of our one identity.
pub(crate) const IDENTITY: (&str, &str, &str) = ("client", "web", "Parley");

pub(crate) fn answer_info(iq: &Iq, cx: &mut Ctx) {
    let to = iq.from.as_ref().map(|j| j.to_string());
    let query = Element::new("query", ns::DISCO_INFO)
        .attr_opt("node", iq.payload.as_ref().and_then(|r| r.get_attr("node")))
        .child(
            Element::new("identity", ns::DISCO_INFO)
                .attr("category", IDENTITY.0)
                .attr("type", IDENTITY.1)
                .attr("name", IDENTITY.2),
        );
    let query = FEATURES.into_iter().fold(query, |q, var| {
        q.child(Element::new("feature", ns::DISCO_INFO).attr("var", var))
    });
    cx.send(&build::iq(
        IqType::Result,
        &iq.id,
        to.as_deref(),
        Some(query),
    ));
}

/// A disco#info query.
pub fn info_query() -> Element {
    Element::new("query", ns::DISCO_INFO)
}

/// A disco#items query; `paging` is an XEP-0059 `<set/>` for services that page.
pub fn items_query(paging: Option<Element>) -> Element {
    let query = Element::new("query", ns::DISCO_ITEMS);
    match paging {
        Some(set) => query.child(set),
        None => query,
    }
}

/// One `<identity/>` of a disco#info answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoIdentity {
    pub category: String,
    pub kind: String,
    pub name: Option<String>,
}

/// A disco#info answer: identities, features, and the fields of its XEP-0128 forms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoInfo {
    pub identities: Vec<DiscoIdentity>,
    pub features: HashSet<String>,
    /// `(FORM_TYPE, var, first value)` of each field of each result form.
    pub fields: Vec<(String, String, String)>,
}

impl DiscoInfo {
    pub fn parse(query: &Element) -> Self {
        let mut info = Self::default();
        let mut seen = 0;
        for child in query.elements() {
            seen += 1;
            if seen > MAX_FEATURES {
                break;
            }
            if child.is("identity", ns::DISCO_INFO) {
                info.identities.push(DiscoIdentity {
                    category: child.get_attr("category").unwrap_or_default().to_owned(),
                    kind: child.get_attr("type").unwrap_or_default().to_owned(),
                    name: child.get_attr("name").map(cut),
                });
            } else if child.is("feature", ns::DISCO_INFO) {
                if let Some(var) = child.get_attr("var") {
                    info.features.insert(cut(var));
                }
            } else if child.is("x", ns::DATA) && child.get_attr("type") == Some("result") {
                info.read_form(child);
            }
        }
        info
    }

    fn read_form(&mut self, form: &Element) {
        let values: Vec<(String, String)> = form
            .elements()
            .filter(|f| f.is("field", ns::DATA))
            .take(MAX_FEATURES)
            .filter_map(|f| {
                let value = f.get_child("value", ns::DATA)?.text_content();
                Some((f.get_attr("var")?.to_owned(), cut(&value)))
            })
            .collect();
        let form_type = values
            .iter()
            .find(|(var, _)| var == "FORM_TYPE")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        self.fields.extend(
            values
                .into_iter()
                .filter(|(var, _)| var != "FORM_TYPE")
                .map(|(var, value)| (form_type.clone(), var, value)),
        );
    }

    pub fn has_identity(&self, category: &str, kind: &str) -> bool {
        self.identities
            .iter()
            .any(|i| i.category == category && i.kind == kind)
    }

    pub fn has_feature(&self, var: &str) -> bool {
        self.features.contains(var)
    }

    /// The value of `var` in the form of type `form_type`.
    pub fn field(&self, form_type: &str, var: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(t, v, _)| t == form_type && v == var)
            .map(|(_, _, value)| value.as_str())
    }
}

/// One `<item/>` of a disco#items answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoItem {
    pub jid: Jid,
    pub name: Option<String>,
}

/// The items of a disco#items answer, at most [`MAX_ITEMS`]; items without a valid JID are skipped.
pub fn parse_items(query: &Element) -> Vec<DiscoItem> {
    query
        .elements()
        .filter(|e| e.is("item", ns::DISCO_ITEMS))
        .take(MAX_ITEMS)
        .filter_map(|e| {
            Some(DiscoItem {
                jid: Jid::new(e.get_attr("jid")?).ok()?,
                name: e.get_attr("name").map(cut).filter(|n| !n.trim().is_empty()),
            })
        })
        .collect()
}

fn cut(text: &str) -> String {
    text.chars().take(MAX_TEXT_CHARS).collect()
}

/// `text` cut to [`MAX_TEXT_CHARS`], without copying when it fits.
pub(crate) fn cut_owned(text: String) -> String {
    if text.chars().count() <= MAX_TEXT_CHARS {
        text
    } else {
        cut(&text)
    }
}
