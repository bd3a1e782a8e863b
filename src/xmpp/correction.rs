//! XEP-0308 Last Message Correction, for one-to-one chats.
//!
//! A correction is a new message with the whole new body and `<replace id='…'/>` naming the
//! original's id (§3); every correction of one message names the first (§4), so a chain never
//! points at a correction. Who may correct what (§4, §5: the same sender only) is decided where
//! the messages are, in the conversation's timeline: a conversation is one bare address, and a
//! correction only replaces a message of its own direction there, so bob can correct bob's
//! messages and our devices ours, and no one else's.

use super::ns;
use super::xml::Element;

/// Longer ids are not ids we or any client made: ignored, the message shown as it is.
const MAX_ID_CHARS: usize = 256;

/// Adds the correction's `<replace/>` to a message.
pub(crate) fn attach(message: Element, original: &str) -> Element {
    message.child(Element::new("replace", ns::CORRECT).attr("id", original))
}

/// The id of the message this one corrects, if it is a correction.
pub(crate) fn parse(message: &Element) -> Option<String> {
    message
        .elements()
        .find(|e| e.is("replace", ns::CORRECT))
        .and_then(|e| e.get_attr("id"))
        .filter(|id| !id.trim().is_empty() && id.chars().count() <= MAX_ID_CHARS)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_with(child: Element) -> Element {
        Element::new("message", ns::CLIENT).child(child)
    }

    #[test]
    fn reads_the_id_it_replaces() {
        let m = message_with(Element::new("replace", ns::CORRECT).attr("id", "bad1"));
        assert_eq!(parse(&m).as_deref(), Some("bad1"));
        assert_eq!(
            parse(&attach(Element::new("message", ns::CLIENT), "x")).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn ignores_what_is_not_a_correction() {
        let other_ns = message_with(Element::new("replace", "urn:example").attr("id", "bad1"));
        assert_eq!(parse(&other_ns), None);
        let empty = message_with(Element::new("replace", ns::CORRECT).attr("id", " "));
        assert_eq!(parse(&empty), None);
        let none = message_with(Element::new("replace", ns::CORRECT));
        assert_eq!(parse(&none), None);
        let huge = message_with(Element::new("replace", ns::CORRECT).attr("id", "i".repeat(257)));
        assert_eq!(parse(&huge), None);
    }
}
