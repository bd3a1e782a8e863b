//! XEP-0163 Personal Eventing Protocol: what a notification of one node says (XEP-0060 §7.1.2.1
//! and §7.2.2.1: the items published, or retracted). The modules that follow a node
//! ([`avatar`](super::avatar), [`nick`](super::nick)) read their own payload from it and decide
//! whose notifications they keep.

use super::ns;
use super::xml::Element;

/// One node's notification.
pub(crate) struct Notification<'a> {
    /// The last item published, if any.
    pub latest: Option<&'a Element>,
    /// An item was retracted.
    pub retracted: bool,
}

/// The notification of `node` that `message` carries, if it carries one.
pub(crate) fn notification<'a>(message: &'a Element, node: &str) -> Option<Notification<'a>> {
    let items = message
        .get_child("event", ns::PUBSUB_EVENT)
        .and_then(|e| e.get_child("items", ns::PUBSUB_EVENT))
        .filter(|i| i.get_attr("node") == Some(node))?;
    Some(Notification {
        latest: items
            .elements()
            .filter(|i| i.is("item", ns::PUBSUB_EVENT))
            .last(),
        retracted: items.has_child("retract", ns::PUBSUB_EVENT),
    })
}
