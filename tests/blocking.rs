//! XEP-0191 blocking against a scripted server: the list fetched at login, block and unblock,
//! the server's pushes (and forged ones), and nothing shown from a blocked address.

mod support;

use parley::xmpp::jid::Jid;
use parley::xmpp::{Availability, BlockingEvent, ChatEvent, Event, RosterEvent};
use support::Harness;

fn jid(s: &str) -> Jid {
    Jid::new(s).unwrap()
}

fn lists(events: &[Event]) -> Vec<Vec<String>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Blocking(BlockingEvent::List(list)) => {
                Some(list.iter().map(|j| j.to_string()).collect())
            }
            _ => None,
        })
        .collect()
}

/// Online, with the blocklist the server answers `blocklist` with (`None`: an error).
fn online_with_blocklist(blocklist: Option<&str>) -> (Harness, Vec<Event>) {
    let (mut h, roster) = Harness::bound();
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'>\
         <item jid='bob@localhost' name='Bob' subscription='both'/></query></iq>",
        Harness::id_of(&roster)
    ));
    let requests: Vec<String> = h
        .sent()
        .into_iter()
        .filter(|f| f.starts_with("<iq"))
        .collect();
    let fetch = requests
        .iter()
        .find(|f| f.contains("<blocklist xmlns=\"urn:xmpp:blocking\""))
        .expect("the blocklist is fetched at login")
        .clone();
    for request in requests.iter().filter(|r| **r != fetch) {
        h.server(&format!(
            "<iq type='result' id='{}'/>",
            Harness::id_of(request)
        ));
    }
    let id = Harness::id_of(&fetch);
    match blocklist {
        Some(items) => h.server(&format!(
            "<iq type='result' id='{id}'><blocklist xmlns='urn:xmpp:blocking'>{items}</blocklist></iq>"
        )),
        None => h.server(&format!(
            "<iq type='error' id='{id}'><error type='cancel'>\
             <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
        )),
    }
    let events = h.events();
    (h, events)
}

fn bob_says(h: &mut Harness, body: &str) -> Vec<Event> {
    h.server(&format!(
        "<message type='chat' from='bob@localhost/phone' to='user@localhost/web' id='m-{body}'>\
         <body>{body}</body></message>"
    ));
    h.server("<presence from='bob@localhost/phone'><show>away</show></presence>");
    h.events()
}

fn shows_bob(events: &[Event]) -> bool {
    events.iter().any(|e| {
        matches!(e, Event::Chat(ChatEvent::Message(_)))
            || matches!(e, Event::Roster(RosterEvent::Presence(p)) if p.jid.as_str() == "bob@localhost")
    })
}

#[test]
fn the_list_fetched_at_login_is_reported_and_hides_what_a_blocked_address_sends() {
    let (mut h, events) = online_with_blocklist(Some(
        "<item jid='bob@localhost'/><item jid='spam.example'/><item jid='not an address@@'/>",
    ));
    assert_eq!(lists(&events), [["bob@localhost", "spam.example"]]);
    assert!(!shows_bob(&bob_says(&mut h, "hello")));
    h.server("<presence type='subscribe' from='eve@spam.example'/>");
    assert!(
        h.events().is_empty(),
        "a request from a blocked domain shows nowhere"
    );
}

#[test]
fn a_server_without_blocking_says_so() {
    let (h, events) = online_with_blocklist(None);
    assert!(events.contains(&Event::Blocking(BlockingEvent::Unavailable)));
    drop(h);
}

#[test]
fn block_then_unblock_through_the_server() {
    let (mut h, _) = online_with_blocklist(Some(""));
    assert!(shows_bob(&bob_says(&mut h, "before")));

    h.client
        .set_blocked(vec![jid("bob@localhost")], true, h.now)
        .unwrap();
    let sent = h.sent();
    let block = sent.last().unwrap();
    assert!(
        block.contains("type=\"set\"")
            && block.contains(
                "<block xmlns=\"urn:xmpp:blocking\"><item jid=\"bob@localhost\"/></block>"
            ),
        "{block}"
    );
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(block)
    ));
    let events = h.events();
    assert_eq!(lists(&events), [["bob@localhost"]]);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Roster(RosterEvent::Presence(p))
            if p.jid.as_str() == "bob@localhost" && p.availability == Availability::Unavailable)),
        "a blocked contact shows offline: {events:?}"
    );
    assert!(!shows_bob(&bob_says(&mut h, "during")));

    h.client
        .set_blocked(vec![jid("bob@localhost")], false, h.now)
        .unwrap();
    let unblock = h.sent().pop().unwrap();
    assert!(unblock.contains("<unblock xmlns=\"urn:xmpp:blocking\"><item jid=\"bob@localhost\"/>"));
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&unblock)
    ));
    assert_eq!(lists(&h.events()), [Vec::<String>::new()]);
    assert!(shows_bob(&bob_says(&mut h, "after")));
}

#[test]
fn an_unblocked_contact_gets_our_presence_again_and_is_asked_for_theirs() {
    let (mut h, _) = online_with_blocklist(Some("<item jid='bob@localhost'/>"));
    h.client
        .set_presence(Availability::Away, Some("lunch"), h.now)
        .unwrap();
    h.sent();
    h.client
        .set_blocked(vec![jid("bob@localhost")], false, h.now)
        .unwrap();
    let unblock = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&unblock)
    ));
    let sent = h.sent();
    let presence: Vec<&String> = sent
        .iter()
        .filter(|f| f.starts_with("<presence") && f.contains("to=\"bob@localhost\""))
        .collect();
    assert_eq!(presence.len(), 2, "{sent:?}");
    assert!(
        presence[0].contains("<show>away</show>") && presence[0].contains("<status>lunch</status>"),
        "ours, as broadcast: {}",
        presence[0]
    );
    assert!(presence[1].contains("type=\"probe\""), "{}", presence[1]);

    // Still blocked, or a block: nothing is sent to them.
    h.server(
        "<iq type='set' id='push1' from='user@localhost'><block xmlns='urn:xmpp:blocking'>\
         <item jid='bob@localhost'/></block></iq>",
    );
    assert!(!h.sent().iter().any(|f| f.starts_with("<presence")));
}

#[test]
fn an_unblock_with_no_address_is_refused_rather_than_unblocking_everyone() {
    let (mut h, _) = online_with_blocklist(Some("<item jid='bob@localhost'/>"));
    assert!(h.client.set_blocked(Vec::new(), false, h.now).is_err());
    assert!(h.sent().is_empty());
}

#[test]
fn pushes_from_our_server_change_the_list_and_are_answered_forged_ones_are_not() {
    let (mut h, _) = online_with_blocklist(Some("<item jid='carol@localhost'/>"));
    h.server(
        "<iq type='set' id='push1'><block xmlns='urn:xmpp:blocking'>\
         <item jid='bob@localhost'/></block></iq>",
    );
    assert_eq!(lists(&h.events()), [["bob@localhost", "carol@localhost"]]);
    assert!(h
        .sent()
        .iter()
        .any(|f| f.contains("type=\"result\"") && f.contains("push1")));

    // Another client may not tell us whom we block.
    h.server(
        "<iq type='set' id='push2' from='mallory@localhost/x'><unblock xmlns='urn:xmpp:blocking'/></iq>",
    );
    assert!(lists(&h.events()).is_empty());
    assert!(h
        .sent()
        .iter()
        .any(|f| f.contains("type=\"error\"") && f.contains("push2")));

    // From our server, an empty unblock unblocks everyone (§3.4).
    h.server(
        "<iq type='set' id='push3' from='user@localhost'><unblock xmlns='urn:xmpp:blocking'/></iq>",
    );
    assert_eq!(lists(&h.events()), [Vec::<String>::new()]);
}

#[test]
fn a_refused_block_is_reported_with_the_addresses() {
    let (mut h, _) = online_with_blocklist(Some(""));
    h.client
        .set_blocked(vec![jid("bob@localhost")], true, h.now)
        .unwrap();
    let block = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='error' id='{}'><error type='wait'>\
         <resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        Harness::id_of(&block)
    ));
    let events = h.events();
    assert!(
        events.iter().any(|e| matches!(e,
            Event::Blocking(BlockingEvent::Failed { jids, block: true, error })
                if jids == &[jid("bob@localhost")] && error.condition == "resource-constraint")),
        "{events:?}"
    );
    assert!(lists(&events).is_empty());
}
