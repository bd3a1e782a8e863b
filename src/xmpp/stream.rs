//! One connection's stream: RFC 7395 §3.3-§3.6 (open, close), RFC 6120 §4.3 (features), §6 (SASL
//! and the restart after it), §7 (resource binding) and the RFC 3921 session some servers require;
//! or, in place of binding, XEP-0198 §5 resumption of the last session. Before SASL, a stream
//! opened to create an account stops at the features for XEP-0077 registration (see
//! [`register`](super::register)), then authenticates with the new account.
//!
//! A [`Stream`] lives as long as one WebSocket. The account ([`Client`](super::Client)) outlives it:
//! on a new connection it starts a new stream with the credentials it kept, and everything else
//! (roster, subscriptions, ids) carries on.

use super::context::Ctx;
use super::context::Instant;
use super::error::SessionError;
use super::event::{ConnectionEvent, ConnectionState, Event};
use super::jid::FullJid;
use super::ns;
use super::request::Owner;
use super::sasl::{Authenticator, Mechanism, SaslError, ScramKeys, Secret};
use super::stanza::{build, Frame, IqType, SaslFrame, SmFrame, StanzaError, StreamFeatures};
use super::xml::Element;
use zeroize::Zeroizing;

enum Stage {
    AwaitingOpen {
        authenticated: bool,
    },
    AwaitingFeatures {
        authenticated: bool,
    },
    /// XEP-0077: the stream is open without authentication, to create an account (or to ask
    /// whether it can be); SASL follows with these features once the account exists.
    Registering(StreamFeatures),
    Authenticating(Authenticator),
    /// XEP-0198 §5: `<resume/>` is sent; binding follows if it fails.
    Resuming(StreamFeatures),
    /// Bind, the legacy session and the roster are in flight (the request layer tracks them).
    Binding,
    Online,
    Closing,
}

/// What the account must do after a frame the stream looked at.
pub(crate) enum Step {
    Handled,
    /// A stanza (or unknown element) of a bound stream, for the account to route.
    Stanza(Box<Frame>),
    /// The features of a stream opened for registration; whether they offer it.
    Unauthenticated {
        register_offered: bool,
    },
    /// SASL succeeded; SCRAM's keys, to log in again without the password.
    Authenticated(Option<ScramKeys>),
    /// XEP-0198 §5: the last session goes on; the server handled `h` of our stanzas.
    Resumed {
        h: u32,
    },
    /// XEP-0198 §6: it could not; a new session is being bound. `h`, if the server said it,
    /// counts what it handled of the old one.
    ResumeFailed {
        h: Option<u32>,
    },
    Failed(SessionError),
}

pub(crate) struct Stream {
    stage: Stage,
    /// When the current login step or the closing handshake gives up.
    deadline: Option<Instant>,
    /// PLAIN sends the password itself: never to a server we were redirected to.
    allow_plain: bool,
    client_nonce: String,
    /// The server offered XEP-0198 with the features we bound under.
    sm_offered: bool,
    /// RFC 6121 §2.6.1: the server offered roster versioning with the features we bound under.
    roster_ver_offered: bool,
    /// RFC 6121 §3.4: the server offered pre-approval with the features we bound under.
    pre_approval_offered: bool,
    /// XEP-0198 §5: the `<resume/>` to send instead of binding, for the session the last
    /// connection left.
    resume: Option<Element>,
}

/// What a login needs from the account.
pub(crate) struct Login<'a> {
    pub username: &'a str,
    pub secret: Option<&'a Secret>,
    pub resource: Option<&'a str>,
    pub purpose: Purpose,
}

/// What a new stream is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    SignIn,
    /// XEP-0077 §3.1: create the account, then sign in with it.
    Register,
    /// Only to learn whether the server offers registration, then close.
    AskRegistration,
}

impl Stream {
    /// Queues the `<open/>` of a new connection.
    pub(crate) fn open(
        cx: &mut Ctx,
        allow_plain: bool,
        client_nonce: String,
        resume: Option<Element>,
    ) -> Self {
        let mut stream = Self {
            stage: Stage::Closing,
            deadline: None,
            allow_plain,
            client_nonce,
            sm_offered: false,
            roster_ver_offered: false,
            pre_approval_offered: false,
            resume,
        };
        stream.restart(cx, false);
        stream
    }

    pub(crate) fn state(&self) -> ConnectionState {
        match self.stage {
            Stage::AwaitingOpen {
                authenticated: false,
            }
            | Stage::AwaitingFeatures {
                authenticated: false,
            } => ConnectionState::Connecting,
            Stage::Registering(_) | Stage::Authenticating(_) => ConnectionState::Authenticating,
            Stage::AwaitingOpen {
                authenticated: true,
            }
            | Stage::AwaitingFeatures {
                authenticated: true,
            }
            | Stage::Resuming(_)
            | Stage::Binding => ConnectionState::Binding,
            Stage::Online => ConnectionState::Online,
            Stage::Closing => ConnectionState::Closing,
        }
    }

    pub(crate) fn is_online(&self) -> bool {
        matches!(self.stage, Stage::Online)
    }

    pub(crate) fn is_closing(&self) -> bool {
        matches!(self.stage, Stage::Closing)
    }

    /// XEP-0198 can be enabled once bound.
    pub(crate) fn sm_offered(&self) -> bool {
        self.sm_offered
    }

    pub(crate) fn roster_ver_offered(&self) -> bool {
        self.roster_ver_offered
    }

    pub(crate) fn pre_approval_offered(&self) -> bool {
        self.pre_approval_offered
    }

    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// What the connection was doing, for a timeout's message.
    pub(crate) fn stage_name(&self) -> &'static str {
        match self.stage {
            Stage::AwaitingOpen { .. } | Stage::AwaitingFeatures { .. } => "opening the stream",
            Stage::Registering(_) => "creating the account",
            Stage::Authenticating(_) => "authentication",
            Stage::Resuming(_) | Stage::Binding => "starting the session",
            Stage::Online => "a request",
            Stage::Closing => "closing",
        }
    }

    /// The deadline passed: `true` means a clean close is complete, `false` a login step timed out.
    pub(crate) fn timed_out(&mut self) -> bool {
        self.deadline = None;
        self.is_closing()
    }

    pub(crate) fn handle(&mut self, frame: Frame, login: &Login, cx: &mut Ctx) -> Step {
        let stage = std::mem::replace(&mut self.stage, Stage::Closing);
        match (stage, frame) {
            (Stage::AwaitingOpen { authenticated }, Frame::Open) => {
                self.stage = Stage::AwaitingFeatures { authenticated };
                Step::Handled
            }
            (
                Stage::AwaitingFeatures {
                    authenticated: false,
                },
                Frame::Features(features),
            ) if login.purpose != Purpose::SignIn => {
                let register_offered = features.register;
                // The person may take a while over the server's fields: the request layer
                // times out what waits for the server.
                self.set_stage(Stage::Registering(features), None, cx);
                Step::Unauthenticated { register_offered }
            }
            (Stage::AwaitingFeatures { authenticated }, Frame::Features(features)) => {
                self.stage = Stage::AwaitingFeatures { authenticated };
                let started = if authenticated {
                    self.start_binding(&features, login, cx)
                } else {
                    self.start_sasl(&features.mechanisms, login, cx)
                };
                match started {
                    Ok(()) => Step::Handled,
                    Err(e) => Step::Failed(e),
                }
            }
            (stage @ Stage::Authenticating(_), Frame::Sasl(sasl)) => {
                self.stage = stage;
                self.handle_sasl(sasl, cx)
            }
            (Stage::Resuming(features), Frame::Sm(sm)) => {
                self.handle_resumption(features, sm, login, cx)
            }
            (
                stage @ (Stage::Registering(_) | Stage::Binding | Stage::Online),
                frame @ (Frame::Iq(_)
                | Frame::Message(_)
                | Frame::Presence(_)
                | Frame::Sm(_)
                | Frame::Unknown(_)),
            ) => {
                self.stage = stage;
                Step::Stanza(Box::new(frame))
            }
            (stage, Frame::Unknown(el)) => {
                self.stage = stage;
                cx.warn(&format!("ignored <{} xmlns='{}'/>", el.name, el.ns));
                Step::Handled
            }
            (Stage::Closing, _) => Step::Handled,
            (stage, frame) => {
                self.stage = stage;
                let during = self.stage_name();
                Step::Failed(SessionError::Protocol(format!(
                    "unexpected {} during {during}",
                    frame_name(&frame)
                )))
            }
        }
    }

    /// XEP-0077 §3.1: the account exists now; SASL with the features the stream offered.
    pub(crate) fn authenticate(&mut self, login: &Login, cx: &mut Ctx) -> Result<(), SessionError> {
        let Stage::Registering(features) = std::mem::replace(&mut self.stage, Stage::Closing)
        else {
            return Err(SessionError::Protocol("no stream to log in on".into()));
        };
        self.stage = Stage::AwaitingFeatures {
            authenticated: false,
        };
        self.start_sasl(&features.mechanisms, login, cx)
    }

    /// RFC 6120 §7.7: the answer to our bind request.
    pub(crate) fn bound(
        &self,
        result: Result<Option<Element>, StanzaError>,
    ) -> Result<FullJid, SessionError> {
        let payload = result.map_err(|e| SessionError::BindFailed {
            condition: e.condition,
        })?;
        payload
            .as_ref()
            .filter(|p| p.is("bind", ns::BIND))
            .and_then(|p| p.get_child("jid", ns::BIND))
            .and_then(|j| FullJid::new(j.text_content().trim()).ok())
            .ok_or_else(|| SessionError::Protocol("the server bound no valid address".into()))
    }

    pub(crate) fn set_online(&mut self, cx: &mut Ctx) {
        self.set_stage(Stage::Online, None, cx);
    }

    /// Sends our `<close/>` and waits briefly for the server's (RFC 7395 §3.6).
    pub(crate) fn begin_close(&mut self, cx: &mut Ctx) {
        cx.send(&build::close());
        self.set_stage(Stage::Closing, Some(cx.now.plus_ms(3_000)), cx);
    }

    fn restart(&mut self, cx: &mut Ctx, authenticated: bool) {
        cx.send(&build::open(cx.me.bare().domain()));
        let deadline = cx.now.plus_ms(cx.timeout_ms);
        self.set_stage(Stage::AwaitingOpen { authenticated }, Some(deadline), cx);
    }

    fn set_stage(&mut self, stage: Stage, deadline: Option<Instant>, cx: &mut Ctx) {
        let before = self.state();
        self.stage = stage;
        self.deadline = deadline;
        let after = self.state();
        if before != after {
            cx.emit(Event::Connection(ConnectionEvent::State(after)));
        }
    }

    fn start_sasl(
        &mut self,
        offered: &[String],
        login: &Login,
        cx: &mut Ctx,
    ) -> Result<(), SessionError> {
        let Some(secret) = login.secret else {
            return Err(SessionError::Sasl(SaslError::KeysDoNotFit));
        };
        let mechanism = match secret {
            // Kept keys fit only the mechanism that made them: without it, the password is needed.
            Secret::Scram(keys) => match offered.iter().any(|o| o == keys.mechanism.name()) {
                true => Some(keys.mechanism),
                false => return Err(SessionError::Sasl(SaslError::KeysDoNotFit)),
            },
            Secret::Password(_) => Mechanism::choose(offered, self.allow_plain),
            Secret::Anonymous => offered
                .iter()
                .any(|o| o == Mechanism::Anonymous.name())
                .then_some(Mechanism::Anonymous),
        };
        let Some(mechanism) = mechanism else {
            return Err(SessionError::NoSupportedMechanism {
                offered: offered.to_vec(),
            });
        };
        let secret = match secret {
            Secret::Password(p) => Secret::Password(p.clone()),
            Secret::Scram(keys) => Secret::Scram(keys.clone()),
            Secret::Anonymous => Secret::Anonymous,
        };
        let mut auth =
            Authenticator::new(mechanism, login.username, secret, self.client_nonce.clone());
        let response = auth.initial_response().map_err(SessionError::Sasl)?;
        send_sasl(cx, auth_frame(mechanism.name(), &response))?;
        let deadline = cx.now.plus_ms(cx.timeout_ms);
        self.set_stage(Stage::Authenticating(auth), Some(deadline), cx);
        Ok(())
    }

    fn handle_sasl(&mut self, frame: SaslFrame, cx: &mut Ctx) -> Step {
        let Stage::Authenticating(auth) = &mut self.stage else {
            return Step::Handled;
        };
        match frame {
            SaslFrame::Challenge(data) => match auth.respond(&data) {
                Ok(response) => match send_sasl(cx, response_frame(&response)) {
                    Ok(()) => Step::Handled,
                    Err(e) => Step::Failed(e),
                },
                Err(e) => Step::Failed(SessionError::Sasl(e)),
            },
            // Restarting the stream drops the authenticator and any key material with it.
            SaslFrame::Success(data) => match auth.finish(data.as_deref()) {
                Ok(keys) => {
                    self.restart(cx, true);
                    Step::Authenticated(keys)
                }
                Err(e) => Step::Failed(SessionError::Sasl(e)),
            },
            SaslFrame::Failure { condition, text } => {
                Step::Failed(if condition == "not-authorized" {
                    SessionError::WrongCredentials
                } else {
                    SessionError::AuthFailed { condition, text }
                })
            }
        }
    }

    /// XEP-0198 §5: the answer to `<resume/>`.
    fn handle_resumption(
        &mut self,
        features: StreamFeatures,
        sm: SmFrame,
        login: &Login,
        cx: &mut Ctx,
    ) -> Step {
        match sm {
            SmFrame::Resumed { h, .. } => {
                self.sm_offered = true;
                self.set_stage(Stage::Online, None, cx);
                Step::Resumed { h }
            }
            SmFrame::Failed { h, .. } => {
                self.stage = Stage::Binding;
                match self.bind(&features, login, cx) {
                    Ok(()) => Step::ResumeFailed { h },
                    Err(e) => Step::Failed(e),
                }
            }
            other => {
                self.stage = Stage::Resuming(features);
                cx.warn(&format!("ignored {other:?} while resuming"));
                Step::Handled
            }
        }
    }

    /// RFC 6120 §7: binds a resource (and opens a legacy session where the server requires it),
    /// or resumes the last session where that is possible.
    fn start_binding(
        &mut self,
        features: &StreamFeatures,
        login: &Login,
        cx: &mut Ctx,
    ) -> Result<(), SessionError> {
        if let (true, Some(resume)) = (features.sm, self.resume.take()) {
            cx.send(&resume);
            let deadline = cx.now.plus_ms(cx.timeout_ms);
            self.set_stage(Stage::Resuming(features.clone()), Some(deadline), cx);
            return Ok(());
        }
        self.bind(features, login, cx)
    }

    fn bind(
        &mut self,
        features: &StreamFeatures,
        login: &Login,
        cx: &mut Ctx,
    ) -> Result<(), SessionError> {
        self.sm_offered = features.sm;
        self.roster_ver_offered = features.roster_ver;
        self.pre_approval_offered = features.pre_approval;
        if !features.bind {
            return Err(SessionError::Protocol(
                "the server offers no resource binding".into(),
            ));
        }
        cx.request(IqType::Set, build::bind(login.resource), Owner::Bind);
        if features.session_required {
            cx.request(
                IqType::Set,
                Element::new("session", ns::SESSION),
                Owner::LegacySession,
            );
        }
        self.set_stage(Stage::Binding, None, cx);
        Ok(())
    }
}

/// SASL frames carry the password (PLAIN) or a proof: written straight into wiped buffers.
fn send_sasl(cx: &mut Ctx, frame: Zeroizing<String>) -> Result<(), SessionError> {
    cx.out
        .send_secret(frame)
        .map_err(|_| SessionError::Protocol("the login message is too large to send".into()))
}

/// RFC 6120 §6.4.2: `<auth/>` with the initial response ("=" when empty). Base64 and the
/// mechanism names need no escaping.
fn auth_frame(mechanism: &str, response: &str) -> Zeroizing<String> {
    let response = if response.is_empty() { "=" } else { response };
    let mut frame = Zeroizing::new(String::with_capacity(response.len() + 96));
    frame.push_str("<auth xmlns=\"");
    frame.push_str(ns::SASL);
    frame.push_str("\" mechanism=\"");
    frame.push_str(mechanism);
    frame.push_str("\">");
    frame.push_str(response);
    frame.push_str("</auth>");
    frame
}

/// RFC 6120 §6.4.3: `<response/>` to a challenge.
fn response_frame(response: &str) -> Zeroizing<String> {
    let mut frame = Zeroizing::new(String::with_capacity(response.len() + 64));
    frame.push_str("<response xmlns=\"");
    frame.push_str(ns::SASL);
    if response.is_empty() {
        frame.push_str("\"/>");
    } else {
        frame.push_str("\">");
        frame.push_str(response);
        frame.push_str("</response>");
    }
    frame
}

fn frame_name(frame: &Frame) -> &'static str {
    match frame {
        Frame::Open => "stream open",
        Frame::Close(_) => "stream close",
        Frame::Features(_) => "stream features",
        Frame::StreamError(_) => "stream error",
        Frame::Sasl(_) => "authentication message",
        Frame::Iq(_) => "iq",
        Frame::Message(_) => "message",
        Frame::Presence(_) => "presence",
        Frame::Sm(_) => "stream management element",
        Frame::Unknown(_) => "element",
    }
}
