//! The application state as signals, and the one place session updates change it.
//!
//! Data flows one way: a transport [`Update`] goes to [`AppState::apply`], which changes signals;
//! views only read them (and call [`Connection`] methods for what the person does). Nothing here
//! parses XML: the core already turned frames into typed events.

use crate::config::{Config, ConfigError};
use crate::i18n::{self, Key, Lang};
use crate::transport::websocket::{self, Connection};
use crate::transport::ConnectError;
use crate::xmpp::delay::UnixMillis;
use crate::xmpp::jid::{AddressError, BareJid};
use crate::xmpp::message::SendError;
use crate::xmpp::{
    Availability, ChatMessage, ConnectionState, Direction, Event, RosterItem, Subscription,
};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::time::Duration;

/// Which screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    LoggedOut,
    /// The login form is busy: discovery or the login itself is under way.
    SigningIn,
    Shell,
}

/// The connection as the `connection-status` element reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Connecting,
    Online,
    Reconnecting,
    Offline,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Online => "online",
            Self::Reconnecting => "reconnecting",
            Self::Offline => "offline",
        }
    }

    pub fn label(self) -> Key {
        match self {
            Self::Connecting => Key::StateConnecting,
            Self::Online => Key::StateOnline,
            Self::Reconnecting => Key::StateReconnecting,
            Self::Offline => Key::StateOffline,
        }
    }

    fn from_session(state: ConnectionState) -> Self {
        match state {
            ConnectionState::Connecting
            | ConnectionState::Authenticating
            | ConnectionState::Binding => Self::Connecting,
            ConnectionState::Online => Self::Online,
            ConnectionState::Closing | ConnectionState::Closed => Self::Offline,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigStatus {
    Loading,
    Ready(Config),
    Invalid(ConfigError),
}

/// Everything the UI may have to explain, kept typed so a language switch re-renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiError {
    Address(AddressError),
    MissingPassword,
    Config(ConfigError),
    Connect(ConnectError),
    Send(SendError),
    /// A message bounced; the reason is the server's condition text, shown verbatim.
    MessageFailed(String),
    /// The server refused a roster change; its condition text, shown verbatim.
    RosterChangeFailed(String),
}

impl UiError {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Self::Address(e) => i18n::describe_address_error(lang, e),
            Self::MissingPassword => i18n::t(lang, Key::MissingPassword).to_owned(),
            Self::Config(e) => i18n::describe_config_error(lang, e),
            Self::Connect(e) => i18n::describe_connect_error(lang, e),
            Self::Send(e) => i18n::describe_send_error(lang, e),
            Self::MessageFailed(reason) => {
                format!("{} ({reason})", i18n::t(lang, Key::MessageFailed))
            }
            Self::RosterChangeFailed(reason) => {
                format!("{} ({reason})", i18n::t(lang, Key::RosterChangeFailed))
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

impl ToastKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub error: UiError,
}

/// A roster row as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub jid: BareJid,
    /// The roster name, else the address. Untrusted: rendered as text.
    pub name: String,
    pub subscription: Subscription,
    /// The roster's own name and groups, kept so a rename replaces the item without losing them.
    pub roster_name: Option<String>,
    pub groups: Vec<String>,
    pub presence: Availability,
    pub status: Option<String>,
    /// Lower-cased name, computed once: sorting and filtering 5,000 rows must stay cheap.
    pub sort_name: String,
}

#[derive(Debug, Clone, Default)]
pub struct RosterData {
    pub contacts: HashMap<BareJid, Contact>,
    /// Presence of anyone, contact or not, so an item added later starts with the right dot.
    presence: HashMap<BareJid, (Availability, Option<String>)>,
}

impl RosterData {
    fn set_items(&mut self, items: Vec<RosterItem>) {
        self.contacts.clear();
        for item in items {
            self.upsert(item);
        }
    }

    fn upsert(&mut self, item: RosterItem) {
        if item.subscription == Subscription::Remove {
            self.contacts.remove(&item.jid);
            return;
        }
        let name = item.display_name();
        let (presence, status) = self
            .presence
            .get(&item.jid)
            .cloned()
            .unwrap_or((Availability::Unavailable, None));
        let contact = Contact {
            jid: item.jid.clone(),
            sort_name: name.to_lowercase(),
            name,
            subscription: item.subscription,
            roster_name: item.name,
            groups: item.groups,
            presence,
            status,
        };
        self.contacts.insert(item.jid, contact);
    }

    fn set_presence(&mut self, jid: BareJid, availability: Availability, status: Option<String>) {
        if let Some(contact) = self.contacts.get_mut(&jid) {
            contact.presence = availability;
            contact.status = status.clone();
        }
        if availability == Availability::Unavailable {
            self.presence.remove(&jid);
        } else {
            self.presence.insert(jid, (availability, status));
        }
    }

    /// Online first, then by name, then by address; filtered by name or address.
    pub fn sorted(&self, filter: &str) -> Vec<Contact> {
        let filter = filter.trim().to_lowercase();
        let mut rows: Vec<Contact> = self
            .contacts
            .values()
            .filter(|c| {
                filter.is_empty()
                    || c.sort_name.contains(&filter)
                    || c.jid.as_str().contains(&filter)
            })
            .cloned()
            .collect();
        rows.sort_unstable_by(|a, b| {
            let offline = |c: &Contact| c.presence == Availability::Unavailable;
            offline(a)
                .cmp(&offline(b))
                .then_with(|| a.sort_name.cmp(&b.sort_name))
                .then_with(|| a.jid.cmp(&b.jid))
        });
        rows
    }

    pub fn presence_of(&self, jid: &BareJid) -> Availability {
        self.presence
            .get(jid)
            .map(|p| p.0)
            .unwrap_or(Availability::Unavailable)
    }

    pub fn name_of(&self, jid: &BareJid) -> String {
        self.contacts
            .get(jid)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| jid.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageState {
    Sent,
    Received,
    Error,
}

impl MessageState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: String,
    /// Bare JID of the sender.
    pub from: String,
    pub direction: Direction,
    /// Untrusted: rendered as text.
    pub body: String,
    pub state: MessageState,
    /// When it was sent, in milliseconds since 1970 (the delay stamp, else when it reached us).
    pub time: UnixMillis,
}

#[derive(Debug, Clone, Default)]
pub struct Conversation {
    pub messages: Vec<Message>,
    /// Messages already shown, by direction, id and a hash of the body: the same message
    /// repeated by the server shows once, while a peer cannot hide our messages by reusing our
    /// ids, nor lose its own by reusing its ids for different text.
    seen: HashSet<(Direction, String, u64)>,
    pub unread: u32,
    /// Ordering of the chat list: higher is more recent.
    pub last_activity: u64,
    pub typing: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Conversations {
    pub by_peer: HashMap<BareJid, Conversation>,
    clock: u64,
}

impl Conversations {
    /// Adds a message unless its id is already there; returns whether it was added.
    fn push(&mut self, peer: &BareJid, message: Message, unread: bool) -> bool {
        self.clock += 1;
        let clock = self.clock;
        let conversation = self.by_peer.entry(peer.clone()).or_default();
        let body_hash = {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            message.body.hash(&mut hasher);
            hasher.finish()
        };
        if !conversation
            .seen
            .insert((message.direction, message.id.clone(), body_hash))
        {
            return false;
        }
        if message.direction == Direction::In {
            conversation.typing = false;
        }
        conversation.messages.push(message);
        conversation.last_activity = clock;
        if unread {
            conversation.unread += 1;
        }
        true
    }

    fn open(&mut self, peer: &BareJid) {
        self.clock += 1;
        let clock = self.clock;
        let conversation = self
            .by_peer
            .entry(peer.clone())
            .or_insert_with(|| Conversation {
                last_activity: clock,
                ..Conversation::default()
            });
        conversation.unread = 0;
    }

    /// Chat list rows, most recent first.
    pub fn list(&self) -> Vec<(BareJid, u32)> {
        let mut rows: Vec<_> = self
            .by_peer
            .iter()
            .map(|(jid, c)| (jid.clone(), c.unread, c.last_activity))
            .collect();
        rows.sort_unstable_by_key(|row| std::cmp::Reverse(row.2));
        rows.into_iter()
            .map(|(jid, unread, _)| (jid, unread))
            .collect()
    }
}

/// All signals of the app; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub config: RwSignal<ConfigStatus>,
    pub phase: RwSignal<Phase>,
    pub link: RwSignal<LinkState>,
    pub own_jid: RwSignal<Option<BareJid>>,
    pub own_show: RwSignal<Availability>,
    pub roster: RwSignal<RosterData>,
    pub conversations: RwSignal<Conversations>,
    pub open: RwSignal<Option<BareJid>>,
    /// Pending subscription requests (RFC 6121 §3.1.3), oldest first.
    pub requests: RwSignal<Vec<BareJid>>,
    /// Whom we asked to follow in this session: their request back is accepted by itself.
    asked: StoredValue<HashSet<BareJid>>,
    pub toasts: RwSignal<Vec<Toast>>,
    pub login_error: RwSignal<Option<UiError>>,
    /// The address last typed, to refill the form after a lost connection (never the password).
    pub last_address: RwSignal<String>,
    connection: StoredValue<Option<Connection>, LocalStorage>,
    /// Which login the live connection belongs to: updates of an older one are ignored.
    generation: StoredValue<u64>,
    next_toast: StoredValue<u64>,
    /// A roster repaint is scheduled (presence floods are coalesced).
    roster_flush_pending: StoredValue<bool>,
}

/// How long presence changes are collected before the roster repaints.
const ROSTER_FLUSH: Duration = Duration::from_millis(50);
const TOAST_LIFETIME: Duration = Duration::from_secs(8);

impl AppState {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang: RwSignal::new(lang),
            config: RwSignal::new(ConfigStatus::Loading),
            phase: RwSignal::new(Phase::LoggedOut),
            link: RwSignal::new(LinkState::Offline),
            own_jid: RwSignal::new(None),
            own_show: RwSignal::new(Availability::Available),
            roster: RwSignal::new(RosterData::default()),
            conversations: RwSignal::new(Conversations::default()),
            open: RwSignal::new(None),
            requests: RwSignal::new(Vec::new()),
            asked: StoredValue::new(HashSet::new()),
            toasts: RwSignal::new(Vec::new()),
            login_error: RwSignal::new(None),
            last_address: RwSignal::new(String::new()),
            connection: StoredValue::new_local(None),
            generation: StoredValue::new(0),
            next_toast: StoredValue::new(0),
            roster_flush_pending: StoredValue::new(false),
        }
    }

    /// Starts a new login generation; updates tagged with an older one are dropped.
    pub fn begin_login(&self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    pub fn set_connection(&self, connection: Connection) {
        self.connection.set_value(Some(connection));
    }

    pub fn connection(&self) -> Option<Connection> {
        self.connection.with_value(Clone::clone)
    }

    /// Applies one update from the connection of login `generation`.
    pub fn apply(&self, generation: u64, update: websocket::Update) {
        if generation != self.generation.get_value() {
            return;
        }
        match update {
            websocket::Update::Event(event) => self.apply_event(event),
            websocket::Update::Ended(error) => self.ended(error),
        }
    }

    fn apply_event(&self, event: Event) {
        match event {
            Event::State(state) => {
                self.link.set(LinkState::from_session(state));
                if state == ConnectionState::Online {
                    self.login_error.set(None);
                    self.phase.set(Phase::Shell);
                }
            }
            Event::Bound(jid) => self.own_jid.set(Some(jid.to_bare())),
            Event::Roster(items) => self.roster.update(|r| r.set_items(items)),
            Event::RosterPush(item) => self.roster.update(|r| r.upsert(item)),
            Event::Presence(p) => {
                self.roster
                    .update_untracked(|r| r.set_presence(p.jid, p.availability, p.status));
                self.schedule_roster_flush();
            }
            Event::Message(message) => self.add_message(message),
            Event::ChatState { peer, state } => {
                let typing = state == crate::xmpp::message::ChatState::Composing;
                self.conversations.update(|c| {
                    if let Some(conversation) = c.by_peer.get_mut(&peer) {
                        conversation.typing = typing;
                    }
                });
            }
            Event::MessageFailed { id, peer, reason } => {
                self.conversations.update(|c| {
                    if let Some(m) = c
                        .by_peer
                        .get_mut(&peer)
                        .and_then(|c| c.messages.iter_mut().find(|m| m.id == id))
                    {
                        m.state = MessageState::Error;
                    }
                });
                self.toast(ToastKind::Error, UiError::MessageFailed(reason));
            }
            Event::Warning(warning) => leptos::logging::warn!("parley: {warning}"),
            Event::SubscriptionRequest(jid) => {
                // The answer to our own request (they accepted and ask back): accepted without
                // asking again. Anyone else, even someone we follow, is asked about.
                let asked_by_us = self
                    .asked
                    .try_update_value(|a| a.remove(&jid))
                    .unwrap_or(false);
                if asked_by_us {
                    self.answer_request(jid, true);
                } else {
                    self.requests.update(|r| {
                        if !r.contains(&jid) {
                            r.push(jid);
                        }
                    });
                }
            }
            Event::RosterChangeFailed { reason, .. } => {
                self.toast(ToastKind::Error, UiError::RosterChangeFailed(reason));
            }
            // The driver turns Closed into Update::Ended.
            Event::Closed(_) => {}
        }
    }

    fn add_message(&self, message: ChatMessage) {
        let own = self
            .own_jid
            .get_untracked()
            .map(|j| j.to_string())
            .unwrap_or_default();
        let unread = self.open.get_untracked().as_ref() != Some(&message.peer);
        let entry = Message {
            from: match message.direction {
                Direction::In => message.peer.to_string(),
                Direction::Out => own,
            },
            state: match message.direction {
                Direction::In => MessageState::Received,
                Direction::Out => MessageState::Sent,
            },
            id: message.id,
            direction: message.direction,
            body: message.body,
            // A sender's delay stamp may say anything; it can make a message older, never newer.
            time: {
                let now = js_sys::Date::now() as UnixMillis;
                message.sent_at.map_or(now, |stamp| stamp.min(now))
            },
        };
        let unread = unread && entry.direction == Direction::In;
        self.conversations.update(|c| {
            c.push(&message.peer, entry, unread);
        });
    }

    /// Adds a contact (asking to see their presence) and opens the conversation with them.
    pub fn add_contact(&self, jid: BareJid, name: Option<&str>) -> Result<(), UiError> {
        let connection = self
            .connection()
            .ok_or(UiError::Send(SendError::NotOnline))?;
        connection.add_contact(&jid, name).map_err(UiError::Send)?;
        self.asked.update_value(|a| {
            a.insert(jid.clone());
        });
        self.open_conversation(jid);
        Ok(())
    }

    /// Renames a contact, keeping its groups.
    pub fn rename_contact(&self, jid: &BareJid, name: &str) -> Result<(), UiError> {
        let connection = self
            .connection()
            .ok_or(UiError::Send(SendError::NotOnline))?;
        let groups = self
            .roster
            .with_untracked(|r| r.contacts.get(jid).map(|c| c.groups.clone()));
        connection
            .rename_contact(jid, Some(name), &groups.unwrap_or_default())
            .map_err(UiError::Send)
    }

    pub fn remove_contact(&self, jid: &BareJid) -> Result<(), UiError> {
        let connection = self
            .connection()
            .ok_or(UiError::Send(SendError::NotOnline))?;
        connection.remove_contact(jid).map_err(UiError::Send)
    }

    /// Answers a subscription request. Accepting someone we do not yet follow also asks to see
    /// their presence, so both sides end up as mutual contacts, as people expect. A contact
    /// already in the roster keeps its name and groups (no roster set, only the request).
    pub fn answer_request(&self, jid: BareJid, approve: bool) {
        self.requests.update(|r| r.retain(|j| *j != jid));
        let Some(connection) = self.connection() else {
            return;
        };
        connection.answer_subscription(&jid, approve);
        if !approve {
            return;
        }
        let (in_roster, following) = self.roster.with_untracked(|r| match r.contacts.get(&jid) {
            Some(c) => (
                true,
                matches!(c.subscription, Subscription::To | Subscription::Both),
            ),
            None => (false, false),
        });
        if following {
            return;
        }
        self.asked.update_value(|a| {
            a.insert(jid.clone());
        });
        if in_roster {
            connection.ask_subscription(&jid);
        } else if let Err(e) = connection.add_contact(&jid, None) {
            self.toast(ToastKind::Error, UiError::Send(e));
        }
    }

    /// Shows a message we just sent (the session returned it from `send_chat`).
    pub fn add_sent(&self, message: ChatMessage) {
        self.add_message(message);
    }

    pub fn open_conversation(&self, peer: BareJid) {
        self.conversations.update(|c| c.open(&peer));
        self.open.set(Some(peer));
    }

    pub fn toast(&self, kind: ToastKind, error: UiError) {
        self.next_toast.update_value(|n| *n += 1);
        let id = self.next_toast.get_value();
        self.toasts.update(|t| t.push(Toast { id, kind, error }));
        let toasts = self.toasts;
        set_timeout(
            move || toasts.update(|t| t.retain(|toast| toast.id != id)),
            TOAST_LIFETIME,
        );
    }

    pub fn dismiss_toast(&self, id: u64) {
        self.toasts.update(|t| t.retain(|toast| toast.id != id));
    }

    fn schedule_roster_flush(&self) {
        if self.roster_flush_pending.get_value() {
            return;
        }
        self.roster_flush_pending.set_value(true);
        let (roster, pending) = (self.roster, self.roster_flush_pending);
        set_timeout(
            move || {
                pending.set_value(false);
                roster.notify();
            },
            ROSTER_FLUSH,
        );
    }

    /// Person-initiated logout: the clean close runs on, the login form comes back at once.
    pub fn logout(&self) {
        if let Some(connection) = self.connection() {
            connection.close();
        }
        // Updates from the closing connection no longer concern the UI.
        self.begin_login();
        self.reset();
        self.login_error.set(None);
        // Signing out on purpose leaves nothing of the account on the page.
        self.last_address.set(String::new());
    }

    fn ended(&self, error: Option<ConnectError>) {
        let was_online = self.phase.get_untracked() == Phase::Shell;
        self.reset();
        if let Some(error) = error {
            if was_online {
                self.toast(ToastKind::Error, UiError::Connect(error.clone()));
            }
            self.login_error.set(Some(UiError::Connect(error)));
        }
    }

    /// Back to the login form with nothing of the last session left.
    fn reset(&self) {
        self.connection.set_value(None);
        self.link.set(LinkState::Offline);
        self.phase.set(Phase::LoggedOut);
        self.own_jid.set(None);
        self.own_show.set(Availability::Available);
        self.roster.set(RosterData::default());
        self.conversations.set(Conversations::default());
        self.open.set(None);
        self.requests.set(Vec::new());
        self.asked.set_value(HashSet::new());
    }
}
