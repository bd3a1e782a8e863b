//! What the core tells the application, by domain: the connection, the roster and presence,
//! one-to-one chat, rooms. Each protocol module emits the events of its own domain.

use super::avatar::AvatarEvent;
use super::blocking::BlockingEvent;
use super::bookmarks::Bookmark;
use super::caps::CapsEvent;
use super::error::SessionError;
use super::jid::{BareJid, FullJid};
use super::message::{ChatMessage, ChatState};
use super::muc::room::JoinError;
use super::muc::{Departure, Invitation, Occupant, RoomInfo, RoomItem, RoomMessage};
use super::nick::NickEvent;
use super::presence::ContactPresence;
use super::receipts::Receipt;
use super::register::AccountEvent;
use super::roster::RosterItem;
use super::stanza::StanzaError;
use super::vcard::VCardEvent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Connection(ConnectionEvent),
    Roster(RosterEvent),
    Chat(ChatEvent),
    Room(RoomEvent),
    /// XEP-0191: the blocklist and changes to it.
    Blocking(BlockingEvent),
    /// XEP-0084, XEP-0153: who shows which face, and the images asked for.
    Avatar(AvatarEvent),
    /// XEP-0172: the names people give themselves.
    Nick(NickEvent),
    /// XEP-0054: a contact's details.
    VCard(VCardEvent),
    /// XEP-0115: the software a contact's resource runs.
    Caps(CapsEvent),
    /// XEP-0077: creating, changing and removing the account.
    Account(AccountEvent),
    /// Something was dropped or ignored; for the log, not for the person.
    Warning(String),
}

/// Where the connection is, as a person would describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Authenticating,
    Binding,
    Online,
    Closing,
    /// No connection. The account (roster, conversations, kept keys) remains.
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionEvent {
    State(ConnectionState),
    /// The stream is bound. The server's address for us is the account's identity from now on.
    Bound(FullJid),
    /// The connection ended. `None` is a clean close that we asked for.
    Closed(Option<SessionError>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterEvent {
    /// The whole roster, once per login.
    Loaded(Vec<RosterItem>),
    /// One item added, changed or (with `Subscription::Remove`) removed by the server.
    Pushed(RosterItem),
    /// A contact's aggregate presence changed (contacts only: strangers' presence is kept, bounded,
    /// and reported once they are added).
    Presence(ContactPresence),
    /// The connection ended: every contact's presence is unknown again.
    PresenceCleared,
    /// RFC 6121 §3.1.3: `jid` asks to see our presence. Answer with `Client::answer_subscription`.
    /// `nick`: the name they gave with it (XEP-0172 §4.1), trimmed and cut; untrusted, and
    /// never a reason to trust the address.
    SubscriptionRequest { jid: BareJid, nick: Option<String> },
    /// A request is no longer pending: answered (here or by the policy) or withdrawn.
    SubscriptionRequestClosed(BareJid),
    /// The server refused to add, change or remove a contact.
    ChangeFailed { jid: BareJid, error: StanzaError },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    Message(ChatMessage),
    State {
        peer: BareJid,
        state: ChatState,
    },
    /// The server has our messages: an answer to a request sent after them came back.
    Sent {
        peer: BareJid,
        id: String,
    },
    /// The connection died before the server confirmed these messages; they may not have arrived.
    Unconfirmed {
        peer: BareJid,
        id: String,
    },
    /// A page of the conversation's history from the archive, oldest first, all older than
    /// the pages before it (possibly empty: the page failed). `complete`: nothing older.
    History {
        peer: BareJid,
        messages: Vec<ChatMessage>,
        complete: bool,
    },
    /// Another device of ours showed the conversation (its XEP-0333 marker, carbon-copied to
    /// us): it counts as read here too.
    ReadElsewhere {
        peer: BareJid,
    },
    /// The peer's device says how far a message of ours got (XEP-0184, XEP-0333).
    Receipt {
        peer: BareJid,
        id: String,
        receipt: Receipt,
    },
    /// A message we sent bounced. The error's text is the peer's (or its server's) words.
    Failed {
        peer: BareJid,
        id: String,
        error: StanzaError,
    },
}

/// Group chat (XEP-0045) and what comes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomEvent {
    /// A page of the room's archive older than what is shown, oldest first (empty after the
    /// latest page on entering, whose messages came as they arrived). `complete`: nothing older.
    History {
        room: BareJid,
        messages: Vec<RoomMessage>,
        complete: bool,
    },
    /// The room services found on our domain (possibly none): after discovery at login, and
    /// again whenever a later check finds our domain's services unchanged or extended.
    Services(Vec<BareJid>),
    /// A page of a service's rooms, each new to this listing; `count_hint` is what the service
    /// claims the total is (it drifts, and may lie).
    ListPage {
        service: BareJid,
        rooms: Vec<RoomItem>,
        complete: bool,
        count_hint: Option<u64>,
    },
    /// The listing stopped: refused (`Some`), unanswered or cut by the connection (`None`).
    ListFailed {
        service: BareJid,
        error: Option<StanzaError>,
    },
    Info {
        room: BareJid,
        info: RoomInfo,
    },
    InfoFailed {
        room: BareJid,
    },
    /// Our presence went to the room (asked for here, a bookmark's autojoin, or entering again
    /// after a lost connection); [`RoomEvent::Joined`] or [`RoomEvent::JoinFailed`] follows.
    Entering {
        room: BareJid,
        nick: String,
    },
    /// We are in: the room sent our own presence. `created`: it is a new room, which the client
    /// has made an instant room (default configuration).
    Joined {
        room: BareJid,
        nick: String,
        created: bool,
    },
    JoinFailed {
        room: BareJid,
        nick: String,
        error: JoinError,
    },
    /// An occupant arrived or changed (role, affiliation, presence).
    Occupant {
        room: BareJid,
        occupant: Occupant,
    },
    OccupantLeft {
        room: BareJid,
        nick: String,
        departure: Departure,
    },
    NickChanged {
        room: BareJid,
        old: String,
        new: String,
        own: bool,
    },
    /// Untrusted text; empty means no subject. `by` is the nick that set it, if any.
    Subject {
        room: BareJid,
        subject: String,
        by: Option<String>,
    },
    Message(RoomMessage),
    MessageFailed {
        room: BareJid,
        id: String,
        error: StanzaError,
    },
    /// Messages written while out of the room after a lost connection that will not go: the
    /// room was not entered again (left, refused, gone).
    Unsent {
        room: BareJid,
        ids: Vec<String>,
    },
    /// We are out of the room.
    Left {
        room: BareJid,
        departure: Departure,
    },
    /// The room refused something we asked in it (a nick change, a subject, its configuration).
    Refused {
        room: BareJid,
        error: StanzaError,
    },
    Invited(Invitation),
    /// Our room bookmarks, whole, after they were fetched or changed.
    Bookmarks(Vec<Bookmark>),
    /// The server refused to store a bookmark change.
    BookmarkFailed(StanzaError),
}
