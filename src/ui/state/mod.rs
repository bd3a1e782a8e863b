//! The application state as signals, split by domain, and the one place core updates change it.
//!
//! Data flows one way: a transport [`Update`] goes to [`AppState::apply`], which routes each event
//! to the store of its domain ([`connection`], [`contacts`], [`conversations`], [`notices`]); views
//! read their signals and call the methods here for what the person does. The stores themselves
//! are plain Rust in [`crate::store`], tested natively; this is their Leptos wiring.

pub mod account;
pub mod avatars;
pub mod connection;
pub mod contacts;
pub mod conversations;
pub mod device;
pub mod embed;
pub mod notices;
mod room_actions;
pub mod rooms;

pub use connection::{ConfigStatus, LinkState, Phase};
pub use notices::UiError;

use crate::config::Config;
use crate::embed::{EmbedRequest, Only};
use crate::i18n::Lang;
use crate::transport::websocket::{Account, Update};
use crate::xmpp::jid::{BareJid, Jid};
use crate::xmpp::{
    Availability, Client, ConnectionEvent, ConnectionState, Event, Instant, RosterEvent, SendError,
    Subscription,
};
use account::AccountState;
use avatars::Avatars;
use connection::Connection;
use contacts::Contacts;
use conversations::Conversations;
use device::Device;
use embed::Embedding;
use leptos::prelude::*;
// The name `Update` is the account's; the trait is needed for `update` on signals.
use leptos::prelude::Update as _;
use notices::Notices;
use rooms::Rooms;

/// All state of the app; `Copy`, shared through context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub config: RwSignal<ConfigStatus>,
    pub connection: Connection,
    /// XEP-0077: registration, the password, removal.
    pub own_account: AccountState,
    pub contacts: Contacts,
    /// XEP-0084, XEP-0153: faces, and our own avatar's upload.
    pub avatars: Avatars,
    pub chats: Conversations,
    pub rooms: Rooms,
    pub notices: Notices,
    pub device: Device,
    pub embed: Embedding,
    pub theme: RwSignal<crate::ui::Theme>,
    pub navigation: crate::ui::navigation::Navigation,
    pub installation: crate::ui::service_worker::Installation,
    pub alerts: crate::ui::alerts::Alerts,
    /// The tab is visible (Page Visibility): what is on screen is seen only then.
    pub tab_visible: RwSignal<bool>,
}

impl AppState {
    pub fn new(lang: Lang, embed: EmbedRequest) -> Self {
        Self {
            lang: RwSignal::new(lang),
            config: RwSignal::new(ConfigStatus::Loading),
            connection: Connection::new(),
            own_account: AccountState::new(),
            contacts: Contacts::new(),
            avatars: Avatars::new(),
            chats: Conversations::new(),
            rooms: Rooms::new(),
            notices: Notices::new(),
            device: Device::new(),
            embed: Embedding::new(embed),
            theme: RwSignal::new(crate::ui::Theme::System),
            navigation: crate::ui::navigation::Navigation::new(),
            installation: crate::ui::service_worker::Installation::new(),
            alerts: crate::ui::alerts::Alerts::new(),
            tab_visible: RwSignal::new(true),
        }
    }

    /// XEP-0313: the next page of the conversation's history, unless one is on its way or
    /// there is nothing older.
    pub fn load_history(&self, peer: &BareJid) {
        self.load_older(peer, |client, now| client.load_history(peer, now));
    }

    /// XEP-0313: the page of a room's archive before what is shown.
    pub fn load_room_history(&self, room: &BareJid) {
        self.load_older(room, |client, now| client.load_room_history(room, now));
    }

    fn load_older(&self, conversation: &BareJid, ask: impl FnOnce(&mut Client, Instant) -> bool) {
        let Some(timeline) = self.chats.timeline(conversation) else {
            return;
        };
        let status = timeline.with_untracked(|t| t.history);
        if status.loading || status.complete {
            return;
        }
        let Some(account) = self.account() else {
            return;
        };
        if account.command(ask) {
            timeline.update(|t| {
                t.history.loading = true;
                t.history.started = true;
            });
        }
    }

    /// XEP-0333: their message `id` was on screen; the core decides whether to say so.
    pub fn mark_displayed(&self, peer: &BareJid, id: &str) {
        if let Some(account) = self.account() {
            account.command(|client, _| client.mark_displayed(peer, id));
        }
    }

    pub fn account(&self) -> Option<Account> {
        self.connection.account()
    }

    /// Reads the deployment's configuration (the defaults until `config.json` is read); tracked.
    pub fn with_config<R>(&self, f: impl FnOnce(&Config) -> R) -> R {
        self.config.with(|status| match status {
            ConfigStatus::Ready(config) => f(config),
            _ => f(&Config::default()),
        })
    }

    /// [`Self::with_config`] for event handlers.
    pub fn with_config_untracked<R>(&self, f: impl FnOnce(&Config) -> R) -> R {
        self.config.with_untracked(|status| match status {
            ConfigStatus::Ready(config) => f(config),
            _ => f(&Config::default()),
        })
    }

    /// Applies one update from the account of login `generation`.
    pub fn apply(&self, generation: u64, update: Update) {
        if !self.connection.is_current(generation) {
            return;
        }
        match update {
            Update::Event(Event::Connection(event)) => {
                let online = event == ConnectionEvent::State(ConnectionState::Online);
                self.connection.apply(event);
                if online {
                    self.join_configured_rooms();
                    self.open_embedded();
                    crate::ui::navigation::online(*self);
                }
            }
            Update::Event(Event::Roster(event)) => {
                // Someone who becomes a contact leaves the message requests.
                if let RosterEvent::Pushed(item) = &event {
                    if item.subscription != Subscription::Remove {
                        self.chats.became_contact(&item.jid);
                    }
                }
                // Someone who went offline is typing no more.
                if let RosterEvent::Presence(presence) = &event {
                    if presence.availability == Availability::Unavailable {
                        self.chats.stopped_typing(&presence.jid);
                    }
                }
                self.contacts.apply(event, &self.notices);
            }
            Update::Event(Event::Chat(event)) => {
                let roster = self.contacts.roster;
                self.chats.apply(
                    event,
                    |jid| roster.with_untracked(|r| r.contains(jid)),
                    &self.notices,
                );
            }
            Update::Event(Event::Room(event)) => self.apply_room(event),
            Update::Event(Event::Blocking(event)) => {
                self.contacts.apply_blocking(event, &self.notices)
            }
            Update::Event(Event::Avatar(event)) => {
                self.device.avatar_seen(self, &event);
                self.avatars.apply(event)
            }
            Update::Event(Event::Nick(event)) => self.apply_nick(event),
            Update::Event(Event::VCard(event)) => self.apply_vcard(event),
            Update::Event(Event::Caps(event)) => self.contacts.apply_caps(event),
            Update::Event(Event::Account(event)) => {
                let removed = event == crate::xmpp::AccountEvent::Removed;
                self.own_account.apply(event);
                if removed {
                    return self.account_removed();
                }
            }
            Update::Event(Event::Warning(warning)) => leptos::logging::warn!("parley: {warning}"),
            Update::Retrying { at } => self.connection.retrying(at),
            Update::Disconnected(error) => {
                self.chats.connection_ended();
                self.rooms.connection_ended();
                let jid = self.connection.own_jid.get_untracked();
                if self.connection.disconnected(error) {
                    // Never online, or the kept credentials were refused: back to the login
                    // form with nothing of the attempt left, and the keys forgotten.
                    if let Some(jid) = jid {
                        self.device.credentials_refused(&jid);
                    }
                    self.reset();
                }
                return;
            }
        }
        self.device.changed(self);
    }

    /// Sends a chat message and shows it, pending until the server confirms it.
    pub fn send_message(&self, peer: &BareJid, body: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        let message = account
            .command(|client, now| client.send_chat(peer, body, now))
            .map_err(UiError::Send)?;
        let contact = self.contacts.is_contact(peer);
        self.chats.sent(message, contact);
        self.device.changed(self);
        Ok(())
    }

    /// XEP-0308: sends `body` as the new text of our message `original` to `peer`; it shows at
    /// once, pending until the server confirms the correction.
    pub fn correct_message(
        &self,
        peer: &BareJid,
        original: &str,
        body: &str,
    ) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        let message = account
            .command(|client, now| client.send_correction(peer, original, body, now))
            .map_err(UiError::Send)?;
        self.chats
            .corrected(peer, original, message.id, message.body);
        self.device.changed(self);
        Ok(())
    }

    /// Adds a contact (asking to see their presence) and opens the conversation with them.
    pub fn add_contact(&self, jid: BareJid, name: Option<&str>) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.add_contact(&jid, name, now))
            .map_err(UiError::Send)?;
        self.open_conversation(jid);
        Ok(())
    }

    /// Renames a contact; the core keeps its groups.
    pub fn rename_contact(&self, jid: &BareJid, name: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.rename_contact(jid, Some(name), now))
            .map_err(UiError::Send)
    }

    pub fn remove_contact(&self, jid: &BareJid) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.remove_contact(jid, now))
            .map_err(UiError::Send)
    }

    /// Answers a subscription request; what approving also does is the core's policy.
    pub fn answer_request(&self, jid: &BareJid, approve: bool) {
        let Some(account) = self.account() else {
            return self.notices.push(UiError::NotOnline);
        };
        if let Err(e) = account.command(|client, now| client.answer_subscription(jid, approve, now))
        {
            self.notices.push(UiError::Send(e));
        }
    }

    /// Our own presence: shown in the header, sent to contacts and rooms.
    /// `status`: `None` keeps the status text we have; an empty one clears it.
    pub fn set_own_presence(&self, availability: Availability, status: Option<String>) {
        let status = status
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|| self.connection.own_status.get_untracked());
        if let Some(account) = self.account() {
            let text = Some(status.as_str()).filter(|s| !s.is_empty());
            if let Err(e) =
                account.command(|client, now| client.set_presence(availability, text, now))
            {
                return self.notices.push(UiError::Send(e));
            }
        }
        self.connection.own_show.set(availability);
        self.connection.own_status.set(status);
    }

    /// Puts a contact in exactly these groups (RFC 6121 §2.1.2.4); the roster push shows it.
    pub fn set_contact_groups(&self, jid: &BareJid, groups: &[String]) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.set_contact_groups(jid, groups, now))
            .map_err(UiError::Send)
    }

    /// XEP-0191: blocks or unblocks one address; the server's push updates the blocklist.
    pub fn set_blocked(&self, jid: &Jid, block: bool) {
        let Some(account) = self.account() else {
            return self.notices.push(UiError::NotOnline);
        };
        if let Err(e) =
            account.command(|client, now| client.set_blocked(vec![jid.clone()], block, now))
        {
            self.notices.push(UiError::Send(e));
        }
    }

    /// The conversation the embed's address names, once per login like the configured rooms.
    fn open_embedded(&self) {
        if self.embed.opened.get_value() {
            return;
        }
        self.embed.opened.set_value(true);
        match self.embed.only() {
            Some(Only::Room { room, nick }) => {
                let nick = nick.unwrap_or_else(|| self.default_nick());
                self.join(&room, &nick, None, true);
            }
            Some(Only::Chat(peer)) => self.open_conversation(peer),
            None => {}
        }
    }

    pub fn open_conversation(&self, peer: BareJid) {
        self.rooms.browser_open.set(false);
        let contact = self.rooms.is_room(&peer) || self.contacts.is_contact(&peer);
        self.chats.open(peer, contact);
    }

    /// Reconnects after a lost connection with the credentials the account kept.
    pub fn reconnect(&self) {
        if let Some(account) = self.account() {
            self.connection.reconnecting(account.reconnect());
        }
    }

    /// The kept credentials cannot log in any more: back to the form, the address filled in.
    pub fn sign_in_again(&self) {
        let address = self
            .connection
            .own_jid
            .get_untracked()
            .map(|j| j.to_string())
            .unwrap_or_else(|| self.connection.last_address.get_untracked());
        self.logout();
        self.connection.last_address.set(address);
    }

    /// Person-initiated logout: the unavailable presence and `<close/>` go out, the socket closes
    /// without waiting for the server's answer, and the login form comes back at once.
    pub fn logout(&self) {
        self.device.logout(self);
        if let Some(account) = self.account() {
            account.close();
        }
        self.connection.signed_out();
        self.reset();
    }

    /// XEP-0077 §3.2: the server removed the account. Nothing of it stays on this device.
    fn account_removed(&self) {
        self.device.forget_on_logout.set(true);
        self.logout();
        self.own_account.removed.set(true);
    }

    /// XEP-0172: a contact's nickname names them in the list; ours shows in the profile.
    fn apply_nick(&self, event: crate::xmpp::NickEvent) {
        use crate::xmpp::NickEvent;
        use avatars::{PublishFailure, Publishing};
        match event {
            NickEvent::Changed { jid, nick } => {
                if self.connection.own_jid.get_untracked().as_ref() == Some(&jid) {
                    self.own_account.nick.set(nick.clone());
                }
                self.contacts.set_nick(&jid, nick);
            }
            NickEvent::Published => self.own_account.nick_change.set(Publishing::Done),
            NickEvent::PublishFailed(error) => self
                .own_account
                .nick_change
                .set(Publishing::Failed(PublishFailure::Refused(error.condition))),
        }
    }

    /// XEP-0054: ours goes to the account dialog, a contact's to their details.
    fn apply_vcard(&self, event: crate::xmpp::VCardEvent) {
        use crate::xmpp::VCardEvent;
        use avatars::{PublishFailure, Publishing};
        let own = |jid: &BareJid| self.connection.own_jid.get_untracked().as_ref() == Some(jid);
        match event {
            VCardEvent::Loaded { jid, fields } if own(&jid) => {
                self.own_account.vcard.set(Some(fields))
            }
            // Nothing stored yet, or nothing the server will say: an empty form to fill.
            VCardEvent::Unavailable { jid, .. } if own(&jid) => {
                self.own_account.vcard.set(Some(Vec::new()))
            }
            VCardEvent::Saved => self.own_account.vcard_change.set(Publishing::Done),
            VCardEvent::SaveFailed(error) => self
                .own_account
                .vcard_change
                .set(Publishing::Failed(PublishFailure::Refused(error.condition))),
            other => self.contacts.apply_vcard(other),
        }
    }

    /// XEP-0054 §3.2: changes these fields of our own vCard (blank removes one).
    pub fn save_own_vcard(&self, fields: Vec<(crate::xmpp::VCardField, String)>) {
        self.publish_own(self.own_account.vcard_change, |client, now| {
            client.save_own_vcard(fields, now)
        });
    }

    /// Sends a text part of our profile with `send`, saying in `change` where it stands (the
    /// server's answer settles it).
    fn publish_own(
        &self,
        change: RwSignal<avatars::Publishing>,
        send: impl FnOnce(&mut Client, Instant) -> Result<(), SendError>,
    ) {
        use avatars::{PublishFailure, Publishing};
        let Some(account) = self.account() else {
            return change.set(Publishing::Failed(PublishFailure::NotOnline));
        };
        change.set(Publishing::Pending);
        if let Err(e) = account.command(send) {
            let failure = match e {
                SendError::NotOnline => PublishFailure::NotOnline,
                other => PublishFailure::Refused(other.to_string()),
            };
            change.set(Publishing::Failed(failure));
        }
    }

    /// XEP-0054: reads our own vCard, for the account dialog.
    pub fn fetch_own_vcard(&self) {
        let (Some(account), Some(own)) = (self.account(), self.connection.own_jid.get_untracked())
        else {
            return;
        };
        if let Err(e) = account.command(|client, now| client.fetch_vcard(&own, now)) {
            leptos::logging::warn!("parley: our own profile was not asked for: {e}");
        }
    }

    /// XEP-0054: reads `jid`'s vCard for their details (what was shown of another goes).
    pub fn fetch_vcard(&self, jid: &BareJid) {
        self.contacts.vcard.set(None);
        if let Some(account) = self.account() {
            if let Err(e) = account.command(|client, now| client.fetch_vcard(jid, now)) {
                leptos::logging::warn!("parley: the profile of {jid} was not asked for: {e}");
            }
        }
    }

    /// XEP-0172 §4.5: publishes our nickname (blank clears it).
    pub fn set_nickname(&self, nick: &str) {
        let nick = Some(nick.trim()).filter(|n| !n.is_empty());
        self.publish_own(self.own_account.nick_change, |client, now| {
            client.set_nickname(nick, now)
        });
    }

    /// XEP-0077 §3.3: asks the server for a new password.
    pub fn change_password(&self, password: zeroize::Zeroizing<String>) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.change_password(password, now))
            .map_err(UiError::Send)?;
        self.own_account
            .password_change
            .set(account::Request::Pending);
        Ok(())
    }

    /// XEP-0077 §3.2: asks the server to remove the account.
    pub fn remove_account(&self) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.remove_account(now))
            .map_err(UiError::Send)?;
        self.own_account.removal.set(account::Request::Pending);
        Ok(())
    }

    /// Nothing of the last account left on the page.
    pub(crate) fn reset(&self) {
        self.own_account.reset();
        self.contacts.reset();
        self.avatars.reset();
        self.chats.reset();
        self.rooms.reset();
        self.embed.opened.set_value(false);
    }
}
