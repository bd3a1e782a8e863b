//! How a stretch of a conversation is laid out: a day separator where the local day changes, and
//! a message grouped under the one before it when the same sender wrote it soon after (its name
//! is then not repeated). The caller says which day a time falls on, since only the browser
//! knows the person's time zone.

use super::timeline::{Entry, MessageState};
use crate::xmpp::delay::UnixMillis;

/// Messages closer together than this, from one sender, are one group.
pub const GROUP_WITHIN_MS: UnixMillis = 5 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub entry: Entry,
    /// The first message of its day here: a separator goes before it.
    pub new_day: bool,
    /// Same sender as the message before, soon after it, on the same day.
    pub continued: bool,
}

/// Places `entries`, of which `before` (if any) is the message just before the first.
pub fn place<D: PartialEq>(
    before: Option<&Entry>,
    entries: Vec<Entry>,
    day_of: impl Fn(UnixMillis) -> D,
) -> Vec<Placed> {
    let mut previous: Option<(Entry, D)> = before.map(|e| (e.clone(), day_of(e.time)));
    entries
        .into_iter()
        .map(|entry| {
            let day = day_of(entry.time);
            let (new_day, continued) = match &previous {
                None => (true, false),
                Some((prev, prev_day)) => {
                    let same_day = *prev_day == day;
                    (!same_day, same_day && same_sender_soon(prev, &entry))
                }
            };
            previous = Some((entry.clone(), day));
            Placed {
                entry,
                new_day,
                continued,
            }
        })
        .collect()
}

fn same_sender_soon(prev: &Entry, next: &Entry) -> bool {
    // A failed message carries its own explanation: it stands alone, and so does the next one.
    let failed = |e: &Entry| matches!(e.state, MessageState::Failed(_) | MessageState::Unconfirmed);
    prev.direction == next.direction
        && prev.nick == next.nick
        && prev.private == next.private
        && !failed(prev)
        && !failed(next)
        && (0..=GROUP_WITHIN_MS).contains(&(next.time - prev.time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::Direction;

    const MINUTE: UnixMillis = 60_000;
    const DAY: UnixMillis = 24 * 60 * MINUTE;

    fn entry(seq: u64, direction: Direction, nick: Option<&str>, time: UnixMillis) -> Entry {
        Entry {
            seq,
            id: seq.to_string(),
            direction,
            body: "hi".into(),
            state: MessageState::Sent,
            time,
            nick: nick.map(Into::into),
            mention: false,
            private: false,
            markable: false,
            archive_id: None,
            original_body: None,
            correction_id: None,
            replaces: None,
        }
    }

    fn flags(placed: &[Placed]) -> Vec<(bool, bool)> {
        placed.iter().map(|p| (p.new_day, p.continued)).collect()
    }

    #[test]
    fn one_sender_within_five_minutes_is_one_group() {
        let entries = vec![
            entry(1, Direction::In, None, 0),
            entry(2, Direction::In, None, 4 * MINUTE),
            entry(3, Direction::In, None, 9 * MINUTE + 1),
            entry(4, Direction::Out, None, 10 * MINUTE),
            entry(5, Direction::Out, None, 11 * MINUTE),
        ];
        let placed = place(None, entries, |t| t / DAY);
        assert_eq!(
            flags(&placed),
            [
                (true, false),
                (false, true),
                (false, false),
                (false, false),
                (false, true)
            ]
        );
    }

    #[test]
    fn in_a_room_the_nick_is_the_sender() {
        let entries = vec![
            entry(1, Direction::In, Some("alice"), 0),
            entry(2, Direction::In, Some("bob"), MINUTE),
            entry(3, Direction::In, Some("bob"), 2 * MINUTE),
        ];
        assert_eq!(
            flags(&place(None, entries, |t| t / DAY)),
            [(true, false), (false, false), (false, true)]
        );
    }

    #[test]
    fn a_new_day_gets_a_separator_and_starts_a_group() {
        let entries = vec![
            entry(2, Direction::In, None, DAY - MINUTE),
            entry(3, Direction::In, None, DAY + MINUTE),
        ];
        let before = entry(1, Direction::In, None, DAY - 2 * MINUTE);
        assert_eq!(
            flags(&place(Some(&before), entries, |t| t / DAY)),
            [(false, true), (true, false)]
        );
    }

    #[test]
    fn a_failed_message_and_a_message_out_of_order_stand_alone() {
        let mut failed = entry(2, Direction::Out, None, MINUTE);
        failed.state = MessageState::Unconfirmed;
        let entries = vec![
            entry(1, Direction::Out, None, 0),
            failed,
            entry(3, Direction::Out, None, 2 * MINUTE),
            // Delayed: stamped before the one above it.
            entry(4, Direction::Out, None, MINUTE),
        ];
        assert_eq!(
            flags(&place(None, entries, |t| t / DAY)),
            [
                (true, false),
                (false, false),
                (false, false),
                (false, false)
            ]
        );
    }
}
