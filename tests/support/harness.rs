//! The client under test, with a scripted server: feed frames, read what it sent and told.

use super::{bind_result, challenge, success, BIND_FEATURES, OPEN, SASL_FEATURES};
use parley::xmpp::stanza::{self, Frame};
use parley::xmpp::{Client, ConnectionEvent, ConnectionState, Event, Instant, SessionError};
use zeroize::Zeroizing;

/// A client driven by hand: feed it frames as the server, read what it sent and told.
pub struct Harness {
    pub client: Client,
    pub now: Instant,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_password("pencil")
    }

    pub fn with_password(password: &str) -> Self {
        Self::with_config(super::config(), password)
    }

    pub fn with_config(config: parley::xmpp::ClientConfig, password: &str) -> Self {
        let now = Instant(1_000);
        Self {
            client: Client::new(
                config,
                Zeroizing::new(password.into()),
                super::entropy(),
                now,
            ),
            now,
        }
    }

    /// The server sends `frame`; a large one is parsed in slices, as the page would let it.
    pub fn server(&mut self, frame: &str) {
        self.client.handle_frame(frame, self.now);
        while self.client.frames_waiting() {
            self.client.continue_frames(self.now);
        }
    }

    pub fn sent(&mut self) -> Vec<String> {
        std::iter::from_fn(|| self.client.poll_transmit())
            .map(|frame| frame.to_string())
            .collect()
    }

    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.client.poll_event()).collect()
    }

    pub fn closed_with(&mut self) -> Option<Option<SessionError>> {
        self.events().into_iter().find_map(|e| match e {
            Event::Connection(ConnectionEvent::Closed(err)) => Some(err),
            _ => None,
        })
    }

    /// Runs SASL up to the server-first challenge and returns the authenticator's state.
    pub fn through_challenge(&mut self) {
        self.server(OPEN);
        self.server(SASL_FEATURES);
        self.server(&challenge());
    }

    /// The `queryid` of an archive query (XEP-0313 §4) we sent.
    pub fn queryid_of(frame: &str) -> String {
        let start = frame.find("queryid=\"").expect("a queryid") + 9;
        frame[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn id_of(frame: &str) -> String {
        match stanza::parse(frame).unwrap().unwrap() {
            Frame::Iq(iq) => iq.id,
            other => panic!("expected an iq, got {other:?}"),
        }
    }

    /// From SCRAM's success to the bound resource; returns the roster request the client sent.
    pub fn finish_login(&mut self) -> String {
        self.finish_login_with(BIND_FEATURES)
    }

    /// [`Self::finish_login`] with these post-authentication stream features.
    pub fn finish_login_with(&mut self, features: &str) -> String {
        self.server(&success());
        self.server(OPEN);
        self.server(features);
        let bind = self.sent().pop().unwrap();
        self.server(&bind_result(&Self::id_of(&bind)));
        self.sent().pop().unwrap()
    }

    /// A login up to the bound resource; returns the roster request the client sent.
    pub fn bound() -> (Self, String) {
        Self::bound_with(Self::new())
    }

    pub fn bound_with(mut h: Self) -> (Self, String) {
        h.through_challenge();
        let roster = h.finish_login();
        (h, roster)
    }

    /// A full login up to online, with a roster of bob and carol.
    pub fn online() -> Self {
        let (mut h, roster) = Self::bound();
        h.server(&format!(
            "<iq type='result' id='{}'><query xmlns='jabber:iq:roster'>\
             <item jid='bob@localhost' name='Bob' subscription='both'>\
             <group>Friends</group><group>Work &amp; &lt;play&gt;</group></item>\
             <item jid='carol@localhost' subscription='to'/></query></iq>",
            Self::id_of(&roster)
        ));
        assert_eq!(h.client.state(), ConnectionState::Online);
        // Carbons enabled; room service discovery finds no items.
        for request in h.sent().into_iter().filter(|f| f.starts_with("<iq")) {
            h.server(&format!(
                "<iq type='result' id='{}'/>",
                Self::id_of(&request)
            ));
        }
        h.events();
        h
    }
}
