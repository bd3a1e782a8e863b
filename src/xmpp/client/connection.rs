//! One connection's life, from the `<open/>` to its end (RFC 6120 §4, RFC 7395 §3.6): starting
//! and restarting it, the clock (each request's deadline, the keepalive of XEP-0199, the
//! acknowledgements of XEP-0198), and how it ends: closed by us, by the server, or lost, with
//! what was in flight reported and a session stream management can resume parked.

use super::super::context::Instant;
use super::super::entropy::Entropy;
use super::super::error::{CloseReason, ReconnectError, SessionError};
use super::super::event::{ConnectionEvent, ConnectionState, Event, RosterEvent};
use super::super::ns;
use super::super::request::Owner;
use super::super::stanza::{build, StanzaError};
use super::super::stream::Stream;
use super::super::stream_management::Ledger;
use super::super::vcard;
use super::super::xml::Element;
use super::Client;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;

impl Client {
    /// Starts a new connection with the kept credentials, after the last one ended. PLAIN is
    /// refused when `allow_plain` is false (after a redirect: the new host would read the password).
    pub fn reconnect(
        &mut self,
        entropy: Entropy,
        now: Instant,
        allow_plain: bool,
    ) -> Result<(), ReconnectError> {
        if self.stream.is_some() {
            return Err(ReconnectError::AlreadyConnected);
        }
        if self.secret.is_none() {
            return Err(ReconnectError::NeedsPassword);
        }
        self.connect(entropy, now, allow_plain);
        Ok(())
    }

    pub(super) fn connect(&mut self, entropy: Entropy, now: Instant, allow_plain: bool) {
        // Frames the last connection did not get to send must not go out on this one (what
        // stream management counted is in the parked ledger).
        self.out.clear();
        let unacked = self
            .parked
            .as_ref()
            .is_some_and(Ledger::has_unacked_messages);
        let resume = self.sm.resume(now, unacked);
        if resume.is_none() && self.parked.is_some() {
            self.forget_session(None, now);
        }
        let nonce = BASE64.encode(&entropy.0[..18]);
        self.stream = Some(Stream::open(
            &mut cx!(self, now),
            allow_plain,
            nonce,
            resume,
        ));
    }

    /// The earliest moment [`Client::handle_timeout`] has work to do.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let stream = self.stream.as_ref()?;
        let keepalive = stream
            .is_online()
            .then(|| self.ping.next_timeout())
            .flatten();
        [
            self.requests.next_deadline(),
            stream.deadline(),
            keepalive,
            self.ack_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// XEP-0198: an `<r/>` unanswered this long means the connection is dead.
    pub(super) fn ack_deadline(&self) -> Option<Instant> {
        let asked = self.out.ledger()?.asked_at()?;
        Some(asked.plus_ms(self.config.timeout_ms))
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        let Some(stream) = self.stream.as_mut() else {
            return;
        };
        if stream.deadline().is_some_and(|d| d <= now) {
            let stage = stream.stage_name();
            if stream.timed_out() {
                self.finish(None, now);
            } else {
                self.fail(SessionError::Timeout { stage }, now);
            }
            return;
        }
        // Every expired request is settled (a laptop waking up fires them all at once) before
        // the connection is given up, if one of them means it is dead.
        let mut fatal = None;
        for owner in self.requests.expired(now) {
            match owner {
                owner if owner.is_login_step() => {
                    let stage = self.stream.as_ref().map_or("closed", Stream::stage_name);
                    fatal = Some(SessionError::Timeout { stage });
                }
                // A server that cannot answer a ping in time is gone, whatever the socket says.
                Owner::Ping => fatal = fatal.or(Some(SessionError::NoResponse)),
                Owner::Roster(request) => self.roster.unanswered(request, &mut cx!(self, now)),
                Owner::Muc(request) => self.muc.unanswered(request, &mut cx!(self, now)),
                Owner::Mam(request) => self.mam.unanswered(&request, &mut cx!(self, now)),
                Owner::Blocking(request) => self.blocking.unanswered(request, &mut cx!(self, now)),
                Owner::Avatar(request) => {
                    self.avatars.unanswered(request, false, &mut cx!(self, now))
                }
                Owner::Nick => self
                    .nicknames
                    .answered(Err(StanzaError::undefined()), &mut cx!(self, now)),
                Owner::Caps(request) => self.caps.unanswered(request),
                Owner::VCard(query) => vcard::unanswered(query, &mut cx!(self, now)),
                Owner::VCardEdit(edit) => {
                    vcard::edit_answered(edit, Err(StanzaError::undefined()), &mut cx!(self, now))
                }
                owner => cx!(self, now).warn(&format!("no answer to a request ({owner:?})")),
            }
        }
        if self.ack_deadline().is_some_and(|d| d <= now) {
            fatal = fatal.or(Some(SessionError::NoResponse));
        }
        if let Some(error) = fatal {
            return self.fail(error, now);
        }
        if self.stream.as_ref().is_some_and(Stream::is_online) {
            self.ping.handle_timeout(&mut cx!(self, now));
        }
    }

    /// The transport refused a frame of `size` before reading it (it was over
    /// `max_frame_bytes`): the connection ends as for any frame that large.
    pub fn handle_oversized_frame(&mut self, size: usize, now: Instant) {
        let limit = self.config.max_frame_bytes;
        self.fail(SessionError::FrameTooLarge { size, limit }, now);
    }

    /// The WebSocket closed under us, with the close frame's code and reason if there was one.
    pub fn handle_transport_closed(&mut self, close: Option<CloseReason>, now: Instant) {
        match &self.stream {
            None => {}
            Some(stream) if stream.is_closing() => self.finish(None, now),
            Some(_) => self.finish(Some(SessionError::ConnectionLost(close)), now),
        }
    }

    /// Signs out: unavailable presence, then `<close/>`; the server's `<close/>` (or a short
    /// timeout) completes it. The kept credentials are wiped at once.
    pub fn close(&mut self, now: Instant) {
        self.secret = None;
        let Some(stream) = self.stream.as_mut() else {
            // Between connections: the parked session and the waiting messages end here.
            if self.parked.is_some() {
                self.forget_session(None, now);
            }
            return self.pending_unconfirmed(now);
        };
        if stream.is_closing() {
            return;
        }
        let mut cx = cx!(self, now);
        if stream.is_online() {
            cx.send(&Element::new("presence", ns::CLIENT).attr("type", "unavailable"));
        }
        stream.begin_close(&mut cx);
    }

    /// The tab woke from sleep or the network came back: asks the server at once whether the
    /// connection still works, rather than when the keepalive would.
    pub fn probe(&mut self, now: Instant) {
        if self.stream.as_ref().is_some_and(Stream::is_online) {
            self.ping.probe(&mut cx!(self, now));
        }
    }

    pub(super) fn handle_close(&mut self, see_other_uri: Option<String>, now: Instant) {
        let closing = self.stream.as_ref().is_some_and(Stream::is_closing);
        if !closing {
            // RFC 7395 §3.6: answer the server's close with ours.
            cx!(self, now).send(&build::close());
        }
        match (see_other_uri, closing) {
            (Some(uri), _) => self.finish(Some(SessionError::SeeOtherUri(uri)), now),
            (None, true) => self.finish(None, now),
            (None, false) => self.finish(Some(SessionError::ConnectionLost(None)), now),
        }
    }

    /// Ends the connection with an error: our `<close/>` goes out first.
    pub(super) fn fail(&mut self, error: SessionError, now: Instant) {
        if self.stream.as_ref().is_some_and(|s| !s.is_closing()) {
            cx!(self, now).send(&build::close());
        }
        self.finish(Some(error), now);
    }

    /// The connection is over; the account stays. What was in flight is reported as such. A
    /// session stream management can resume is parked instead of ended.
    pub(super) fn finish(&mut self, error: Option<SessionError>, now: Instant) {
        if self.stream.take().is_none() {
            return;
        }
        self.drop_waiting_frames();
        if error.as_ref().is_none_or(SessionError::refuses_credentials) {
            self.secret = None;
        }
        // A connection that died while resuming never counted: the session parked before it is
        // still the one to resume, with its unacknowledged messages.
        if let Some(ledger) = self.out.stop_counting() {
            self.parked = Some(ledger);
        }
        if self.secret.is_none() || !self.sm.dropped(now) {
            self.forget_session(None, now);
            if self.secret.is_none() {
                self.pending_unconfirmed(now);
            }
        }
        self.abandon_requests(now);
        let mut cx = cx!(self, now);
        self.ping.connection_ended(&mut cx);
        // Nobody's presence is known while there is no connection, parked or not.
        cx.emit(Event::Roster(RosterEvent::PresenceCleared));
        cx.emit(Event::Connection(ConnectionEvent::State(
            ConnectionState::Closed,
        )));
        cx.emit(Event::Connection(ConnectionEvent::Closed(error)));
    }

    /// The session's state that the server forgets with it: our address, presence, rooms.
    pub(super) fn session_ended(&mut self, now: Instant) {
        self.me.full = None;
        let mut cx = cx!(self, now);
        // Rooms first: an entry whose check is abandoned must not send its presence now.
        self.muc.connection_ended(&mut cx);
        self.presence.clear();
        self.caps.disconnected();
    }

    pub(super) fn abandon_requests(&mut self, now: Instant) {
        let abandoned = self.requests.abandon();
        let mut cx = cx!(self, now);
        for owner in abandoned {
            match owner {
                Owner::Roster(request) => self.roster.unanswered(request, &mut cx),
                Owner::Muc(request) => self.muc.unanswered(request, &mut cx),
                Owner::Mam(request) => self.mam.interrupted(&request, &mut cx),
                Owner::Blocking(request) => self.blocking.unanswered(request, &mut cx),
                Owner::Avatar(request) => self.avatars.unanswered(request, true, &mut cx),
                Owner::Nick => self
                    .nicknames
                    .answered(Err(StanzaError::undefined()), &mut cx),
                Owner::Caps(request) => self.caps.unanswered(request),
                Owner::VCard(query) => vcard::unanswered(query, &mut cx),
                Owner::VCardEdit(edit) => {
                    vcard::edit_answered(edit, Err(StanzaError::undefined()), &mut cx)
                }
                _ => {}
            }
        }
    }
}
