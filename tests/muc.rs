//! Group chat (XEP-0045) driven by scripted server frames: finding the room service, the guard
//! against addresses that are not rooms, entering and its outcomes, occupants, messages, listing
//! with XEP-0059 paging, and hostile rooms.

use parley::xmpp::jid::{BareJid, Jid};
use parley::xmpp::muc::room::JoinError;
use parley::xmpp::muc::{Affiliation, Departure, Role};
use parley::xmpp::{ChatEvent, Event, RoomEvent};

mod support;
use support::Harness;

const SERVICE: &str = "conference.localhost";

fn jid(s: &str) -> BareJid {
    BareJid::new(s).unwrap()
}

fn room_events(h: &mut Harness) -> Vec<RoomEvent> {
    h.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Room(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// Online, with `conference.localhost` found as the room service.
fn online_with_service() -> Harness {
    online_with_service_as(Harness::new())
}

fn online_with_service_as(h: Harness) -> Harness {
    let (mut h, roster) = Harness::bound_with(h);
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&roster)
    ));
    let sent = h.sent();
    let items = sent.iter().find(|f| f.contains("disco#items")).unwrap();
    assert!(items.contains("to=\"localhost\""), "{items}");
    h.server(&format!(
        "<iq type='result' from='localhost' id='{}'><query xmlns='http://jabber.org/protocol/disco#items'>\
         <item jid='{SERVICE}'/><item jid='upload.localhost'/><item jid='someone@localhost'/></query></iq>",
        Harness::id_of(items)
    ));
    let infos = h.sent();
    assert_eq!(
        infos.len(),
        2,
        "one disco#info per service candidate: {infos:?}"
    );
    for info in infos {
        let identity = if info.contains(SERVICE) {
            "<identity category='conference' type='text' name='Rooms'/>"
        } else {
            "<identity category='store' type='file'/>"
        };
        let from = if info.contains(SERVICE) {
            SERVICE
        } else {
            "upload.localhost"
        };
        h.server(&format!(
            "<iq type='result' from='{from}' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'>{identity}</query></iq>",
            Harness::id_of(&info)
        ));
    }
    let events = room_events(&mut h);
    assert!(
        events.contains(&RoomEvent::Services(vec![jid(SERVICE)])),
        "{events:?}"
    );
    h
}

/// Asks to enter `room`: the client first asks the room what it offers, answered here with
/// `features`; returns the presence it then sends.
fn enter(
    h: &mut Harness,
    room: &str,
    nick: &str,
    password: Option<&str>,
    features: &str,
) -> String {
    h.client
        .join_room(&jid(room), nick, password, h.now)
        .unwrap();
    let info = h.sent().pop().unwrap();
    assert!(
        info.contains("disco#info") && info.contains(&format!("to=\"{room}\"")),
        "{info}"
    );
    h.server(&format!(
        "<iq type='result' from='{room}' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='text'/>{features}</query></iq>",
        Harness::id_of(&info)
    ));
    h.sent().pop().unwrap()
}

/// Enters `room` as `nick` with nobody else there; returns the join presence sent.
fn joined(h: &mut Harness, room: &str, nick: &str) -> String {
    let join = enter(h, room, nick, None, "");
    h.server(&format!(
        "<presence from='{room}/{nick}'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'/><status code='110'/></x></presence>"
    ));
    h.server(&format!(
        "<message type='groupchat' from='{room}/someone'><subject>Welcome</subject></message>"
    ));
    h.events();
    join
}

#[test]
fn the_room_service_is_discovered_and_entering_a_room_shows_who_is_there() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    let join = enter(&mut h, &room, "alice", Some("sesame"), "");
    assert!(
        join.starts_with("<presence ") && join.contains(&format!("to=\"{room}/alice\"")),
        "{join}"
    );
    assert!(join.contains("<password>sesame</password>"), "{join}");
    assert!(join.contains("maxstanzas=\"50\""), "{join}");

    h.server(&format!(
        "<presence from='{room}/bob'><show>away</show><status>tea</status>\
         <x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='owner' role='moderator'/></x></presence>"
    ));
    h.server(&format!(
        "<presence from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='none' role='participant'/><status code='110'/><status code='100'/></x></presence>"
    ));
    h.server(&format!(
        "<message type='groupchat' from='{room}/bob' id='h1'><body>earlier</body>\
         <delay xmlns='urn:xmpp:delay' stamp='2026-01-01T10:00:00Z' from='{room}'/></message>"
    ));
    h.server(&format!(
        "<message type='groupchat' from='{room}/bob'><subject>Tea &lt;b&gt;time</subject></message>"
    ));
    let events = room_events(&mut h);
    let bob = events.iter().find_map(|e| match e {
        RoomEvent::Occupant { occupant, .. } if occupant.nick == "bob" => Some(occupant.clone()),
        _ => None,
    });
    let bob = bob.expect("bob is listed");
    assert_eq!(
        (bob.role, bob.affiliation),
        (Role::Moderator, Affiliation::Owner)
    );
    assert_eq!(bob.status.as_deref(), Some("tea"));
    assert!(events.contains(&RoomEvent::Joined {
        room: jid(&room),
        nick: "alice".into(),
        created: false
    }));
    assert!(events.iter().any(|e| matches!(e,
        RoomEvent::Message(m) if m.body == "earlier" && m.nick.as_deref() == Some("bob") && m.sent_at.is_some() && !m.own)));
    assert!(events.contains(&RoomEvent::Subject {
        room: jid(&room),
        subject: "Tea <b>time".into(),
        by: Some("bob".into())
    }));
    assert_eq!(h.client.room_nick(&jid(&room)), Some("alice"));
}

#[test]
fn an_address_at_a_domain_that_is_not_a_room_service_is_refused_with_a_suggestion() {
    let mut h = online_with_service();
    h.client
        .join_room(&jid("lobby@localhost"), "alice", None, h.now)
        .unwrap();
    let sent = h.sent();
    assert_eq!(sent.len(), 1, "only the check goes out: {sent:?}");
    assert!(sent[0].contains("disco#info") && sent[0].contains("to=\"localhost\""));
    h.server(&format!(
        "<iq type='result' from='localhost' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='server' type='im'/></query></iq>",
        Harness::id_of(&sent[0])
    ));
    assert!(h.sent().is_empty(), "nothing is sent to the wrong address");
    let events = room_events(&mut h);
    assert!(
        events.contains(&RoomEvent::JoinFailed {
            room: jid("lobby@localhost"),
            nick: "alice".into(),
            error: JoinError::NotARoomService {
                suggestion: Some(jid(&format!("lobby@{SERVICE}")))
            }
        }),
        "{events:?}"
    );
    // The answer is remembered: a second try fails at once, without asking again.
    h.client
        .join_room(&jid("other@localhost"), "alice", None, h.now)
        .unwrap();
    assert!(h.sent().is_empty());
    assert!(matches!(
        room_events(&mut h).as_slice(),
        [RoomEvent::JoinFailed { .. }]
    ));
}

#[test]
fn every_refused_entry_says_why() {
    let cases = [
        ("not-authorized", "auth", "password-required"),
        ("forbidden", "auth", "banned"),
        ("item-not-found", "cancel", "not-found"),
        ("registration-required", "auth", "members-only"),
        ("conflict", "cancel", "nick-conflict"),
        ("service-unavailable", "wait", "full"),
        ("jid-malformed", "modify", "other"),
    ];
    let mut h = online_with_service();
    for (i, (condition, kind, code)) in cases.into_iter().enumerate() {
        let room = format!("r{i}@{SERVICE}");
        enter(&mut h, &room, "alice", None, "");
        h.server(&format!(
            "<presence type='error' from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc'/>\
             <error type='{kind}'><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>"
        ));
        let error = room_events(&mut h)
            .into_iter()
            .find_map(|e| match e {
                RoomEvent::JoinFailed { error, .. } => Some(error),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{condition} is reported"));
        assert_eq!(error.code(), code, "{condition}");
        if code == "nick-conflict" {
            assert_eq!(
                error,
                JoinError::NickConflict {
                    suggestion: "alice_".into()
                }
            );
        }
        // The failed room is forgotten: its messages are not shown.
        h.server(&format!(
            "<message type='groupchat' from='{room}/x'><body>hi</body></message>"
        ));
        assert!(room_events(&mut h).is_empty());
    }
}

#[test]
fn a_new_room_is_made_an_instant_room() {
    let mut h = online_with_service();
    let room = format!("new@{SERVICE}");
    // A room that does not exist yet answers disco#info with an error.
    h.client
        .join_room(&jid(&room), "alice", None, h.now)
        .unwrap();
    let info = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='error' from='{room}' id='{}'><error type='cancel'>\
         <item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        Harness::id_of(&info)
    ));
    let join = h.sent().pop().unwrap();
    assert!(join.contains("maxstanzas=\"50\""), "{join}");
    h.server(&format!(
        "<presence from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='owner' role='moderator'/><status code='110'/><status code='201'/></x></presence>"
    ));
    let config = h.sent().pop().unwrap();
    assert!(
        config.contains("muc#owner")
            && config.contains("type=\"submit\"")
            && config.contains(&format!("to=\"{room}\"")),
        "{config}"
    );
    assert!(room_events(&mut h).contains(&RoomEvent::Joined {
        room: jid(&room),
        nick: "alice".into(),
        created: true
    }));
}

#[test]
fn messages_in_a_room_own_echoes_mentions_and_private_ones() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    joined(&mut h, &room, "alice");
    let sent = h
        .client
        .send_groupchat(&jid(&room), "hello all", h.now)
        .unwrap();
    let frame = h.sent().pop().unwrap();
    assert!(
        frame.contains("type=\"groupchat\"") && frame.contains(&sent.id),
        "{frame}"
    );
    h.server(&format!(
        "<message type='groupchat' from='{room}/alice' id='{0}'><body>hello all</body>\
         <origin-id xmlns='urn:xmpp:sid:0' id='{0}'/></message>",
        sent.id
    ));
    h.server(&format!(
        "<message type='groupchat' from='{room}/bob'><body>hi Alice!</body></message>"
    ));
    h.server(&format!(
        "<message type='groupchat' from='{room}/bob'><body>malice</body></message>"
    ));
    h.server(&format!(
        "<message type='chat' from='{room}/bob'><body>psst</body></message>"
    ));
    let messages: Vec<_> = room_events(&mut h)
        .into_iter()
        .filter_map(|e| match e {
            RoomEvent::Message(m) => Some((m.body, m.own, m.mention, m.private, m.nick)),
            _ => None,
        })
        .collect();
    assert_eq!(
        messages,
        vec![
            ("hello all".into(), true, false, false, Some("alice".into())),
            ("hi Alice!".into(), false, true, false, Some("bob".into())),
            ("malice".into(), false, false, false, Some("bob".into())),
            ("psst".into(), false, false, true, Some("bob".into())),
        ]
    );
}

/// XEP-0308 in a room: what each message said it corrects, as the core lets it through.
fn corrections(h: &mut Harness) -> Vec<(String, Option<String>)> {
    room_events(h)
        .into_iter()
        .filter_map(|e| match e {
            RoomEvent::Message(m) => Some((m.id, m.replaces)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_correction_in_a_room_counts_only_from_who_wrote_the_original_in_this_stay() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    joined(&mut h, &room, "alice");
    let occupant = |nick: &str, jid: &str| {
        format!(
            "<presence from='{room}/{nick}'><x xmlns='http://jabber.org/protocol/muc#user'>\
             <item affiliation='none' role='participant' jid='{jid}'/></x></presence>"
        )
    };
    let said = |nick: &str, id: &str, body: &str, replaces: Option<&str>| {
        let replace = replaces
            .map(|r| format!("<replace xmlns='urn:xmpp:message-correct:0' id='{r}'/>"))
            .unwrap_or_default();
        format!("<message type='groupchat' from='{room}/{nick}' id='{id}'><body>{body}</body>{replace}</message>")
    };
    h.server(&occupant("bob", "bob@localhost/phone"));
    h.server(&said("bob", "b1", "helo", None));
    h.server(&said("bob", "b2", "hello", Some("b1")));
    // Someone else naming bob's message: a message of their own.
    h.server(&said("mallory", "x1", "bob owes me", Some("b1")));
    // bob leaves; whoever comes back as bob is not the one who wrote b1.
    h.server(&format!("<presence type='unavailable' from='{room}/bob'/>"));
    h.server(&occupant("bob", "eve@localhost/laptop"));
    h.server(&said("bob", "b3", "I never said hello", Some("b1")));
    // Another account taking the nick while present changes nothing either.
    h.server(&said("bob", "e1", "mine", None));
    h.server(&occupant("bob", "carol@localhost/pc"));
    h.server(&said("bob", "e2", "not mine", Some("e1")));
    assert_eq!(
        corrections(&mut h),
        [
            ("b1".into(), None),
            ("b2".into(), Some("b1".into())),
            ("x1".into(), None),
            ("b3".into(), None),
            ("e1".into(), None),
            ("e2".into(), None),
        ]
    );
}

#[test]
fn our_room_correction_names_the_original_and_is_accepted_on_its_echo() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    joined(&mut h, &room, "alice");
    let first = h.client.send_groupchat(&jid(&room), "teh", h.now).unwrap();
    h.sent();
    h.server(&format!(
        "<message type='groupchat' from='{room}/alice' id='{0}'><body>teh</body></message>",
        first.id
    ));
    let fixed = h
        .client
        .send_room_correction(&jid(&room), &first.id, "the", h.now)
        .unwrap();
    let frame = h.sent().pop().unwrap();
    assert!(
        frame.contains(&format!(
            "<replace xmlns=\"urn:xmpp:message-correct:0\" id=\"{}\"/>",
            first.id
        )) && frame.contains("type=\"groupchat\""),
        "{frame}"
    );
    h.server(&format!(
        "<message type='groupchat' from='{room}/alice' id='{0}'><body>the</body>\
         <replace xmlns='urn:xmpp:message-correct:0' id='{1}'/></message>",
        fixed.id, first.id
    ));
    assert_eq!(
        corrections(&mut h),
        [(first.id.clone(), None), (fixed.id, Some(first.id))]
    );
}

#[test]
fn a_private_message_from_an_occupant_is_never_a_chat_with_an_account() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    joined(&mut h, &room, "alice");
    h.server(&format!(
        "<message type='chat' from='{room}/bob@localhost'><body>I am bob</body></message>"
    ));
    let events = h.events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::Chat(ChatEvent::Message(_)))),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Room(RoomEvent::Message(m)) if m.private)));
}

#[test]
fn rooms_we_are_not_in_are_not_heard() {
    let mut h = online_with_service();
    h.server(&format!(
        "<message type='groupchat' from='other@{SERVICE}/eve'><body>spam</body></message>"
    ));
    h.server(&format!(
        "<presence from='other@{SERVICE}/eve'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='owner' role='moderator'/><status code='110'/></x></presence>"
    ));
    assert!(room_events(&mut h).is_empty());
}

#[test]
fn nick_changes_kicks_bans_and_destruction() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    joined(&mut h, &room, "alice");
    let user = "<x xmlns='http://jabber.org/protocol/muc#user'>";
    h.server(&format!("<presence from='{room}/bob'>{user}<item affiliation='member' role='participant'/></x></presence>"));
    h.server(&format!(
        "<presence type='unavailable' from='{room}/bob'>{user}<item nick='robert' affiliation='member' role='participant'/><status code='303'/></x></presence>"
    ));
    h.server(&format!(
        "<presence type='unavailable' from='{room}/carol'>{user}<item affiliation='none' role='none'><reason>spam</reason></item><status code='307'/></x></presence>"
    ));
    let events = room_events(&mut h);
    assert!(events.contains(&RoomEvent::NickChanged {
        room: jid(&room),
        old: "bob".into(),
        new: "robert".into(),
        own: false
    }));
    assert!(events.contains(&RoomEvent::OccupantLeft {
        room: jid(&room),
        nick: "carol".into(),
        departure: Departure::Kicked {
            reason: Some("spam".into())
        }
    }));

    // Our own nick change, then a ban.
    h.client.change_nick(&jid(&room), "al", h.now).unwrap();
    assert!(h
        .sent()
        .pop()
        .unwrap()
        .contains(&format!("to=\"{room}/al\"")));
    h.server(&format!(
        "<presence type='unavailable' from='{room}/alice'>{user}<item nick='al' affiliation='member' role='participant'/><status code='303'/><status code='110'/></x></presence>"
    ));
    assert_eq!(h.client.room_nick(&jid(&room)), Some("al"));
    h.server(&format!(
        "<presence type='unavailable' from='{room}/al'>{user}<item affiliation='outcast' role='none'/><status code='301'/><status code='110'/></x></presence>"
    ));
    let events = room_events(&mut h);
    assert!(
        events.contains(&RoomEvent::Left {
            room: jid(&room),
            departure: Departure::Banned { reason: None }
        }),
        "{events:?}"
    );
    assert_eq!(h.client.room_nick(&jid(&room)), None);

    let other = format!("gone@{SERVICE}");
    joined(&mut h, &other, "alice");
    h.server(&format!(
        "<presence type='unavailable' from='{other}/alice'>{user}<item affiliation='none' role='none'/>\
         <destroy jid='new@{SERVICE}'><reason>moved</reason></destroy><status code='110'/></x></presence>"
    ));
    assert!(room_events(&mut h).contains(&RoomEvent::Left {
        room: jid(&other),
        departure: Departure::Destroyed {
            reason: Some("moved".into()),
            alternate: Some(jid(&format!("new@{SERVICE}")))
        }
    }));
}

#[test]
fn leaving_waits_for_the_room_and_a_lost_connection_enters_again() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    let join = joined(&mut h, &room, "alice");
    h.client.handle_transport_closed(None, h.now);
    assert!(room_events(&mut h).contains(&RoomEvent::Left {
        room: jid(&room),
        departure: Departure::ConnectionLost
    }));
    h.client.reconnect(support::entropy(), h.now, true).unwrap();
    h.through_challenge();
    h.sent();
    let roster = h.finish_login();
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&roster)
    ));
    let sent = h.sent();
    assert!(sent.contains(&join), "the room is entered again: {sent:?}");
    h.server(&format!(
        "<presence from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'/><status code='110'/></x></presence>"
    ));
    h.events();
    h.client.leave_room(&jid(&room), h.now);
    let leave = h.sent().pop().unwrap();
    assert!(leave.contains("type=\"unavailable\"") && leave.contains(&format!("{room}/alice")));
    h.server(&format!(
        "<presence type='unavailable' from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='none'/><status code='110'/></x></presence>"
    ));
    assert!(room_events(&mut h).contains(&RoomEvent::Left {
        room: jid(&room),
        departure: Departure::Left
    }));
}

#[test]
fn invitations_are_shown_never_acted_on() {
    let mut h = online_with_service();
    h.server(&format!(
        "<message from='bob@localhost/phone' to='user@localhost'><x xmlns='jabber:x:conference' jid='tea@{SERVICE}' reason='come &lt;in&gt;'/></message>"
    ));
    h.server(&format!(
        "<message from='lobby@{SERVICE}'><body>carol invited you</body><x xmlns='http://jabber.org/protocol/muc#user'>\
         <invite from='carol@localhost/pc'><reason>hi</reason></invite><password>pw</password></x>\
         <x xmlns='jabber:x:conference' jid='lobby@{SERVICE}'/></message>"
    ));
    // Prosody, in a room that hides accounts, names the inviter by occupant address.
    h.server(&format!(
        "<message from='rust@{SERVICE}'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <invite from='rust@{SERVICE}/dan'/></x></message>"
    ));
    assert!(h.sent().is_empty(), "no presence goes to an inviting room");
    let invitations: Vec<_> = room_events(&mut h)
        .into_iter()
        .filter_map(|e| match e {
            RoomEvent::Invited(i) => Some((i.room, i.from, i.reason, i.password)),
            _ => None,
        })
        .collect();
    assert_eq!(
        invitations,
        vec![
            (
                jid(&format!("tea@{SERVICE}")),
                jid("bob@localhost").into(),
                Some("come <in>".into()),
                None
            ),
            (
                jid(&format!("lobby@{SERVICE}")),
                jid("carol@localhost").into(),
                Some("hi".into()),
                Some("pw".into())
            ),
            (
                jid(&format!("rust@{SERVICE}")),
                Jid::new(&format!("rust@{SERVICE}/dan")).unwrap(),
                None,
                None
            ),
        ]
    );
}

fn items(range: std::ops::Range<u32>) -> String {
    range
        .map(|i| format!("<item jid='room-{i:04}@{SERVICE}' name='Room {i:04}'/>"))
        .collect()
}

fn page_reply(id: &str, items: &str, set: &str) -> String {
    format!(
        "<iq type='result' from='{SERVICE}' id='{id}'><query xmlns='http://jabber.org/protocol/disco#items'>{items}{set}</query></iq>"
    )
}

fn listed(h: &mut Harness) -> (Vec<String>, Option<bool>) {
    let mut rooms = Vec::new();
    let mut complete = None;
    for e in room_events(h) {
        if let RoomEvent::ListPage {
            rooms: page,
            complete: c,
            ..
        } = e
        {
            rooms.extend(page.into_iter().map(|r| r.jid.to_string()));
            complete = Some(c);
        }
    }
    (rooms, complete)
}

#[test]
fn a_paging_service_is_walked_without_duplicates_until_an_empty_page() {
    let mut h = online_with_service();
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let first = h.sent().pop().unwrap();
    assert!(
        first.contains("<max>100</max>") && !first.contains("<after>"),
        "{first}"
    );
    let set = |last: &str, count: u32| {
        format!("<set xmlns='http://jabber.org/protocol/rsm'><first>x</first><last>{last}</last><count>{count}</count></set>")
    };
    h.server(&page_reply(
        &Harness::id_of(&first),
        &items(0..100),
        &set("k99", 240),
    ));
    let (rooms, complete) = listed(&mut h);
    assert_eq!((rooms.len(), complete), (100, Some(false)));
    let second = h.sent().pop().unwrap();
    assert!(second.contains("<after>k99</after>"), "{second}");
    // The list changed between pages: the last room of the first page comes again.
    h.server(&page_reply(
        &Harness::id_of(&second),
        &(items(99..199) + "<item jid='intruder@elsewhere.example' name='x'/>"),
        &set("k198", 250),
    ));
    let (rooms, complete) = listed(&mut h);
    assert_eq!(
        (rooms.len(), complete),
        (99, Some(false)),
        "the repeat and the foreign item are dropped"
    );
    let third = h.sent().pop().unwrap();
    h.server(&page_reply(
        &Harness::id_of(&third),
        &items(199..250),
        &set("k249", 250),
    ));
    assert_eq!(listed(&mut h).0.len(), 51);
    let fourth = h.sent().pop().unwrap();
    assert!(fourth.contains("<after>k249</after>"));
    h.server(&page_reply(
        &Harness::id_of(&fourth),
        "",
        "<set xmlns='http://jabber.org/protocol/rsm'><count>250</count></set>",
    ));
    assert_eq!(listed(&mut h), (vec![], Some(true)));
    assert!(h.sent().is_empty());
}

#[test]
fn a_service_that_does_not_page_lists_everything_at_once() {
    let mut h = online_with_service();
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    h.server(&page_reply(&Harness::id_of(&request), &items(0..2_000), ""));
    let (rooms, complete) = listed(&mut h);
    assert_eq!((rooms.len(), complete), (2_000, Some(true)));
    assert!(h.sent().is_empty());
}

#[test]
fn a_hostile_pager_that_never_advances_or_only_repeats_is_stopped() {
    let mut h = online_with_service();
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let mut requests = 0;
    while let Some(request) = h.sent().pop() {
        requests += 1;
        assert!(requests < 10, "the walk must stop");
        // Always the same rooms, with a new `last` and a count of millions.
        h.server(&page_reply(
            &Harness::id_of(&request),
            &items(0..100),
            &format!("<set xmlns='http://jabber.org/protocol/rsm'><last>k{requests}</last><count>9000000</count></set>"),
        ));
    }
    let (rooms, complete) = listed(&mut h);
    assert_eq!((rooms.len(), complete), (100, Some(true)));
    assert_eq!(requests, 4, "one page of rooms, then three of repeats");
}

#[test]
fn room_details_are_read_from_disco_info() {
    let mut h = online_with_service();
    let room = format!("secret@{SERVICE}");
    h.client.room_info(&jid(&room), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' from='{room}' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='text' name='Secret &lt;garden&gt;'/>\
         <feature var='muc_passwordprotected'/><feature var='muc_persistent'/><feature var='muc_moderated'/>\
         <x xmlns='jabber:x:data' type='result'>\
         <field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/muc#roominfo</value></field>\
         <field var='muc#roominfo_description'><value>Flowers</value></field>\
         <field var='muc#roominfo_occupants'><value>7</value></field>\
         <field var='muc#roominfo_lang'><value>en</value></field></x></query></iq>",
        Harness::id_of(&request)
    ));
    let info = room_events(&mut h)
        .into_iter()
        .find_map(|e| match e {
            RoomEvent::Info { info, .. } => Some(info),
            _ => None,
        })
        .unwrap();
    assert_eq!(info.name.as_deref(), Some("Secret <garden>"));
    assert_eq!(info.description.as_deref(), Some("Flowers"));
    assert_eq!(info.occupants, Some(7));
    assert_eq!(info.language.as_deref(), Some("en"));
    assert!(info.password_protected && info.persistent && info.moderated);
    assert!(!info.members_only && !info.logged);
}

#[test]
fn an_answer_about_a_room_from_anyone_but_the_room_is_ignored() {
    let mut h = online_with_service();
    let room = format!("secret@{SERVICE}");
    h.client.room_info(&jid(&room), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' from='{room}/mallory' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'>\
         <identity category='conference' type='text' name='Forged'/></query></iq>",
        Harness::id_of(&request)
    ));
    assert!(room_events(&mut h).is_empty());
}

#[test]
fn fifty_thousand_rooms_in_one_reply_are_listed_once_and_bounded_by_the_frame_limit() {
    let reply = |id: &str| page_reply(id, &items(0..50_000), "");
    let mut h = online_with_service();
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    let started = std::time::Instant::now();
    h.server(&reply(&Harness::id_of(&request)));
    let (rooms, complete) = listed(&mut h);
    println!("50,000 rooms in one reply: {:?}", started.elapsed());
    assert_eq!((rooms.len(), complete), (50_000, Some(true)));

    // Under a lower limit (config.json) the reply is refused unread, and the person is told why.
    let mut config = support::config();
    config.max_frame_bytes = 1 << 20;
    let mut h = online_with_service_as(Harness::with_config(config, "pencil"));
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let request = h.sent().pop().unwrap();
    h.server(&reply(&Harness::id_of(&request)));
    assert!(matches!(
        h.closed_with(),
        Some(Some(parley::xmpp::SessionError::FrameTooLarge { .. }))
    ));
}

fn archive_result(from: &str, queryid: &str, id: &str, inner_from: &str, body: &str) -> String {
    format!(
        "<message from='{from}'><result xmlns='urn:xmpp:mam:2' queryid='{queryid}' id='{id}'>\
         <forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2026-11-30T08:00:00Z'/>\
         <message xmlns='jabber:client' type='groupchat' from='{inner_from}'><body>{body}</body></message></forwarded></result></message>"
    )
}

#[test]
fn a_room_with_an_archive_sends_no_replay_and_its_latest_page_is_read_from_the_archive_only() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    let join = enter(
        &mut h,
        &room,
        "alice",
        None,
        "<feature var='urn:xmpp:mam:2'/>",
    );
    assert!(join.contains("maxstanzas=\"0\""), "{join}");
    h.server(&format!(
        "<presence from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'/><status code='110'/></x></presence>"
    ));
    let query = h.sent().pop().unwrap();
    assert!(
        query.contains("urn:xmpp:mam:2")
            && query.contains(&format!("to=\"{room}\""))
            && query.contains("<before/>"),
        "{query}"
    );
    let queryid = Harness::queryid_of(&query);
    h.events();
    h.server(&archive_result(
        &room,
        &queryid,
        "a1",
        &format!("{room}/bob"),
        "from the archive",
    ));
    h.server(&archive_result(
        &room,
        &queryid,
        "a2",
        &format!("{room}/alice"),
        "mine, earlier",
    ));
    // Forgeries: another query, an occupant posing as the archive, another room's archive.
    h.server(&archive_result(
        &room,
        "not-ours",
        "f1",
        &format!("{room}/bob"),
        "forged 1",
    ));
    h.server(&archive_result(
        &format!("{room}/mallory"),
        &queryid,
        "f2",
        &format!("{room}/bob"),
        "forged 2",
    ));
    h.server(&archive_result(
        &format!("rust@{SERVICE}"),
        &queryid,
        "f3",
        &format!("{room}/bob"),
        "forged 3",
    ));
    h.server(&format!(
        "<iq type='result' from='{room}' id='{}'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>",
        Harness::id_of(&query)
    ));
    h.server(&archive_result(
        &room,
        &queryid,
        "a3",
        &format!("{room}/bob"),
        "after the end",
    ));
    let messages: Vec<_> = room_events(&mut h)
        .into_iter()
        .filter_map(|e| match e {
            RoomEvent::Message(m) => Some((m.body, m.own, m.sent_at.is_some())),
            _ => None,
        })
        .collect();
    assert_eq!(
        messages,
        vec![
            ("from the archive".into(), false, true),
            ("mine, earlier".into(), true, true)
        ]
    );
}

#[test]
fn a_lost_connection_while_leaving_leaves_while_entering_fails_and_twice_still_enters_again() {
    let mut h = online_with_service();
    let kept = format!("kept@{SERVICE}");
    let leaving = format!("leaving@{SERVICE}");
    let join = joined(&mut h, &kept, "alice");
    joined(&mut h, &leaving, "alice");
    h.client.leave_room(&jid(&leaving), h.now);
    let entering = format!("entering@{SERVICE}");
    enter(&mut h, &entering, "alice", None, "");
    h.events();
    h.client.handle_transport_closed(None, h.now);
    let events = room_events(&mut h);
    assert!(events.contains(&RoomEvent::Left {
        room: jid(&leaving),
        departure: Departure::Left
    }));
    assert!(events.iter().any(
        |e| matches!(e, RoomEvent::JoinFailed { room, error: JoinError::NoAnswer, .. } if *room == jid(&entering))
    ));
    // A reconnection that fails before it is online, then one that works.
    for attempt in 0..2 {
        h.client.reconnect(support::entropy(), h.now, true).unwrap();
        h.through_challenge();
        h.sent();
        if attempt == 0 {
            h.client.handle_transport_closed(None, h.now);
            continue;
        }
        let roster = h.finish_login();
        h.server(&format!(
            "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
            Harness::id_of(&roster)
        ));
    }
    let sent = h.sent();
    assert!(
        sent.contains(&join),
        "the room we were in is entered again: {sent:?}"
    );
    assert!(
        !sent
            .iter()
            .any(|f| f.contains(&leaving) || f.contains(&entering)),
        "{sent:?}"
    );
}

#[test]
fn an_address_under_check_is_not_a_room_yet() {
    let mut h = online_with_service();
    // Typed as a room, but the domain is not known yet: its answer is awaited.
    h.client
        .join_room(&jid("bob@localhost"), "alice", None, h.now)
        .unwrap();
    h.sent();
    h.server("<message type='chat' from='bob@localhost/phone'><body>still me</body></message>");
    let events = h.events();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Chat(ChatEvent::Message(m)) if m.body == "still me")));
    assert!(!events
        .iter()
        .any(|e| matches!(e, Event::Room(RoomEvent::Message(_)))));
}

#[test]
fn invitations_forged_bounced_or_repeated_are_not_shown_as_such() {
    let mut h = online_with_service();
    // A stranger "passing on" an invitation from someone else is the inviter.
    h.server(
        "<message from='mallory@evil.example'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <invite from='boss@corp.example'/></x></message>",
    );
    // Our own invitation, bounced.
    h.server(&format!(
        "<message type='error' from='carol@localhost'><x xmlns='jabber:x:conference' jid='tea@{SERVICE}'/>\
         <error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"
    ));
    // The same invitation three times, then again after it was answered.
    let invite = format!(
        "<message from='bob@localhost/x'><x xmlns='jabber:x:conference' jid='rust@{SERVICE}'/></message>"
    );
    for _ in 0..3 {
        h.server(&invite);
    }
    let shown: Vec<_> = room_events(&mut h)
        .into_iter()
        .filter_map(|e| match e {
            RoomEvent::Invited(i) => Some((i.room.to_string(), i.from.to_string())),
            _ => None,
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("mallory@evil.example".into(), "mallory@evil.example".into()),
            (format!("rust@{SERVICE}"), "bob@localhost".into()),
        ]
    );
    h.client
        .invitation_answered(&jid(&format!("rust@{SERVICE}")));
    h.server(&invite);
    assert_eq!(room_events(&mut h).len(), 1);
}

#[test]
fn listing_a_service_again_ignores_the_pages_of_the_first_listing() {
    let mut h = online_with_service();
    let set = |last: &str| {
        format!("<set xmlns='http://jabber.org/protocol/rsm'><last>{last}</last><count>300</count></set>")
    };
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let first = h.sent().pop().unwrap();
    h.client.list_rooms(&jid(SERVICE), h.now).unwrap();
    let again = h.sent().pop().unwrap();
    // The first listing's page arrives late: it is not part of the second one.
    h.server(&page_reply(
        &Harness::id_of(&first),
        &items(0..100),
        &set("k99"),
    ));
    assert_eq!(listed(&mut h), (vec![], None));
    h.server(&page_reply(
        &Harness::id_of(&again),
        &items(0..100),
        &set("k99"),
    ));
    assert_eq!(listed(&mut h).0.len(), 100);
    let next = h.sent().pop().unwrap();
    assert!(
        next.contains("<after>k99</after>"),
        "the second listing goes on: {next}"
    );
}

#[test]
fn a_private_message_goes_to_the_occupant_through_the_room_and_is_confirmed_by_the_server() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    joined(&mut h, &room, "alice");
    let sent = h
        .client
        .send_private(&jid(&room), "bob", "psst", h.now)
        .unwrap();
    assert!(sent.private && sent.own && sent.nick.as_deref() == Some("bob"));
    let frames = h.sent();
    let message = &frames[0];
    assert!(
        message.contains(&format!("to=\"{room}/bob\""))
            && message.contains("type=\"chat\"")
            && message.contains("http://jabber.org/protocol/muc#user"),
        "{message}"
    );
    // The ping after it is answered: the server has the message.
    let ping = frames.iter().find(|f| f.contains("urn:xmpp:ping")).unwrap();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(ping)
    ));
    assert!(h.events().iter().any(
        |e| matches!(e, Event::Chat(ChatEvent::Sent { peer, id }) if *peer == jid(&room) && *id == sent.id)
    ));
}

#[test]
fn scrolling_back_reads_the_rooms_archive_page_by_page_before_the_oldest_read() {
    let mut h = online_with_service();
    let room = format!("tea@{SERVICE}");
    enter(
        &mut h,
        &room,
        "alice",
        None,
        "<feature var='urn:xmpp:mam:2'/>",
    );
    h.server(&format!(
        "<presence from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'/><status code='110'/></x></presence>"
    ));
    let latest = h.sent().pop().unwrap();
    let q = Harness::queryid_of(&latest);
    h.server(&archive_result(
        &room,
        &q,
        "a5",
        &format!("{room}/bob"),
        "latest",
    ));
    h.server(&format!(
        "<iq type='result' from='{room}' id='{}'><fin xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>a5</first><last>a5</last></set></fin></iq>",
        Harness::id_of(&latest)
    ));
    let events = room_events(&mut h);
    assert!(events.iter().any(
        |e| matches!(e, RoomEvent::History { messages, complete: false, .. } if messages.is_empty())
    ));

    let now = h.now;
    assert!(h.client.load_room_history(&jid(&room), now));
    let older = h.sent().pop().unwrap();
    assert!(
        older.contains(&format!("to=\"{room}\"")) && older.contains("<before>a5</before>"),
        "{older}"
    );
    let q = Harness::queryid_of(&older);
    h.server(&archive_result(
        &room,
        &q,
        "a3",
        &format!("{room}/bob"),
        "older",
    ));
    h.server(&archive_result(
        &room,
        &q,
        "a4",
        &format!("{room}/alice"),
        "mine, older",
    ));
    // Another room's archive answering for this query: dropped.
    h.server(&archive_result(
        &format!("rust@{SERVICE}"),
        &q,
        "x1",
        &format!("{room}/bob"),
        "forged",
    ));
    h.server(&format!(
        "<iq type='result' from='{room}' id='{}'><fin xmlns='urn:xmpp:mam:2' complete='true'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>a3</first><last>a4</last></set></fin></iq>",
        Harness::id_of(&older)
    ));
    let pages: Vec<_> = room_events(&mut h)
        .into_iter()
        .filter_map(|e| match e {
            RoomEvent::History {
                messages, complete, ..
            } => Some((
                messages
                    .into_iter()
                    .map(|m| (m.body, m.own))
                    .collect::<Vec<_>>(),
                complete,
            )),
            RoomEvent::Message(m) => panic!("an older page is not news: {m:?}"),
            _ => None,
        })
        .collect();
    assert_eq!(
        pages,
        vec![(
            vec![("older".into(), false), ("mine, older".into(), true)],
            true
        )]
    );
    let now = h.now;
    assert!(
        !h.client.load_room_history(&jid(&room), now),
        "nothing older"
    );
}

/// Loses the connection and logs in again (no stream management); returns what was sent once
/// online (the room's join presence among it).
fn back_online(h: &mut Harness) -> Vec<String> {
    h.client.handle_transport_closed(None, h.now);
    h.events();
    h.client.reconnect(support::entropy(), h.now, true).unwrap();
    h.through_challenge();
    h.sent();
    let roster = h.finish_login();
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&roster)
    ));
    h.sent()
}

/// In `room` as alice, then the connection is lost.
fn in_room_then_offline(room: &str) -> Harness {
    let mut h = online_with_service();
    joined(&mut h, room, "alice");
    h.client.handle_transport_closed(None, h.now);
    h.events();
    h
}

/// The room has alice again (her own presence, status 110).
fn in_again(h: &mut Harness, room: &str) {
    h.server(&format!(
        "<presence from='{room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'/><status code='110'/></x></presence>"
    ));
}

#[test]
fn messages_written_to_a_room_while_offline_go_in_order_once_it_is_entered_again() {
    let room = format!("tea@{SERVICE}");
    let mut h = in_room_then_offline(&room);
    let now = h.now;
    let first = h
        .client
        .send_groupchat(&jid(&room), "first while away", now)
        .unwrap();
    let second = h.client.send_groupchat(&jid(&room), "second", now).unwrap();
    // Private ones are confirmed by the server, not by the room's echo: they are not kept.
    assert!(h
        .client
        .send_private(&jid(&room), "bob", "private", now)
        .is_err());
    assert!(h.sent().is_empty(), "nothing goes without a connection");
    // A room never entered cannot be written to.
    assert!(h
        .client
        .send_groupchat(&jid(&format!("other@{SERVICE}")), "x", now)
        .is_err());

    let sent = back_online(&mut h);
    assert!(
        !sent.iter().any(|f| f.contains("while away")),
        "not before the room has us again: {sent:?}"
    );
    in_again(&mut h, &room);
    let sent: Vec<String> = h
        .sent()
        .into_iter()
        .filter(|f| f.starts_with("<message"))
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].contains("first while away") && sent[0].contains(&first.id));
    assert!(sent[1].contains(">second<") && sent[1].contains(&second.id));
    // In, they are not kept: entering again later sends nothing twice.
    let again = back_online(&mut h);
    in_again(&mut h, &room);
    let after: Vec<String> = again.into_iter().chain(h.sent()).collect();
    assert!(!after.iter().any(|f| f.contains("while away")), "{after:?}");
}

#[test]
fn messages_waiting_for_a_room_that_refuses_us_again_are_reported_unsent() {
    let room = format!("tea@{SERVICE}");
    let mut h = in_room_then_offline(&room);
    let now = h.now;
    let waiting = h.client.send_groupchat(&jid(&room), "never", now).unwrap();
    back_online(&mut h);
    h.events();
    h.server(&format!(
        "<presence type='error' from='{room}/alice'><error type='auth'>\
         <forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>"
    ));
    let events = room_events(&mut h);
    assert!(
        events.contains(&RoomEvent::Unsent {
            room: jid(&room),
            ids: vec![waiting.id.clone()]
        }),
        "{events:?}"
    );
    assert!(!h.sent().iter().any(|f| f.contains("never")));
}
