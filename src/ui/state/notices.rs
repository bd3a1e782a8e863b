//! What Parley tells the person, in Parley's words: the typed errors behind the login form, the
//! connection banner and the toasts. A peer's words never appear here; when a message bounces,
//! the notice names the failure and the conversation shows the peer's text, attributed to them.

use crate::config::ConfigError;
use crate::i18n::{self, Key, Lang};
use crate::store::toasts::Toasts;
use crate::transport::ConnectError;
use crate::xmpp::jid::AddressError;
use crate::xmpp::SendError;
use leptos::prelude::*;
use std::time::Duration;

const TOAST_LIFETIME: Duration = Duration::from_secs(8);

/// Everything the UI may have to explain, kept typed so a language switch re-renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiError {
    Address(AddressError),
    MissingPassword,
    Config(ConfigError),
    Connect(ConnectError),
    Send(SendError),
    NotOnline,
    /// A message bounced; the condition is a protocol token, described in our words.
    MessageFailed {
        condition: String,
    },
    /// The server refused a roster change.
    RosterChangeFailed {
        condition: String,
    },
}

impl UiError {
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Self::Address(e) => i18n::describe_address_error(lang, e),
            Self::MissingPassword => i18n::t(lang, Key::MissingPassword).to_owned(),
            Self::Config(e) => i18n::describe_config_error(lang, e),
            Self::Connect(e) => i18n::describe_connect_error(lang, e),
            Self::Send(e) => i18n::describe_send_error(lang, e),
            Self::NotOnline => i18n::t(lang, Key::ErrSendNotOnline).to_owned(),
            Self::MessageFailed { condition } => format!(
                "{} {}",
                i18n::t(lang, Key::MessageFailed),
                i18n::describe_delivery_failure(lang, condition)
            ),
            Self::RosterChangeFailed { condition } => format!(
                "{} {}",
                i18n::t(lang, Key::RosterChangeFailed),
                i18n::describe_delivery_failure(lang, condition)
            ),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Notices {
    pub toasts: RwSignal<Toasts<UiError>>,
}

impl Notices {
    pub(super) fn new() -> Self {
        Self {
            toasts: RwSignal::new(Toasts::default()),
        }
    }

    /// Shows a notice for a while (at most a few at once; the same one not twice).
    pub fn push(&self, error: UiError) {
        let Some(id) = self.toasts.try_update(|t| t.push(error)).flatten() else {
            return;
        };
        let toasts = self.toasts;
        set_timeout(
            move || {
                toasts.try_update(|t| t.dismiss(id));
            },
            TOAST_LIFETIME,
        );
    }

    pub fn dismiss(&self, id: u64) {
        self.toasts.update(|t| t.dismiss(id));
    }
}
