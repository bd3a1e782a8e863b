//! What the application asks of the account itself (XEP-0077): creating it before the first
//! login, asking whether the server allows that, changing its password and removing it. The
//! protocol is in [`register`](super::super::register).

use super::super::context::Instant;
use super::super::entropy::Entropy;
use super::super::error::{SendError, SessionError};
use super::super::event::Event;
use super::super::register::{
    self, AccountEvent, Outcome, RegisterError, RegisterRequest, Registration,
};
use super::super::sasl::Secret;
use super::super::stanza::StanzaError;
use super::super::stream::{Login, Purpose};
use super::super::xml::{check_xml_text, Element};
use super::{Client, ClientConfig};
use zeroize::Zeroizing;

impl Client {
    /// XEP-0077 §3.1: opens a stream to create `config.account` with `password` (and `given`,
    /// the person's answers to fields the server asked for before), then signs in with it.
    /// Fields the server needs beyond those come as [`AccountEvent::RegistrationFields`].
    pub fn register(
        config: ClientConfig,
        password: Zeroizing<String>,
        given: Vec<(String, String)>,
        entropy: Entropy,
        now: Instant,
    ) -> Self {
        let mut client = Self::unconnected(
            config,
            Some(Secret::Password(password)),
            Purpose::Register,
            &entropy,
        );
        client.registration = Some(Registration::new(given));
        client.connect(entropy, now, true);
        client
    }

    /// Opens a stream only to learn whether the server lets accounts be created
    /// ([`AccountEvent::RegistrationOffered`]), then closes it. No credentials are involved.
    pub fn ask_registration(config: ClientConfig, entropy: Entropy, now: Instant) -> Self {
        let mut client = Self::unconnected(config, None, Purpose::AskRegistration, &entropy);
        client.connect(entropy, now, false);
        client
    }

    /// The person's answers to [`AccountEvent::RegistrationFields`]; returns whether they went.
    pub fn submit_registration(&mut self, given: Vec<(String, String)>, now: Instant) -> bool {
        let (Some(registration), Some(Secret::Password(password))) =
            (self.registration.as_mut(), self.secret.as_ref())
        else {
            return false;
        };
        if given.iter().any(|(_, v)| check_xml_text(v).is_err()) {
            return false;
        }
        let username = self.config.account.node().unwrap_or_default();
        registration.submit(given, username, password, &mut cx!(self, now))
    }

    /// XEP-0077 §3.3: sets a new password for the signed-in account. From the server's yes
    /// ([`AccountEvent::PasswordChanged`]) the next login uses it.
    pub fn change_password(
        &mut self,
        password: Zeroizing<String>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        if password.is_empty() {
            return Err(SendError::Empty);
        }
        check_xml_text(&password).map_err(SendError::InvalidText)?;
        let username = self.me.bare.node().unwrap_or_default().to_owned();
        register::change_password(&username, &password, &mut cx!(self, now));
        self.new_password = Some(password);
        Ok(())
    }

    /// XEP-0077 §3.2: removes the signed-in account from the server, for good. On the server's
    /// yes ([`AccountEvent::Removed`]) nothing is kept to log in with.
    pub fn remove_account(&mut self, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        register::remove(&mut cx!(self, now));
        Ok(())
    }

    /// The features of a stream opened to register or to ask about it.
    pub(super) fn unauthenticated(&mut self, register_offered: bool, now: Instant) {
        match self.purpose {
            Purpose::AskRegistration => {
                cx!(self, now).emit(Event::Account(AccountEvent::RegistrationOffered(
                    register_offered,
                )));
                self.close(now);
            }
            Purpose::Register if !register_offered => {
                self.fail(SessionError::Registration(RegisterError::NotOffered), now)
            }
            Purpose::Register => match self.registration.as_mut() {
                Some(registration) => registration.ask(&mut cx!(self, now)),
                None => self.fail(SessionError::Protocol("nothing to register".into()), now),
            },
            Purpose::SignIn => {}
        }
    }

    pub(super) fn register_answered(
        &mut self,
        request: RegisterRequest,
        result: Result<Option<Element>, StanzaError>,
        now: Instant,
    ) {
        match request {
            RegisterRequest::Fields | RegisterRequest::Submit => {
                self.registration_answered(request, result, now)
            }
            RegisterRequest::ChangePassword => {
                let changed = register::account_answered(&request, result, &mut cx!(self, now));
                let password = self.new_password.take();
                if let (true, Some(password)) = (changed, password) {
                    // The old keys prove the old password: the next login derives new ones.
                    self.secret = Some(Secret::Password(password));
                }
            }
            RegisterRequest::Remove => {
                if register::account_answered(&request, result, &mut cx!(self, now)) {
                    // The server ends the stream: nothing may log in again.
                    self.secret = None;
                }
            }
        }
    }

    fn registration_answered(
        &mut self,
        request: RegisterRequest,
        result: Result<Option<Element>, StanzaError>,
        now: Instant,
    ) {
        let (Some(registration), Some(Secret::Password(password))) =
            (self.registration.as_mut(), self.secret.as_ref())
        else {
            return;
        };
        let username = self.config.account.node().unwrap_or_default();
        let outcome =
            registration.answered(request, result, username, password, &mut cx!(self, now));
        match outcome {
            Outcome::Waiting => {}
            Outcome::Refused(e) => self.fail(SessionError::Registration(e), now),
            Outcome::Created => {
                self.registration = None;
                // A later connection of this account signs in as any other.
                self.purpose = Purpose::SignIn;
                let Some(stream) = self.stream.as_mut() else {
                    return;
                };
                let login = Login {
                    username,
                    secret: self.secret.as_ref(),
                    resource: self.config.resource.as_deref(),
                    purpose: Purpose::SignIn,
                };
                if let Err(e) = stream.authenticate(&login, &mut cx!(self, now)) {
                    self.fail(e, now);
                }
            }
        }
    }
}
