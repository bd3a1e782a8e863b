//! Invitations to rooms: XEP-0249 direct ones, from the inviter's account, and XEP-0045 §7.8.2
//! mediated ones, passed on by the room. Either is shown to the person and answered by them; it
//! never makes the client join by itself.

use super::super::disco;
use super::super::jid::{BareJid, Jid};
use super::super::ns;
use super::super::stanza::Message;
use super::super::xml::Element;

/// An invitation to a room: shown, answered by the person, never acted on alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub room: BareJid,
    /// Who invites: their account (bare), or, where the room keeps accounts hidden (Prosody in
    /// a semi-anonymous room), their occupant address `room/nick`.
    pub from: Jid,
    /// Untrusted text.
    pub reason: Option<String>,
    pub password: Option<String>,
}

/// XEP-0249 direct invitations (from the inviter) and §7.8.2 mediated ones (from the room).
/// A mediated one comes first: rooms (Prosody's) add a direct one to it, from the room's address.
///
/// A mediated one names its inviter only when `from_a_service` (the sender's domain is a room
/// service we checked): anyone else claiming to pass on someone's invitation is its inviter.
pub(super) fn parse_invitation(
    m: &Message,
    from: &BareJid,
    from_a_service: bool,
) -> Option<Invitation> {
    let mediated = m
        .element
        .get_child("x", ns::MUC_USER)
        .filter(|x| x.has_child("invite", ns::MUC_USER));
    let Some(x) = mediated else {
        let x = m.element.get_child("x", ns::CONFERENCE)?;
        return Some(Invitation {
            room: BareJid::new(x.get_attr("jid")?).ok()?,
            from: from.clone().into(),
            reason: x
                .get_attr("reason")
                .map(str::to_owned)
                .map(disco::cut_owned),
            password: x.get_attr("password").map(str::to_owned),
        });
    };
    let invite = x.get_child("invite", ns::MUC_USER)?;
    let named = invite.get_attr("from").and_then(|j| Jid::new(j).ok())?;
    let inviter = if !from_a_service {
        from.clone().into()
    } else if named.to_bare() == *from {
        named
    } else {
        named.to_bare().into()
    };
    Some(Invitation {
        room: from.clone(),
        from: inviter,
        reason: invite
            .get_child("reason", ns::MUC_USER)
            .map(Element::text_content)
            .map(disco::cut_owned),
        password: x
            .get_child("password", ns::MUC_USER)
            .map(Element::text_content),
    })
}
