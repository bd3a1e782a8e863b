//! What the core tells the application, by domain: the connection, the roster and presence,
//! one-to-one chat. Each protocol module emits the events of its own domain; rooms will add theirs.

use super::error::SessionError;
use super::jid::{BareJid, FullJid};
use super::message::{ChatMessage, ChatState};
use super::presence::ContactPresence;
use super::roster::RosterItem;
use super::stanza::StanzaError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Connection(ConnectionEvent),
    Roster(RosterEvent),
    Chat(ChatEvent),
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
    SubscriptionRequest(BareJid),
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
    /// A message we sent bounced. The error's text is the peer's (or its server's) words.
    Failed {
        peer: BareJid,
        id: String,
        error: StanzaError,
    },
}
