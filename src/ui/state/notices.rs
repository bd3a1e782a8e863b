//! What Parley tells the person, in Parley's words: the typed errors behind the login form, the
//! connection banner and the toasts. A peer's words never appear here; when a message bounces,
//! the notice names the failure and the conversation shows the peer's text, attributed to them.

use crate::config::ConfigError;
use crate::i18n::{self, Key, Lang};
use crate::linkify::neutralise_overrides;
use crate::store::toasts::Toasts;
use crate::transport::ConnectError;
use crate::xmpp::jid::AddressError;
use crate::xmpp::register::RegisterError;
use crate::xmpp::sasl::SaslError;
use crate::xmpp::SendError;
use leptos::prelude::*;
use std::time::Duration;

const TOAST_LIFETIME: Duration = Duration::from_secs(8);

/// Everything the UI may have to explain, kept typed so a language switch re-renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiError {
    Address(AddressError),
    MissingPassword,
    MissingNick,
    /// A field the server requires to make the account is empty; `label` is its (untrusted)
    /// label, shown as text.
    MissingField {
        label: String,
    },
    /// The guest domain's server does not offer anonymous sign-in.
    GuestUnavailable,
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
    /// The server refused to block (or unblock) an address.
    BlockFailed {
        block: bool,
        condition: String,
    },
    /// A room refused what we asked in it (a nick, a subject, a message).
    RoomRefused {
        condition: String,
    },
    /// "Remember this device" was chosen, and the browser's storage refused.
    StorageUnavailable,
}

impl UiError {
    /// A stable code for `data-reason`, so tests (and embedders) can tell errors apart without
    /// reading localised text.
    pub fn reason(&self) -> &'static str {
        use crate::transport::discovery::DiscoveryError as D;
        use crate::transport::policy::UrlError;
        use crate::xmpp::SessionError as S;
        match self {
            Self::Address(AddressError::Empty) => "address-empty",
            Self::Address(AddressError::MissingDomain) => "address-missing-domain",
            Self::Address(AddressError::WrongDomain { .. }) => "address-wrong-domain",
            Self::Address(AddressError::MissingLocalpart) => "address-missing-localpart",
            Self::Address(AddressError::Invalid(_)) => "address-invalid",
            Self::MissingPassword => "password-missing",
            Self::MissingNick => "nick-missing",
            Self::MissingField { .. } => "register-field-missing",
            Self::GuestUnavailable => "guest-unavailable",
            Self::Config(_) => "config-invalid",
            Self::Connect(e) => match e {
                ConnectError::Context(_) => "insecure-page",
                ConnectError::Url(UrlError::Insecure) => "url-insecure",
                ConnectError::Url(_) => "url-invalid",
                ConnectError::Discovery(D::NotFound) => "discovery-not-found",
                ConnectError::Discovery(D::Blocked { .. }) => "discovery-blocked",
                ConnectError::Discovery(D::OnlyInsecure) => "discovery-only-insecure",
                ConnectError::Discovery(D::NoWebSocket) => "discovery-no-websocket",
                ConnectError::Entropy(_) => "no-entropy",
                ConnectError::Unreachable => "unreachable",
                ConnectError::NotXmpp => "not-xmpp",
                ConnectError::RedirectRefused(_) => "redirect-refused",
                ConnectError::TooManyRedirects => "too-many-redirects",
                ConnectError::NeedsPassword => "needs-password",
                ConnectError::Browser(_) => "browser",
                ConnectError::Session(S::WrongCredentials) => "wrong-credentials",
                // The kept keys no longer fit (the password changed): the same as having none.
                ConnectError::Session(S::Sasl(SaslError::KeysDoNotFit)) => "needs-password",
                ConnectError::Session(S::StreamError { .. }) => "stream-error",
                ConnectError::Session(S::ConnectionLost(_)) => "connection-lost",
                ConnectError::Session(S::NoResponse) => "no-response",
                ConnectError::Session(S::Timeout { .. }) => "timeout",
                ConnectError::Session(S::Registration(e)) => match e {
                    RegisterError::NotOffered => "register-not-offered",
                    RegisterError::Taken => "register-taken",
                    RegisterError::NotAcceptable { .. } => "register-not-acceptable",
                    RegisterError::NotAllowed { .. } => "register-not-allowed",
                    RegisterError::Throttled => "register-throttled",
                    RegisterError::Elsewhere { .. } => "register-elsewhere",
                    RegisterError::Other { .. } => "register-refused",
                },
                ConnectError::Session(_) => "session",
            },
            Self::Send(SendError::TooLong { .. }) => "message-too-long",
            Self::Send(_) => "send",
            Self::NotOnline => "not-online",
            Self::MessageFailed { .. } => "message-failed",
            Self::RosterChangeFailed { .. } => "roster-change-failed",
            Self::BlockFailed { .. } => "block-failed",
            Self::RoomRefused { .. } => "room-refused",
            Self::StorageUnavailable => "storage-unavailable",
        }
    }

    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Self::Address(e) => i18n::describe_address_error(lang, e),
            Self::MissingPassword => i18n::t(lang, Key::MissingPassword).to_owned(),
            Self::MissingNick => i18n::t(lang, Key::MissingNick).to_owned(),
            Self::MissingField { label } => {
                format!(
                    "{} {}",
                    i18n::t(lang, Key::MissingField),
                    neutralise_overrides(label)
                )
            }
            Self::GuestUnavailable => i18n::t(lang, Key::GuestUnavailable).to_owned(),
            Self::Config(e) => i18n::describe_config_error(lang, e),
            Self::Connect(e) => i18n::describe_connect_error(lang, e),
            Self::Send(e) => i18n::describe_send_error(lang, e),
            Self::NotOnline => i18n::t(lang, Key::ErrSendNotOnline).to_owned(),
            Self::StorageUnavailable => i18n::t(lang, Key::ErrStorageUnavailable).to_owned(),
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
            Self::BlockFailed { block, condition } => format!(
                "{} {}",
                i18n::t(
                    lang,
                    if *block {
                        Key::BlockFailed
                    } else {
                        Key::UnblockFailed
                    }
                ),
                i18n::describe_delivery_failure(lang, condition)
            ),
            Self::RoomRefused { condition } => format!(
                "{} {}",
                i18n::t(lang, Key::RoomRefused),
                i18n::describe_delivery_failure(lang, condition)
            ),
        }
    }
}

impl UiError {
    /// What only a developer or an administrator can use, verbatim, for the disclosure below the
    /// sentence; `None` when the sentence says everything.
    pub fn detail(&self) -> Option<String> {
        match self {
            Self::Config(e) => i18n::config_error_detail(e),
            Self::Connect(e) => i18n::connect_error_detail(e),
            Self::Send(e) => i18n::send_error_detail(e),
            Self::MessageFailed { condition }
            | Self::RosterChangeFailed { condition }
            | Self::BlockFailed { condition, .. }
            | Self::RoomRefused { condition } => i18n::delivery_failure_detail(condition),
            _ => None,
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
