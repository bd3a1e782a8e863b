//! The connection as the person sees it: which screen is up, the link state, who is signed in,
//! and why the connection was lost, with the account kept to reconnect and when it tries next.

use super::notices::UiError;
use crate::config::{Config, ConfigError};
use crate::i18n::Key;
use crate::transport::websocket::Account;
use crate::transport::ConnectError;
use crate::xmpp::jid::BareJid;
use crate::xmpp::{Availability, ConnectionEvent, ConnectionState, Instant};
use leptos::prelude::*;

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
    /// Signed in, and a new connection is being made after one was lost.
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigStatus {
    Loading,
    Ready(Config),
    Invalid(ConfigError),
}

#[derive(Clone, Copy)]
pub struct Connection {
    pub phase: RwSignal<Phase>,
    pub link: RwSignal<LinkState>,
    pub own_jid: RwSignal<Option<BareJid>>,
    pub own_show: RwSignal<Availability>,
    /// Our status text as sent (empty: none). Kept across reconnects, as the core keeps it.
    pub own_status: RwSignal<String>,
    pub login_error: RwSignal<Option<UiError>>,
    /// Why the connection was lost while signed in; the shell shows it with a way back.
    pub lost: RwSignal<Option<UiError>>,
    /// The account kept what it needs to log in again without the password.
    pub can_reconnect: RwSignal<bool>,
    /// When the account tries to reconnect by itself next (the driver's clock).
    pub retry_at: RwSignal<Option<Instant>>,
    /// The address last typed, to refill the form (never the password).
    pub last_address: RwSignal<String>,
    /// A guest's chosen nickname, for the rooms it enters (its address is a random one).
    pub guest_nick: RwSignal<Option<String>>,
    account: StoredValue<Option<Account>, LocalStorage>,
    /// Which login the live account belongs to: updates of an older one are ignored.
    generation: StoredValue<u64>,
}

impl Connection {
    pub(super) fn new() -> Self {
        Self {
            phase: RwSignal::new(Phase::LoggedOut),
            link: RwSignal::new(LinkState::Offline),
            own_jid: RwSignal::new(None),
            own_show: RwSignal::new(Availability::Available),
            own_status: RwSignal::new(String::new()),
            login_error: RwSignal::new(None),
            lost: RwSignal::new(None),
            can_reconnect: RwSignal::new(false),
            retry_at: RwSignal::new(None),
            last_address: RwSignal::new(String::new()),
            guest_nick: RwSignal::new(None),
            account: StoredValue::new_local(None),
            generation: StoredValue::new(0),
        }
    }

    /// Starts a new login generation; updates tagged with an older one are dropped.
    pub fn begin_login(&self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    pub fn is_current(&self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    pub fn set_account(&self, account: Account) {
        self.account.set_value(Some(account));
    }

    pub fn account(&self) -> Option<Account> {
        self.account.try_with_value(Clone::clone).flatten()
    }

    pub fn apply(&self, event: ConnectionEvent) {
        match event {
            ConnectionEvent::State(state) => {
                let signed_in = self.phase.get_untracked() == Phase::Shell;
                let link = match state {
                    ConnectionState::Online => LinkState::Online,
                    ConnectionState::Closing | ConnectionState::Closed => LinkState::Offline,
                    _ if signed_in => LinkState::Reconnecting,
                    _ => LinkState::Connecting,
                };
                self.link.set(link);
                if state == ConnectionState::Online {
                    self.login_error.set(None);
                    self.lost.set(None);
                    self.retry_at.set(None);
                    // Set only when it changes: setting it again (after a reconnect) would build
                    // the shell anew and lose what is typed and where the person scrolled.
                    if self.phase.get_untracked() != Phase::Shell {
                        self.show_shell();
                    }
                }
            }
            ConnectionEvent::Bound(jid) => self.own_jid.set(Some(jid.to_bare())),
            // The driver turns Closed into Update::Disconnected.
            ConnectionEvent::Closed(_) => {}
        }
    }

    /// The shell is built in a task of its own: the frame that completed the login (a roster
    /// of 10,000) was parsed and loaded in this one, and both in one task would block the page
    /// for twice as long. Still online when the task runs, or the login form stays.
    fn show_shell(&self) {
        let (phase, link) = (self.phase, self.link);
        set_timeout(
            move || {
                if link.try_get_untracked() == Some(LinkState::Online)
                    && phase.try_get_untracked().is_some_and(|p| p != Phase::Shell)
                {
                    phase.set(Phase::Shell);
                }
            },
            std::time::Duration::ZERO,
        );
    }

    /// The connection ended. Signed in, the shell stays with the reason and the account;
    /// returns `true` when the form comes back: the login never got that far, or the server
    /// refused the kept credentials (the address stays, the reason is shown).
    pub fn disconnected(&self, error: Option<ConnectError>) -> bool {
        self.link.set(LinkState::Offline);
        self.retry_at.set(None);
        let can_reconnect = self.account().is_some_and(|a| a.can_reconnect());
        let refused = matches!(&error, Some(ConnectError::Session(e)) if e.refuses_credentials());
        if refused && self.phase.get_untracked() == Phase::Shell {
            if let Some(jid) = self.own_jid.get_untracked() {
                self.last_address.set(jid.to_string());
            }
            self.own_jid.set(None);
            self.lost.set(None);
            self.can_reconnect.set(false);
        } else if self.phase.get_untracked() == Phase::Shell {
            self.can_reconnect.set(can_reconnect);
            self.lost.set(Some(UiError::Connect(error.unwrap_or(
                ConnectError::Session(crate::xmpp::SessionError::ConnectionLost(None)),
            ))));
            return false;
        }
        self.account.set_value(None);
        self.phase.set(Phase::LoggedOut);
        let guest = self.guest_nick.get_untracked().is_some();
        self.login_error.set(error.map(|e| match e {
            // A guest's server without ANONYMOUS: the operator's guest domain is wrong.
            ConnectError::Session(crate::xmpp::SessionError::NoSupportedMechanism { .. })
                if guest =>
            {
                UiError::GuestUnavailable
            }
            e => UiError::Connect(e),
        }));
        true
    }

    /// The account will try again by itself at `at`.
    pub fn retrying(&self, at: Instant) {
        self.can_reconnect.set(true);
        self.retry_at.set(Some(at));
        self.link.set(LinkState::Reconnecting);
    }

    /// A reconnection was started (or could not be). The reason stays on screen until online.
    pub fn reconnecting(&self, started: Result<(), ConnectError>) {
        match started {
            Ok(()) => {
                self.retry_at.set(None);
                self.link.set(LinkState::Reconnecting);
            }
            Err(e) => {
                self.can_reconnect.set(false);
                self.lost.set(Some(UiError::Connect(e)));
            }
        }
    }

    /// Back to the login form; the address stays only if the person did not sign out on purpose.
    pub fn signed_out(&self) {
        // Updates from the closing account no longer concern the UI.
        self.begin_login();
        self.account.set_value(None);
        self.link.set(LinkState::Offline);
        self.phase.set(Phase::LoggedOut);
        self.own_jid.set(None);
        self.own_show.set(Availability::Available);
        self.own_status.set(String::new());
        self.login_error.set(None);
        self.lost.set(None);
        self.can_reconnect.set(false);
        self.retry_at.set(None);
        self.last_address.set(String::new());
        self.guest_nick.set(None);
    }
}
