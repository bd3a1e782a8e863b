//! What a remembered device keeps of an account ("remember this device", off by default): the
//! roster (with its RFC 6121 §2.6 version when it is whole), the most recent one-to-one conversations with their latest messages, where the
//! archive was read up to (XEP-0313, XEP-0359 ids), the WebSocket endpoint, and while the person
//! is signed in, SCRAM's salted password (RFC 5802 §3), never the password, so a reload logs in
//! again. It is plain data in JSON; `ui::state::device` writes it to IndexedDB and reads it back.
//! Read back it is untrusted like anything from outside (another script of the origin, an older
//! version, a damaged disk could have written it): parsed without panics, bounded, and every
//! address checked again.

use crate::store::directory::Section;
use crate::store::timeline::{Entry, MessageState, Timeline};
use crate::xmpp::delay::UnixMillis;
use crate::xmpp::jid::BareJid;
use crate::xmpp::{
    ArchiveMark, ChatMessage, ConversationMark, Direction, Mechanism, RosterCache, RosterItem,
    ScramKeys, Subscription,
};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The layout's version: a snapshot of another is not read (the device starts empty).
pub const FORMAT: u32 = 1;
/// Conversations kept, the most recent first.
pub const MAX_CONVERSATIONS: usize = 30;
/// Messages kept of each, the newest.
pub const MAX_MESSAGES: usize = 100;
/// Contacts kept; a larger roster is kept in part, the server sends the rest at login.
pub const MAX_CONTACTS: usize = 20_000;
/// Characters of a body kept.
const MAX_BODY_CHARS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    /// The account's bare address: the record's key.
    pub account: String,
    /// The WebSocket URL that last worked (wss://, checked again before use).
    pub endpoint: String,
    /// Milliseconds since 1970.
    pub saved_at: UnixMillis,
    /// Present only while signed in: logout and refused credentials remove it.
    #[serde(default)]
    pub credentials: Option<StoredKeys>,
    /// The newest archive id whose messages are in `conversations` (or were shown).
    #[serde(default)]
    pub archive_newest: Option<String>,
    #[serde(default)]
    pub roster: Vec<StoredContact>,
    /// The server's version of `roster`, kept only when `roster` is the whole roster.
    #[serde(default)]
    pub roster_version: Option<String>,
    #[serde(default)]
    pub conversations: Vec<StoredConversation>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredKeys {
    pub mechanism: String,
    /// Base64, as the server sent it.
    pub salt: String,
    pub iterations: u32,
    /// Base64 of the salted password.
    pub salted_password: String,
}

impl std::fmt::Debug for StoredKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "StoredKeys({}, {} rounds)",
            self.mechanism, self.iterations
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredContact {
    pub jid: String,
    #[serde(default)]
    pub name: Option<String>,
    pub subscription: String,
    #[serde(default)]
    pub ask: bool,
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConversation {
    pub peer: String,
    /// A message request (from someone not in the roster), not in the chat list.
    #[serde(default)]
    pub request: bool,
    #[serde(default)]
    pub unread: u32,
    /// Every message of the conversation in the archive is here.
    #[serde(default)]
    pub complete: bool,
    /// Oldest first.
    #[serde(default)]
    pub messages: Vec<StoredMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    pub id: String,
    #[serde(default)]
    pub archive_id: Option<String>,
    pub out: bool,
    pub body: String,
    pub time: UnixMillis,
    /// `data-state` as shown: `sent`, `received`, `displayed`, `error` (`pending` becomes
    /// `error` when read back: nothing will send it).
    pub state: String,
    /// XEP-0308: the text is a correction of what it first said (kept: only the latest text).
    #[serde(default)]
    pub edited: bool,
}

/// One conversation as restored: its messages with their states, and how it is listed.
#[derive(Debug, Clone)]
pub struct Restored {
    pub peer: BareJid,
    pub section: Section,
    pub unread: u32,
    pub complete: bool,
    pub messages: Vec<(ChatMessage, MessageState)>,
}

impl Snapshot {
    pub fn new(account: &BareJid, endpoint: &str, saved_at: UnixMillis) -> Self {
        Self {
            format: FORMAT,
            account: account.to_string(),
            endpoint: endpoint.to_owned(),
            saved_at,
            credentials: None,
            archive_newest: None,
            roster: Vec::new(),
            roster_version: None,
            conversations: Vec::new(),
        }
    }

    /// Reads a stored snapshot; `None` for anything of another format or not well formed.
    pub fn parse(json: &str) -> Option<Self> {
        let snapshot: Self = serde_json::from_str(json).ok()?;
        (snapshot.format == FORMAT && BareJid::new(&snapshot.account).is_ok()).then_some(snapshot)
    }

    pub fn to_json(&self) -> String {
        // Plain strings, numbers and lists: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn account(&self) -> Option<BareJid> {
        BareJid::new(&self.account).ok()
    }

    pub fn set_keys(&mut self, keys: Option<&ScramKeys>) {
        self.credentials = keys.map(|keys| StoredKeys {
            mechanism: keys.mechanism.name().to_owned(),
            salt: BASE64.encode(&keys.salt),
            iterations: keys.iterations,
            salted_password: BASE64.encode(keys.salted_password()),
        });
    }

    /// The kept keys, if they are whole.
    pub fn keys(&self) -> Option<ScramKeys> {
        let stored = self.credentials.as_ref()?;
        let mechanism = Mechanism::from_name(&stored.mechanism)?;
        let salt = BASE64.decode(&stored.salt).ok()?;
        let salted = Zeroizing::new(BASE64.decode(&stored.salted_password).ok()?);
        ScramKeys::restore(mechanism, salt, stored.iterations, salted)
    }

    /// Keeps the roster, and its version only if all of it fits.
    pub fn set_roster<'a>(
        &mut self,
        items: impl ExactSizeIterator<Item = &'a RosterItem>,
        version: Option<&str>,
    ) {
        self.roster_version = version
            .filter(|_| items.len() <= MAX_CONTACTS)
            .map(str::to_owned);
        self.roster = items
            .take(MAX_CONTACTS)
            .map(|item| StoredContact {
                jid: item.jid.to_string(),
                name: item.name.clone(),
                subscription: item.subscription.as_str().to_owned(),
                ask: item.ask_pending,
                groups: item.groups.clone(),
            })
            .collect();
    }

    /// The roster as kept, without what no longer parses.
    pub fn roster_items(&self) -> Vec<RosterItem> {
        self.roster
            .iter()
            .take(MAX_CONTACTS)
            .filter_map(|c| {
                let jid = BareJid::new(&c.jid).ok()?;
                let subscription = Subscription::parse(Some(&c.subscription));
                (subscription != Subscription::Remove).then(|| RosterItem {
                    jid,
                    name: c.name.clone(),
                    subscription,
                    ask_pending: c.ask,
                    groups: c.groups.clone(),
                })
            })
            .collect()
    }

    /// The roster with its version, for the server to answer "unchanged"; only when every kept
    /// contact still reads, since a partial copy under the server's version would stay partial.
    /// `items` are [`Self::roster_items`], read once for the view and the cache.
    pub fn roster_cache(&self, items: &[RosterItem]) -> Option<RosterCache> {
        let version = self.roster_version.clone()?;
        (items.len() == self.roster.len()).then(|| RosterCache {
            items: items.to_vec(),
            version,
        })
    }

    /// Adds a conversation (call most recent first; beyond [`MAX_CONVERSATIONS`] none is
    /// kept): its newest messages, and whether they are all the archive has.
    pub fn add_conversation(
        &mut self,
        peer: &BareJid,
        section: Section,
        unread: u32,
        timeline: &Timeline,
    ) {
        if self.conversations.len() >= MAX_CONVERSATIONS || timeline.is_empty() {
            return;
        }
        let len = timeline.len();
        let start = len.saturating_sub(MAX_MESSAGES);
        let messages = timeline
            .slice(start, len)
            .into_iter()
            .filter(|e| e.nick.is_none())
            .map(stored_message)
            .collect();
        self.conversations.push(StoredConversation {
            peer: peer.to_string(),
            request: section == Section::Requests,
            unread,
            complete: start == 0 && timeline.dropped() == 0 && timeline.history.complete,
            messages,
        });
    }

    /// The conversations to show, most recent first, checked and bounded.
    pub fn restored(&self) -> Vec<Restored> {
        self.conversations
            .iter()
            .take(MAX_CONVERSATIONS)
            .filter_map(|c| {
                let peer = BareJid::new(&c.peer).ok()?;
                let skip = c.messages.len().saturating_sub(MAX_MESSAGES);
                let messages = c.messages[skip..]
                    .iter()
                    .map(|m| restored_message(&peer, m))
                    .collect();
                Some(Restored {
                    peer,
                    section: if c.request {
                        Section::Requests
                    } else {
                        Section::Chats
                    },
                    unread: c.unread,
                    complete: c.complete && skip == 0,
                    messages,
                })
            })
            .collect()
    }

    /// Where the first session catches up from, and where each conversation's older pages
    /// start: before its oldest kept message with an archive id.
    pub fn archive_mark(&self) -> ArchiveMark {
        let conversations = self
            .restored()
            .into_iter()
            .filter_map(|c| {
                let oldest = c.messages.iter().find_map(|(m, _)| m.archive_id.clone())?;
                Some(ConversationMark {
                    peer: c.peer,
                    oldest,
                    complete: c.complete,
                })
            })
            .collect();
        ArchiveMark {
            newest: self.archive_newest.clone(),
            conversations,
        }
    }
}

fn stored_message(entry: Entry) -> StoredMessage {
    let edited = entry.edited();
    StoredMessage {
        id: entry.id,
        archive_id: entry.archive_id,
        out: entry.direction == Direction::Out,
        body: entry.body,
        time: entry.time,
        state: entry.state.as_str().to_owned(),
        edited,
    }
}

fn restored_message(peer: &BareJid, m: &StoredMessage) -> (ChatMessage, MessageState) {
    let direction = if m.out { Direction::Out } else { Direction::In };
    let state = match (direction, m.state.as_str()) {
        (Direction::In, _) => MessageState::Received,
        (Direction::Out, "sent") => MessageState::Sent,
        (Direction::Out, "received") => MessageState::Received,
        (Direction::Out, "displayed") => MessageState::Displayed,
        // Pending when kept, or failed: nothing here will send it now.
        (Direction::Out, _) => MessageState::Unconfirmed,
    };
    let body = match m.body.char_indices().nth(MAX_BODY_CHARS) {
        Some((at, _)) => format!("{}…", &m.body[..at]),
        None => m.body.clone(),
    };
    let message = ChatMessage {
        id: m.id.clone(),
        peer: peer.clone(),
        direction,
        body,
        sent_at: Some(m.time),
        markable: false,
        archive_id: m.archive_id.clone().filter(|id| !id.is_empty()),
        // Edited: it shows the latest text of itself, its first text gone (see `Entry::replaces`).
        replaces: m.edited.then(|| m.id.clone()),
    };
    (message, state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::timeline::Limits;

    fn jid(s: &str) -> BareJid {
        BareJid::new(s).unwrap()
    }

    fn message(id: &str, archive_id: Option<&str>, direction: Direction) -> ChatMessage {
        ChatMessage {
            id: id.into(),
            peer: jid("bob@localhost"),
            direction,
            body: format!("body {id}"),
            sent_at: Some(1_000),
            markable: false,
            archive_id: archive_id.map(Into::into),
            replaces: None,
        }
    }

    #[test]
    fn a_snapshot_round_trips_and_keeps_only_the_newest_messages() {
        let mut timeline = Timeline::new(Limits::CONTACT);
        for i in 0..150 {
            timeline.push(
                message(&format!("m{i}"), Some(&format!("A{i}")), Direction::In),
                2_000,
            );
        }
        timeline.push_own(message("mine", None, Direction::Out), 3_000);
        let mut snapshot = Snapshot::new(&jid("alice@localhost"), "wss://localhost/ws", 5);
        snapshot.archive_newest = Some("A149".into());
        snapshot.add_conversation(&jid("bob@localhost"), Section::Chats, 2, &timeline);

        let back = Snapshot::parse(&snapshot.to_json()).expect("parses");
        let restored = back.restored();
        assert_eq!(restored.len(), 1);
        let bob = &restored[0];
        assert_eq!(bob.messages.len(), MAX_MESSAGES);
        assert_eq!(bob.unread, 2);
        assert!(!bob.complete, "older messages were left out");
        assert_eq!(bob.messages[0].0.id, "m51");
        let (last, state) = bob.messages.last().unwrap();
        assert_eq!(last.id, "mine");
        assert_eq!(
            *state,
            MessageState::Unconfirmed,
            "a pending one will not be sent"
        );
        let mark = back.archive_mark();
        assert_eq!(mark.newest.as_deref(), Some("A149"));
        assert_eq!(mark.conversations[0].oldest, "A51");
    }

    #[test]
    fn an_edited_message_comes_back_edited_and_its_first_text_stays_out() {
        let mut timeline = Timeline::new(Limits::CONTACT);
        timeline.push(message("m1", None, Direction::In), 1_000);
        let mut fix = message("m2", None, Direction::In);
        fix.body = "fixed".into();
        fix.replaces = Some("m1".into());
        timeline.push(fix, 2_000);
        let mut snapshot = Snapshot::new(&jid("alice@localhost"), "wss://localhost/ws", 5);
        snapshot.add_conversation(&jid("bob@localhost"), Section::Chats, 0, &timeline);

        let back = Snapshot::parse(&snapshot.to_json()).expect("parses");
        let mut restored = Timeline::new(Limits::CONTACT);
        restored.restore(back.restored().remove(0).messages, false);
        let shown = restored.slice(0, restored.len());
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].body, "fixed");
        assert!(shown[0].edited());
        // The archive's copy of the first text, in an older page, does not come back beside it.
        restored.prepend(vec![message("m1", None, Direction::In)], 3_000);
        assert_eq!(restored.len(), 1);
    }

    #[test]
    fn keys_round_trip_and_a_damaged_record_is_not_read() {
        let keys = ScramKeys::restore(
            Mechanism::ScramSha256,
            b"salt".to_vec(),
            4096,
            Zeroizing::new(vec![7; 32]),
        )
        .unwrap();
        let mut snapshot = Snapshot::new(&jid("alice@localhost"), "wss://localhost/ws", 5);
        snapshot.set_keys(Some(&keys));
        let back = Snapshot::parse(&snapshot.to_json())
            .unwrap()
            .keys()
            .unwrap();
        assert_eq!(back.salted_password(), keys.salted_password());
        assert_eq!(
            (back.mechanism, back.iterations),
            (Mechanism::ScramSha256, 4096)
        );
        assert!(!format!("{:?}", snapshot.credentials)
            .contains(&snapshot.credentials.as_ref().unwrap().salted_password));

        assert!(Snapshot::parse("{").is_none());
        assert!(
            Snapshot::parse(r#"{"format":99,"account":"a@b","endpoint":"","saved_at":0}"#)
                .is_none()
        );
        assert!(Snapshot::parse(
            r#"{"format":1,"account":"not an address@","endpoint":"","saved_at":0}"#
        )
        .is_none());
        let mut hostile = snapshot.clone();
        hostile.roster.push(StoredContact {
            jid: "@@".into(),
            name: None,
            subscription: "both".into(),
            ask: false,
            groups: Vec::new(),
        });
        hostile.credentials.as_mut().unwrap().mechanism = "PLAIN".into();
        let back = Snapshot::parse(&hostile.to_json()).unwrap();
        assert!(
            back.roster_items().is_empty(),
            "an address that does not parse is dropped"
        );
        assert!(
            back.keys().is_none(),
            "PLAIN would mean a password: never kept"
        );
    }

    fn contact(jid: &str) -> RosterItem {
        RosterItem {
            jid: BareJid::new(jid).unwrap(),
            name: Some("A name".into()),
            subscription: Subscription::Both,
            ask_pending: false,
            groups: vec!["Work".into()],
        }
    }

    #[test]
    fn the_roster_version_is_kept_only_with_the_whole_roster_and_every_contact_reading() {
        let items = [contact("bob@localhost"), contact("carol@localhost")];
        let mut snapshot = Snapshot::new(&jid("alice@localhost"), "wss://localhost/ws", 5);
        snapshot.set_roster(items.iter(), Some("17"));
        let back = Snapshot::parse(&snapshot.to_json()).unwrap();
        let cache = back
            .roster_cache(&back.roster_items())
            .expect("a whole roster with its version");
        assert_eq!(cache.version, "17");
        assert_eq!(cache.items, items.to_vec());

        let many: Vec<RosterItem> = (0..=MAX_CONTACTS)
            .map(|i| contact(&format!("c{i}@localhost")))
            .collect();
        snapshot.set_roster(many.iter(), Some("18"));
        assert_eq!(snapshot.roster.len(), MAX_CONTACTS);
        assert!(
            snapshot.roster_cache(&snapshot.roster_items()).is_none(),
            "a part is not the version's roster"
        );

        snapshot.set_roster(items.iter(), Some("19"));
        snapshot.roster[1].jid = "@@".into();
        assert!(
            snapshot.roster_cache(&snapshot.roster_items()).is_none(),
            "a damaged copy is asked for whole"
        );
        snapshot.set_roster(items.iter(), None);
        assert!(snapshot.roster_cache(&snapshot.roster_items()).is_none());
    }
}
