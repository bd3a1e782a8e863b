//! The account itself (XEP-0077) as signals: whether the server creates accounts, the
//! registration form's state, and the answers to a password change or a removal.

use crate::transport::websocket::{open_account, Account, Opening, Update};
use crate::xmpp::register::RegisterError;
use crate::xmpp::{AccountEvent, ClientConfig, Event, RegistrationForm};
use leptos::prelude::*;

/// Where a request about the account stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Request {
    #[default]
    Idle,
    Pending,
    Done,
    Failed(RegisterError),
}

impl Request {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Failed(_) => "error",
        }
    }
}

#[derive(Clone, Copy)]
pub struct AccountState {
    /// `Some` once the server of the configured domain said whether it creates accounts;
    /// `None` while unknown (not asked yet, or no fixed domain to ask).
    pub registration_offered: RwSignal<Option<bool>>,
    /// The login page shows the registration form instead of the sign-in form.
    pub registering: RwSignal<bool>,
    /// What the server asks beyond a user name and password, while it waits for the person.
    pub fields: RwSignal<Option<RegistrationForm>>,
    pub password_change: RwSignal<Request>,
    pub removal: RwSignal<Request>,
    /// XEP-0172: the nickname we gave ourselves, as our server last said.
    pub nick: RwSignal<Option<String>>,
    pub nick_change: RwSignal<super::avatars::Publishing>,
    /// XEP-0054: our own vCard's fields as last read (`None`: not read yet this sign-in).
    pub vcard: RwSignal<Option<super::contacts::VCardFields>>,
    pub vcard_change: RwSignal<super::avatars::Publishing>,
    /// The account was removed: the login page says so once.
    pub removed: RwSignal<bool>,
    /// The connection that asks whether registration is offered, kept until it closes.
    asking: StoredValue<Option<Account>, LocalStorage>,
}

impl AccountState {
    pub(super) fn new() -> Self {
        Self {
            registration_offered: RwSignal::new(None),
            registering: RwSignal::new(false),
            fields: RwSignal::new(None),
            password_change: RwSignal::new(Request::Idle),
            removal: RwSignal::new(Request::Idle),
            nick: RwSignal::new(None),
            nick_change: RwSignal::new(super::avatars::Publishing::Idle),
            vcard: RwSignal::new(None),
            vcard_change: RwSignal::new(super::avatars::Publishing::Idle),
            removed: RwSignal::new(false),
            asking: StoredValue::new_local(None),
        }
    }

    /// Asks the server at `url` once whether it creates accounts for `config`'s domain. A
    /// failure to ask leaves it unknown: the registration form finds out when used.
    pub fn ask_registration(&self, url: &str, config: ClientConfig) {
        if self.asking.with_value(Option::is_some)
            || self.registration_offered.get_untracked().is_some()
        {
            return;
        }
        let (offered, asking) = (self.registration_offered, self.asking);
        let sink = move |update: Update| match update {
            Update::Event(Event::Account(AccountEvent::RegistrationOffered(yes))) => {
                offered.try_set(Some(yes));
            }
            // The socket is done with: let it go (after this call returns).
            Update::Disconnected(_) => {
                leptos::task::spawn_local(async move {
                    asking.try_set_value(None);
                });
            }
            _ => {}
        };
        if let Ok(account) = open_account(url, config, Opening::AskRegistration, false, sink) {
            self.asking.set_value(Some(account));
        }
    }

    pub(super) fn apply(&self, event: AccountEvent) {
        match event {
            AccountEvent::RegistrationOffered(yes) => self.registration_offered.set(Some(yes)),
            AccountEvent::RegistrationFields(form) => self.fields.set(Some(form)),
            AccountEvent::Registered => {
                self.fields.set(None);
                self.registering.set(false);
            }
            AccountEvent::PasswordChanged => self.password_change.set(Request::Done),
            AccountEvent::PasswordNotChanged(e) => self.password_change.set(Request::Failed(e)),
            AccountEvent::Removed => self.removal.set(Request::Done),
            AccountEvent::NotRemoved(e) => self.removal.set(Request::Failed(e)),
        }
    }

    /// A new login or a sign-out: nothing of the last account's requests stays.
    pub(super) fn reset(&self) {
        self.fields.set(None);
        self.password_change.set(Request::Idle);
        self.removal.set(Request::Idle);
        self.nick.set(None);
        self.nick_change.set(super::avatars::Publishing::Idle);
        self.vcard.set(None);
        self.vcard_change.set(super::avatars::Publishing::Idle);
    }
}
