//! RFC 6121 §2.6 roster versioning against a scripted server: the version asked for at each
//! login, an unchanged roster answered with nothing, pushes moving the version on, a cached
//! roster from an earlier session, and servers that do not version or send versions not worth
//! keeping; and a large roster parsed a slice at a time, with what came after it waiting.

mod support;

use parley::xmpp::jid::BareJid;
use parley::xmpp::{
    ClientConfig, ConnectionState, Event, RosterCache, RosterEvent, RosterItem, Subscription,
};
use support::{challenge, Harness, OPEN, SASL_FEATURES};

const VERSIONED_FEATURES: &str =
    "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
    <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>\
    <ver xmlns='urn:xmpp:features:rosterver'/></stream:features>";

fn loaded(events: &[Event]) -> Vec<Vec<String>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Roster(RosterEvent::Loaded(items)) => {
                let mut jids: Vec<String> = items.iter().map(|i| i.jid.to_string()).collect();
                jids.sort();
                Some(jids)
            }
            _ => None,
        })
        .collect()
}

/// The `ver` attribute of a roster request, `None` when it has none.
fn ver_of(request: &str) -> Option<String> {
    assert!(request.contains("jabber:iq:roster"), "{request}");
    let start = request.find("ver=\"")? + 5;
    Some(request[start..].split('"').next()?.to_owned())
}

/// Logs in on `h` with these features; returns the roster request.
fn login(h: &mut Harness, features: &str) -> String {
    h.through_challenge();
    h.finish_login_with(features)
}

fn reconnect(h: &mut Harness, features: &str) -> String {
    let now = h.now;
    h.client.handle_transport_closed(None, now);
    h.events();
    h.client.reconnect(support::entropy(), now, true).unwrap();
    h.server(OPEN);
    h.server(SASL_FEATURES);
    h.server(&challenge());
    h.finish_login_with(features)
}

fn item(jid: &str) -> RosterItem {
    RosterItem {
        jid: BareJid::new(jid).unwrap(),
        name: None,
        subscription: Subscription::Both,
        ask_pending: false,
        groups: vec!["Kept".into()],
    }
}

/// The empty result that means "unchanged" to a request by version (§2.6.3).
fn answer_empty(h: &mut Harness, request: &str) {
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(request)
    ));
}

fn cache(items: Vec<RosterItem>, version: &str) -> RosterCache {
    RosterCache {
        items,
        version: version.into(),
    }
}

#[test]
fn the_first_login_asks_with_an_empty_version_and_keeps_the_one_answered() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    assert_eq!(ver_of(&request).as_deref(), Some(""));
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster' ver='v3'>\
         <item jid='bob@localhost' subscription='both'/></query></iq>",
        Harness::id_of(&request)
    ));
    assert_eq!(loaded(&h.events()), vec![vec!["bob@localhost".to_owned()]]);
    assert_eq!(h.client.roster().version(), Some("v3"));
}

#[test]
fn after_a_reconnect_an_unchanged_roster_is_an_empty_answer_and_pushes_move_the_version() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster' ver='v3'>\
         <item jid='bob@localhost' subscription='both'/></query></iq>",
        Harness::id_of(&request)
    ));
    h.server(
        "<iq type='set' id='push1'><query xmlns='jabber:iq:roster' ver='v4'>\
         <item jid='carol@localhost' subscription='none'/></query></iq>",
    );
    assert_eq!(h.client.roster().version(), Some("v4"));
    h.sent();
    h.events();

    let request = reconnect(&mut h, VERSIONED_FEATURES);
    assert_eq!(ver_of(&request).as_deref(), Some("v4"));
    answer_empty(&mut h, &request);
    assert_eq!(
        loaded(&h.events()),
        vec![vec![
            "bob@localhost".to_owned(),
            "carol@localhost".to_owned()
        ]],
        "the roster we hold is the roster"
    );
    // §2.6.3: what changed meanwhile comes as pushes after the empty answer.
    h.server(
        "<iq type='set' id='push2'><query xmlns='jabber:iq:roster' ver='v5'>\
         <item jid='bob@localhost' subscription='remove'/></query></iq>",
    );
    assert!(!h
        .client
        .roster()
        .contains(&BareJid::new("bob@localhost").unwrap()));
    assert_eq!(h.client.roster().version(), Some("v5"));
}

#[test]
fn a_cached_roster_is_asked_for_by_its_version_and_shown_when_unchanged() {
    let mut h = Harness::new();
    h.client.restore_roster(cache(
        vec![item("dave@localhost"), item("erin@localhost")],
        "41",
    ));
    let request = login(&mut h, VERSIONED_FEATURES);
    assert_eq!(ver_of(&request).as_deref(), Some("41"));
    answer_empty(&mut h, &request);
    assert_eq!(
        loaded(&h.events()),
        vec![vec![
            "dave@localhost".to_owned(),
            "erin@localhost".to_owned()
        ]]
    );
    let dave = h
        .client
        .roster()
        .get(&BareJid::new("dave@localhost").unwrap())
        .cloned();
    assert_eq!(dave.map(|d| d.groups), Some(vec!["Kept".to_owned()]));
}

#[test]
fn a_changed_roster_replaces_the_cached_one() {
    let mut h = Harness::new();
    h.client
        .restore_roster(cache(vec![item("dave@localhost")], "41"));
    let request = login(&mut h, VERSIONED_FEATURES);
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster' ver='42'>\
         <item jid='bob@localhost' subscription='both'/></query></iq>",
        Harness::id_of(&request)
    ));
    assert_eq!(loaded(&h.events()), vec![vec!["bob@localhost".to_owned()]]);
    assert!(!h
        .client
        .roster()
        .contains(&BareJid::new("dave@localhost").unwrap()));
    assert_eq!(h.client.roster().version(), Some("42"));
}

#[test]
fn a_server_without_versioning_is_asked_plainly_and_its_answer_replaces_the_cache() {
    let mut h = Harness::new();
    h.client
        .restore_roster(cache(vec![item("dave@localhost")], "41"));
    let request = login(&mut h, support::BIND_FEATURES);
    assert_eq!(ver_of(&request), None);
    answer_empty(&mut h, &request);
    assert_eq!(loaded(&h.events()), vec![Vec::<String>::new()]);
    assert_eq!(h.client.roster().version(), None);
}

#[test]
fn versions_not_worth_keeping_are_dropped_and_the_next_login_starts_over() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster' ver='{}'>\
         <item jid='bob@localhost' subscription='both'/></query></iq>",
        Harness::id_of(&request),
        "x".repeat(10_000)
    ));
    assert_eq!(h.client.roster().version(), None, "too long to keep");
    let request = reconnect(&mut h, VERSIONED_FEATURES);
    assert_eq!(ver_of(&request).as_deref(), Some(""));
    // An empty answer to an empty version is not "unchanged": there is nothing to keep.
    answer_empty(&mut h, &request);
    assert_eq!(loaded(&h.events()), vec![Vec::<String>::new()]);

    // A cached version that XML cannot carry is not used.
    let mut h = Harness::new();
    h.client
        .restore_roster(cache(vec![item("dave@localhost")], "bad\u{7}"));
    let request = login(&mut h, VERSIONED_FEATURES);
    assert_eq!(ver_of(&request).as_deref(), Some(""));
}

#[test]
fn a_20000_contact_roster_with_long_names_logs_in_with_the_default_frame_limit() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    let mut frame = format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster' ver='1'>",
        Harness::id_of(&request)
    );
    for i in 0..20_000 {
        frame.push_str(&format!(
            "<item jid='firstname.lastname.{i}@chat.example-company.org' \
             name='Александра Константиновна Преображенская {i}' subscription='both'>\
             <group>Отдел исследований и разработок</group><group>Друзья и семья</group></item>"
        ));
    }
    frame.push_str("</query></iq>");
    assert!(
        frame.len() > 4 << 20,
        "a large roster: {} bytes",
        frame.len()
    );
    assert!(frame.len() < ClientConfig::DEFAULT_MAX_FRAME_BYTES);
    h.server(&frame);
    assert_eq!(h.client.state(), ConnectionState::Online);
    assert_eq!(h.client.roster().items().len(), 20_000);
}

/// A roster result of `n` items answering `request`.
fn roster_result(request: &str, n: usize) -> String {
    let mut frame = format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster' ver='1'>",
        Harness::id_of(request)
    );
    for i in 0..n {
        frame.push_str(&format!(
            "<item jid='contact{i}@example.org' subscription='both'><group>G</group></item>"
        ));
    }
    frame.push_str("</query></iq>");
    frame
}

#[test]
fn a_large_roster_is_parsed_in_slices_and_what_came_after_it_waits_its_turn() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    let roster = roster_result(&request, 5_000);
    assert!(roster.len() > ClientConfig::DEFAULT_SLICED_FRAME_BYTES);
    h.events();
    let now = h.now;
    h.client.handle_frame(&roster, now);
    // A message right behind the roster on the stream.
    h.client.handle_frame(
        "<message from='contact1@example.org/x' type='chat' id='m1'><body>hi</body></message>",
        now,
    );
    assert!(h.client.frames_waiting());
    assert!(
        h.events().is_empty(),
        "nothing is handled before its frame is whole"
    );
    let mut slices = 0;
    while h.client.frames_waiting() {
        h.client.continue_frames(now);
        slices += 1;
    }
    // 10,002 elements, 5,000 per slice.
    assert_eq!(slices, 3);
    let events = h.events();
    let roster_at = events.iter().position(
        |e| matches!(e, Event::Roster(RosterEvent::Loaded(items)) if items.len() == 5_000),
    );
    let message_at = events
        .iter()
        .position(|e| matches!(e, Event::Chat(parley::xmpp::ChatEvent::Message(_))));
    assert!(
        matches!((roster_at, message_at), (Some(r), Some(m)) if r < m),
        "the roster, then the message: {roster_at:?} {message_at:?}"
    );
    assert_eq!(h.client.state(), ConnectionState::Online);
}

#[test]
fn frames_waiting_when_the_connection_drops_go_with_it() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    let now = h.now;
    h.client.handle_frame(&roster_result(&request, 5_000), now);
    h.client.handle_frame(
        "<message from='contact1@example.org/x' type='chat' id='m1'><body>hi</body></message>",
        now,
    );
    h.client.handle_transport_closed(None, now);
    assert!(!h.client.frames_waiting());
    h.client.continue_frames(now);
    let events = h.events();
    assert!(
        !events.iter().any(|e| matches!(
            e,
            Event::Roster(RosterEvent::Loaded(_))
                | Event::Chat(parley::xmpp::ChatEvent::Message(_))
        )),
        "{events:?}"
    );
}

#[test]
fn a_large_frame_that_breaks_midway_is_dropped_and_the_session_goes_on() {
    let mut h = Harness::new();
    let request = login(&mut h, VERSIONED_FEATURES);
    let broken = roster_result(&request, 5_000).replace(
        "contact4000@example.org' subscription='both'>",
        "x'></oops>",
    );
    h.server(&broken);
    let events = h.events();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Warning(w) if w.starts_with("dropped a frame"))),
        "{events:?}"
    );
    h.server(
        "<message from='contact1@example.org/x' type='chat' id='m1'><body>hi</body></message>",
    );
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Chat(parley::xmpp::ChatEvent::Message(_)))));
}
