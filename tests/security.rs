//! The hostile-string corpus (`tests/security/xss-corpus.json`, shared with the browser tests)
//! against every field the client puts on the wire: each string either travels exactly, parsing
//! back to the intended stanza, or is refused before anything is sent. Links found in it are only
//! ever https, http or xmpp.

use parley::linkify::{linkify, Segment};
use parley::xmpp::jid::BareJid;
use parley::xmpp::stanza::{self, build, Frame, IqType};
use parley::xmpp::xml::{check_xml_text, Element};
use parley::xmpp::Availability;

mod support;

fn corpus() -> Vec<String> {
    let text = include_str!("security/xss-corpus.json");
    let value: serde_json::Value = serde_json::from_str(text).expect("the corpus is valid JSON");
    let strings: Vec<String> = value["strings"]
        .as_array()
        .expect("a 'strings' array")
        .iter()
        .map(|s| s.as_str().expect("strings only").to_owned())
        .collect();
    assert!(
        strings.len() >= 200,
        "the corpus keeps at least 200 strings"
    );
    strings
}

fn is_sendable(s: &str) -> bool {
    check_xml_text(s).is_ok()
}

#[test]
fn message_bodies_travel_exactly_or_are_refused() {
    let mut session = support::online_client(support::config());
    let bob = BareJid::new("bob@localhost").unwrap();
    for hostile in corpus() {
        match session.send_chat(&bob, &hostile, parley::xmpp::Instant(0)) {
            Ok(_) => {
                let frame = session.poll_transmit().expect("a frame was queued");
                // The first message is followed by the ping that confirms it, nothing else.
                let rest: Vec<_> = std::iter::from_fn(|| session.poll_transmit()).collect();
                assert!(
                    rest.iter().all(|f| f.contains("urn:xmpp:ping")),
                    "exactly one stanza for {hostile:?}"
                );
                let Frame::Message(m) = stanza::parse(&frame).unwrap().unwrap() else {
                    panic!("a message")
                };
                assert_eq!(m.body.as_deref(), Some(hostile.as_str()));
                assert_eq!(
                    m.to.unwrap().as_str(),
                    "bob@localhost",
                    "the recipient cannot be changed by the body"
                );
                assert_eq!(
                    m.element.elements().count(),
                    5,
                    "body, origin-id, active, request, markable: nothing injected"
                );
            }
            Err(_) => {
                assert!(
                    hostile.trim().is_empty() || !is_sendable(&hostile),
                    "refused only when unsendable: {hostile:?}"
                );
                assert!(
                    session.poll_transmit().is_none(),
                    "nothing sent for a refused message"
                );
            }
        }
    }
}

#[test]
fn status_texts_travel_exactly_or_are_refused() {
    let mut session = support::online_client(support::config());
    for hostile in corpus() {
        match session.set_presence(Availability::Away, Some(&hostile), parley::xmpp::Instant(0)) {
            Ok(()) => {
                let frame = session.poll_transmit().expect("a presence was queued");
                let Frame::Presence(p) = stanza::parse(&frame).unwrap().unwrap() else {
                    panic!("a presence")
                };
                let expected = if hostile.is_empty() {
                    None
                } else {
                    Some(hostile.clone())
                };
                assert_eq!(p.status.filter(|s| !s.is_empty()), expected);
                assert_eq!(p.show.as_deref(), Some("away"));
                assert!(
                    frame.starts_with("<presence xmlns=\"jabber:client\">") && p.kind.is_none(),
                    "no attribute injected by {hostile:?}"
                );
            }
            Err(_) => assert!(!is_sendable(&hostile)),
        }
    }
}

#[test]
fn every_builder_field_round_trips_or_refuses() {
    for hostile in corpus() {
        let built = [
            build::iq(
                IqType::Get,
                &hostile,
                Some(&hostile),
                Some(Element::new("query", "urn:example").attr("node", &*hostile)),
            ),
            build::bind(Some(&hostile)),
            build::open(&hostile),
            Element::new("presence", "jabber:client").text_child(
                "status",
                "jabber:client",
                &*hostile,
            ),
        ];
        for element in built {
            match element.to_xml() {
                Ok(xml) => {
                    let parsed = parley::xmpp::xml::parse_frame(&xml).unwrap().unwrap();
                    assert_eq!(parsed, element, "{hostile:?} changed on the way");
                }
                Err(_) => assert!(
                    !is_sendable(&hostile),
                    "{hostile:?} refused although sendable"
                ),
            }
        }
    }
}

#[test]
fn links_in_the_corpus_are_only_safe_schemes() {
    for hostile in corpus() {
        for segment in linkify(&hostile) {
            if let Segment::Link(href) = segment {
                let lower = href.to_ascii_lowercase();
                assert!(
                    lower.starts_with("https://")
                        || lower.starts_with("http://")
                        || lower.starts_with("xmpp:"),
                    "{href:?} from {hostile:?}"
                );
                assert!(
                    !href.contains(['<', '>', '"', '\'', ' ']),
                    "{href:?} carries markup"
                );
            }
        }
    }
}

#[test]
fn contact_names_travel_exactly_or_are_refused() {
    let mut session = support::online_client(support::config());
    let dave = parley::xmpp::jid::BareJid::new("dave@localhost").unwrap();
    for hostile in corpus() {
        match session.add_contact(&dave, Some(&hostile), parley::xmpp::Instant(0)) {
            Ok(()) => {
                let frame = session.poll_transmit().expect("a roster set was queued");
                let Frame::Iq(iq) = stanza::parse(&frame).unwrap().unwrap() else {
                    panic!("an iq")
                };
                let query = iq.payload.expect("a query");
                let items: Vec<_> = query.elements().collect();
                assert_eq!(items.len(), 1, "one item, nothing injected by {hostile:?}");
                assert_eq!(items[0].get_attr("jid"), Some("dave@localhost"));
                let expected = Some(hostile.trim()).filter(|n| !n.is_empty());
                assert_eq!(items[0].get_attr("name"), expected);
                let presence = session.poll_transmit().expect("a subscribe");
                assert!(
                    presence.contains("type=\"subscribe\"")
                        && presence.contains("to=\"dave@localhost\"")
                );
                assert!(session.poll_transmit().is_none());
            }
            Err(_) => {
                assert!(!is_sendable(&hostile));
                assert!(session.poll_transmit().is_none());
            }
        }
    }
}

/// A client in `tea@conference.localhost` as `user` (the service's answer and the room's
/// self-presence scripted).
fn in_a_room() -> (parley::xmpp::Client, BareJid) {
    let mut session = support::online_client(support::config());
    let room = BareJid::new("tea@conference.localhost").unwrap();
    session
        .join_room(&room, "user", None, parley::xmpp::Instant(0))
        .unwrap();
    let check = session.poll_transmit().expect("the service check");
    let Frame::Iq(iq) = stanza::parse(&check).unwrap().unwrap() else {
        panic!("an iq")
    };
    session.handle_frame(
        &format!(
            "<iq type='result' from='conference.localhost' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'>\
             <identity category='conference' type='text'/></query></iq>",
            iq.id
        ),
        parley::xmpp::Instant(0),
    );
    let entry = session
        .poll_transmit()
        .expect("the room's features asked for");
    let Frame::Iq(iq) = stanza::parse(&entry).unwrap().unwrap() else {
        panic!("an iq")
    };
    session.handle_frame(
        &format!(
            "<iq type='result' from='tea@conference.localhost' id='{}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
            iq.id
        ),
        parley::xmpp::Instant(0),
    );
    session.handle_frame(
        "<presence from='tea@conference.localhost/user'><x xmlns='http://jabber.org/protocol/muc#user'>\
         <item affiliation='member' role='participant'/><status code='110'/></x></presence>",
        parley::xmpp::Instant(0),
    );
    while session.poll_transmit().is_some() {}
    while session.poll_event().is_some() {}
    (session, room)
}

#[test]
fn room_messages_subjects_and_nicks_travel_exactly_or_are_refused() {
    let (mut session, room) = in_a_room();
    let now = parley::xmpp::Instant(0);
    for hostile in corpus() {
        let sent = session.send_groupchat(&room, &hostile, now);
        assert_eq!(
            sent.is_ok(),
            is_sendable(&hostile) && !hostile.trim().is_empty()
        );
        if sent.is_ok() {
            let frame = session.poll_transmit().expect("a message");
            let Frame::Message(m) = stanza::parse(&frame).unwrap().unwrap() else {
                panic!("a message")
            };
            assert_eq!(m.body.as_deref(), Some(hostile.as_str()));
            assert_eq!(m.to.unwrap().as_str(), room.as_str());
        }
        if session.set_subject(&room, &hostile, now).is_ok() {
            let frame = session.poll_transmit().expect("a subject");
            let Frame::Message(m) = stanza::parse(&frame).unwrap().unwrap() else {
                panic!("a message")
            };
            let subject = m.element.get_child("subject", "jabber:client").unwrap();
            assert_eq!(subject.text_content(), hostile);
        } else {
            assert!(!is_sendable(&hostile));
        }
        // A nick goes in the address: it is refused unless it makes a valid occupant JID.
        if session.change_nick(&room, &hostile, now).is_ok() {
            let frame = session.poll_transmit().expect("a presence");
            let Frame::Presence(p) = stanza::parse(&frame).unwrap().unwrap() else {
                panic!("a presence")
            };
            let to = p.element.get_attr("to").unwrap();
            assert_eq!(to, format!("{room}/{}", hostile.trim()));
        }
        while session.poll_transmit().is_some() {}
    }
}
