//! XEP-0308 corrections in a timeline.
//!
//! §4 and §5: only the sender corrects. A one-to-one timeline is one bare address's
//! conversation, so a correction replaces a message of its own direction only: the peer's
//! devices correct the peer's messages, ours ours. In a room, theirs also needs the same nick,
//! and the core has checked that the occupant wrote the original in its present stay. A correction of a message that is not here (older than what is
//! loaded, or never received) shows as a message of its own, marked edited; when the original
//! comes later with an older page, it stays out, the correction already saying what it became.
//! Each correction names the first message (§4), so applying them in order leaves the last
//! text; the text it first had is kept.

use super::{cut, Entry, Identity, MessageState, Timeline};
use crate::xmpp::Direction;

impl Timeline {
    /// Our newest message (sent from here or elsewhere, not a private one in a room) that can
    /// still be corrected, not one that bounced: what the Up arrow in an empty composer edits.
    pub fn last_own(&self) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.direction == Direction::Out && !e.private)
            .filter(|e| !matches!(e.state, MessageState::Failed(_)))
    }

    /// We corrected our message `original` from here: its new text shows now, pending until
    /// the server (or the room's echo) confirms the correction `id`. Returns whether the
    /// message was found.
    pub fn correct_own(&mut self, original: &str, id: String, body: String) -> bool {
        self.seen
            .insert(super::identity(Direction::Out, &id, &body));
        if !self.apply_correction(Direction::Out, None, original, &id, &body) {
            return false;
        }
        if let Some(entry) = self.corrected_mut(Direction::Out, None, original) {
            entry.state = MessageState::Pending;
        }
        true
    }

    /// Replaces the text of the newest message `original` of `direction` (and, theirs in a
    /// room, of the occupant `nick`) with a correction's. Returns whether it was here.
    pub(super) fn apply_correction(
        &mut self,
        direction: Direction,
        nick: Option<&str>,
        original: &str,
        correction_id: &str,
        body: &str,
    ) -> bool {
        let limit = self.limits.body_chars;
        let Some(entry) = self.corrected_mut(direction, nick, original) else {
            return false;
        };
        let before = std::mem::replace(&mut entry.body, cut(body.to_owned(), limit));
        entry.original_body.get_or_insert(before);
        entry.correction_id = Some(correction_id.to_owned());
        true
    }

    fn corrected_mut(
        &mut self,
        direction: Direction,
        nick: Option<&str>,
        original: &str,
    ) -> Option<&mut Entry> {
        self.entries
            .iter_mut()
            .rev()
            .find(|e| corrects(e, direction, nick, original))
    }

    /// Whether a correction of `id` (from `direction`, and `nick` in a room) already shows
    /// here without it: then the message itself, arriving late, would say what it no longer
    /// says.
    pub(super) fn superseded(&self, direction: Direction, nick: Option<&str>, id: &str) -> bool {
        self.entries.iter().any(|e| {
            e.replaces.as_deref() == Some(id)
                && e.direction == direction
                && (direction == Direction::Out || e.nick.as_deref() == nick)
        })
    }

    /// An older page, oldest first: its corrections go into the messages they correct (in the
    /// page, or already here); an original whose correction shows here already stays out.
    pub(super) fn fold_corrections(
        &mut self,
        page: Vec<(Identity, Entry)>,
    ) -> Vec<(Identity, Entry)> {
        let mut folded: Vec<(Identity, Entry)> = Vec::with_capacity(page.len());
        for (seen, entry) in page {
            if self.superseded(entry.direction, entry.nick.as_deref(), &entry.id) {
                continue;
            }
            let Some(original) = entry.replaces.clone() else {
                folded.push((seen, entry));
                continue;
            };
            let (direction, nick) = (entry.direction, entry.nick.as_deref());
            let target = folded
                .iter_mut()
                .rev()
                .find(|(_, e)| corrects(e, direction, nick, &original));
            if let Some((_, target)) = target {
                let before = std::mem::replace(&mut target.body, entry.body);
                target.original_body.get_or_insert(before);
                target.correction_id = Some(entry.id);
                self.seen.insert(seen);
            } else if self.seen.contains(&seen)
                || self.apply_correction(direction, nick, &original, &entry.id, &entry.body)
            {
                self.seen.insert(seen);
            } else {
                folded.push((seen, entry));
            }
        }
        folded
    }
}

/// Whether a correction from `direction` (and `nick`, theirs in a room) of `original` may
/// replace `entry`: the same message, from the same side, not a private one. Ours are ours
/// whatever our nick was then.
fn corrects(entry: &Entry, direction: Direction, nick: Option<&str>, original: &str) -> bool {
    entry.direction == direction
        && entry.id == original
        && !entry.private
        && (direction == Direction::Out || entry.nick.as_deref() == nick)
}

#[cfg(test)]
mod tests {
    use super::super::tests::room_message as room;
    use super::super::Limits;
    use super::*;
    use crate::xmpp::jid::BareJid;
    use crate::xmpp::{ChatMessage, Receipt};

    fn msg(id: &str, direction: Direction, body: &str, replaces: Option<&str>) -> ChatMessage {
        ChatMessage {
            id: id.into(),
            peer: BareJid::new("bob@example.org").expect("a valid address"),
            direction,
            body: body.into(),
            sent_at: None,
            markable: false,
            archive_id: None,
            replaces: replaces.map(Into::into),
        }
    }

    fn bodies(t: &Timeline) -> Vec<(String, bool)> {
        t.slice(0, t.len())
            .into_iter()
            .map(|e| (e.body.clone(), e.edited()))
            .collect()
    }

    #[test]
    fn the_peer_corrects_their_message_in_place() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push(msg("a", Direction::In, "helo", None), 1);
        t.push(msg("b", Direction::In, "next", None), 2);
        assert!(t.push(msg("c", Direction::In, "hello", Some("a")), 3));
        assert!(t.push(msg("d", Direction::In, "hello!", Some("a")), 4));
        assert_eq!(
            bodies(&t),
            [("hello!".into(), true), ("next".into(), false)]
        );
        assert_eq!(t.slice(0, 1)[0].original_body.as_deref(), Some("helo"));
        // The same correction again (a carbon, a catch-up) changes nothing.
        assert!(!t.push(msg("d", Direction::In, "hello!", Some("a")), 5));
    }

    #[test]
    fn no_one_corrects_another_senders_message() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push_own(msg("mine", Direction::Out, "I owe you 5", None), 1);
        // The peer naming our message's id: shown as their own message, ours untouched.
        assert!(t.push(msg("x", Direction::In, "I owe you 500", Some("mine")), 2));
        assert_eq!(
            bodies(&t),
            [
                ("I owe you 5".into(), false),
                ("I owe you 500".into(), true)
            ]
        );
    }

    #[test]
    fn our_correction_is_pending_then_confirmed_by_its_own_id() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push_own(msg("m1", Direction::Out, "teh", None), 1);
        t.mark_own("m1", MessageState::Sent);
        assert_eq!(t.last_own().map(|e| e.id.as_str()), Some("m1"));
        assert!(t.correct_own("m1", "m2".into(), "the".into()));
        let entry = &t.slice(0, 1)[0];
        assert_eq!(
            (entry.body.as_str(), &entry.state),
            ("the", &MessageState::Pending)
        );
        assert!(t.mark_own("m2", MessageState::Sent));
        assert!(t.receipt("m2", Receipt::Received));
        assert_eq!(t.slice(0, 1)[0].state, MessageState::Received);
        // A carbon of the same correction does not add a row.
        assert!(!t.push(msg("m2", Direction::Out, "the", Some("m1")), 3));
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_correction_of_an_unknown_message_shows_as_edited() {
        let mut t = Timeline::new(Limits::CONTACT);
        assert!(t.push(msg("c", Direction::In, "fixed", Some("gone")), 1));
        assert_eq!(bodies(&t), [("fixed".into(), true)]);
        // Its original comes with an older page: it stays out.
        t.prepend(vec![msg("gone", Direction::In, "fxied", None)], 2);
        assert_eq!(bodies(&t), [("fixed".into(), true)]);
    }

    #[test]
    fn the_original_arriving_after_its_correction_stays_out() {
        let mut t = Timeline::new(Limits::CONTACT);
        assert!(t.push(msg("c", Direction::In, "fixed", Some("a")), 1));
        assert!(!t.push(msg("a", Direction::In, "fxied", None), 2));
        assert_eq!(bodies(&t), [("fixed".into(), true)]);
    }

    #[test]
    fn an_older_page_applies_its_own_corrections() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push(msg("z", Direction::In, "latest", None), 9);
        let page = vec![
            msg("a", Direction::In, "frist", None),
            msg("b", Direction::Out, "reply", None),
            msg("c", Direction::In, "first", Some("a")),
        ];
        assert_eq!(t.prepend(page, 10), 2);
        assert_eq!(
            bodies(&t),
            [
                ("first".into(), true),
                ("reply".into(), false),
                ("latest".into(), false)
            ]
        );
        // The live copy of the original does not come back beside it.
        assert!(!t.push(msg("a", Direction::In, "frist", None), 11));
    }

    #[test]
    fn a_bounced_message_is_not_offered_for_editing() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push_own(msg("m1", Direction::Out, "hi", None), 1);
        t.mark_own(
            "m1",
            MessageState::Failed(crate::xmpp::stanza::StanzaError::undefined()),
        );
        assert!(t.last_own().is_none());
    }

    #[test]
    fn in_a_room_only_the_same_nick_corrects() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push_room(room("a", "bob", "helo", false, None), 1);
        // mallory naming bob's message: her own message, bob's untouched.
        assert!(t.push_room(room("m", "mallory", "bob is wrong", false, Some("a")), 2));
        assert!(t.push_room(room("b", "bob", "hello", false, Some("a")), 3));
        assert_eq!(
            bodies(&t),
            [("hello".into(), true), ("bob is wrong".into(), true)]
        );
    }

    #[test]
    fn our_room_correction_is_confirmed_by_the_rooms_echo() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push_own_room(room("m1", "me", "teh", true, None), 1);
        assert!(!t.push_room(room("m1", "me", "teh", true, None), 2));
        assert_eq!(t.last_own().map(|e| e.id.as_str()), Some("m1"));
        assert!(t.correct_own("m1", "m2".into(), "the".into()));
        assert_eq!(t.slice(0, 1)[0].state, MessageState::Pending);
        // The echo of the correction: no new row, the message is sent.
        assert!(!t.push_room(room("m2", "me", "the", true, Some("m1")), 3));
        assert_eq!(bodies(&t), [("the".into(), true)]);
        assert_eq!(t.slice(0, 1)[0].state, MessageState::Sent);
    }

    #[test]
    fn a_rooms_older_page_folds_corrections_by_the_same_nick_only() {
        let mut t = Timeline::new(Limits::CONTACT);
        let page = vec![
            room("a", "bob", "frist", false, None),
            room("x", "eve", "bob says hi", false, Some("a")),
            room("b", "bob", "first", false, Some("a")),
        ];
        assert_eq!(t.prepend_room(page, 10), 2);
        assert_eq!(
            bodies(&t),
            [("first".into(), true), ("bob says hi".into(), true)]
        );
    }
}
