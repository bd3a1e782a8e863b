//! XEP-0054 vcard-temp: the details a contact publishes about themselves (full name, nickname,
//! organisation, addresses to reach them, a description), read when the person opens the
//! contact's details. Servers with XEP-0292 vCard4 (Prosody's mod_vcard_legacy among them) answer
//! vcard-temp queries from it, so one query reads both.
//!
//! Every field is untrusted text: at most [`MAX_FIELDS`] are read, each trimmed and cut to
//! [`MAX_FIELD_CHARS`], and the photo is left to [`avatar`](super::avatar).

use super::context::Ctx;
use super::error::SendError;
use super::event::Event;
use super::jid::{BareJid, Jid};
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, StanzaError};
use super::xml::Element;

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
}

/// §3.1: asks for `jid`'s vCard.
pub(crate) fn fetch(jid: &BareJid, cx: &mut Ctx) -> Result<(), SendError> {
    let to: Option<Jid> = (cx.me.bare() != jid).then(|| jid.clone().into());
    cx.try_request(
        IqType::Get,
        to.as_ref(),
        Element::new("vCard", ns::VCARD),
        Owner::VCard(jid.clone()),
    )?;
    Ok(())
}

pub(crate) fn answered(jid: BareJid, result: Result<Option<Element>, StanzaError>, cx: &mut Ctx) {
    cx.emit(Event::VCard(match result {
        Ok(vcard) => VCardEvent::Loaded {
            jid,
            fields: vcard
                .filter(|v| v.is("vCard", ns::VCARD))
                .map(|v| read(&v))
                .unwrap_or_default(),
        },
        Err(error) => VCardEvent::Unavailable { jid, error },
    }));
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
    push(VCardField::Description, text(child(vcard, "DESC")));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::xml::parse_frame;

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
