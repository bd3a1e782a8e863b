//! XEP-0297 Stanza Forwarding: the `<forwarded/>` wrapper that carbons (XEP-0280) and archive
//! results (XEP-0313) put around a message. Reading the inner message says nothing about who
//! sent it: every caller checks the wrapper's sender first.

use super::ns;
use super::stanza::{self, Message};
use super::xml::Element;

/// Moves the message out of `<forwarded xmlns='urn:xmpp:forward:0'>` inside `wrapper`.
pub fn unwrap(mut wrapper: Element) -> Option<Message> {
    let mut forwarded = wrapper.take_child("forwarded", ns::FORWARD)?;
    let message = forwarded.take_child("message", ns::CLIENT)?;
    stanza::parse_message(message).ok()
}
