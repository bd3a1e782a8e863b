//! XEP-0184 receipts and XEP-0333 displayed markers against a scripted server: what we ask
//! for, what we answer (and to whom we stay silent), and what the peer's answers say. And
//! XEP-0308 corrections, which ride on the same messages.

mod support;

use parley::xmpp::jid::BareJid;
use parley::xmpp::{ChatEvent, Event, Receipt};
use support::Harness;

fn receipts(events: &[Event]) -> Vec<(String, String, Receipt)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Receipt { peer, id, receipt }) => {
                Some((peer.to_string(), id.clone(), *receipt))
            }
            _ => None,
        })
        .collect()
}

const ASKING: &str =
    "<request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/>";

#[test]
fn our_messages_ask_for_a_receipt_and_a_marker() {
    let mut h = Harness::online();
    let now = h.now;
    let bob = BareJid::new("bob@localhost").unwrap();
    h.client.send_chat(&bob, "hello", now).unwrap();
    let sent = h.sent();
    let message = sent.iter().find(|f| f.starts_with("<message")).unwrap();
    assert!(
        message.contains("<request xmlns=\"urn:xmpp:receipts\"/>"),
        "{message}"
    );
    assert!(
        message.contains("<markable xmlns=\"urn:xmpp:chat-markers:0\"/>"),
        "{message}"
    );
}

#[test]
fn a_contacts_request_is_answered_to_the_device_that_asked() {
    let mut h = Harness::online();
    h.server(&format!(
        "<message from='bob@localhost/phone' type='chat' id='b1'><body>hi</body>{ASKING}</message>"
    ));
    let sent = h.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].contains("to=\"bob@localhost/phone\""),
        "{}",
        sent[0]
    );
    assert!(
        sent[0].contains("<received xmlns=\"urn:xmpp:receipts\" id=\"b1\"/>"),
        "{}",
        sent[0]
    );
}

#[test]
fn no_receipt_for_strangers_archives_carbons_or_messages_without_an_id() {
    let mut h = Harness::online();
    // Carol does not see our presence: a receipt would tell her we are online.
    h.server(&format!(
        "<message from='carol@localhost/pc' type='chat' id='c1'><body>hi</body>{ASKING}</message>"
    ));
    h.server(&format!(
        "<message from='mallory@evil.example/x' type='chat' id='m1'><body>hi</body>{ASKING}</message>"
    ));
    h.server(&format!(
        "<message from='bob@localhost/phone' type='chat'><body>no id</body>{ASKING}</message>"
    ));
    // A carbon of a message another device of ours received: that device answers.
    h.server(&format!(
        "<message from='user@localhost' type='chat'><received xmlns='urn:xmpp:carbons:2'>\
         <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@localhost/phone' \
         to='user@localhost/other' type='chat' id='b2'><body>to the other one</body>{ASKING}</message>\
         </forwarded></received></message>"
    ));
    // An archive result nobody asked for is dropped before anything else.
    h.server(&format!(
        "<message><result xmlns='urn:xmpp:mam:2' queryid='q' id='A1'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' from='bob@localhost/phone' type='chat' id='b3'><body>old</body>{ASKING}</message>\
         </forwarded></result></message>"
    ));
    let sent = h.sent();
    assert!(
        !sent.iter().any(|f| f.contains("urn:xmpp:receipts")),
        "{sent:?}"
    );
}

#[test]
fn the_peers_receipts_and_markers_reach_the_conversation_with_the_peer() {
    let mut h = Harness::online();
    h.server(
        "<message from='bob@localhost/phone' type='chat' id='x1'><received xmlns='urn:xmpp:receipts' id='m1'/></message>",
    );
    h.server(
        "<message from='bob@localhost/phone' type='chat' id='x2'><displayed xmlns='urn:xmpp:chat-markers:0' id='m2'/></message>",
    );
    // No id: nothing to mark.
    h.server(
        "<message from='bob@localhost/phone' type='chat'><received xmlns='urn:xmpp:receipts'/></message>",
    );
    assert_eq!(
        receipts(&h.events()),
        [
            (
                "bob@localhost".to_owned(),
                "m1".to_owned(),
                Receipt::Received
            ),
            (
                "bob@localhost".to_owned(),
                "m2".to_owned(),
                Receipt::Displayed
            ),
        ]
    );
    assert!(h.sent().is_empty(), "a receipt is never answered");
}

#[test]
fn a_marker_goes_only_to_someone_who_sees_our_presence() {
    let mut h = Harness::online();
    let bob = BareJid::new("bob@localhost").unwrap();
    let carol = BareJid::new("carol@localhost").unwrap();
    h.client.mark_displayed(&carol, "c1");
    assert!(h.sent().is_empty());
    h.client.mark_displayed(&bob, "b1");
    let sent = h.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("to=\"bob@localhost\""), "{}", sent[0]);
    assert!(
        sent[0].contains("<displayed xmlns=\"urn:xmpp:chat-markers:0\" id=\"b1\"/>"),
        "{}",
        sent[0]
    );
}

#[test]
fn a_marker_sent_by_another_device_of_ours_reads_the_conversation_here() {
    let mut h = Harness::online();
    h.server(
        "<message from='user@localhost' type='chat'><sent xmlns='urn:xmpp:carbons:2'>\
         <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='user@localhost/phone' \
         to='bob@localhost' type='chat' id='d1'><displayed xmlns='urn:xmpp:chat-markers:0' id='b9'/></message>\
         </forwarded></sent></message>",
    );
    let events = h.events();
    assert!(
        events.iter().any(|e| matches!(
            e,
            Event::Chat(ChatEvent::ReadElsewhere { peer }) if peer.as_str() == "bob@localhost"
        )),
        "{events:?}"
    );
    assert!(
        receipts(&events).is_empty(),
        "not a receipt for one of ours"
    );
}

fn chat_messages(events: &[Event]) -> Vec<parley::xmpp::ChatMessage> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Message(m)) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_correction_goes_as_a_new_message_naming_the_original() {
    let mut h = Harness::online();
    let now = h.now;
    let bob = BareJid::new("bob@localhost").unwrap();
    let first = h.client.send_chat(&bob, "teh", now).unwrap();
    h.sent();
    let fixed = h
        .client
        .send_correction(&bob, &first.id, "the", now)
        .unwrap();
    assert_ne!(fixed.id, first.id);
    assert_eq!(fixed.replaces.as_deref(), Some(first.id.as_str()));
    let sent = h.sent();
    let message = sent.iter().find(|f| f.starts_with("<message")).unwrap();
    assert!(message.contains("<body>the</body>"), "{message}");
    assert!(
        message.contains(&format!(
            "<replace xmlns=\"urn:xmpp:message-correct:0\" id=\"{}\"/>",
            first.id
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("id=\"{}\"", fixed.id)),
        "{message}"
    );
    // Acked like any message: a receipt can be asked for it too.
    assert!(
        message.contains("<request xmlns=\"urn:xmpp:receipts\"/>"),
        "{message}"
    );
}

#[test]
fn corrections_arrive_live_and_as_carbons_of_our_other_devices() {
    let mut h = Harness::online();
    h.server(
        "<message from='bob@localhost/phone' type='chat' id='b2'><body>fixed</body>\
         <replace xmlns='urn:xmpp:message-correct:0' id='b1'/></message>",
    );
    h.server(
        "<message from='user@localhost' type='chat'><sent xmlns='urn:xmpp:carbons:2'>\
         <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='user@localhost/other' \
         to='bob@localhost' type='chat' id='o2'><body>mine, fixed</body>\
         <replace xmlns='urn:xmpp:message-correct:0' id='o1'/></message></forwarded></sent></message>",
    );
    // Another namespace's <replace/> is not a correction.
    h.server(
        "<message from='bob@localhost/phone' type='chat' id='b3'><body>plain</body>\
         <replace xmlns='urn:example:other' id='b1'/></message>",
    );
    let messages = chat_messages(&h.events());
    let seen: Vec<_> = messages
        .iter()
        .map(|m| (m.id.as_str(), m.direction, m.replaces.as_deref()))
        .collect();
    use parley::xmpp::Direction;
    assert_eq!(
        seen,
        [
            ("b2", Direction::In, Some("b1")),
            ("o2", Direction::Out, Some("o1")),
            ("b3", Direction::In, None),
        ]
    );
}

#[test]
fn we_say_we_understand_corrections() {
    let mut h = Harness::online();
    h.server(
        "<iq from='bob@localhost/phone' to='user@localhost/web' type='get' id='d1'>\
         <query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
    );
    let sent = h.sent();
    let answer = sent.iter().find(|f| f.contains("disco#info")).unwrap();
    assert!(
        answer.contains("var=\"urn:xmpp:message-correct:0\""),
        "{answer}"
    );
}
