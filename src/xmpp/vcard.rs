//! XEP-0054 vcard-temp: the details a contact publishes about themselves (full name, nickname,
//! organisation, addresses to reach them, a description), read when the person opens the
//! contact's details. Servers with XEP-0292 vCard4 (Prosody's mod_vcard_legacy among them) answer
//! vcard-temp queries from it (a vCard4 note comes as NOTE), so one query reads both; where
//! vcard-temp says nothing (an error, or no fields), the contact's XEP-0292 PEP node
//! (`urn:xmpp:vcard4`, RFC 6351's XML) is read next, for servers that keep vCard4 alone. Our
//! own is written as vcard-temp only (the bridge publishes it as vCard4 too).
//!
//! Every field is untrusted text: at most [`MAX_FIELDS`] are read, each trimmed and cut to
//! [`MAX_FIELD_CHARS`], and the photo is left to [`avatar`](super::avatar).
//!
//! Our own vCard is edited in place (§3.2 replaces the whole vCard with what is sent): it is read
//! first, the fields the person edits are changed in it (the first email, phone and address
//! only, keeping their type flags), and everything else goes back as it was, the photo that
//! XEP-0153 clients show above all.

use super::context::Ctx;
use super::error::SendError;
use super::event::Event;
use super::jid::{BareJid, Jid};
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, StanzaError};
use super::xml::{check_xml_text, Element, Node};

/// Fields read from one vCard.
pub const MAX_FIELDS: usize = 24;
/// Characters kept of one field.
pub const MAX_FIELD_CHARS: usize = 1_000;

/// What one field of a vCard is, for its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VCardField {
    FullName,
    Nickname,
    Organisation,
    Title,
    Email,
    Phone,
    Url,
    Birthday,
    Locality,
    Country,
    Description,
}

impl VCardField {
    /// A stable name, for the test ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FullName => "fn",
            Self::Nickname => "nickname",
            Self::Organisation => "org",
            Self::Title => "title",
            Self::Email => "email",
            Self::Phone => "tel",
            Self::Url => "url",
            Self::Birthday => "bday",
            Self::Locality => "locality",
            Self::Country => "country",
            Self::Description => "desc",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VCardEvent {
    /// `jid`'s vCard, its fields in the order above (an empty list: they published none).
    Loaded {
        jid: BareJid,
        fields: Vec<(VCardField, String)>,
    },
    /// `jid`'s server would not say (no such vCard, not allowed, no answer).
    Unavailable { jid: BareJid, error: StanzaError },
    /// Our own vCard is stored as edited.
    Saved,
    /// Our server would not store it (or read it first).
    SaveFailed(StanzaError),
}

/// The fields the person edits in their own vCard, in the order they are shown.
pub const EDITABLE: &[VCardField] = &[
    VCardField::FullName,
    VCardField::Organisation,
    VCardField::Title,
    VCardField::Email,
    VCardField::Phone,
    VCardField::Url,
    VCardField::Birthday,
    VCardField::Locality,
    VCardField::Country,
    VCardField::Description,
];

/// Editing our own vCard: read, then written back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VCardEdit {
    /// Reading it, to change these fields in it (a blank value removes the field).
    Reading(Vec<(VCardField, String)>),
    Writing,
}

/// A vCard being read: vcard-temp first, then vCard4 where that said nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VCardQuery {
    Temp(BareJid),
    /// `temp`: vcard-temp's error, or `None` where it had no fields.
    Vcard4 {
        jid: BareJid,
        temp: Option<StanzaError>,
    },
}

/// Where `jid`'s vCard is asked: our own server for ours (no `to`).
fn address(jid: &BareJid, cx: &Ctx) -> Option<Jid> {
    (cx.me.bare() != jid).then(|| jid.clone().into())
}

/// XEP-0054 §3.1: asks for `jid`'s vCard.
pub(crate) fn fetch(jid: &BareJid, cx: &mut Ctx) -> Result<(), SendError> {
    let to = address(jid, cx);
    cx.try_request(
        IqType::Get,
        to.as_ref(),
        Element::new("vCard", ns::VCARD),
        Owner::VCard(VCardQuery::Temp(jid.clone())),
    )?;
    Ok(())
}

pub(crate) fn answered(
    query: VCardQuery,
    result: Result<Option<Element>, StanzaError>,
    cx: &mut Ctx,
) {
    match query {
        VCardQuery::Temp(jid) => {
            let temp = match result {
                Ok(vcard) => {
                    let fields = vcard
                        .filter(|v| v.is("vCard", ns::VCARD))
                        .map(|v| read(&v))
                        .unwrap_or_default();
                    if !fields.is_empty() {
                        return cx.emit(Event::VCard(VCardEvent::Loaded { jid, fields }));
                    }
                    None
                }
                Err(error) => Some(error),
            };
            // XEP-0292 §3: the PEP node's latest item.
            let to = address(&jid, cx);
            let items = Element::new("pubsub", ns::PUBSUB).child(
                Element::new("items", ns::PUBSUB)
                    .attr("node", ns::VCARD4)
                    .attr("max_items", "1"),
            );
            let owner = Owner::VCard(VCardQuery::Vcard4 {
                jid: jid.clone(),
                temp: temp.clone(),
            });
            if cx
                .try_request(IqType::Get, to.as_ref(), items, owner)
                .is_err()
            {
                said_nothing(jid, temp, cx);
            }
        }
        VCardQuery::Vcard4 { jid, temp } => {
            let fields = result
                .ok()
                .flatten()
                .as_ref()
                .and_then(|p| p.get_child("items", ns::PUBSUB))
                .and_then(|items| items.elements().find(|i| i.is("item", ns::PUBSUB)))
                .and_then(|item| item.get_child("vcard", ns::VCARD4_XML))
                .map(read4)
                .unwrap_or_default();
            if fields.is_empty() {
                said_nothing(jid, temp, cx);
            } else {
                cx.emit(Event::VCard(VCardEvent::Loaded { jid, fields }));
            }
        }
    }
}

/// Neither vCard had fields: none published, or vcard-temp's error.
fn said_nothing(jid: BareJid, temp: Option<StanzaError>, cx: &mut Ctx) {
    cx.emit(Event::VCard(match temp {
        None => VCardEvent::Loaded {
            jid,
            fields: Vec::new(),
        },
        Some(error) => VCardEvent::Unavailable { jid, error },
    }));
}

/// No answer (a timeout, a lost connection): nothing more is asked.
pub(crate) fn unanswered(query: VCardQuery, cx: &mut Ctx) {
    let jid = match query {
        VCardQuery::Temp(jid) | VCardQuery::Vcard4 { jid, .. } => jid,
    };
    cx.emit(Event::VCard(VCardEvent::Unavailable {
        jid,
        error: StanzaError::undefined(),
    }));
}

/// §3.2: changes `fields` in our own vCard; [`VCardEvent::Saved`] or
/// [`VCardEvent::SaveFailed`] says how it went.
pub(crate) fn edit(fields: Vec<(VCardField, String)>, cx: &mut Ctx) -> Result<(), SendError> {
    let fields: Vec<(VCardField, String)> = fields
        .into_iter()
        .map(|(field, value)| (field, value.trim().chars().take(MAX_FIELD_CHARS).collect()))
        .collect();
    for (_, value) in &fields {
        check_xml_text(value).map_err(SendError::InvalidText)?;
    }
    cx.try_request(
        IqType::Get,
        None,
        Element::new("vCard", ns::VCARD),
        Owner::VCardEdit(VCardEdit::Reading(fields)),
    )?;
    Ok(())
}

pub(crate) fn edit_answered(
    edit: VCardEdit,
    result: Result<Option<Element>, StanzaError>,
    cx: &mut Ctx,
) {
    match (edit, result) {
        (VCardEdit::Reading(fields), result) => {
            let current = match result {
                Ok(vcard) => vcard.filter(|v| v.is("vCard", ns::VCARD)),
                // None stored yet.
                Err(e) if e.condition == "item-not-found" => None,
                Err(e) => return cx.emit(Event::VCard(VCardEvent::SaveFailed(e))),
            };
            let vcard = changed(
                current.unwrap_or_else(|| Element::new("vCard", ns::VCARD)),
                &fields,
            );
            if let Err(e) = cx.try_request(
                IqType::Set,
                None,
                vcard,
                Owner::VCardEdit(VCardEdit::Writing),
            ) {
                cx.warn(&format!("our vCard was not sent: {e:?}"));
                cx.emit(Event::VCard(VCardEvent::SaveFailed(
                    StanzaError::undefined(),
                )));
            }
        }
        (VCardEdit::Writing, Ok(_)) => cx.emit(Event::VCard(VCardEvent::Saved)),
        (VCardEdit::Writing, Err(e)) => cx.emit(Event::VCard(VCardEvent::SaveFailed(e))),
    }
}

/// Where a field lives in a vCard: the element, inside the first of a container if any.
fn path(field: VCardField) -> (&'static str, Option<&'static str>) {
    match field {
        VCardField::FullName => ("FN", None),
        VCardField::Nickname => ("NICKNAME", None),
        VCardField::Organisation => ("ORG", Some("ORGNAME")),
        VCardField::Title => ("TITLE", None),
        VCardField::Email => ("EMAIL", Some("USERID")),
        VCardField::Phone => ("TEL", Some("NUMBER")),
        VCardField::Url => ("URL", None),
        VCardField::Birthday => ("BDAY", None),
        VCardField::Locality => ("ADR", Some("LOCALITY")),
        VCardField::Country => ("ADR", Some("CTRY")),
        VCardField::Description => ("DESC", None),
    }
}

/// `vcard` with `fields` set (blank: removed), everything else kept.
pub fn changed(mut vcard: Element, fields: &[(VCardField, String)]) -> Element {
    for (field, value) in fields {
        let (outer, inner) = path(*field);
        let position = vcard
            .children
            .iter()
            .position(|n| matches!(n, Node::Element(e) if e.is(outer, ns::VCARD)));
        let text = |name: &str| Element::new(name, ns::VCARD).text(value.as_str());
        match (inner, position) {
            (None, Some(i)) if value.is_empty() => {
                vcard.children.remove(i);
            }
            (None, Some(i)) => vcard.children[i] = Node::Element(text(outer)),
            (None, None) if value.is_empty() => {}
            (None, None) => vcard.children.push(Node::Element(text(outer))),
            (Some(_), None) if value.is_empty() => {}
            (Some(inner), None) => {
                let mut container = Element::new(outer, ns::VCARD);
                // XEP-0054's schema wants a kind in an email and a phone.
                match field {
                    VCardField::Email => {
                        container = container.child(Element::new("INTERNET", ns::VCARD))
                    }
                    VCardField::Phone => {
                        container = container.child(Element::new("VOICE", ns::VCARD))
                    }
                    _ => {}
                }
                vcard
                    .children
                    .push(Node::Element(container.child(text(inner))));
            }
            (Some(inner), Some(i)) => {
                let Node::Element(container) = &mut vcard.children[i] else {
                    continue;
                };
                container
                    .children
                    .retain(|n| !matches!(n, Node::Element(e) if e.is(inner, ns::VCARD)));
                if !value.is_empty() {
                    container.children.push(Node::Element(text(inner)));
                }
                // Only kind flags (empty elements) left: the container says nothing any more.
                let says_something = container
                    .elements()
                    .any(|e| !e.text_content().trim().is_empty());
                if !says_something {
                    vcard.children.remove(i);
                }
            }
        }
    }
    vcard
}

fn child<'a>(el: &'a Element, name: &str) -> Option<&'a Element> {
    el.get_child(name, ns::VCARD)
}

/// The fields of a vCard that say something, in a fixed order (the order of the XEP's
/// elements varies by client).
pub fn read(vcard: &Element) -> Vec<(VCardField, String)> {
    let text = |el: Option<&Element>| {
        let text: String = el?
            .text_content()
            .trim()
            .chars()
            .take(MAX_FIELD_CHARS)
            .collect();
        (!text.is_empty()).then_some(text)
    };
    let all = |name: &'static str| vcard.elements().filter(move |e| e.is(name, ns::VCARD));
    let mut fields = Vec::new();
    let mut push = |field: VCardField, value: Option<String>| {
        if let Some(value) = value {
            if fields.len() < MAX_FIELDS {
                fields.push((field, value));
            }
        }
    };
    push(VCardField::FullName, text(child(vcard, "FN")));
    push(VCardField::Nickname, text(child(vcard, "NICKNAME")));
    push(
        VCardField::Organisation,
        text(child(vcard, "ORG").and_then(|o| child(o, "ORGNAME"))),
    );
    push(VCardField::Title, text(child(vcard, "TITLE")));
    for email in all("EMAIL").take(MAX_FIELDS) {
        push(VCardField::Email, text(child(email, "USERID")));
    }
    for tel in all("TEL").take(MAX_FIELDS) {
        push(VCardField::Phone, text(child(tel, "NUMBER")));
    }
    push(VCardField::Url, text(child(vcard, "URL")));
    push(VCardField::Birthday, text(child(vcard, "BDAY")));
    if let Some(adr) = child(vcard, "ADR") {
        push(VCardField::Locality, text(child(adr, "LOCALITY")));
        push(VCardField::Country, text(child(adr, "CTRY")));
    }
    // vCard 3's NOTE where the XEP's DESC is missing: Prosody's vCard4 bridge writes a
    // vCard4 note there.
    push(
        VCardField::Description,
        text(child(vcard, "DESC")).or_else(|| text(child(vcard, "NOTE"))),
    );
    fields
}

/// RFC 6351's XML vCard (XEP-0292), read into the same fields in the same order.
pub fn read4(vcard: &Element) -> Vec<(VCardField, String)> {
    let in4 = |el: &Element, name: &str| {
        el.get_child(name, ns::VCARD4_XML)
            .map(Element::text_content)
    };
    // A property's value is in a typed child (text, uri, date…); the first that says something.
    let value = |property: &Element, kinds: &[&str]| {
        kinds.iter().find_map(|kind| {
            let text: String = in4(property, kind)?
                .trim()
                .chars()
                .take(MAX_FIELD_CHARS)
                .collect();
            (!text.is_empty()).then_some(text)
        })
    };
    let all = |name: &'static str| vcard.elements().filter(move |e| e.is(name, ns::VCARD4_XML));
    let mut fields = Vec::new();
    let mut push = |field: VCardField, value: Option<String>| {
        if let (Some(value), true) = (value, fields.len() < MAX_FIELDS) {
            fields.push((field, value));
        }
    };
    let first = |name: &'static str| all(name).next();
    push(
        VCardField::FullName,
        first("fn").and_then(|p| value(p, &["text"])),
    );
    push(
        VCardField::Nickname,
        first("nickname").and_then(|p| value(p, &["text"])),
    );
    push(
        VCardField::Organisation,
        first("org").and_then(|p| value(p, &["text"])),
    );
    push(
        VCardField::Title,
        first("title").and_then(|p| value(p, &["text"])),
    );
    for email in all("email").take(MAX_FIELDS) {
        push(VCardField::Email, value(email, &["text"]));
    }
    for tel in all("tel").take(MAX_FIELDS) {
        let number = value(tel, &["uri", "text"]).map(|n| match n.strip_prefix("tel:") {
            Some(rest) => rest.to_owned(),
            None => n,
        });
        push(VCardField::Phone, number);
    }
    push(
        VCardField::Url,
        first("url").and_then(|p| value(p, &["uri"])),
    );
    push(
        VCardField::Birthday,
        first("bday").and_then(|p| value(p, &["date", "date-time", "text"])),
    );
    if let Some(adr) = first("adr") {
        push(VCardField::Locality, value(adr, &["locality"]));
        push(VCardField::Country, value(adr, &["country"]));
    }
    push(
        VCardField::Description,
        first("note").and_then(|p| value(p, &["text"])),
    );
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::xml::parse_frame;

    #[test]
    fn a_note_describes_where_there_is_no_desc() {
        let vcard = |inner: &str| {
            parse_frame(&format!("<vCard xmlns='vcard-temp'>{inner}</vCard>"))
                .unwrap()
                .unwrap()
        };
        assert_eq!(
            read(&vcard("<NOTE>From vCard4</NOTE>")),
            [(VCardField::Description, "From vCard4".to_owned())]
        );
        assert_eq!(
            read(&vcard("<NOTE>old</NOTE><DESC>Mine</DESC>")),
            [(VCardField::Description, "Mine".to_owned())]
        );
    }

    #[test]
    fn fields_in_order_trimmed_and_bounded() {
        let emails: String = (0..40)
            .map(|i| format!("<EMAIL><USERID>u{i}@x</USERID></EMAIL>"))
            .collect();
        let vcard = parse_frame(&format!(
            "<vCard xmlns='vcard-temp'><DESC> Hi </DESC><FN>Juliet Capulet</FN>\
             <ORG><ORGNAME>Capulets</ORGNAME></ORG><TITLE/>{emails}\
             <PHOTO><BINVAL>AAAA</BINVAL></PHOTO></vCard>"
        ))
        .unwrap()
        .unwrap();
        let fields = read(&vcard);
        assert_eq!(fields[0], (VCardField::FullName, "Juliet Capulet".into()));
        assert_eq!(fields[1], (VCardField::Organisation, "Capulets".into()));
        assert_eq!(fields.len(), MAX_FIELDS);
        assert!(fields.iter().all(|(f, _)| *f != VCardField::Title));
    }
}
