//! One conversation's messages. Rows are keyed by a local sequence number, never by a stanza id:
//! ids come from peers, may repeat, and a keyed view with repeated keys loses or misplaces rows.
//!
//! The same message delivered twice (a server replay, a carbon of a message we also got directly)
//! shows once: it is recognised by direction, id and body. A peer reusing one of our ids, or
//! reusing its own id for different text, still gets its message shown. Only our own outgoing
//! messages change state, so a peer cannot mark our messages as failed by echoing their ids.
//!
//! A room's conversation is a timeline too: its entries carry the occupant's nick, whether they
//! mention us, and whether they were private; our own messages come back from the room, which
//! confirms them.
//!
//! Corrections (XEP-0308) replace the text of a message here: [`correction`].

mod correction;

use crate::xmpp::delay::UnixMillis;
use crate::xmpp::muc::RoomMessage;
use crate::xmpp::stanza::StanzaError;
use crate::xmpp::{ChatMessage, Direction, Receipt};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageState {
    /// Ours, handed to the server, not yet confirmed.
    Pending,
    /// Ours, and the server has it.
    Sent,
    /// Theirs; or ours, and the peer's device has it (XEP-0184).
    Received,
    /// Ours, and the peer has seen it (XEP-0333).
    Displayed,
    /// Ours, bounced with this error; its text is the peer's or its server's words.
    Failed(StanzaError),
    /// Ours, and the connection died before the server confirmed it: it may not have arrived.
    Unconfirmed,
}

impl MessageState {
    /// A message that reached us: theirs is received; ours from another device (a carbon, the
    /// archive) went through the server, so it was sent.
    fn arrived(direction: Direction) -> Self {
        match direction {
            Direction::In => Self::Received,
            Direction::Out => Self::Sent,
        }
    }
    /// How far a message of ours got; a state only gives way to one further on.
    fn progress(&self) -> u8 {
        match self {
            Self::Pending | Self::Unconfirmed => 0,
            Self::Sent => 1,
            Self::Received => 2,
            Self::Displayed => 3,
            Self::Failed(_) => 4,
        }
    }

    /// The `data-state` of the UI contract.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Displayed => "displayed",
            Self::Failed(_) | Self::Unconfirmed => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The row's key: unique in this timeline, in arrival order.
    pub seq: u64,
    /// The stanza's origin id or id, as the peer sent it (or ours). Not unique.
    pub id: String,
    pub direction: Direction,
    /// Untrusted: rendered as text.
    pub body: String,
    pub state: MessageState,
    /// When it was sent, in milliseconds since 1970 (a delay stamp, else arrival).
    pub time: UnixMillis,
    /// In a room: the occupant's nick (`None` for the room itself). Untrusted text.
    pub nick: Option<String>,
    /// In a room: the body names our nick.
    pub mention: bool,
    /// In a room: a private message from the occupant, not to the whole room.
    pub private: bool,
    /// Theirs, and they asked to hear when it was displayed (XEP-0333).
    pub markable: bool,
    /// XEP-0359: its id in our own account's archive, once known.
    pub archive_id: Option<String>,
    /// XEP-0308: the text it had before it was corrected; `Some` means "edited".
    pub original_body: Option<String>,
    /// XEP-0308: the id of its latest correction, which receipts and acks name.
    pub correction_id: Option<String>,
    /// XEP-0308: a correction whose original is not here (older than what is loaded): the id
    /// it corrects, so the original does not show beside it when its page comes. A remembered
    /// device's edited message names itself: it kept the latest text only.
    pub replaces: Option<String>,
}

impl Entry {
    /// Whether an ack or a receipt for `id` is about this message: its own id, or that of its
    /// latest correction.
    fn answers_to(&self, id: &str) -> bool {
        self.id == id || self.correction_id.as_deref() == Some(id)
    }

    /// XEP-0308 §4: shown as edited, whether its original is here or not.
    pub fn edited(&self) -> bool {
        self.original_body.is_some() || self.replaces.is_some()
    }
}

/// Who a message is recognised as, for deduplication.
type Identity = (Direction, String, u64);

/// How much a conversation keeps: a stranger (a message request) gets little, since anyone can
/// send one, and every byte of it is theirs to choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Messages kept; older ones are dropped first.
    pub messages: usize,
    /// Characters of a body kept; the rest is cut (marked with "…").
    pub body_chars: usize,
}

impl Limits {
    pub const CONTACT: Self = Self {
        messages: 10_000,
        body_chars: usize::MAX,
    };
    pub const STRANGER: Self = Self {
        messages: 20,
        body_chars: 4_000,
    };
}

#[derive(Debug, Clone)]
pub struct Timeline {
    entries: VecDeque<Entry>,
    seen: HashSet<Identity>,
    /// Archive ids of the entries (XEP-0359, stamped by our own archive): the same message by
    /// another path (a carbon, a catch-up, a history page) is recognised by it first.
    archived: HashSet<String>,
    next_seq: u64,
    limits: Limits,
    /// Messages dropped from the front so far, so a window over the history can stay in place.
    dropped: usize,
    /// The peer is composing (XEP-0085).
    pub typing: bool,
    /// Chat states received so far: tells a timer whether a newer one came since it was set.
    states: u64,
    /// Messages put before the others (older history) since the conversation began, so a
    /// window over it can stay on the same messages.
    prepended: usize,
    /// The archive's history of this conversation (XEP-0313).
    pub history: HistoryStatus,
}

/// How much of a conversation's archived history is here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HistoryStatus {
    /// A page has been asked for at least once.
    pub started: bool,
    /// A page is on its way.
    pub loading: bool,
    /// The archive has nothing older.
    pub complete: bool,
}

impl Timeline {
    pub fn new(limits: Limits) -> Self {
        Self {
            entries: VecDeque::new(),
            seen: HashSet::new(),
            archived: HashSet::new(),
            next_seq: 0,
            limits: Limits {
                messages: limits.messages.max(1),
                ..limits
            },
            dropped: 0,
            typing: false,
            states: 0,
            prepended: 0,
            history: HistoryStatus::default(),
        }
    }

    /// A chat state from the peer; returns its number, for [`Timeline::typing_expired`].
    pub fn set_typing(&mut self, composing: bool) -> u64 {
        self.typing = composing;
        self.states += 1;
        self.states
    }

    /// The time for the chat state numbered `state` is up: if none came since, the peer is
    /// no longer typing.
    pub fn typing_expired(&mut self, state: u64) {
        if self.states == state {
            self.typing = false;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The messages in `[start, end)`, oldest first.
    pub fn slice(&self, start: usize, end: usize) -> Vec<Entry> {
        let end = end.min(self.entries.len());
        self.entries.range(start.min(end)..end).cloned().collect()
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// How many messages have been put before the others since the conversation began.
    pub fn prepended(&self) -> usize {
        self.prepended
    }

    /// The messages a remembered device kept (oldest first), each in the state it had, into a
    /// new timeline. With an archive id among them, older pages start before it (the core was
    /// told), so the latest page is not asked for again.
    pub fn restore(&mut self, messages: Vec<(ChatMessage, MessageState)>, complete: bool) {
        let marked = messages.iter().any(|(m, _)| m.archive_id.is_some());
        for (m, state) in messages {
            let identity = identity(m.direction, &m.id, &m.body);
            if !self.is_new(&identity, m.archive_id.as_deref()) {
                continue;
            }
            self.next_seq += 1;
            self.entries.push_back(Entry {
                seq: self.next_seq,
                id: m.id,
                direction: m.direction,
                body: cut(m.body, self.limits.body_chars),
                state,
                time: m.sent_at.unwrap_or_default(),
                nick: None,
                mention: false,
                private: false,
                markable: false,
                archive_id: m.archive_id,
                original_body: None,
                correction_id: None,
                replaces: m.replaces,
            });
        }
        self.trim();
        self.history = HistoryStatus {
            started: marked,
            loading: false,
            complete: marked && complete,
        };
    }

    /// A page of older history (oldest first) goes before everything here; what is already
    /// here (a live copy, an earlier page) is skipped. Nothing goes in once the conversation
    /// holds all it may keep. Returns how many were added.
    pub fn prepend(&mut self, messages: Vec<ChatMessage>, now: UnixMillis) -> usize {
        let entries = messages
            .into_iter()
            .map(|m| {
                let entry = Entry {
                    seq: 0,
                    id: m.id,
                    direction: m.direction,
                    body: cut(m.body, self.limits.body_chars),
                    state: MessageState::arrived(m.direction),
                    time: m.sent_at.map_or(now, |stamp| stamp.min(now)),
                    nick: None,
                    mention: false,
                    private: false,
                    // Markers go for the newest message only, which history never is.
                    markable: false,
                    archive_id: m.archive_id,
                    original_body: None,
                    correction_id: None,
                    replaces: m.replaces,
                };
                (identity(entry.direction, &entry.id, &entry.body), entry)
            })
            .collect();
        let entries = self.fold_corrections(entries);
        self.prepend_entries(entries)
    }

    /// A page of a room's older archive: as [`Timeline::prepend`].
    pub fn prepend_room(&mut self, messages: Vec<RoomMessage>, now: UnixMillis) -> usize {
        let entries = messages
            .into_iter()
            .map(|m| {
                let direction = if m.own { Direction::Out } else { Direction::In };
                let nick = m.nick.unwrap_or_default();
                let identity = identity(direction, &m.id, &format!("{nick}\n{}", m.body));
                let entry = Entry {
                    seq: 0,
                    id: m.id,
                    direction,
                    body: cut(m.body, self.limits.body_chars),
                    state: MessageState::arrived(direction),
                    time: m.sent_at.map_or(now, |stamp| stamp.min(now)),
                    nick: Some(nick),
                    mention: m.mention,
                    private: false,
                    markable: false,
                    archive_id: None,
                    original_body: None,
                    correction_id: None,
                    replaces: m.replaces,
                };
                (identity, entry)
            })
            .collect();
        let entries = self.fold_corrections(entries);
        self.prepend_entries(entries)
    }

    fn prepend_entries(&mut self, entries: Vec<(Identity, Entry)>) -> usize {
        let room = self.limits.messages.saturating_sub(self.entries.len());
        let mut fresh: Vec<(Identity, Entry)> = entries
            .into_iter()
            .filter(|(identity, entry)| self.is_new(identity, entry.archive_id.as_deref()))
            .collect();
        // The newest of the page are the ones next to what is here.
        let skip = fresh.len().saturating_sub(room);
        for (identity, entry) in fresh.drain(..skip) {
            self.forget(&identity, entry.archive_id.as_deref());
        }
        let added = fresh.len();
        for (_, mut entry) in fresh.into_iter().rev() {
            self.next_seq += 1;
            entry.seq = self.next_seq;
            self.entries.push_front(entry);
        }
        self.prepended += added;
        added
    }

    /// How many messages have been dropped from the front since the conversation began.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Lets a conversation with someone who became a contact keep more.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
        self.trim();
    }

    /// Adds a received message (or a carbon of ours) unless it is already there; `now` is when it reached us, and a sender's
    /// delay stamp can make a message older, never newer. Returns whether it was added.
    pub fn push(&mut self, message: ChatMessage, now: UnixMillis) -> bool {
        let identity = identity(message.direction, &message.id, &message.body);
        if !self.is_new(&identity, message.archive_id.as_deref()) {
            return false;
        }
        if self.superseded(message.direction, None, &message.id) {
            return false;
        }
        if message.direction == Direction::In {
            self.typing = false;
        }
        if let Some(original) = &message.replaces {
            if self.apply_correction(
                message.direction,
                None,
                original,
                &message.id,
                &message.body,
            ) {
                return true;
            }
        }
        self.next_seq += 1;
        let body = cut(message.body, self.limits.body_chars);
        let state = MessageState::arrived(message.direction);
        self.entries.push_back(Entry {
            seq: self.next_seq,
            id: message.id,
            direction: message.direction,
            body,
            state,
            time: message.sent_at.map_or(now, |stamp| stamp.min(now)),
            nick: None,
            mention: false,
            private: false,
            markable: message.direction == Direction::In && message.markable,
            archive_id: message.archive_id,
            original_body: None,
            correction_id: None,
            replaces: message.replaces,
        });
        self.trim();
        true
    }

    /// A message in a room. Ours, reflected by the room, confirms the one we sent; history the
    /// room sends again (after entering it again) shows once. Returns whether it was added.
    pub fn push_room(&mut self, message: RoomMessage, now: UnixMillis) -> bool {
        let direction = if message.own {
            Direction::Out
        } else {
            Direction::In
        };
        if message.own && self.mark_own(&message.id, MessageState::Sent) {
            return false;
        }
        let nick = message.nick.as_deref().unwrap_or_default();
        let identity = identity(direction, &message.id, &format!("{nick}\n{}", message.body));
        if !self.seen.insert(identity) {
            return false;
        }
        if self.superseded(direction, message.nick.as_deref(), &message.id) {
            return false;
        }
        if let Some(original) = &message.replaces {
            let nick = message.nick.as_deref();
            if self.apply_correction(direction, nick, original, &message.id, &message.body) {
                return true;
            }
        }
        self.next_seq += 1;
        self.entries.push_back(Entry {
            seq: self.next_seq,
            id: message.id,
            direction,
            body: cut(message.body, self.limits.body_chars),
            state: match direction {
                Direction::In => MessageState::Received,
                Direction::Out => MessageState::Sent,
            },
            time: message.sent_at.map_or(now, |stamp| stamp.min(now)),
            nick: message.nick,
            mention: message.mention,
            private: message.private,
            markable: false,
            archive_id: None,
            original_body: None,
            correction_id: None,
            replaces: message.replaces,
        });
        self.trim();
        true
    }

    /// A message we sent to a room from here: pending until the room reflects it (or, private,
    /// until the server confirms it).
    pub fn push_own_room(&mut self, message: RoomMessage, now: UnixMillis) {
        self.append_own(message.id, message.body, message.nick, message.private, now);
    }

    /// A message we sent from this device: pending until the server confirms it.
    pub fn push_own(&mut self, message: ChatMessage, now: UnixMillis) {
        let identity = identity(message.direction, &message.id, &message.body);
        self.seen.insert(identity);
        self.append_own(message.id, message.body, None, false, now);
    }

    fn append_own(
        &mut self,
        id: String,
        body: String,
        nick: Option<String>,
        private: bool,
        now: UnixMillis,
    ) {
        self.next_seq += 1;
        self.entries.push_back(Entry {
            seq: self.next_seq,
            id,
            direction: Direction::Out,
            body,
            state: MessageState::Pending,
            time: now,
            nick,
            mention: false,
            private,
            markable: false,
            archive_id: None,
            original_body: None,
            correction_id: None,
            replaces: None,
        });
        self.trim();
    }

    /// Whether a message of ours is still waiting for the server (written offline, say).
    pub fn has_pending(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.direction == Direction::Out && e.state == MessageState::Pending)
    }

    /// Changes the state of our own outgoing message `id`; incoming messages never change.
    /// Returns whether a message was found.
    pub fn mark_own(&mut self, id: &str, state: MessageState) -> bool {
        match self
            .entries
            .iter_mut()
            .rev()
            .find(|e| e.direction == Direction::Out && e.answers_to(id))
        {
            Some(entry) => {
                // A bounce is the last word: a late confirmation or the connection's end does not
                // undo it (nor lose the peer's error text); a late server ack does not undo the
                // peer's receipt. A confirmation undoes "unconfirmed".
                if state.progress() >= entry.state.progress()
                    && !matches!(entry.state, MessageState::Failed(_))
                {
                    entry.state = state;
                }
                true
            }
            None => false,
        }
    }

    /// The peer's receipt (XEP-0184) or displayed marker (XEP-0333) for our message `id`. A
    /// marker covers every message of ours before it too (XEP-0333 §3). Receipts for ids we
    /// never sent change nothing. Returns whether a message was found.
    pub fn receipt(&mut self, id: &str, receipt: Receipt) -> bool {
        match receipt {
            Receipt::Received => self.mark_own(id, MessageState::Received),
            Receipt::Displayed => {
                let Some(at) = self
                    .entries
                    .iter()
                    .rposition(|e| e.direction == Direction::Out && e.answers_to(id))
                else {
                    return false;
                };
                for entry in self.entries.range_mut(..=at) {
                    if entry.direction == Direction::Out
                        && entry.state.progress() < MessageState::Displayed.progress()
                    {
                        entry.state = MessageState::Displayed;
                    }
                }
                true
            }
        }
    }

    /// Their newest message, if it asks for a displayed marker: its id.
    pub fn markable_tip(&self) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.direction == Direction::In)
            .filter(|e| e.markable)
            .map(|e| e.id.as_str())
    }

    fn trim(&mut self) {
        while self.entries.len() > self.limits.messages {
            if let Some(old) = self.entries.pop_front() {
                self.dropped += 1;
                // Seen under the text it came with, before any correction.
                let body = old.original_body.as_ref().unwrap_or(&old.body);
                let text = match &old.nick {
                    Some(nick) => format!("{nick}\n{body}"),
                    None => body.clone(),
                };
                self.forget(
                    &identity(old.direction, &old.id, &text),
                    old.archive_id.as_deref(),
                );
            }
        }
    }

    /// Whether a message is not here yet, by its archive id and then by who it is; a copy that
    /// brings the archive id of one here without it gives it that id. Records it as seen.
    fn is_new(&mut self, identity: &Identity, archive_id: Option<&str>) -> bool {
        if archive_id.is_some_and(|id| self.archived.contains(id)) {
            return false;
        }
        if !self.seen.insert(identity.clone()) {
            if let Some(id) = archive_id {
                let (direction, message_id, _) = identity;
                if let Some(entry) = self.entries.iter_mut().rev().find(|e| {
                    e.archive_id.is_none() && e.direction == *direction && e.id == *message_id
                }) {
                    entry.archive_id = Some(id.to_owned());
                    self.archived.insert(id.to_owned());
                }
            }
            return false;
        }
        if let Some(id) = archive_id {
            self.archived.insert(id.to_owned());
        }
        true
    }

    fn forget(&mut self, identity: &Identity, archive_id: Option<&str>) {
        self.seen.remove(identity);
        if let Some(id) = archive_id {
            self.archived.remove(id);
        }
    }
}

/// `body` cut to `limit` characters, with an ellipsis when something was cut.
fn cut(body: String, limit: usize) -> String {
    match body.char_indices().nth(limit) {
        Some((at, _)) => {
            let mut kept = body[..at].to_owned();
            kept.push('…');
            kept
        }
        None => body,
    }
}

fn identity(direction: Direction, id: &str, body: &str) -> Identity {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    (direction, id.to_owned(), hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::jid::BareJid;

    fn msg(id: &str, direction: Direction, body: &str) -> ChatMessage {
        ChatMessage {
            id: id.into(),
            peer: BareJid::new("bob@localhost").unwrap(),
            direction,
            body: body.into(),
            sent_at: None,
            markable: direction == Direction::In,
            archive_id: None,
            replaces: None,
        }
    }

    #[test]
    fn the_same_archive_id_shows_once_whichever_way_it_came() {
        let mut t = Timeline::new(Limits::CONTACT);
        let mut live = msg("a", Direction::In, "hi");
        live.archive_id = Some("A1".into());
        assert!(t.push(live, 1));
        // A copy under another id (one path kept the origin id, the other did not).
        let mut copy = msg("other", Direction::In, "hi");
        copy.archive_id = Some("A1".into());
        assert!(!t.push(copy.clone(), 2));
        assert_eq!(t.prepend(vec![copy], 3), 0);
        // Ours, sent from here, learns its archive id from the archive's copy.
        t.push_own(msg("o", Direction::Out, "mine"), 4);
        let mut archived = msg("o", Direction::Out, "mine");
        archived.archive_id = Some("A2".into());
        assert!(!t.push(archived, 5));
        assert_eq!(t.len(), 2);
        assert_eq!(t.slice(0, 2)[1].archive_id.as_deref(), Some("A2"));
    }

    #[test]
    fn older_history_goes_first_once_and_only_as_far_as_the_limit() {
        let mut t = Timeline::new(Limits {
            messages: 5,
            body_chars: 100,
        });
        assert!(t.push(msg("live", Direction::In, "live"), 10));
        let page = vec![
            msg("h2", Direction::In, "two"),
            msg("h3", Direction::Out, "three"),
            msg("live", Direction::In, "live"),
        ];
        assert_eq!(t.prepend(page, 11), 2, "the live one is already here");
        let bodies = |t: &Timeline| -> Vec<String> {
            t.slice(0, t.len()).into_iter().map(|e| e.body).collect()
        };
        assert_eq!(bodies(&t), ["two", "three", "live"]);
        assert_eq!(t.prepended(), 2);
        let older = vec![
            msg("h0", Direction::In, "zero"),
            msg("h1", Direction::In, "one"),
            msg("h2", Direction::In, "two"),
            msg("hx", Direction::In, "x"),
        ];
        assert_eq!(
            t.prepend(older, 12),
            2,
            "room for two: the newest of the page"
        );
        assert_eq!(bodies(&t), ["one", "x", "two", "three", "live"]);
        assert!(
            t.push(msg("h0", Direction::In, "zero"), 13),
            "not kept, so not seen"
        );
    }

    #[test]
    fn receipts_only_move_our_messages_forward_and_a_marker_covers_those_before_it() {
        let mut t = Timeline::new(Limits::CONTACT);
        for id in ["a", "b", "c"] {
            t.push_own(msg(id, Direction::Out, id), 1);
        }
        assert!(t.push(msg("b", Direction::In, "theirs, same id"), 2));
        let states = |t: &Timeline| -> Vec<&'static str> {
            t.slice(0, t.len())
                .iter()
                .map(|e| e.state.as_str())
                .collect()
        };
        assert!(t.receipt("a", Receipt::Received));
        assert!(t.mark_own("a", MessageState::Sent), "a late ack");
        assert_eq!(states(&t), ["received", "pending", "pending", "received"]);
        assert!(t.receipt("b", Receipt::Displayed));
        assert_eq!(
            states(&t),
            ["displayed", "displayed", "pending", "received"]
        );
        assert!(t.receipt("a", Receipt::Received), "an old receipt");
        assert_eq!(states(&t)[0], "displayed", "markers only move forward");
        assert!(
            !t.receipt("nope", Receipt::Displayed),
            "an id we never sent"
        );
        assert_eq!(t.markable_tip(), Some("b"));
        t.push_own(msg("d", Direction::Out, "d"), 3);
        assert_eq!(t.markable_tip(), Some("b"), "still their newest");
    }

    #[test]
    fn repeated_ids_get_their_own_rows_with_unique_keys() {
        let mut t = Timeline::new(Limits::CONTACT);
        assert!(t.push(msg("x", Direction::In, "one"), 1));
        assert!(t.push(msg("x", Direction::In, "two"), 2));
        assert!(
            !t.push(msg("x", Direction::In, "one"), 3),
            "a replay shows once"
        );
        t.push_own(msg("x", Direction::Out, "mine"), 4);
        let rows = t.slice(0, t.len());
        let bodies: Vec<_> = rows.iter().map(|e| e.body.as_str()).collect();
        assert_eq!(bodies, ["one", "two", "mine"]);
        let keys: HashSet<u64> = rows.iter().map(|e| e.seq).collect();
        assert_eq!(keys.len(), 3, "every row has its own key");
    }

    #[test]
    fn only_our_own_messages_change_state() {
        let mut t = Timeline::new(Limits::CONTACT);
        t.push(msg("o1", Direction::In, "theirs, reusing our id"), 1);
        t.push_own(msg("o1", Direction::Out, "ours"), 2);
        assert_eq!(t.slice(1, 2)[0].state, MessageState::Pending);
        let error = StanzaError::new("cancel", "service-unavailable");
        assert!(t.mark_own("o1", MessageState::Failed(error.clone())));
        assert!(t.mark_own("o1", MessageState::Sent));
        let rows = t.slice(0, 2);
        assert_eq!(rows[0].state, MessageState::Received);
        assert!(t.mark_own("o1", MessageState::Unconfirmed));
        let rows = t.slice(0, 2);
        assert_eq!(
            rows[1].state,
            MessageState::Failed(error),
            "a bounce is not undone"
        );
        assert!(!t.mark_own("nope", MessageState::Sent));
    }

    #[test]
    fn the_oldest_messages_go_first_and_can_come_back() {
        let mut t = Timeline::new(Limits {
            messages: 3,
            body_chars: 5,
        });
        for i in 0..5 {
            t.push(msg(&i.to_string(), Direction::In, "m"), i);
        }
        let ids: Vec<_> = t.slice(0, 10).into_iter().map(|e| e.id).collect();
        assert_eq!(ids, ["2", "3", "4"]);
        assert_eq!(t.dropped(), 2);
        t.push(msg("long", Direction::In, "ёжик в тумане"), 6);
        assert_eq!(t.slice(2, 3)[0].body, "ёжик …");
        assert!(
            t.push(msg("0", Direction::In, "m"), 9),
            "forgotten, so new again"
        );
    }

    /// A message in a room, from `nick` (ours when `own`), correcting `replaces` if given.
    pub(super) fn room_message(
        id: &str,
        nick: &str,
        body: &str,
        own: bool,
        replaces: Option<&str>,
    ) -> RoomMessage {
        RoomMessage {
            room: BareJid::new("tea@conference.localhost").expect("a valid address"),
            id: id.into(),
            nick: Some(nick.into()),
            body: body.into(),
            sent_at: None,
            own,
            mention: false,
            private: false,
            replaces: replaces.map(Into::into),
        }
    }

    #[test]
    fn a_room_confirms_our_messages_and_history_sent_again_shows_once() {
        let message =
            |id: &str, nick: &str, body: &str, own: bool| room_message(id, nick, body, own, None);
        let mut t = Timeline::new(Limits::CONTACT);
        t.push_own_room(message("m1", "me", "hi", true), 1);
        assert_eq!(t.slice(0, 1)[0].state, MessageState::Pending);
        assert!(
            !t.push_room(message("m1", "me", "hi", true), 2),
            "the echo confirms"
        );
        assert_eq!(t.slice(0, 1)[0].state, MessageState::Sent);
        assert!(t.push_room(message("h1", "bob", "old", false), 3));
        assert!(
            !t.push_room(message("h1", "bob", "old", false), 4),
            "history again"
        );
        assert!(
            t.push_room(message("h1", "eve", "old", false), 5),
            "another nick's"
        );
        assert_eq!(t.slice(1, 2)[0].nick.as_deref(), Some("bob"));
    }

    #[test]
    fn a_delay_stamp_can_make_a_message_older_never_newer() {
        let mut t = Timeline::new(Limits::CONTACT);
        let mut old = msg("a", Direction::In, "old");
        old.sent_at = Some(100);
        let mut future = msg("b", Direction::In, "future");
        future.sent_at = Some(10_000);
        t.push(old, 500);
        t.push(future, 600);
        let times: Vec<_> = t.slice(0, 2).into_iter().map(|e| e.time).collect();
        assert_eq!(times, [100, 600]);
    }
}
