//! XEP-0313 catch-up with the account's archive after a new session, against a scripted server:
//! one pass after the newest archive id known, page after page, live messages held until it is
//! over, and results nobody asked for (or from another archive) dropped.

mod support;

use parley::xmpp::jid::BareJid;
use parley::xmpp::{ArchiveMark, ChatEvent, ConversationMark, Direction, Event};
use support::{chat_archive_result, Harness};

fn bodies(events: &[Event]) -> Vec<(Direction, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Message(m)) => Some((m.direction, m.body.clone())),
            _ => None,
        })
        .collect()
}

/// Drops the connection and logs in again (no stream management: a new session); returns the
/// catch-up query the client sent once online.
fn new_session(h: &mut Harness) -> String {
    let now = h.now;
    h.client.handle_transport_closed(None, now);
    h.events();
    h.client.reconnect(support::entropy(), now, true).unwrap();
    h.through_challenge();
    let roster = h.finish_login();
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&roster)
    ));
    let frames = h.sent();
    frames
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("a catch-up query once online")
}

#[test]
fn a_new_session_catches_up_after_the_newest_id_seen_in_pages_with_live_messages_after() {
    let mut h = Harness::online();
    // A live message stamped by our account's archive: the newest id we know.
    h.server(
        "<message from='bob@localhost/phone' to='user@localhost/web' type='chat' id='live-1'>\
         <body>before the drop</body><stanza-id xmlns='urn:xmpp:sid:0' by='user@localhost' id='A1'/></message>",
    );
    // Someone else's stamp is not our archive's.
    h.server(
        "<message from='bob@localhost/phone' to='user@localhost/web' type='chat' id='live-2'>\
         <body>forged stamp</body><stanza-id xmlns='urn:xmpp:sid:0' by='bob@localhost' id='EVIL'/></message>",
    );
    h.events();

    let query = new_session(&mut h);
    assert!(!query.contains(" to="), "our own archive: no 'to': {query}");
    assert!(query.contains("<after>A1</after>"), "{query}");
    let q = Harness::queryid_of(&query);
    h.server(&chat_archive_result(
        &q,
        "A2",
        "bob@localhost/phone",
        "user@localhost",
        "while away",
    ));
    h.server(&chat_archive_result(
        &q,
        "A3",
        "user@localhost/other",
        "bob@localhost",
        "mine from elsewhere",
    ));
    // Live, during the catch-up: it must come after what the archive holds.
    h.server("<message from='bob@localhost/phone' type='chat' id='live-3'><body>live now</body></message>");
    // Forged: another archive's results for our query id, and results for a query never sent.
    h.server(
        &chat_archive_result(&q, "X1", "bob@localhost", "user@localhost", "forged").replace(
            "<message to='user@localhost/web'>",
            "<message from='bob@localhost' to='user@localhost/web'>",
        ),
    );
    h.server(&chat_archive_result(
        "nobody-asked",
        "X2",
        "bob@localhost",
        "user@localhost",
        "unsolicited",
    ));
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>A2</first><last>A3</last></set></fin></iq>",
        Harness::id_of(&query)
    ));
    let mut shown = bodies(&h.events());
    assert!(
        !shown.iter().any(|(_, body)| body == "live now"),
        "live messages wait until the pass is over: {shown:?}"
    );
    let next = h
        .sent()
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("the next page");
    assert!(next.contains("<after>A3</after>"));
    let q2 = Harness::queryid_of(&next);
    h.server(&chat_archive_result(
        &q2,
        "A4",
        "bob@localhost/phone",
        "user@localhost",
        "last one away",
    ));
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2' complete='true'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>A4</first><last>A4</last></set></fin></iq>",
        Harness::id_of(&next)
    ));
    shown.extend(bodies(&h.events()));
    assert_eq!(
        shown,
        [
            (Direction::In, "while away".to_owned()),
            (Direction::Out, "mine from elsewhere".to_owned()),
            (Direction::In, "last one away".to_owned()),
            (Direction::In, "live now".to_owned()),
        ]
    );
    // The pass ended at A4: the next session starts there.
    let again = new_session(&mut h);
    assert!(again.contains("<after>A4</after>"), "{again}");
}

#[test]
fn the_first_session_only_learns_the_newest_archive_id() {
    let (mut h, roster) = Harness::bound();
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&roster)
    ));
    let tip = h
        .sent()
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("a query for the archive's newest id");
    assert!(tip.contains("<max>1</max><before/>"), "{tip}");
    let q = Harness::queryid_of(&tip);
    h.server(&chat_archive_result(
        &q,
        "T9",
        "bob@localhost/phone",
        "user@localhost",
        "old news",
    ));
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>T9</first><last>T9</last></set></fin></iq>",
        Harness::id_of(&tip)
    ));
    assert!(bodies(&h.events()).is_empty(), "nothing shown from it");
    let query = new_session(&mut h);
    assert!(query.contains("<after>T9</after>"), "{query}");
}

#[test]
fn a_catch_up_that_gets_no_answer_lets_the_held_messages_through() {
    let mut h = Harness::online();
    h.server(
        "<message from='bob@localhost/phone' type='chat' id='l1'><body>one</body>\
         <stanza-id xmlns='urn:xmpp:sid:0' by='user@localhost' id='B1'/></message>",
    );
    h.events();
    let _query = new_session(&mut h);
    h.server("<message from='bob@localhost/phone' type='chat' id='l2'><body>held</body></message>");
    assert!(bodies(&h.events()).is_empty());
    h.now = h.now.plus_ms(25_000);
    let now = h.now;
    h.client.handle_timeout(now);
    assert_eq!(bodies(&h.events()), [(Direction::In, "held".to_owned())]);
}

fn history(events: &[Event]) -> Vec<(String, Vec<String>, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::History {
                peer,
                messages,
                complete,
            }) => Some((
                peer.to_string(),
                messages.iter().map(|m| m.body.clone()).collect(),
                *complete,
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn a_conversations_history_pages_back_with_the_peer_only_until_complete() {
    let mut h = Harness::online();
    let bob = parley::xmpp::jid::BareJid::new("bob@localhost").unwrap();
    let now = h.now;
    assert!(h.client.load_history(&bob, now));
    assert!(!h.client.load_history(&bob, now), "one page at a time");
    let query = h.sent().pop().unwrap();
    assert!(query.contains("<value>bob@localhost</value>"), "{query}");
    assert!(
        query.contains("<max>50</max><before/>"),
        "the latest page: {query}"
    );
    let q = Harness::queryid_of(&query);
    h.server(&chat_archive_result(
        &q,
        "A8",
        "user@localhost/other",
        "bob@localhost",
        "mine",
    ));
    h.server(&chat_archive_result(
        &q,
        "A9",
        "bob@localhost/phone",
        "user@localhost",
        "his",
    ));
    // The archive answered with another conversation's message: not this one's.
    h.server(&chat_archive_result(
        &q,
        "A10",
        "carol@localhost/pc",
        "user@localhost",
        "carol's",
    ));
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>A8</first><last>A10</last></set></fin></iq>",
        Harness::id_of(&query)
    ));
    let events = h.events();
    assert_eq!(
        history(&events),
        [(
            "bob@localhost".to_owned(),
            vec!["mine".to_owned(), "his".to_owned()],
            false
        )]
    );
    assert!(bodies(&events).is_empty(), "history is not news");

    let now = h.now;
    assert!(h.client.load_history(&bob, now));
    let older = h.sent().pop().unwrap();
    assert!(
        older.contains("<max>200</max><before>A8</before>"),
        "an older page, larger: {older}"
    );
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>",
        Harness::id_of(&older)
    ));
    assert_eq!(
        history(&h.events()),
        [("bob@localhost".to_owned(), Vec::<String>::new(), true)]
    );
    let now = h.now;
    assert!(!h.client.load_history(&bob, now), "nothing older");
}

#[test]
fn a_history_page_without_rsm_ids_is_all_there_is() {
    let mut h = Harness::online();
    let bob = parley::xmpp::jid::BareJid::new("bob@localhost").unwrap();
    let now = h.now;
    assert!(h.client.load_history(&bob, now));
    let query = h.sent().pop().unwrap();
    h.server(&chat_archive_result(
        &Harness::queryid_of(&query),
        "B1",
        "bob@localhost/phone",
        "user@localhost",
        "only",
    ));
    // No <set/>: nothing to page back from.
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2'/></iq>",
        Harness::id_of(&query)
    ));
    assert_eq!(
        history(&h.events()),
        [("bob@localhost".to_owned(), vec!["only".to_owned()], true)]
    );
    let now = h.now;
    assert!(
        !h.client.load_history(&bob, now),
        "the same page again would loop"
    );
}

#[test]
fn a_remembered_device_catches_up_from_its_mark_and_pages_back_from_its_oldest_message() {
    let bob = BareJid::new("bob@localhost").unwrap();
    let mut h = Harness::new();
    h.client.restore_archive(ArchiveMark {
        newest: Some("A7".into()),
        conversations: vec![ConversationMark {
            peer: bob.clone(),
            oldest: "A3".into(),
            complete: false,
        }],
    });
    let (mut h, roster) = Harness::bound_with(h);
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&roster)
    ));
    let query = h
        .sent()
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("a catch-up, not a look at the tip");
    assert!(query.contains("<after>A7</after>"), "{query}");
    let q = Harness::queryid_of(&query);
    h.server(&chat_archive_result(
        &q,
        "A8",
        "bob@localhost/phone",
        "user@localhost",
        "new",
    ));
    // What the pass read is held back: a snapshot now must not claim it.
    assert_eq!(h.client.archive_newest(), Some("A7"));
    h.server(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2' complete='true'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>A8</first><last>A8</last></set></fin></iq>",
        Harness::id_of(&query)
    ));
    let archived: Vec<_> = h
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Message(m)) => Some((m.body, m.archive_id)),
            _ => None,
        })
        .collect();
    assert_eq!(archived, [("new".to_owned(), Some("A8".to_owned()))]);
    assert_eq!(h.client.archive_newest(), Some("A8"));

    // Scrolling up in bob's conversation asks for what is older than the device's oldest.
    let now = h.now;
    assert!(h.client.load_history(&bob, now));
    let page = h
        .sent()
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("a history page");
    assert!(page.contains("<before>A3</before>"), "{page}");
}
