//! XEP-0184 message delivery receipts and XEP-0333 chat markers, for one-to-one chats.
//!
//! Our messages ask for both (`<request/>`, `<markable/>`); the peer's `<received/>` (§4) and
//! `<displayed/>` (XEP-0333 §4) move them on. A peer's request is answered with `<received/>`
//! when its message reaches this device live: not for what an archive brings, nor for a carbon
//! of a message another of our devices received (that device answers), and only to someone our
//! presence is shared with (§8: a receipt would tell anyone else we are online). `displayed`
//! goes when the UI says the message was on screen in a visible tab.

use super::context::Ctx;
use super::jid::BareJid;
use super::ns;
use super::stanza::Message;
use super::xml::Element;

/// How far a message of ours got, as the peer's device reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// XEP-0184: it reached the peer's device.
    Received,
    /// XEP-0333: the peer saw it (and, §3, everything before it).
    Displayed,
}

/// Adds the requests to a message of ours.
pub(crate) fn ask(message: Element) -> Element {
    message
        .child(Element::new("request", ns::RECEIPTS))
        .child(Element::new("markable", ns::MARKERS))
}

/// Whether the peer's message asks to be marked as displayed.
pub(crate) fn is_markable(message: &Element) -> bool {
    message.has_child("markable", ns::MARKERS)
}

/// A receipt or marker in a message: which of our messages it is about, by its `id`.
pub(crate) fn parse(message: &Element) -> Option<(Receipt, String)> {
    message.elements().find_map(|e| {
        let receipt = if e.is("received", ns::RECEIPTS) {
            Receipt::Received
        } else if e.is("displayed", ns::MARKERS) {
            Receipt::Displayed
        } else {
            return None;
        };
        let id = e.get_attr("id").filter(|id| !id.is_empty())?;
        Some((receipt, id.to_owned()))
    })
}

/// §5.4: answers a live message's receipt request, to the full address it came from.
/// `shares_presence`: whether the sender may see our presence.
pub(crate) fn answer(message: &Message, shares_presence: bool, cx: &mut Ctx) {
    if !shares_presence || !message.element.has_child("request", ns::RECEIPTS) {
        return;
    }
    // §5.4: the receipt names the message's `id`; without one there is nothing to name.
    let (Some(from), Some(id)) = (message.from.as_ref(), message.id.as_deref()) else {
        return;
    };
    if from.resource().is_none() || id.is_empty() {
        return;
    }
    let receipt = Element::new("message", ns::CLIENT)
        .attr("to", from.as_str())
        .attr("type", "chat")
        .attr("id", cx.out.next_id())
        .child(Element::new("received", ns::RECEIPTS).attr("id", id))
        .child(Element::new("store", ns::HINTS));
    cx.send(&receipt);
}

/// XEP-0333 §4: tells `peer` the message `id` (and all before it) was seen.
pub(crate) fn build_displayed(peer: &BareJid, id: &str, own_id: String) -> Element {
    Element::new("message", ns::CLIENT)
        .attr("to", peer.as_str())
        .attr("type", "chat")
        .attr("id", own_id)
        .child(Element::new("displayed", ns::MARKERS).attr("id", id))
        .child(Element::new("store", ns::HINTS))
}
