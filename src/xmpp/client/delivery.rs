//! Getting every message through (XEP-0198 stream management): the messages waiting for a
//! session, a parked session resumed or forgotten, acks that settle what the server handled.
//! The ledger itself is [`stream_management`](super::super::stream_management).

use super::super::context::Instant;
use super::super::error::SessionError;
use super::super::event::{ChatEvent, Event};
use super::super::stanza::SmFrame;
use super::super::stream_management::{Ledger, Tracked};
use super::Client;

impl Client {
    /// The waiting messages go, in order. Counted by stream management, their acks confirm them;
    /// without it, the ping after them does.
    pub(super) fn send_pending(&mut self, now: Instant) {
        let counted = self.out.ledger().is_some();
        while let Some((tracked, frame)) = self.pending.pop_front() {
            if counted {
                self.out.send_stanza(frame, Some(tracked));
            } else {
                self.out.send_stanza(frame, None);
                let Tracked::Chat { peer, id } = tracked;
                self.ping.message_sent(peer, id, &mut cx!(self, now));
            }
        }
    }

    /// XEP-0198 §5: the session goes on. What the server handled is settled, the rest resent;
    /// presence, rooms and the roster are as they were.
    pub(super) fn resumed(&mut self, h: u32, now: Instant) {
        self.sm.resumed();
        self.presence.report_all(&self.roster, &mut cx!(self, now));
        if let Some(mut ledger) = self.parked.take() {
            match ledger.ack(h) {
                Ok(settled) => self.settled(settled, now),
                Err(e) => cx!(self, now).warn(&format!("resumed with h={} of {}", e.h, e.sent)),
            }
            self.out.resume_counting(ledger);
        }
        self.mam.resumed(&mut cx!(self, now));
        self.muc.resumed(&mut cx!(self, now));
        self.send_pending(now);
    }

    /// The parked session will not come back (resumption failed, its window closed, or it was
    /// never resumable): what it held ends now, and its unconfirmed messages wait for the next
    /// one, before those written since. `h` is what the server said it handled.
    pub(super) fn forget_session(&mut self, h: Option<u32>, now: Instant) {
        self.sm.off();
        if let Some(mut ledger) = self.parked.take() {
            if let Some(h) = h {
                if let Ok(settled) = ledger.ack(h) {
                    self.settled(settled, now);
                }
            }
            let unsent = ledger.into_unsent_messages();
            for message in unsent.into_iter().rev() {
                self.pending.push_front(message);
            }
        }
        self.session_ended(now);
    }

    /// The server handled these: they are sent.
    pub(super) fn settled(&mut self, settled: Vec<Tracked>, now: Instant) {
        let mut cx = cx!(self, now);
        for tracked in settled {
            let Tracked::Chat { peer, id } = tracked;
            cx.emit(Event::Chat(ChatEvent::Sent { peer, id }));
        }
    }

    /// XEP-0198 elements on a bound stream.
    pub(super) fn handle_sm(&mut self, frame: SmFrame, now: Instant) {
        match frame {
            SmFrame::Enabled {
                id,
                resume,
                max_seconds,
            } => self.sm.enabled(id, resume, max_seconds),
            SmFrame::Request => {
                let answer = self.sm.answer();
                cx!(self, now).send(&answer);
            }
            SmFrame::Ack { h } => {
                let Some(ledger) = self.out.ledger_mut() else {
                    return;
                };
                match ledger.ack(h) {
                    Ok(settled) => self.settled(settled, now),
                    // §4: the counts no longer agree; nothing they say can be trusted.
                    Err(e) => self.fail(
                        SessionError::Protocol(format!(
                            "the server acknowledged {} stanzas of {}",
                            e.h, e.sent
                        )),
                        now,
                    ),
                }
            }
            // §6: enabling failed. What the ledger held is confirmed the old way.
            SmFrame::Failed { condition, .. } => {
                self.sm.off();
                let unsent = self
                    .out
                    .stop_counting()
                    .map(Ledger::into_unsent_messages)
                    .unwrap_or_default();
                let mut cx = cx!(self, now);
                cx.warn(&format!("stream management refused ({condition})"));
                for (Tracked::Chat { peer, id }, _) in unsent {
                    self.ping.message_sent(peer, id, &mut cx);
                }
            }
            SmFrame::Resumed { .. } => cx!(self, now).warn("ignored <resumed/> outside resumption"),
        }
    }

    /// Signed out or refused: the waiting messages will not go.
    pub(super) fn pending_unconfirmed(&mut self, now: Instant) {
        let mut cx = cx!(self, now);
        self.mam.signed_out(&mut cx);
        for (Tracked::Chat { peer, id }, _) in self.pending.drain(..) {
            cx.emit(Event::Chat(ChatEvent::Unconfirmed { peer, id }));
        }
    }
}
