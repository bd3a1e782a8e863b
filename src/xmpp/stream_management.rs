//! XEP-0198 Stream Management (`urn:xmpp:sm:3`): §3 enabling it with resumption, §4 acks, §5
//! resuming a stream after the connection dropped, §6 what follows a `<failed/>`.
//!
//! Two halves. The [`Ledger`] sits in the outbox, the one send funnel: from the moment
//! `<enable/>` goes out every stanza written is numbered and a copy kept until the server's
//! `<a h/>` covers it, so after a drop what it did not handle is sent again on the resumed stream,
//! and the messages among it on a new session when resumption fails. [`StreamManagement`] is the
//! session's half: the id and the window for resuming, and how many of the server's stanzas we
//! handled (its `h`), answered to every `<r/>`.
//!
//! §4: counters are `xs:unsignedInt` and wrap to zero after 2^32 − 1; all arithmetic here wraps.

use super::context::Instant;
use super::jid::BareJid;
use super::ns;
use super::xml::Element;
use std::collections::VecDeque;
use zeroize::Zeroizing;

/// What a stanza in the ledger was, when the account must know it was handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tracked {
    /// A one-to-one message: its ack makes it sent, and it is resent on a new session if the
    /// old one ended before the server handled it.
    Chat { peer: BareJid, id: String },
}

#[derive(Debug)]
struct Unacked {
    frame: Zeroizing<String>,
    tracked: Option<Tracked>,
}

/// Stanzas written since `<enable/>` that the server has not acknowledged, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    /// The server's `h` as last acknowledged: how many of our stanzas it handled.
    acked: u32,
    unacked: VecDeque<Unacked>,
    /// Stanzas written since the last `<r/>`: they need one.
    unasked: usize,
    /// When the `<r/>` still unanswered was sent.
    asked_at: Option<Instant>,
}

/// The server acknowledged more stanzas than were sent: it is confused or lying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AckTooHigh {
    pub h: u32,
    pub sent: u32,
}

impl Ledger {
    /// How many stanzas were sent, counted as the server counts them.
    pub(crate) fn sent(&self) -> u32 {
        self.acked.wrapping_add(self.unacked.len() as u32)
    }

    pub(crate) fn record(&mut self, frame: Zeroizing<String>, tracked: Option<Tracked>) {
        self.unacked.push_back(Unacked { frame, tracked });
        self.unasked += 1;
    }

    /// An `<r/>` is due: stanzas went out since the last one and none is unanswered.
    pub(crate) fn take_ask(&mut self, now: Instant) -> bool {
        if self.unasked == 0 || self.asked_at.is_some() {
            return false;
        }
        self.unasked = 0;
        self.asked_at = Some(now);
        true
    }

    pub(crate) fn asked_at(&self) -> Option<Instant> {
        self.asked_at
    }

    /// `<a h/>`: everything up to `h` was handled. Returns what that settles, oldest first.
    pub(crate) fn ack(&mut self, h: u32) -> Result<Vec<Tracked>, AckTooHigh> {
        let newly = h.wrapping_sub(self.acked) as usize;
        if newly > self.unacked.len() {
            return Err(AckTooHigh {
                h,
                sent: self.sent(),
            });
        }
        self.acked = h;
        self.asked_at = None;
        // An ack answers the outstanding `<r/>`; later stanzas ask again.
        self.unasked = self.unasked.min(self.unacked.len() - newly);
        Ok(self
            .unacked
            .drain(..newly)
            .filter_map(|u| u.tracked)
            .collect())
    }

    /// §5: on a resumed stream, what the server did not handle goes again, keeping its numbers.
    pub(crate) fn unacked_frames(&self) -> impl Iterator<Item = &Zeroizing<String>> {
        self.unacked.iter().map(|u| &u.frame)
    }

    /// The stanzas are being sent again: one `<r/>` after them.
    pub(crate) fn resent(&mut self) {
        self.asked_at = None;
        self.unasked = self.unacked.len();
    }

    /// Messages of ours the server has not acknowledged yet.
    pub(crate) fn has_unacked_messages(&self) -> bool {
        self.unacked.iter().any(|u| u.tracked.is_some())
    }

    /// §6: the session is gone; the messages it did not handle, to send on the next one.
    pub(crate) fn into_unsent_messages(self) -> Vec<(Tracked, Zeroizing<String>)> {
        self.unacked
            .into_iter()
            .filter_map(|u| u.tracked.map(|t| (t, u.frame)))
            .collect()
    }
}

#[derive(Debug, Default)]
enum State {
    #[default]
    Off,
    /// `<enable/>` is sent; the `<enabled/>` has not come.
    Asked,
    On {
        /// §5: set when the server allows resuming this session.
        resume_id: Option<String>,
        /// How long after a drop the server keeps the session, in milliseconds.
        window_ms: u64,
    },
}

/// The session's half of stream management.
#[derive(Debug, Default)]
pub(crate) struct StreamManagement {
    state: State,
    /// Stanzas from the server we handled since `<enabled/>`.
    handled: u32,
    /// When the connection of a resumable session dropped.
    dropped_at: Option<Instant>,
}

/// §5: a resumption window when the server names none; Prosody's default is longer.
const DEFAULT_WINDOW_MS: u64 = 300_000;
/// A server's window is believed up to this; a resumption tried later fails anyway.
const MAX_WINDOW_MS: u64 = 3_600_000;

impl StreamManagement {
    /// §3: after binding, if the server offers it. Counting our stanzas starts now.
    pub(crate) fn enable() -> Element {
        Element::new("enable", ns::SM).attr("resume", "true")
    }

    pub(crate) fn asked(&mut self) {
        self.state = State::Asked;
    }

    pub(crate) fn is_on(&self) -> bool {
        matches!(self.state, State::On { .. })
    }

    /// `<enabled/>`: the server counts from here, and so do we.
    pub(crate) fn enabled(&mut self, id: Option<String>, resume: bool, max_seconds: Option<u64>) {
        let window_ms = max_seconds
            .map_or(DEFAULT_WINDOW_MS, |s| s.saturating_mul(1000))
            .min(MAX_WINDOW_MS);
        self.state = State::On {
            resume_id: id.filter(|_| resume),
            window_ms,
        };
        self.handled = 0;
        self.dropped_at = None;
    }

    /// One stanza from the server was handled (routed, or dropped as hostile: handled either way).
    pub(crate) fn handled_one(&mut self) {
        if self.is_on() {
            self.handled = self.handled.wrapping_add(1);
        }
    }

    /// `<r/>`: how many we handled.
    pub(crate) fn answer(&self) -> Element {
        Element::new("a", ns::SM).attr("h", self.handled.to_string())
    }

    /// The connection dropped. Returns whether the session can be resumed on the next one.
    pub(crate) fn dropped(&mut self, now: Instant) -> bool {
        match &self.state {
            State::On {
                resume_id: Some(_), ..
            } => {
                self.dropped_at.get_or_insert(now);
                true
            }
            _ => {
                self.off();
                false
            }
        }
    }

    /// §5: the `<resume/>` for a new connection, while the server still keeps the session, or
    /// later when messages wait for an ack (`unacked`): a server that forgot the session may
    /// still say in `<failed h=.../>` what it handled, and those must not go twice.
    pub(crate) fn resume(&self, now: Instant, unacked: bool) -> Option<Element> {
        let State::On {
            resume_id: Some(id),
            window_ms,
        } = &self.state
        else {
            return None;
        };
        let dropped_at = self.dropped_at?;
        (unacked || now < dropped_at.plus_ms(*window_ms)).then(|| {
            Element::new("resume", ns::SM)
                .attr("h", self.handled.to_string())
                .attr("previd", id.as_str())
        })
    }

    /// The session resumed: it goes on counting where it was.
    pub(crate) fn resumed(&mut self) {
        self.dropped_at = None;
    }

    /// The session is over (ended, resumption failed, or the server never enabled it).
    pub(crate) fn off(&mut self) {
        *self = Self::default();
    }
}

/// `<r/>`, sent after stanzas that were not asked about yet.
pub(crate) fn request() -> Element {
    Element::new("r", ns::SM)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: u32) -> Zeroizing<String> {
        Zeroizing::new(format!("<message id='{n}'/>"))
    }

    fn chat(id: &str) -> Option<Tracked> {
        Some(Tracked::Chat {
            peer: BareJid::new("bob@localhost").unwrap(),
            id: id.into(),
        })
    }

    #[test]
    fn acks_settle_the_oldest_first_and_keep_the_rest() {
        let mut ledger = Ledger::default();
        ledger.record(frame(1), chat("m1"));
        ledger.record(frame(2), None);
        ledger.record(frame(3), chat("m3"));
        assert_eq!(ledger.sent(), 3);
        assert_eq!(
            ledger.ack(2).unwrap(),
            chat("m1").into_iter().collect::<Vec<_>>()
        );
        assert_eq!(ledger.unacked_frames().count(), 1);
        // The same h again settles nothing more.
        assert!(ledger.ack(2).unwrap().is_empty());
        assert_eq!(
            ledger.ack(3).unwrap(),
            chat("m3").into_iter().collect::<Vec<_>>()
        );
        assert_eq!(ledger.unacked_frames().count(), 0);
    }

    #[test]
    fn an_ack_beyond_what_was_sent_is_refused_and_changes_nothing() {
        let mut ledger = Ledger::default();
        ledger.record(frame(1), chat("m1"));
        assert_eq!(ledger.ack(2), Err(AckTooHigh { h: 2, sent: 1 }));
        assert_eq!(ledger.unacked_frames().count(), 1);
        // A "smaller" h that is really 2^32 - 1 ahead is just as wrong.
        assert!(ledger.ack(u32::MAX).is_err());
    }

    #[test]
    fn counters_wrap_at_two_to_the_thirty_second() {
        let mut ledger = Ledger {
            acked: u32::MAX - 1,
            ..Ledger::default()
        };
        for n in 0..4 {
            ledger.record(frame(n), chat(&format!("m{n}")));
        }
        assert_eq!(ledger.sent(), 2, "u32::MAX - 1 + 4 wraps to 2");
        let settled = ledger.ack(0).unwrap();
        assert_eq!(settled.len(), 2, "MAX - 1 -> MAX -> 0 settles two");
        assert_eq!(ledger.ack(2).unwrap().len(), 2);

        let mut sm = StreamManagement::default();
        sm.enabled(Some("s".into()), true, None);
        sm.handled = u32::MAX;
        sm.handled_one();
        assert_eq!(sm.answer().get_attr("h"), Some("0"));
    }

    #[test]
    fn one_request_at_a_time_and_again_for_stanzas_after_it() {
        let mut ledger = Ledger::default();
        assert!(!ledger.take_ask(Instant(5)), "nothing to ask about");
        ledger.record(frame(1), None);
        ledger.record(frame(2), None);
        assert!(ledger.take_ask(Instant(5)));
        assert_eq!(ledger.asked_at(), Some(Instant(5)));
        ledger.record(frame(3), None);
        assert!(!ledger.take_ask(Instant(6)), "one <r/> is out");
        ledger.ack(2).unwrap();
        assert_eq!(ledger.asked_at(), None);
        assert!(ledger.take_ask(Instant(7)), "the third was not asked about");
        ledger.ack(3).unwrap();
        assert!(!ledger.take_ask(Instant(8)));
    }

    #[test]
    fn only_messages_are_carried_to_a_new_session() {
        let mut ledger = Ledger::default();
        ledger.record(frame(1), chat("m1"));
        ledger.record(frame(2), None);
        ledger.record(frame(3), chat("m3"));
        ledger.ack(1).unwrap();
        let carried = ledger.into_unsent_messages();
        assert_eq!(carried.len(), 1);
        assert_eq!(carried[0].0, chat("m3").unwrap());
        assert_eq!(carried[0].1.as_str(), "<message id='3'/>");
    }

    #[test]
    fn resumption_is_offered_only_inside_the_window_of_a_resumable_session() {
        let mut sm = StreamManagement::default();
        assert!(!sm.dropped(Instant(0)), "never enabled");
        sm.enabled(Some("sid".into()), true, Some(10));
        sm.handled_one();
        sm.handled_one();
        assert!(sm.dropped(Instant(1_000)));
        let resume = sm
            .resume(Instant(10_999), false)
            .expect("inside the window");
        assert_eq!(resume.get_attr("h"), Some("2"));
        assert_eq!(resume.get_attr("previd"), Some("sid"));
        assert!(
            sm.resume(Instant(11_000), false).is_none(),
            "the window closed"
        );
        assert!(
            sm.resume(Instant(11_000), true).is_some(),
            "messages wait for an ack"
        );

        let mut plain = StreamManagement::default();
        plain.enabled(Some("sid".into()), false, None);
        assert!(
            !plain.dropped(Instant(0)),
            "the server did not allow resumption"
        );
        assert!(plain.resume(Instant(0), true).is_none());
    }

    #[test]
    fn nothing_is_counted_before_enabled() {
        let mut sm = StreamManagement::default();
        sm.asked();
        sm.handled_one();
        sm.enabled(None, false, None);
        sm.handled_one();
        assert_eq!(sm.answer().get_attr("h"), Some("1"));
    }
}
