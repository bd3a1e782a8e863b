//! XEP-0199 XMPP Ping, both ways: answering the server's pings (§4.1), and pinging the server
//! ourselves (§4.2), because a WebSocket can die without a close event (a laptop lid, a NAT
//! timeout) and only an unanswered request shows it.
//!
//! The server is pinged when the line has been quiet for the idle time, and right after we send
//! messages: the answer to a request sent after them proves the server read them (one stream, in
//! order), so a message is shown as sent only then. If the answer does not come within the
//! request timeout, the connection is dead: the client ends it, and the messages it never
//! confirmed are reported as such instead of pretending they went out.

use super::context::Ctx;
use super::context::Instant;
use super::event::{ChatEvent, Event};
use super::jid::{BareJid, Jid};
use super::ns;
use super::request::Owner;
use super::stanza::{build, Iq, IqType};
use super::xml::Element;
use std::collections::VecDeque;

#[derive(Debug)]
pub struct Ping {
    idle_ms: u64,
    last_heard: Instant,
    /// The ping in flight and the last message sequence number it confirms when answered.
    in_flight: Option<u64>,
    /// Messages sent and not yet confirmed, oldest first.
    unconfirmed: VecDeque<(u64, BareJid, String)>,
    next_seq: u64,
}

impl Ping {
    pub fn new(idle_ms: u64) -> Self {
        Self {
            idle_ms,
            last_heard: Instant(0),
            in_flight: None,
            unconfirmed: VecDeque::new(),
            next_seq: 0,
        }
    }

    /// Anything arrived from the server.
    pub(crate) fn heard(&mut self, now: Instant) {
        self.last_heard = now;
    }

    /// When a keepalive is due (while online and no ping is out).
    pub(crate) fn next_timeout(&self) -> Option<Instant> {
        self.in_flight
            .is_none()
            .then(|| self.last_heard.plus_ms(self.idle_ms))
    }

    pub(crate) fn handle_timeout(&mut self, cx: &mut Ctx) {
        if self.in_flight.is_none() && self.last_heard.plus_ms(self.idle_ms) <= cx.now {
            self.send(cx);
        }
    }

    /// The tab woke or the network came back: the socket may be dead without knowing it.
    pub(crate) fn probe(&mut self, cx: &mut Ctx) {
        if self.in_flight.is_none() {
            self.send(cx);
        }
    }

    /// A chat message went into the outbox; it is confirmed by the next answered ping.
    pub(crate) fn message_sent(&mut self, peer: BareJid, id: String, cx: &mut Ctx) {
        self.next_seq += 1;
        self.unconfirmed.push_back((self.next_seq, peer, id));
        if self.in_flight.is_none() {
            self.send(cx);
        }
    }

    /// Our ping was answered, with a result or an error: either way the server is there.
    pub(crate) fn answered(&mut self, cx: &mut Ctx) {
        let covered = self.in_flight.take().unwrap_or(0);
        while self
            .unconfirmed
            .front()
            .is_some_and(|(seq, _, _)| *seq <= covered)
        {
            if let Some((_, peer, id)) = self.unconfirmed.pop_front() {
                cx.emit(Event::Chat(ChatEvent::Sent { peer, id }));
            }
        }
        if !self.unconfirmed.is_empty() {
            self.send(cx);
        }
    }

    /// The connection ended: what was not confirmed may not have arrived.
    pub(crate) fn connection_ended(&mut self, cx: &mut Ctx) {
        self.in_flight = None;
        for (_, peer, id) in self.unconfirmed.drain(..) {
            cx.emit(Event::Chat(ChatEvent::Unconfirmed { peer, id }));
        }
    }

    /// A keepalive after a quiet spell and a confirmation after messages are the same ping.
    fn send(&mut self, cx: &mut Ctx) {
        let server = Jid::from(cx.me.bare().domain_jid());
        let ping = Element::new("ping", ns::PING);
        if cx
            .try_request(IqType::Get, Some(&server), ping, Owner::Ping)
            .is_ok()
        {
            self.in_flight = Some(self.next_seq);
        }
    }
}

/// XEP-0199 §4.1: the server (or anyone) pinged us.
pub(crate) fn answer(iq: &Iq, cx: &mut Ctx) {
    let to = iq.from.as_ref().map(|j| j.to_string());
    cx.send(&build::iq(IqType::Result, &iq.id, to.as_deref(), None));
}
