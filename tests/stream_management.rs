//! XEP-0198 stream management against a scripted server: enabling it, acks confirming messages,
//! resuming after a drop (what was not acknowledged goes again, nothing else is redone), a failed
//! resumption (a new session, and the unconfirmed messages go on it once), messages written while
//! offline, and counters that are wrong or never answered.

mod support;

use parley::xmpp::jid::BareJid;
use parley::xmpp::{Availability, ChatEvent, ConnectionState, Event, RosterEvent, SessionError};
use support::{bind_result, chat_archive_result, success, Harness, OPEN, SM_BIND_FEATURES};

const ENABLED: &str = "<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true' max='60'/>";
const ENABLE: &str = "<enable xmlns=\"urn:xmpp:sm:3\" resume=\"true\"/>";
const R: &str = "<r xmlns=\"urn:xmpp:sm:3\"/>";

/// The scripted server's side: it counts the client's stanzas as XEP-0198 §4 does.
struct Server {
    h: Harness,
    /// Stanzas the client wrote since `<enable/>` (or since the session it resumed began).
    received: u32,
    counting: bool,
}

impl Server {
    /// Everything the client wrote since the last call, counted.
    fn sent(&mut self) -> Vec<String> {
        let frames = self.h.sent();
        for frame in &frames {
            if frame == ENABLE {
                self.counting = true;
                self.received = 0;
            } else if self.counting
                && ["<message", "<presence", "<iq"]
                    .iter()
                    .any(|s| frame.starts_with(s))
            {
                self.received += 1;
            }
        }
        frames
    }

    fn frame(&mut self, frame: &str) {
        self.h.server(frame);
    }

    /// `<a/>` for everything received so far.
    fn ack_all(&mut self) {
        let h = self.received;
        self.frame(&format!("<a xmlns='urn:xmpp:sm:3' h='{h}'/>"));
    }

    /// Answers every iq in `frames` with an empty result; returns the rest.
    fn answer_iqs(&mut self, frames: Vec<String>) -> Vec<String> {
        let mut rest = Vec::new();
        for frame in frames {
            if frame.starts_with("<iq") {
                let id = Harness::id_of(&frame);
                self.frame(&format!("<iq type='result' id='{id}'/>"));
            } else {
                rest.push(frame);
            }
        }
        rest
    }

    fn settle(&mut self) {
        for _ in 0..4 {
            let frames = self.sent();
            self.answer_iqs(frames);
        }
        self.ack_all();
        self.sent();
    }

    fn events(&mut self) -> Vec<Event> {
        self.h.events()
    }

    fn chat(&mut self, body: &str) -> String {
        let now = self.h.now;
        self.h.client.send_chat(&bob(), body, now).unwrap().id
    }

    fn drop_connection(&mut self) {
        let now = self.h.now;
        self.h.client.handle_transport_closed(None, now);
        assert!(matches!(
            self.h.closed_with(),
            Some(Some(SessionError::ConnectionLost(None)))
        ));
    }

    /// A new connection, through SASL to the features after it; returns what the client sent
    /// in place of binding.
    fn reconnect(&mut self) -> Vec<String> {
        let now = self.h.now;
        self.h
            .client
            .reconnect(support::entropy(), now, true)
            .unwrap();
        self.h.through_challenge();
        self.frame(&success());
        self.frame(OPEN);
        self.h.sent();
        self.frame(SM_BIND_FEATURES);
        self.sent()
    }
}

fn bob() -> BareJid {
    BareJid::new("bob@localhost").unwrap()
}

/// A login with stream management enabled (resumable, 60 s), bob online, every request
/// answered and acknowledged.
fn online() -> Server {
    let mut s = Server {
        h: Harness::new(),
        received: 0,
        counting: false,
    };
    s.h.through_challenge();
    s.frame(&success());
    s.frame(OPEN);
    s.frame(SM_BIND_FEATURES);
    let bind = s.sent().pop().unwrap();
    s.frame(&bind_result(&Harness::id_of(&bind)));
    let frames = s.sent();
    assert_eq!(
        frames[0], ENABLE,
        "XEP-0198 §3: enabled right after binding"
    );
    assert!(frames[1].contains("jabber:iq:roster"));
    s.frame(ENABLED);
    s.frame(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'>\
         <item jid='bob@localhost' subscription='both'/></query></iq>",
        Harness::id_of(&frames[1])
    ));
    assert_eq!(s.h.client.state(), ConnectionState::Online);
    s.settle();
    s.frame("<presence from='bob@localhost/phone'/>");
    s.events();
    s
}

fn sent_ids(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Sent { id, .. }) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn bodies(frames: &[String]) -> Vec<String> {
    frames
        .iter()
        .filter(|f| f.starts_with("<message"))
        .filter_map(|f| {
            let start = f.find("<body>")? + 6;
            let end = f.find("</body>")?;
            Some(f[start..end].to_owned())
        })
        .collect()
}

#[test]
fn a_message_is_sent_when_the_server_acknowledges_it_and_r_is_answered_with_what_we_handled() {
    let mut s = online();
    let id = s.chat("hello");
    let frames = s.sent();
    assert_eq!(bodies(&frames), ["hello"]);
    assert_eq!(
        frames.last().map(String::as_str),
        Some(R),
        "an <r/> after the message"
    );
    assert!(sent_ids(&s.events()).is_empty(), "not sent before the ack");
    s.ack_all();
    assert_eq!(sent_ids(&s.events()), [id]);

    // Handled since <enabled/>: the roster result, the iq results, bob's presence, and this.
    s.frame("<message from='bob@localhost/phone' type='chat' id='b1'><body>hi</body></message>");
    let handled_before = {
        s.frame("<r xmlns='urn:xmpp:sm:3'/>");
        s.sent()
            .into_iter()
            .find(|f| f.starts_with("<a "))
            .expect("an <a/> answers the <r/>")
    };
    let h: u32 = handled_before
        .split("h=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    s.frame("<message from='bob@localhost/phone' type='chat' id='b2'><body>again</body></message>");
    s.frame("<r xmlns='urn:xmpp:sm:3'/>");
    let after = s.sent();
    assert_eq!(
        after,
        [format!("<a xmlns=\"urn:xmpp:sm:3\" h=\"{}\"/>", h + 1)]
    );
    // <r/> and <a/> are not stanzas: asking twice counts nothing.
    s.frame("<r xmlns='urn:xmpp:sm:3'/>");
    assert_eq!(s.sent(), after);
}

#[test]
fn a_resumed_session_resends_only_what_the_server_did_not_handle_and_redoes_nothing() {
    let mut s = online();
    let first = s.chat("one");
    let second = s.chat("two");
    s.sent();
    // The server handled "one" before the connection went; "two" was lost with it.
    let handled = s.received - 1;
    s.drop_connection();
    s.events();

    let frames = s.reconnect();
    assert_eq!(frames.len(), 1, "resume, and no bind: {frames:?}");
    assert!(frames[0].starts_with("<resume xmlns=\"urn:xmpp:sm:3\" h=\""));
    assert!(frames[0].contains("previd=\"sm-1\""));

    s.frame(&format!(
        "<resumed xmlns='urn:xmpp:sm:3' h='{handled}' previd='sm-1'/>"
    ));
    assert_eq!(s.h.client.state(), ConnectionState::Online);
    let events = s.events();
    assert_eq!(sent_ids(&events), [first], "the handled one is sent");
    assert!(
        events.iter().any(|e| matches!(
            e,
            Event::Roster(RosterEvent::Presence(p)) if p.jid == bob() && p.availability != Availability::Unavailable
        )),
        "bob's presence is known again without the server resending it: {events:?}"
    );
    let frames = s.sent();
    assert_eq!(bodies(&frames), ["two"], "the other goes again, once");
    assert!(
        !frames
            .iter()
            .any(|f| f.contains("jabber:iq:roster") || f.starts_with("<presence")),
        "no roster, no presence: the session is the same one: {frames:?}"
    );
    assert_eq!(frames.last().map(String::as_str), Some(R));
    // Its count is the old session's: acking all of it settles "two".
    s.frame(&format!("<a xmlns='urn:xmpp:sm:3' h='{}'/>", handled + 1));
    assert_eq!(sent_ids(&s.events()), [second]);
}

#[test]
fn a_failed_resumption_binds_a_new_session_and_sends_the_unconfirmed_messages_once_in_order() {
    let mut s = online();
    let ids: Vec<String> = ["one", "two", "three"].iter().map(|b| s.chat(b)).collect();
    s.sent();
    // The server handled "one" only.
    let handled = s.received - 2;
    s.drop_connection();
    s.events();
    // Written while the connection is down: it waits behind the unconfirmed ones.
    let offline = s.chat("four");
    assert!(s.sent().is_empty(), "nothing goes out without a connection");

    let frames = s.reconnect();
    assert!(frames[0].starts_with("<resume "));
    // Version 1.6: the failure says what the old session handled.
    s.frame(&format!(
        "<failed xmlns='urn:xmpp:sm:3' h='{handled}'><item-not-found \
         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"
    ));
    let events = s.events();
    assert_eq!(sent_ids(&events), [ids[0].clone()]);
    let bind = s.sent().pop().unwrap();
    assert!(bind.contains("urn:ietf:params:xml:ns:xmpp-bind"));
    s.frame(&bind_result(&Harness::id_of(&bind)));
    let frames = s.sent();
    assert_eq!(frames[0], ENABLE);
    s.frame(ENABLED);
    s.frame(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&frames[1])
    ));
    assert_eq!(s.h.client.state(), ConnectionState::Online);
    let frames = s.sent();
    assert_eq!(bodies(&frames), ["two", "three", "four"]);
    s.answer_iqs(frames);
    s.ack_all();
    let events = s.events();
    assert_eq!(sent_ids(&events), [ids[1].clone(), ids[2].clone(), offline]);
    // Nothing goes twice afterwards.
    s.settle();
    assert!(bodies(&s.sent()).is_empty());
}

#[test]
fn after_the_window_closes_resuming_is_still_tried_so_the_failure_says_what_was_handled() {
    let mut s = online();
    let first = s.chat("handled");
    s.chat("late");
    s.sent();
    let handled = s.received - 1;
    s.drop_connection();
    s.events();
    // The server said 60 s; messages wait for an ack, so it is asked anyway.
    s.h.now = s.h.now.plus_ms(61_000);
    let frames = s.reconnect();
    assert!(frames[0].starts_with("<resume "), "{frames:?}");
    s.frame(&format!(
        "<failed xmlns='urn:xmpp:sm:3' h='{handled}'><item-not-found \
         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"
    ));
    assert_eq!(sent_ids(&s.events()), [first], "handled: not sent again");
    let bind = s.sent().pop().unwrap();
    assert!(bind.contains("urn:ietf:params:xml:ns:xmpp-bind"), "{bind}");
    s.frame(&bind_result(&Harness::id_of(&bind)));
    let frames = s.sent();
    s.frame(ENABLED);
    s.frame(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&frames[1])
    ));
    assert_eq!(bodies(&s.sent()), ["late"]);
}

#[test]
fn after_the_window_closes_with_nothing_unacknowledged_a_new_session_is_bound_at_once() {
    let mut s = online();
    s.drop_connection();
    s.events();
    s.h.now = s.h.now.plus_ms(61_000);
    let frames = s.reconnect();
    assert_eq!(frames.len(), 1);
    assert!(
        frames[0].contains("urn:ietf:params:xml:ns:xmpp-bind"),
        "{frames:?}"
    );
}

#[test]
fn signing_out_reports_the_messages_that_never_went() {
    let mut s = online();
    s.chat("unacked");
    s.sent();
    s.drop_connection();
    let waiting = s.chat("offline");
    s.events();
    let now = s.h.now;
    s.h.client.close(now);
    // Closed while disconnected: nothing is left to send them.
    let frames_before = s.sent();
    assert!(frames_before.is_empty());
    let events = s.events();
    let unconfirmed: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Unconfirmed { id, .. }) => Some(id),
            _ => None,
        })
        .collect();
    assert!(unconfirmed.contains(&&waiting), "{events:?}");
}

#[test]
fn an_ack_for_more_than_was_sent_ends_the_connection() {
    let mut s = online();
    s.chat("x");
    s.sent();
    let too_many = s.received + 5;
    s.frame(&format!("<a xmlns='urn:xmpp:sm:3' h='{too_many}'/>"));
    assert!(matches!(
        s.h.closed_with(),
        Some(Some(SessionError::Protocol(_)))
    ));
}

#[test]
fn an_unanswered_request_for_acks_means_the_connection_is_dead() {
    let mut s = online();
    s.chat("into the void");
    s.sent();
    let deadline = s.h.client.poll_timeout().expect("a deadline for the ack");
    assert!(deadline <= s.h.now.plus_ms(20_000));
    s.h.now = deadline;
    let now = s.h.now;
    s.h.client.handle_timeout(now);
    assert!(matches!(
        s.h.closed_with(),
        Some(Some(SessionError::NoResponse))
    ));
    // The session can still be resumed: the message is not given up.
    assert!(s.h.client.can_reconnect());
}

#[test]
fn a_server_refusing_to_enable_confirms_messages_by_ping_instead() {
    let mut s = Server {
        h: Harness::new(),
        received: 0,
        counting: false,
    };
    s.h.through_challenge();
    s.frame(&success());
    s.frame(OPEN);
    s.frame(SM_BIND_FEATURES);
    let bind = s.sent().pop().unwrap();
    s.frame(&bind_result(&Harness::id_of(&bind)));
    let frames = s.sent();
    s.frame(
        "<failed xmlns='urn:xmpp:sm:3'><unexpected-request \
         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
    );
    s.frame(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&frames[1])
    ));
    s.settle();
    s.events();
    let id = s.chat("by ping");
    let frames = s.sent();
    assert!(
        !frames.iter().any(|f| f == R),
        "no <r/> without stream management"
    );
    let ping = frames
        .iter()
        .find(|f| f.contains("urn:xmpp:ping"))
        .expect("a ping confirms it");
    let ping_id = Harness::id_of(ping);
    s.frame(&format!(
        "<iq type='result' id='{ping_id}' from='localhost'/>"
    ));
    assert_eq!(sent_ids(&s.events()), [id]);
}

fn shown(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Chat(ChatEvent::Message(m)) => Some(m.body.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_catch_up_cut_short_by_a_drop_goes_on_after_resumption_from_the_last_result_read() {
    let mut s = online();
    s.frame(
        "<message from='bob@localhost/phone' type='chat' id='A1-m'><body>seen</body>\
         <stanza-id xmlns='urn:xmpp:sid:0' by='user@localhost' id='A1'/></message>",
    );
    s.events();
    // The session expires: a new one catches up after A1.
    s.drop_connection();
    s.reconnect();
    s.frame(
        "<failed xmlns='urn:xmpp:sm:3'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
    );
    let bind = s.sent().pop().unwrap();
    s.frame(&bind_result(&Harness::id_of(&bind)));
    let frames = s.sent();
    s.frame(ENABLED);
    s.frame(&format!(
        "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'/></iq>",
        Harness::id_of(&frames[1])
    ));
    let query = s
        .sent()
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("a catch-up");
    assert!(query.contains("<after>A1</after>"), "{query}");
    s.frame(&chat_archive_result(
        &Harness::queryid_of(&query),
        "A2",
        "bob@localhost/phone",
        "user@localhost",
        "away 1",
    ));
    assert_eq!(shown(&s.events()), ["away 1"]);
    s.ack_all();
    // Cut before the rest of the page: the pass is not over.
    s.drop_connection();
    s.events();
    s.reconnect();
    let handled = s.received;
    s.frame(&format!(
        "<resumed xmlns='urn:xmpp:sm:3' h='{handled}' previd='sm-1'/>"
    ));
    let query = s
        .sent()
        .into_iter()
        .find(|f| f.contains("urn:xmpp:mam:2"))
        .expect("the pass goes on");
    assert!(query.contains("<after>A2</after>"), "{query}");
    // The server resends what the old connection lost: a live message, and the old query's
    // results, which nobody waits for now.
    s.frame(
        "<message from='bob@localhost/phone' type='chat' id='A4-m'><body>live</body>\
         <stanza-id xmlns='urn:xmpp:sid:0' by='user@localhost' id='A4'/></message>",
    );
    s.frame(&chat_archive_result(
        "old-query",
        "A3",
        "bob@localhost/phone",
        "user@localhost",
        "stale",
    ));
    assert!(shown(&s.events()).is_empty(), "live waits for the archive");
    let q = Harness::queryid_of(&query);
    s.frame(&chat_archive_result(
        &q,
        "A3",
        "bob@localhost/phone",
        "user@localhost",
        "away 2",
    ));
    s.frame(&chat_archive_result(
        &q,
        "A4",
        "bob@localhost/phone",
        "user@localhost",
        "live",
    ));
    s.frame(&format!(
        "<iq type='result' id='{}'><fin xmlns='urn:xmpp:mam:2' complete='true'><set xmlns='http://jabber.org/protocol/rsm'>\
         <first>A3</first><last>A4</last></set></fin></iq>",
        Harness::id_of(&query)
    ));
    // The archive's copy and the live one share an id: the conversation shows it once.
    assert_eq!(shown(&s.events()), ["away 2", "live", "live"]);
}

#[test]
fn a_link_that_dies_again_while_resuming_keeps_the_unacknowledged_messages() {
    let mut s = online();
    let id = s.chat("through two drops");
    s.sent();
    let handled = s.received - 1;
    s.drop_connection();
    s.events();
    let frames = s.reconnect();
    assert!(frames[0].starts_with("<resume "));
    // Gone again before <resumed/>: the flapping link of a train.
    s.drop_connection();
    s.events();
    let frames = s.reconnect();
    assert!(frames[0].starts_with("<resume "), "{frames:?}");
    s.frame(&format!(
        "<resumed xmlns='urn:xmpp:sm:3' h='{handled}' previd='sm-1'/>"
    ));
    assert_eq!(
        bodies(&s.sent()),
        ["through two drops"],
        "resent once on the session that resumed"
    );
    s.frame(&format!("<a xmlns='urn:xmpp:sm:3' h='{}'/>", handled + 1));
    assert_eq!(sent_ids(&s.events()), [id]);
}
