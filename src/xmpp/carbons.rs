//! XEP-0280 Message Carbons: copies of the messages our other devices send and receive.
//!
//! Carbons are enabled after the roster (§4; a server without them answers with an error, which is
//! harmless). A carbon is trusted only from our own bare JID (§6, §11): anyone else could forge one
//! to put words in a contact's mouth. Only `<received/>` and `<sent/>` wrap carbons; `<private/>`
//! may reach us unstripped on an ordinary message (offline storage) and means nothing then.

use super::context::{Ctx, Identity};
use super::forward;
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, Message, StanzaError};
use super::xml::Element;

/// Which side of a conversation our other device was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarbonDirection {
    /// A message one of our other devices received.
    Received,
    /// A message one of our other devices sent.
    Sent,
}

/// What a `<message/>` turned out to be.
pub enum Unwrapped {
    /// Not a carbon: the message itself.
    Direct(Message),
    Carbon {
        direction: CarbonDirection,
        message: Message,
    },
    /// Looked like a carbon but was not from our own account, or carried no message.
    Refused(&'static str),
}

/// XEP-0280 §4: turn carbons on.
pub(crate) fn enable(cx: &mut Ctx) {
    cx.request(
        IqType::Set,
        Element::new("enable", ns::CARBONS),
        Owner::Carbons,
    );
}

pub(crate) fn answered(result: Result<Option<Element>, StanzaError>, cx: &mut Ctx) {
    if let Err(error) = result {
        cx.warn(&format!("the server has no message carbons ({error})"));
    }
}

/// XEP-0280 §6: moves a carbon's inner message out of its wrapper, after checking who sent it.
pub fn unwrap(mut outer: Message, me: &Identity) -> Unwrapped {
    let direction = if outer.element.has_child("received", ns::CARBONS) {
        CarbonDirection::Received
    } else if outer.element.has_child("sent", ns::CARBONS) {
        CarbonDirection::Sent
    } else {
        return Unwrapped::Direct(outer);
    };
    let from_own_account = outer
        .from
        .as_ref()
        .is_some_and(|f| f.resource().is_none() && f.to_bare() == *me.bare());
    if !from_own_account {
        return Unwrapped::Refused("ignored a forged carbon");
    }
    let name = match direction {
        CarbonDirection::Received => "received",
        CarbonDirection::Sent => "sent",
    };
    let inner = outer
        .element
        .take_child(name, ns::CARBONS)
        .and_then(forward::unwrap);
    match inner {
        Some(message) => Unwrapped::Carbon { direction, message },
        None => Unwrapped::Refused("ignored an empty carbon"),
    }
}
