//! The session driven by scripted server frames: a whole login, each way it can fail, and hostile
//! input once online. Runs natively in microseconds; no server involved.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use parley::xmpp::jid::BareJid;
use parley::xmpp::message::ChatState;
use parley::xmpp::sasl::SaslError;
use parley::xmpp::stanza::{self, Frame};
use parley::xmpp::{
    Availability, ChatEvent, Client, ClientConfig, ConnectionEvent, ConnectionState, Direction,
    Event, Instant, ReconnectError, RosterEvent, SendError, SessionError, Subscription,
};
use zeroize::Zeroizing;

mod support;
use support::{
    b64, bind_result, challenge, success, Harness, BIND_FEATURES, CLIENT_FINAL, CLIENT_NONCE, OPEN,
    SASL_FEATURES,
};

#[test]
fn whole_login_with_scram_sha1() {
    let mut h = Harness::new();
    let sent = h.sent();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].starts_with("<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" to=\"localhost\"")
    );

    h.server(OPEN);
    h.server(SASL_FEATURES);
    let sent = h.sent();
    assert_eq!(
        sent,
        vec![format!(
            "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"SCRAM-SHA-1\">{}</auth>",
            b64(&format!("n,,n=user,r={CLIENT_NONCE}"))
        )]
    );
    assert_eq!(h.client.state(), ConnectionState::Authenticating);

    h.server(&challenge());
    assert_eq!(
        h.sent(),
        vec![format!(
            "<response xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">{}</response>",
            b64(CLIENT_FINAL)
        )]
    );

    h.server(&success());
    let sent = h.sent();
    assert!(
        sent[0].starts_with("<open "),
        "stream restart after SASL: {sent:?}"
    );
    assert_eq!(h.client.state(), ConnectionState::Binding);

    h.server(OPEN);
    h.server(BIND_FEATURES);
    let bind = h.sent().pop().unwrap();
    assert!(bind.contains("<bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/>"));
    h.server(&bind_result(&Harness::id_of(&bind)));
    let roster = h.sent().pop().unwrap();
    assert!(roster.contains("<query xmlns=\"jabber:iq:roster\"/>"));
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' name='Bob' subscription='both'/></query></iq>",
        Harness::id_of(&roster)
    ));
    let sent = h.sent();
    // Available, with our XEP-0115 capabilities.
    assert!(
        sent[0].starts_with(
            "<presence xmlns=\"jabber:client\"><c xmlns=\"http://jabber.org/protocol/caps\""
        ),
        "{sent:?}"
    );
    assert!(
        sent[1].contains("<enable xmlns=\"urn:xmpp:carbons:2\"/>"),
        "carbons are enabled: {sent:?}"
    );
    assert_eq!(h.client.state(), ConnectionState::Online);
    assert_eq!(
        h.client.identity().full().unwrap().as_str(),
        "user@localhost/web"
    );

    let events = h.events();
    let states: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Connection(ConnectionEvent::State(s)) => Some(*s),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
        vec![
            ConnectionState::Connecting,
            ConnectionState::Authenticating,
            ConnectionState::Binding,
            ConnectionState::Online
        ]
    );
    let roster = events.iter().find_map(|e| match e {
        Event::Roster(RosterEvent::Loaded(items)) => Some(items.clone()),
        _ => None,
    });
    let roster = roster.expect("roster event");
    assert_eq!(roster.len(), 1);
    assert_eq!(roster[0].subscription, Subscription::Both);
}

#[test]
fn plain_is_used_only_without_scram() {
    let mut h = Harness::with_password("secret");
    h.server(OPEN);
    h.server(
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
         xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
    );
    let sent = h.sent().pop().unwrap();
    assert!(sent.contains("mechanism=\"PLAIN\""));
    assert!(sent.contains(&BASE64.encode(b"\0user\0secret")));
}

#[test]
fn wrong_password_is_reported_as_such() {
    let mut h = Harness::new();
    h.through_challenge();
    h.sent();
    h.server("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
    assert_eq!(h.closed_with(), Some(Some(SessionError::WrongCredentials)));
    assert_eq!(h.client.state(), ConnectionState::Closed);
    assert!(
        h.sent().iter().any(|f| f.starts_with("<close ")),
        "we close the stream"
    );
    assert_eq!(
        SessionError::WrongCredentials.to_string(),
        "wrong address or password"
    );
}

#[test]
fn other_sasl_failures_keep_their_condition() {
    let mut h = Harness::new();
    h.through_challenge();
    h.server(
        "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><account-disabled/><text>banned</text></failure>",
    );
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::AuthFailed {
            condition: "account-disabled".into(),
            text: Some("banned".into())
        }))
    );
}

#[test]
fn forged_server_signature_fails_the_login() {
    let mut h = Harness::new();
    h.through_challenge();
    h.server(&format!(
        "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</success>",
        b64("v=AAAA")
    ));
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Sasl(SaslError::ServerSignatureMismatch)))
    );
    assert!(
        !h.sent().iter().any(|f| f.contains("<bind")),
        "no bind after a failed proof"
    );
}

#[test]
fn success_without_server_proof_fails_scram() {
    let mut h = Harness::new();
    h.through_challenge();
    h.server("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Sasl(SaslError::ServerSignatureMismatch)))
    );
}

#[test]
fn no_usable_mechanism_is_explained() {
    let mut h = Harness::new();
    h.server(OPEN);
    h.server(
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
         xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>X-OAUTH2</mechanism></mechanisms></stream:features>",
    );
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::NoSupportedMechanism {
            offered: vec!["X-OAUTH2".into()]
        }))
    );
}

#[test]
fn stream_error_ends_the_session_with_its_condition() {
    let mut h = Harness::new();
    h.server(OPEN);
    h.server(
        "<stream:error xmlns:stream='http://etherx.jabber.org/streams'><host-unknown \
         xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
    );
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::StreamError {
            condition: "host-unknown".into(),
            text: None
        }))
    );
}

#[test]
fn each_login_step_times_out() {
    // No open, no features, no SASL answer, no bind answer, no roster answer.
    let steps: [&dyn Fn(&mut Harness); 5] = [
        &|_| {},
        &|h| h.server(OPEN),
        &|h| {
            h.server(OPEN);
            h.server(SASL_FEATURES);
        },
        &|h| {
            h.through_challenge();
            h.server(&success());
            h.server(OPEN);
            h.server(BIND_FEATURES);
        },
        &|h| {
            h.through_challenge();
            h.server(&success());
            h.server(OPEN);
            h.server(BIND_FEATURES);
            let bind = h.sent().pop().unwrap();
            h.server(&bind_result(&Harness::id_of(&bind)));
        },
    ];
    for (i, step) in steps.iter().enumerate() {
        let mut h = Harness::new();
        step(&mut h);
        let deadline = h
            .client
            .poll_timeout()
            .unwrap_or_else(|| panic!("step {i}: a deadline is set"));
        h.client.handle_timeout(Instant(deadline.0 - 1));
        assert_ne!(
            h.client.state(),
            ConnectionState::Closed,
            "step {i}: not before the deadline"
        );
        h.client.handle_timeout(deadline);
        assert!(
            matches!(h.closed_with(), Some(Some(SessionError::Timeout { .. }))),
            "step {i}: times out"
        );
    }
}

#[test]
fn oversized_frame_closes_with_a_clear_error() {
    let mut h = Harness::online();
    let huge = format!(
        "<message from='bob@localhost/x' type='chat'><body>{}</body></message>",
        "x".repeat(ClientConfig::DEFAULT_MAX_FRAME_BYTES)
    );
    h.server(&huge);
    match h.closed_with() {
        Some(Some(SessionError::FrameTooLarge { size, limit })) => {
            assert!(size > limit);
            assert_eq!(limit, ClientConfig::DEFAULT_MAX_FRAME_BYTES);
        }
        other => panic!("expected FrameTooLarge, got {other:?}"),
    }
}

#[test]
fn a_large_body_under_the_limit_is_delivered() {
    let mut h = Harness::online();
    let body = "y".repeat(900_000);
    h.server(&format!(
        "<message from='bob@localhost/x' type='chat' id='big'><body>{body}</body></message>"
    ));
    let got = h.events().into_iter().find_map(|e| match e {
        Event::Chat(ChatEvent::Message(m)) => Some(m),
        _ => None,
    });
    assert_eq!(got.unwrap().body.len(), 900_000);
}

#[test]
fn hostile_frames_online_are_dropped_and_the_session_survives() {
    let mut h = Harness::online();
    let hostile = [
        "<message from='bob@localhost/x'><body>unclosed",
        "<!DOCTYPE x [<!ENTITY a 'b'>]><message><body>&a;</body></message>",
        &"<x>".repeat(10_000),
        "<message from='bob@localhost/x'><body>&#0;</body></message>",
        "<message from='not a jid@@@'><body>x</body></message>",
        "<iq type='result'/>",
        "<unknown xmlns='urn:example:nope'><a/></unknown>",
        "<presence from='bob@localhost/x'><priority>999999</priority></presence>",
        "\u{FEFF}",
        "<message from='bob@localhost/x' type='chat'><body xmlns='urn:example:other'>not a body</body></message>",
    ];
    for frame in hostile {
        h.server(frame);
    }
    assert_eq!(h.client.state(), ConnectionState::Online);
    assert!(h.events().iter().all(|e| !matches!(
        e,
        Event::Connection(ConnectionEvent::Closed(_)) | Event::Chat(ChatEvent::Message(_))
    )));
    h.server(
        "<message from='bob@localhost/x' type='chat' id='ok'><body>still here</body></message>",
    );
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Chat(ChatEvent::Message(m)) if m.body == "still here")));
}

#[test]
fn presence_is_aggregated_per_contact() {
    let mut h = Harness::online();
    h.server(
        "<presence from='bob@localhost/phone'><show>away</show><status>train</status></presence>",
    );
    h.server("<presence from='bob@localhost/laptop'><priority>5</priority></presence>");
    h.server("<presence from='bob@localhost/laptop' type='unavailable'/>");
    let aggregates: Vec<_> = h
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Roster(RosterEvent::Presence(p)) => Some((p.availability, p.status)),
            _ => None,
        })
        .collect();
    assert_eq!(
        aggregates,
        vec![
            (Availability::Away, Some("train".into())),
            (Availability::Available, None),
            (Availability::Away, Some("train".into())),
        ]
    );
}

#[test]
fn chat_messages_in_and_out() {
    let mut h = Harness::online();
    h.server(
        "<message from='bob@localhost/x' type='chat' id='m1'><body>hi &lt;there&gt;</body>\
         <origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>",
    );
    h.server("<message from='bob@localhost/x' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    let events = h.events();
    let bob = BareJid::new("bob@localhost").unwrap();
    assert!(events.iter().any(|e| matches!(e, Event::Chat(ChatEvent::Message(m))
        if m.id == "o1" && m.body == "hi <there>" && m.direction == Direction::In && m.peer == bob)));
    assert!(events.iter().any(
        |e| matches!(e, Event::Chat(ChatEvent::State { peer, state: ChatState::Composing }) if *peer == bob)
    ));

    let out = h.client.send_chat(&bob, "a < b & \"c\"", h.now).unwrap();
    let sent = h.sent();
    assert_eq!(
        sent.len(),
        2,
        "the message, then the ping that confirms it: {sent:?}"
    );
    assert!(
        sent[1].contains("<ping xmlns=\"urn:xmpp:ping\"/>") && sent[1].contains("to=\"localhost\"")
    );
    let Frame::Message(m) = stanza::parse(&sent[0]).unwrap().unwrap() else {
        panic!("message")
    };
    assert_eq!(m.body.as_deref(), Some("a < b & \"c\""));
    assert_eq!(m.origin_id.as_deref(), Some(out.id.as_str()));
    assert_eq!(m.id.as_deref(), Some(out.id.as_str()));
    assert_eq!(m.kind.as_deref(), Some("chat"));

    assert!(h.client.send_chat(&bob, "nul \u{0} inside", h.now).is_err());
    assert!(h.client.send_chat(&bob, "   ", h.now).is_err());
    assert!(
        h.sent().is_empty(),
        "refused messages put nothing on the wire"
    );
}

#[test]
fn bounced_message_is_reported() {
    let mut h = Harness::online();
    let bob = BareJid::new("bob@localhost").unwrap();
    let out = h.client.send_chat(&bob, "hello", h.now).unwrap();
    h.server(&format!(
        "<message from='bob@localhost' type='error' id='{}'><error type='cancel'>\
         <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>",
        out.id
    ));
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Chat(ChatEvent::Failed { id, error, .. }) if *id == out.id && error.condition == "service-unavailable")));
}

#[test]
fn roster_pushes_only_from_own_account() {
    let mut h = Harness::online();
    h.server(
        "<iq type='set' id='p1' from='mallory@evil.example'><query xmlns='jabber:iq:roster'>\
         <item jid='mallory@evil.example' name='Your bank' subscription='both'/></query></iq>",
    );
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::Pushed(_)))));
    assert!(h.sent()[0].contains("type=\"error\""));

    h.server(
        "<iq type='set' id='p2'><query xmlns='jabber:iq:roster'><item jid='dave@localhost' subscription='none'/></query></iq>",
    );
    assert!(h.events().iter().any(
        |e| matches!(e, Event::Roster(RosterEvent::Pushed(i)) if i.jid.as_str() == "dave@localhost")
    ));
    assert!(h.sent()[0].contains("type=\"result\""));
}

#[test]
fn unsolicited_iq_results_are_ignored_and_requests_answered() {
    let mut h = Harness::online();
    h.server("<iq type='result' id='made-up' from='localhost'/>");
    assert_eq!(h.client.state(), ConnectionState::Online);
    h.server("<iq type='get' id='ping1' from='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
    h.server("<iq type='get' id='d1' from='bob@localhost/x'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
    h.server(
        "<iq type='get' id='v1' from='bob@localhost/x'><query xmlns='jabber:iq:version'/></iq>",
    );
    let sent = h.sent();
    assert_eq!(sent.len(), 3);
    assert!(sent[0].contains("id=\"ping1\"") && sent[0].contains("type=\"result\""));
    assert!(sent[1].contains("urn:xmpp:ping") && sent[1].contains("Parley"));
    assert!(sent[2].contains("service-unavailable"));
}

#[test]
fn clean_logout() {
    let mut h = Harness::online();
    h.client.close(h.now);
    let sent = h.sent();
    assert_eq!(
        sent[0],
        "<presence xmlns=\"jabber:client\" type=\"unavailable\"/>"
    );
    assert!(sent[1].starts_with("<close "));
    assert_eq!(h.client.state(), ConnectionState::Closing);
    h.server("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
    assert_eq!(h.closed_with(), Some(None));
    assert!(h.sent().is_empty(), "no second close");
}

#[test]
fn logout_completes_even_if_the_server_never_answers() {
    let mut h = Harness::online();
    h.client.close(h.now);
    let deadline = h.client.poll_timeout().unwrap();
    h.client.handle_timeout(deadline);
    assert_eq!(h.closed_with(), Some(None));
}

#[test]
fn lost_connection_and_redirects_are_reported() {
    let mut h = Harness::online();
    h.client.handle_transport_closed(None, h.now);
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::ConnectionLost(None)))
    );

    let mut h = Harness::new();
    h.server(
        "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing' see-other-uri='ws://evil.example/x'/>",
    );
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::SeeOtherUri(
            "ws://evil.example/x".into()
        )))
    );
}

#[test]
fn frames_after_close_are_ignored() {
    let mut h = Harness::new();
    h.server("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
    h.events();
    h.sent();
    h.server(OPEN);
    h.server("<message from='bob@localhost/x' type='chat'><body>late</body></message>");
    assert!(h.events().is_empty());
    assert!(h.sent().is_empty());
}

fn carbon(from: &str, kind: &str, inner_from: &str, inner_to: &str, body: &str) -> String {
    format!(
        "<message from='{from}' to='user@localhost/web' type='chat'><{kind} xmlns='urn:xmpp:carbons:2'>\
         <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='{inner_from}' to='{inner_to}' \
         type='chat' id='c1'><body>{body}</body></message></forwarded></{kind}></message>"
    )
}

fn messages(events: &[Event]) -> Vec<(String, Direction, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Message(m)) => {
                Some((m.peer.to_string(), m.direction, m.body.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn carbons_from_our_account_are_shown() {
    let mut h = Harness::online();
    h.server(&carbon(
        "user@localhost",
        "received",
        "bob@localhost/x",
        "user@localhost/phone",
        "to my phone",
    ));
    h.server(&carbon(
        "user@localhost",
        "sent",
        "user@localhost/phone",
        "bob@localhost",
        "from my phone",
    ));
    assert_eq!(
        messages(&h.events()),
        vec![
            ("bob@localhost".into(), Direction::In, "to my phone".into()),
            (
                "bob@localhost".into(),
                Direction::Out,
                "from my phone".into()
            ),
        ]
    );
}

#[test]
fn forged_carbons_are_ignored() {
    let mut h = Harness::online();
    // From a contact, from another resource of ours (must be the bare JID), and from the server.
    for from in [
        "bob@localhost",
        "bob@localhost/x",
        "user@localhost/phone",
        "localhost",
        "mallory@evil.example",
    ] {
        h.server(&carbon(
            from,
            "received",
            "carol@localhost/x",
            "user@localhost",
            "forged",
        ));
        h.server(&carbon(
            from,
            "sent",
            "user@localhost/phone",
            "carol@localhost",
            "forged",
        ));
    }
    assert!(messages(&h.events()).is_empty());
}

#[test]
fn bare_forwarded_and_unrequested_archive_results_show_nothing_from_the_inner_sender() {
    let mut h = Harness::online();
    h.server(
        "<message from='mallory@evil.example/x' type='chat'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' from='bob@localhost/x' type='chat'><body>I am bob</body></message>\
         </forwarded></message>",
    );
    h.server(
        "<message from='bob@localhost'><result xmlns='urn:xmpp:mam:2' queryid='q1' id='a1'>\
         <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='carol@localhost/x' \
         type='chat'><body>archived lie</body></message></forwarded></result></message>",
    );
    let events = h.events();
    assert!(messages(&events).is_empty(), "{events:?}");
}

#[test]
fn a_server_without_carbons_still_comes_online() {
    let (mut h, roster) = Harness::bound();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&roster)
    ));
    let enable = h.sent().pop().unwrap();
    assert_eq!(h.client.state(), ConnectionState::Online);
    h.server(&format!(
        "<iq type='error' id='{}'><error type='cancel'><feature-not-implemented \
         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        Harness::id_of(&enable)
    ));
    assert_eq!(h.client.state(), ConnectionState::Online);
}

#[test]
fn an_unanswered_carbons_enable_only_warns() {
    let (mut h, roster) = Harness::bound();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&roster)
    ));
    h.sent();
    h.events();
    let deadline = h.client.poll_timeout().unwrap();
    assert_eq!(
        deadline,
        h.now.plus_ms(20_000),
        "the enable's deadline comes first"
    );
    h.client.handle_timeout(deadline);
    assert_eq!(h.client.state(), ConnectionState::Online);
    let events = h.events();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Warning(w) if w.contains("Carbons"))),
        "{events:?}"
    );
}

#[test]
fn offline_messages_keep_their_original_time() {
    let mut h = Harness::online();
    h.server(
        "<message from='bob@localhost/x' type='chat' id='old'><body>while you were away</body>\
         <delay xmlns='urn:xmpp:delay' from='localhost' stamp='2002-09-10T23:08:25Z'/></message>",
    );
    h.server("<message from='bob@localhost/x' type='chat' id='new'><body>now</body></message>");
    let stamps: Vec<_> = h
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Message(m)) => Some(m.sent_at),
            _ => None,
        })
        .collect();
    assert_eq!(stamps, vec![Some(1_031_699_305_000), None]);
}

#[test]
fn adding_a_contact_sets_the_roster_and_asks_to_subscribe() {
    let mut h = Harness::online();
    let dave = BareJid::new("dave@localhost").unwrap();
    h.client
        .add_contact(&dave, Some("  Dave <the> \"builder\" "), h.now)
        .unwrap();
    let sent = h.sent();
    assert_eq!(sent.len(), 2);
    let Frame::Iq(set) = stanza::parse(&sent[0]).unwrap().unwrap() else {
        panic!("iq")
    };
    let item = set.payload.unwrap();
    let item = item.get_child("item", "jabber:iq:roster").unwrap();
    assert_eq!(item.get_attr("jid"), Some("dave@localhost"));
    assert_eq!(item.get_attr("name"), Some("Dave <the> \"builder\""));
    assert_eq!(
        sent[1],
        "<presence xmlns=\"jabber:client\" to=\"dave@localhost\" type=\"subscribe\"/>"
    );

    // The server refuses: the person is told, the session goes on.
    h.server(&format!(
        "<iq type='error' id='{}'><error type='modify'><not-acceptable \
         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        set.id
    ));
    assert!(h.events().iter().any(
        |e| matches!(e, Event::Roster(RosterEvent::ChangeFailed { jid, error })
        if *jid == dave && error.condition == "not-acceptable")
    ));
    assert_eq!(h.client.state(), ConnectionState::Online);
}

#[test]
fn an_unanswered_roster_change_is_reported_not_fatal() {
    let mut h = Harness::online();
    let dave = BareJid::new("dave@localhost").unwrap();
    h.client.add_contact(&dave, None, h.now).unwrap();
    let deadline = h.client.poll_timeout().unwrap();
    h.client.handle_timeout(deadline);
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::ChangeFailed { .. }))));
    assert_eq!(h.client.state(), ConnectionState::Online);
}

#[test]
fn contact_names_xml_cannot_carry_are_refused() {
    let mut h = Harness::online();
    let dave = BareJid::new("dave@localhost").unwrap();
    assert!(h
        .client
        .add_contact(&dave, Some("nul\u{0}"), h.now)
        .is_err());
    assert!(h.sent().is_empty());
}

#[test]
fn subscription_requests_are_reported_once_and_declining_sends_only_the_answer() {
    let mut h = Harness::online();
    h.server("<presence from='dave@localhost' type='subscribe'/>");
    h.server("<presence from='dave@localhost/x' type='subscribe'/>");
    let dave = BareJid::new("dave@localhost").unwrap();
    let requests: Vec<_> = h
        .events()
        .into_iter()
        .filter(|e| matches!(e, Event::Roster(RosterEvent::SubscriptionRequest { .. })))
        .collect();
    assert_eq!(
        requests,
        vec![Event::Roster(RosterEvent::SubscriptionRequest {
            jid: dave.clone(),
            nick: None
        })]
    );
    h.client.answer_subscription(&dave, false, h.now).unwrap();
    assert_eq!(
        h.sent(),
        vec!["<presence xmlns=\"jabber:client\" to=\"dave@localhost\" type=\"unsubscribed\"/>"]
    );
    assert!(h
        .events()
        .contains(&Event::Roster(RosterEvent::SubscriptionRequestClosed(dave))));
}

#[test]
fn accepting_a_stranger_also_adds_them_and_asks_back() {
    let mut h = Harness::online();
    let dave = BareJid::new("dave@localhost").unwrap();
    h.server("<presence from='dave@localhost' type='subscribe'/>");
    h.client.answer_subscription(&dave, true, h.now).unwrap();
    h.events();
    let sent = h.sent();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent[0].contains("type=\"subscribed\""));
    assert!(sent[1].contains("jabber:iq:roster") && sent[1].contains("dave@localhost"));
    assert!(sent[2].contains("type=\"subscribe\""));
    // Their answer to our request comes with their own request back: accepted by itself.
    h.server("<presence from='dave@localhost' type='subscribe'/>");
    assert_eq!(
        h.sent(),
        vec!["<presence xmlns=\"jabber:client\" to=\"dave@localhost\" type=\"subscribed\"/>"]
    );
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::SubscriptionRequest { .. }))));
}

#[test]
fn a_contact_we_follow_is_still_asked_about_and_keeps_its_item() {
    let mut h = Harness::online();
    // carol is in the roster with subscription 'to': we follow her. Her request is still asked
    // about (accepting anyone we follow by itself would make "Decline" meaningless).
    let carol = BareJid::new("carol@localhost").unwrap();
    h.server("<presence from='carol@localhost' type='subscribe'/>");
    assert!(h
        .events()
        .contains(&Event::Roster(RosterEvent::SubscriptionRequest {
            jid: carol.clone(),
            nick: None
        })));
    h.client.answer_subscription(&carol, true, h.now).unwrap();
    assert_eq!(
        h.sent(),
        vec!["<presence xmlns=\"jabber:client\" to=\"carol@localhost\" type=\"subscribed\"/>"],
        "no roster set (name and groups stay) and no request: we already follow her"
    );
}

#[test]
fn requests_carry_nicknames_both_ways() {
    let mut h = Harness::online();
    // XEP-0172 §4.1: theirs comes with their request, trimmed; the address stays the address.
    h.server(
        "<presence from='dave@localhost' type='subscribe'>\
         <nick xmlns='http://jabber.org/protocol/nick'>  Dave &lt;3 </nick></presence>",
    );
    assert!(h
        .events()
        .contains(&Event::Roster(RosterEvent::SubscriptionRequest {
            jid: BareJid::new("dave@localhost").unwrap(),
            nick: Some("Dave <3".into())
        })));

    // No nickname of ours known: the request goes without one.
    let erin = BareJid::new("erin@localhost").unwrap();
    h.client.add_contact(&erin, None, h.now).unwrap();
    let sent = h.sent();
    assert!(
        sent.iter()
            .any(|f| f.contains("type=\"subscribe\"") && !f.contains("nick")),
        "{sent:?}"
    );

    // Once ours is published, it goes with the next request, escaped.
    h.client.set_nickname(Some("Me & co"), h.now).unwrap();
    let publish = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&publish)
    ));
    h.events();
    let fay = BareJid::new("fay@localhost").unwrap();
    h.client.add_contact(&fay, None, h.now).unwrap();
    let sent = h.sent();
    let request = sent
        .iter()
        .find(|f| f.contains("type=\"subscribe\""))
        .expect("a subscription request");
    assert!(
        request.contains("<nick xmlns=\"http://jabber.org/protocol/nick\">Me &amp; co</nick>"),
        "{request}"
    );
}

#[test]
fn a_server_that_keeps_pre_approvals_gets_one_for_a_contact_we_add() {
    // RFC 6121 §3.4: offered with the features we bind under.
    let mut h = Harness::new();
    h.through_challenge();
    let roster = h.finish_login_with(
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'>\
         <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>\
         <sub xmlns='urn:xmpp:features:pre-approval'/></stream:features>",
    );
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'>\
         <item jid='bob@localhost' subscription='from'/></query></iq>",
        Harness::id_of(&roster)
    ));
    for request in h.sent().into_iter().filter(|f| f.starts_with("<iq")) {
        h.server(&format!(
            "<iq type='result' id='{}'/>",
            Harness::id_of(&request)
        ));
    }
    let dave = BareJid::new("dave@localhost").unwrap();
    h.client.add_contact(&dave, None, h.now).unwrap();
    let sent = h.sent();
    assert!(
        sent.iter()
            .any(|f| f.contains("to=\"dave@localhost\" type=\"subscribe\"")),
        "{sent:?}"
    );
    assert!(
        sent.iter()
            .any(|f| f.contains("to=\"dave@localhost\" type=\"subscribed\"")),
        "pre-approved: {sent:?}"
    );
    // bob already sees us: nothing to approve.
    let bob = BareJid::new("bob@localhost").unwrap();
    h.client.add_contact(&bob, Some("Bob"), h.now).unwrap();
    assert!(!h.sent().iter().any(|f| f.contains("type=\"subscribed\"")));
}

#[test]
fn without_pre_approval_adding_a_contact_approves_nothing_yet() {
    let mut h = Harness::online();
    let dave = BareJid::new("dave@localhost").unwrap();
    h.client.add_contact(&dave, None, h.now).unwrap();
    assert!(!h.sent().iter().any(|f| f.contains("type=\"subscribed\"")));
}

#[test]
fn subscription_requests_are_bounded() {
    let mut h = Harness::online();
    for i in 0..1_200 {
        h.server(&format!(
            "<presence from='spam{i}@evil.example' type='subscribe'/>"
        ));
    }
    let reported = h
        .events()
        .iter()
        .filter(|e| matches!(e, Event::Roster(RosterEvent::SubscriptionRequest { .. })))
        .count();
    assert_eq!(reported, parley::xmpp::subscription::MAX_PENDING);
}

#[test]
fn private_carbon_marker_on_an_ordinary_message_does_not_hide_it() {
    let mut h = Harness::online();
    h.server(
        "<message from='bob@localhost/x' type='chat' id='p1'><body>kept</body>\
         <private xmlns='urn:xmpp:carbons:2'/></message>",
    );
    assert_eq!(
        messages(&h.events()),
        vec![("bob@localhost".into(), Direction::In, "kept".into())]
    );
}

#[test]
fn roster_pushes_and_responses_from_our_other_resources_are_refused() {
    let mut h = Harness::online();
    h.server(
        "<iq type='set' id='p1' from='user@localhost/other'><query xmlns='jabber:iq:roster'>\
         <item jid='mallory@evil.example' subscription='both'/></query></iq>",
    );
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::Pushed(_)))));
    assert!(h.sent()[0].contains("type=\"error\""));
}

#[test]
fn renaming_keeps_groups_and_removing_sends_remove() {
    let mut h = Harness::online();
    let bob = BareJid::new("bob@localhost").unwrap();
    h.client
        .rename_contact(&bob, Some("Robert"), h.now)
        .unwrap();
    h.client.remove_contact(&bob, h.now).unwrap();
    let sent = h.sent();
    assert_eq!(sent.len(), 2, "no subscription requests: {sent:?}");
    let item = |frame: &str| {
        let Frame::Iq(iq) = stanza::parse(frame).unwrap().unwrap() else {
            panic!("iq")
        };
        iq.payload
            .unwrap()
            .get_child("item", "jabber:iq:roster")
            .unwrap()
            .clone()
    };
    let renamed = item(&sent[0]);
    assert_eq!(renamed.get_attr("name"), Some("Robert"));
    let got: Vec<String> = renamed.elements().map(|g| g.text_content()).collect();
    assert_eq!(got, vec!["Friends".to_owned(), "Work & <play>".to_owned()]);
    let removed = item(&sent[1]);
    assert_eq!(
        (removed.get_attr("jid"), removed.get_attr("subscription")),
        (Some("bob@localhost"), Some("remove"))
    );
    assert!(h
        .client
        .rename_contact(&bob, Some("bad\u{1}"), h.now)
        .is_err());
    assert!(h.sent().is_empty());
}

#[test]
fn forged_answers_to_a_pending_request_are_ignored_and_the_real_one_still_counts() {
    // The bind request is pending: a contact and another of our own resources answer first,
    // each binding us to an address of their choosing.
    let mut h = Harness::new();
    h.through_challenge();
    h.server(&success());
    h.server(OPEN);
    h.server(BIND_FEATURES);
    let bind_id = Harness::id_of(&h.sent().pop().unwrap());
    for from in ["bob@localhost/x", "user@localhost/other", "evil.example"] {
        h.server(&format!(
            "<iq type='result' id='{bind_id}' from='{from}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
             <jid>mallory@evil.example/x</jid></bind></iq>"
        ));
    }
    let events = h.events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::Connection(ConnectionEvent::Bound(_)))),
        "{events:?}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Warning(w) if w.contains("forged")))
            .count(),
        3
    );
    h.server(&bind_result(&bind_id));
    assert_eq!(
        h.client.identity().full().unwrap().as_str(),
        "user@localhost/web"
    );

    // A roster change is pending: a contact's "error" must not make it look refused.
    let mut h = Harness::online();
    let dave = BareJid::new("dave@localhost").unwrap();
    h.client.add_contact(&dave, None, h.now).unwrap();
    let set_id = Harness::id_of(&h.sent()[0]);
    for from in ["bob@localhost/x", "user@localhost/other"] {
        h.server(&format!(
            "<iq type='error' id='{set_id}' from='{from}'><error type='cancel'>\
             <not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
        ));
    }
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::ChangeFailed { .. }))));
    h.server(&format!(
        "<iq type='result' id='{set_id}' from='user@localhost'/>"
    ));
    let deadline = h.client.poll_timeout().unwrap();
    h.client.handle_timeout(deadline);
    assert!(
        !h.events()
            .iter()
            .any(|e| matches!(e, Event::Roster(RosterEvent::ChangeFailed { .. }))),
        "the real answer settled the request: no timeout follows"
    );
}

#[test]
fn a_replayed_answer_to_a_settled_request_is_not_processed() {
    let mut h = Harness::online();
    // The roster request was answered during login; a second answer with its id and a roster
    // in it must not replace the roster.
    h.server(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'>\
         <item jid='mallory@evil.example' name='Your bank' subscription='both'/></query></iq>",
        support::ROSTER_ID
    ));
    let events = h.events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::Roster(RosterEvent::Loaded(_)))),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Warning(w) if w.contains("unsolicited"))));
}

#[test]
fn a_quiet_line_is_pinged_and_a_dead_one_is_noticed() {
    let mut h = Harness::online();
    let idle = h.client.poll_timeout().unwrap();
    assert_eq!(idle, h.now.plus_ms(60_000));
    h.client.handle_timeout(Instant(idle.0 - 1));
    assert!(
        h.sent().is_empty(),
        "not before the line has been quiet for a minute"
    );
    h.client.handle_timeout(idle);
    let ping = h.sent().pop().unwrap();
    assert!(ping.contains("urn:xmpp:ping"));
    // Answered (even with an error): the server is there, the next ping is a minute away.
    let later = Instant(idle.0 + 100);
    h.client.handle_frame(
        &format!(
            "<iq type='error' id='{}' from='localhost'><error type='cancel'>\
             <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
            Harness::id_of(&ping)
        ),
        later,
    );
    assert_eq!(h.client.poll_timeout(), Some(later.plus_ms(60_000)));
    // Unanswered: the connection is dead even though no socket said so.
    h.client.handle_timeout(later.plus_ms(60_000));
    let deadline = h.client.poll_timeout().unwrap();
    h.client.handle_timeout(deadline);
    assert_eq!(h.closed_with(), Some(Some(SessionError::NoResponse)));
    assert_eq!(h.client.state(), ConnectionState::Closed);
}

#[test]
fn messages_count_as_sent_only_once_the_server_confirms_them() {
    let mut h = Harness::online();
    let bob = BareJid::new("bob@localhost").unwrap();
    let first = h.client.send_chat(&bob, "one", h.now).unwrap();
    let second = h.client.send_chat(&bob, "two", h.now).unwrap();
    let sent = h.sent();
    let pings: Vec<&String> = sent
        .iter()
        .filter(|f| f.contains("urn:xmpp:ping"))
        .collect();
    assert_eq!(pings.len(), 1, "one ping at a time: {sent:?}");
    h.server(&format!(
        "<iq type='result' id='{}' from='localhost'/>",
        Harness::id_of(pings[0])
    ));
    // The ping went out after "one" and before "two": it confirms "one" only, and another ping
    // follows for "two".
    let confirmed: Vec<String> = h
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Sent { id, .. }) => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(confirmed, vec![first.id.clone()]);
    assert!(h.sent().iter().any(|f| f.contains("urn:xmpp:ping")));
    // The connection drops before the second confirmation: "two" is reported unconfirmed.
    h.client.handle_transport_closed(None, h.now);
    let events = h.events();
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Chat(ChatEvent::Unconfirmed { id, .. }) if *id == second.id)));
    assert!(!events
        .iter()
        .any(|e| matches!(e, Event::Chat(ChatEvent::Unconfirmed { id, .. }) if *id == first.id)));
}

#[test]
fn a_lost_connection_keeps_the_account_and_reconnects_with_the_kept_keys() {
    let mut h = Harness::online();
    h.client.handle_transport_closed(
        Some(parley::xmpp::CloseReason {
            code: 1001,
            reason: "going away".into(),
        }),
        h.now,
    );
    assert!(matches!(
        h.closed_with(),
        Some(Some(SessionError::ConnectionLost(Some(_))))
    ));
    assert!(h.client.can_reconnect());
    // The roster survives the connection.
    assert!(h
        .client
        .roster()
        .contains(&BareJid::new("bob@localhost").unwrap()));

    // SCRAM's keys prove the password without it: the same proof as the first login.
    h.client.reconnect(support::entropy(), h.now, true).unwrap();
    assert!(h.sent()[0].starts_with("<open "));
    h.through_challenge();
    assert_eq!(
        h.sent(),
        vec![
            format!(
                "<auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"SCRAM-SHA-1\">{}</auth>",
                b64(&format!("n,,n=user,r={CLIENT_NONCE}"))
            ),
            format!(
                "<response xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">{}</response>",
                b64(CLIENT_FINAL)
            )
        ]
    );
    let roster = h.finish_login();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&roster)
    ));
    assert_eq!(h.client.state(), ConnectionState::Online);

    // Signing out wipes them: nothing is left to log in with.
    h.client.close(h.now);
    h.server("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
    assert_eq!(
        h.client.reconnect(support::entropy(), h.now, true),
        Err(ReconnectError::NeedsPassword)
    );
}

#[test]
fn keys_that_no_longer_fit_ask_for_the_password() {
    let mut h = Harness::online();
    h.client.handle_transport_closed(None, h.now);
    h.events();
    h.client.reconnect(support::entropy(), h.now, true).unwrap();
    h.server(OPEN);
    h.server(SASL_FEATURES);
    // The password was changed elsewhere: a new salt.
    h.server(&format!(
        "<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{}</challenge>",
        b64("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=AAAAAAAAAAAAAAAA,i=4096")
    ));
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Sasl(SaslError::KeysDoNotFit)))
    );
    assert!(!h.client.can_reconnect());
}

#[test]
fn plain_is_refused_after_a_redirect() {
    let mut h = Harness::with_password("secret");
    h.server(
        "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing' see-other-uri='wss://localhost/other'/>",
    );
    assert!(matches!(
        h.closed_with(),
        Some(Some(SessionError::SeeOtherUri(_)))
    ));
    h.client
        .reconnect(support::entropy(), h.now, false)
        .unwrap();
    h.sent();
    h.server(OPEN);
    h.server(
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
         xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
    );
    assert!(!h.sent().iter().any(|f| f.contains("PLAIN")));
    assert!(matches!(
        h.closed_with(),
        Some(Some(SessionError::NoSupportedMechanism { .. }))
    ));
}

#[test]
fn the_bound_address_becomes_the_identity() {
    // A person typed a decomposed "é"; the server normalises to NFC and binds that.
    let mut h = Harness {
        client: Client::new(
            parley::xmpp::ClientConfig::new(BareJid::new("jose\u{301}@localhost").unwrap()),
            Zeroizing::new("pencil".into()),
            support::entropy(),
            Instant(1_000),
        ),
        now: Instant(1_000),
    };
    h.server(OPEN);
    h.server("<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
         xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
    h.server("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    h.server(OPEN);
    h.server(BIND_FEATURES);
    let bind = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' id='{}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
         <jid>jos\u{e9}@localhost/web</jid></bind></iq>",
        Harness::id_of(&bind)
    ));
    let roster = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' id='{}'/>",
        Harness::id_of(&roster)
    ));
    assert_eq!(h.client.state(), ConnectionState::Online);
    assert_eq!(h.client.identity().bare().as_str(), "jos\u{e9}@localhost");
    h.events();
    // Carbons and roster pushes are checked against the bound address.
    h.server(&carbon(
        "jos\u{e9}@localhost",
        "received",
        "bob@localhost/x",
        "jos\u{e9}@localhost/phone",
        "hola",
    ));
    assert_eq!(
        messages(&h.events()),
        vec![("bob@localhost".into(), Direction::In, "hola".into())]
    );
}

#[test]
fn a_message_too_long_for_one_frame_is_refused_before_sending() {
    let mut h = Harness::online();
    let bob = BareJid::new("bob@localhost").unwrap();
    let long = "я".repeat(40_000); // 80,000 bytes of UTF-8
    match h.client.send_chat(&bob, &long, h.now) {
        Err(SendError::TooLong { size, limit }) => {
            assert!(size > 80_000 && limit == 60 * 1024, "{size} {limit}")
        }
        other => panic!("expected TooLong, got {other:?}"),
    }
    assert!(h.sent().is_empty(), "nothing half-sent");
    assert_eq!(h.client.state(), ConnectionState::Online);
    assert!(h.client.send_chat(&bob, &"я".repeat(25_000), h.now).is_ok());
}

#[test]
fn strangers_presence_is_bounded_and_reported_once_they_become_contacts() {
    let mut h = Harness::online();
    for i in 0..1_000 {
        h.server(&format!("<presence from='spam{i}@evil.example/x'/>"));
    }
    h.server("<presence from='dave@localhost/x'><show>dnd</show></presence>");
    assert!(
        !h.events()
            .iter()
            .any(|e| matches!(e, Event::Roster(RosterEvent::Presence(_)))),
        "strangers' presence is not reported"
    );
    h.server(
        "<iq type='set' id='p9'><query xmlns='jabber:iq:roster'>\
         <item jid='dave@localhost' subscription='to'/></query></iq>",
    );
    assert!(h.events().iter().any(|e| matches!(e,
        Event::Roster(RosterEvent::Presence(p)) if p.jid.as_str() == "dave@localhost"
            && p.availability == Availability::Dnd)));
}

#[test]
fn a_roster_push_must_carry_exactly_one_item() {
    let mut h = Harness::online();
    h.server(
        "<iq type='set' id='p3'><query xmlns='jabber:iq:roster'>\
         <item jid='dave@localhost'/><item jid='erin@localhost'/></query></iq>",
    );
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::Pushed(_)))));
    assert!(h.sent()[0].contains("bad-request"));
}

#[test]
fn a_namespace_bomb_from_a_contact_is_dropped_and_the_session_goes_on() {
    let mut h = Harness::online();
    // The review's frame: a 128 KiB namespace inherited by 32,768 children (about 256 KiB).
    let bomb = format!(
        "<message from='bob@localhost/x' type='chat'><x xmlns='urn:{}'>{}</x><body>boom</body></message>",
        "u".repeat(128 * 1024),
        "<a/>".repeat(32_768)
    );
    h.server(&bomb);
    assert!(h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Warning(w) if w.contains("namespace"))));
    assert_eq!(h.client.state(), ConnectionState::Online);
    h.server("<message from='bob@localhost/x' type='chat' id='k'><body>after</body></message>");
    assert_eq!(
        messages(&h.events()),
        vec![("bob@localhost".into(), Direction::In, "after".into())]
    );
}

#[test]
fn a_bound_address_on_another_domain_ends_the_login() {
    let mut h = Harness::new();
    h.through_challenge();
    h.server(&success());
    h.server(OPEN);
    h.server(BIND_FEATURES);
    let bind = h.sent().pop().unwrap();
    h.server(&format!(
        "<iq type='result' id='{}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
         <jid>user@evil.example/web</jid></bind></iq>",
        Harness::id_of(&bind)
    ));
    assert!(matches!(
        h.closed_with(),
        Some(Some(SessionError::Protocol(_)))
    ));
}

#[test]
fn a_roster_refused_after_a_reconnect_keeps_the_one_we_have() {
    let mut h = Harness::online();
    h.client.handle_transport_closed(None, h.now);
    h.events();
    h.client.reconnect(support::entropy(), h.now, true).unwrap();
    h.through_challenge();
    let roster = h.finish_login();
    h.server(&format!(
        "<iq type='error' id='{}'><error type='wait'><resource-constraint \
         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>",
        Harness::id_of(&roster)
    ));
    assert_eq!(h.client.state(), ConnectionState::Online);
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::Roster(RosterEvent::Loaded(_)))));
    assert!(h
        .client
        .roster()
        .contains(&BareJid::new("bob@localhost").unwrap()));
}

#[test]
fn a_request_approved_on_another_device_is_no_longer_waiting() {
    let mut h = Harness::online();
    h.server("<presence from='dave@localhost' type='subscribe'/>");
    h.events();
    h.server(
        "<iq type='set' id='p7'><query xmlns='jabber:iq:roster'>\
         <item jid='dave@localhost' subscription='from'/></query></iq>",
    );
    let dave = BareJid::new("dave@localhost").unwrap();
    assert!(h
        .events()
        .contains(&Event::Roster(RosterEvent::SubscriptionRequestClosed(dave))));
}

#[test]
fn kept_keys_for_a_mechanism_no_longer_offered_ask_for_the_password() {
    let mut h = Harness::online();
    h.client.handle_transport_closed(None, h.now);
    h.events();
    h.client.reconnect(support::entropy(), h.now, true).unwrap();
    h.server(OPEN);
    h.server(
        "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
         xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256</mechanism></mechanisms></stream:features>",
    );
    assert_eq!(
        h.closed_with(),
        Some(Some(SessionError::Sasl(SaslError::KeysDoNotFit)))
    );
    assert!(!h.client.can_reconnect());
}

#[test]
fn requests_expiring_together_are_all_settled_before_the_connection_is_given_up() {
    let mut h = Harness::online();
    let bob = BareJid::new("bob@localhost").unwrap();
    for name in ["dave@localhost", "erin@localhost"] {
        h.client
            .add_contact(&BareJid::new(name).unwrap(), None, h.now)
            .unwrap();
    }
    h.client.send_chat(&bob, "hello?", h.now).unwrap();
    // The machine slept: every deadline has passed at once.
    h.client.handle_timeout(h.now.plus_ms(120_000));
    let events = h.events();
    let failed = events
        .iter()
        .filter(|e| matches!(e, Event::Roster(RosterEvent::ChangeFailed { .. })))
        .count();
    assert_eq!(failed, 2, "{events:?}");
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Connection(ConnectionEvent::Closed(Some(SessionError::NoResponse)))
    )));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Chat(ChatEvent::Unconfirmed { .. }))));
}
