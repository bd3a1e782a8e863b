//! The client session: RFC 7395 framing, RFC 6120 §4-§7 (stream, SASL, restart, bind), RFC 6121
//! §2.1.3 (roster get), §4.2 (initial presence), and the stanzas of a session that is online.
//!
//! Shape (as quinn-proto's `Connection`): the caller feeds frames with [`Session::handle_frame`] and
//! the clock with [`Session::handle_timeout`], and drains [`Session::poll_transmit`] (frames to send)
//! and [`Session::poll_event`] (what the application should know). [`Session::poll_timeout`] says when
//! to call `handle_timeout` next. The session never blocks and never reads the clock.

use super::delay;
use super::entropy::Entropy;
use super::error::SessionError;
use super::jid::{BareJid, FullJid, Jid};
use super::message::{self, ChatMessage, ChatState, Direction, Incoming, SendError};
use super::ns;
use super::presence::{Availability, ContactPresence, PresenceBook};
use super::roster::{self, RosterItem};
use super::sasl::{Authenticator, Mechanism};
use super::stanza::{self, build, Frame, Iq, IqType, Message, Presence, SaslFrame, StreamFeatures};
use super::xml::{check_xml_text, Element};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use std::collections::{HashMap, VecDeque};
use zeroize::Zeroizing;

/// Milliseconds on a monotonic clock the caller owns (e.g. `performance.now()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub u64);

impl Instant {
    pub fn plus_ms(self, ms: u64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

pub struct SessionConfig {
    pub account: BareJid,
    /// Moved into SASL at login and wiped when SASL ends.
    pub password: Zeroizing<String>,
    /// `None` lets the server choose the resource (RFC 6120 §7.6.1).
    pub resource: Option<String>,
    /// A frame larger than this closes the session (bytes of UTF-8).
    pub max_frame_bytes: usize,
    /// How long the server may take over each login step and each request.
    pub timeout_ms: u64,
}

impl SessionConfig {
    pub const DEFAULT_MAX_FRAME_BYTES: usize = 1 << 20;
    pub const DEFAULT_TIMEOUT_MS: u64 = 20_000;

    pub fn new(account: BareJid, password: Zeroizing<String>) -> Self {
        Self {
            account,
            password,
            resource: None,
            max_frame_bytes: Self::DEFAULT_MAX_FRAME_BYTES,
            timeout_ms: Self::DEFAULT_TIMEOUT_MS,
        }
    }
}

/// Where the connection is, as a person would describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    Connecting,
    Authenticating,
    Binding,
    Online,
    Closing,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    State(ConnectionState),
    /// The session is bound; the roster and initial presence follow.
    Bound(FullJid),
    /// The whole roster, once per login.
    Roster(Vec<RosterItem>),
    /// One item added, changed or (with `Subscription::Remove`) removed by the server.
    RosterPush(RosterItem),
    Presence(ContactPresence),
    /// RFC 6121 §3.1.3: `jid` asks to see our presence; answer with
    /// [`Session::answer_subscription`].
    SubscriptionRequest(BareJid),
    /// The server refused to add, change or remove a contact.
    RosterChangeFailed {
        jid: BareJid,
        reason: String,
    },
    Message(ChatMessage),
    ChatState {
        peer: BareJid,
        state: ChatState,
    },
    /// A message we sent bounced with a stanza error.
    MessageFailed {
        id: String,
        peer: BareJid,
        reason: String,
    },
    /// Something was dropped or ignored; for the log, not for the person.
    Warning(String),
    /// The session is over. `None` is a clean close that we asked for.
    Closed(Option<SessionError>),
}

enum Stage {
    AwaitingOpen {
        authenticated: bool,
    },
    AwaitingFeatures {
        authenticated: bool,
    },
    Authenticating(Authenticator),
    /// Bind, optional legacy session and roster requests in flight; `pending` tracks them.
    Establishing,
    Online,
    Closing,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Purpose {
    Bind,
    LegacySession,
    Roster,
    /// XEP-0280 §4: turning carbons on. A server without carbons answers with an error; harmless.
    EnableCarbons,
    /// RFC 6121 §2.3-§2.5: adding, changing or removing this contact.
    RosterSet(BareJid),
}

impl Purpose {
    /// Without an answer to these, there is no session.
    fn is_login_step(&self) -> bool {
        matches!(self, Self::Bind | Self::LegacySession | Self::Roster)
    }
}

struct Pending {
    purpose: Purpose,
    deadline: Instant,
}

pub struct Session {
    config: SessionConfig,
    password: Option<Zeroizing<String>>,
    client_nonce: String,
    id_prefix: String,
    next_id: u64,
    stage: Stage,
    /// When the current login step or the closing handshake gives up.
    stage_deadline: Option<Instant>,
    pending: HashMap<String, Pending>,
    jid: Option<FullJid>,
    presence: PresenceBook,
    own_presence: (Availability, Option<String>),
    transmit: VecDeque<String>,
    events: VecDeque<Event>,
}

impl Session {
    /// Starts a session: the `<open/>` is queued at once.
    pub fn new(mut config: SessionConfig, entropy: Entropy, now: Instant) -> Self {
        let password = Some(std::mem::take(&mut config.password));
        let client_nonce = BASE64.encode(&entropy.0[..18]);
        let id_prefix: String = entropy.0[18..26]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut session = Self {
            config,
            password,
            client_nonce,
            id_prefix,
            next_id: 0,
            stage: Stage::AwaitingOpen {
                authenticated: false,
            },
            stage_deadline: None,
            pending: HashMap::new(),
            jid: None,
            presence: PresenceBook::default(),
            own_presence: (Availability::Available, None),
            transmit: VecDeque::new(),
            events: VecDeque::new(),
        };
        session
            .events
            .push_back(Event::State(ConnectionState::Connecting));
        session.open_stream(now);
        session
    }

    pub fn state(&self) -> ConnectionState {
        match self.stage {
            Stage::AwaitingOpen {
                authenticated: false,
            }
            | Stage::AwaitingFeatures {
                authenticated: false,
            } => ConnectionState::Connecting,
            Stage::Authenticating(_) => ConnectionState::Authenticating,
            Stage::AwaitingOpen {
                authenticated: true,
            }
            | Stage::AwaitingFeatures {
                authenticated: true,
            }
            | Stage::Establishing => ConnectionState::Binding,
            Stage::Online => ConnectionState::Online,
            Stage::Closing => ConnectionState::Closing,
            Stage::Closed => ConnectionState::Closed,
        }
    }

    /// The full JID once bound.
    pub fn jid(&self) -> Option<&FullJid> {
        self.jid.as_ref()
    }

    pub fn poll_transmit(&mut self) -> Option<String> {
        self.transmit.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The earliest moment [`Session::handle_timeout`] has work to do.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.pending
            .values()
            .map(|p| p.deadline)
            .chain(self.stage_deadline)
            .min()
    }

    pub fn handle_timeout(&mut self, now: Instant) {
        if self.stage_deadline.is_some_and(|d| d <= now) {
            self.stage_deadline = None;
            match self.stage {
                Stage::Closing => self.finish(None),
                Stage::Closed => {}
                _ => {
                    let stage = self.stage_name();
                    self.fail(SessionError::Timeout { stage });
                }
            }
            return;
        }
        let expired: Vec<(String, Purpose)> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, p)| (id.clone(), p.purpose.clone()))
            .collect();
        for (id, purpose) in expired {
            self.pending.remove(&id);
            match purpose {
                purpose if purpose.is_login_step() => {
                    let stage = self.stage_name();
                    self.fail(SessionError::Timeout { stage });
                    return;
                }
                Purpose::RosterSet(jid) => self.events.push_back(Event::RosterChangeFailed {
                    jid,
                    reason: "remote-server-timeout".into(),
                }),
                purpose => self.events.push_back(Event::Warning(format!(
                    "no answer to request {id} ({purpose:?})"
                ))),
            }
        }
    }

    /// Feeds one received WebSocket text frame.
    pub fn handle_frame(&mut self, frame: &str, now: Instant) {
        if matches!(self.stage, Stage::Closed) {
            return;
        }
        if frame.len() > self.config.max_frame_bytes {
            let limit = self.config.max_frame_bytes;
            self.fail(SessionError::FrameTooLarge {
                size: frame.len(),
                limit,
            });
            return;
        }
        let frame = match stanza::parse(frame) {
            Ok(Some(frame)) => frame,
            Ok(None) => return,
            Err(e) => {
                // RFC 6120 says a malformed stream is fatal, but one bad frame from a buggy server or
                // a hostile peer's relayed stanza must not end a person's session: drop it, say so.
                self.events
                    .push_back(Event::Warning(format!("dropped a frame: {e}")));
                return;
            }
        };
        match frame {
            Frame::StreamError(e) => {
                self.fail(SessionError::StreamError {
                    condition: e.condition,
                    text: e.text,
                });
            }
            Frame::Close(close) => self.handle_close(close.see_other_uri),
            frame => self.handle_in_stage(frame, now),
        }
    }

    /// The WebSocket closed under us.
    pub fn handle_transport_closed(&mut self) {
        match self.stage {
            Stage::Closed => {}
            Stage::Closing => self.finish(None),
            _ => self.finish(Some(SessionError::ConnectionLost)),
        }
    }

    /// Ends the session cleanly: unavailable presence, then `<close/>`; the server's `<close/>`
    /// (or a short timeout) completes it.
    pub fn close(&mut self, now: Instant) {
        match self.stage {
            Stage::Closing | Stage::Closed => {}
            Stage::Online => {
                self.send(&Element::new("presence", ns::CLIENT).attr("type", "unavailable"));
                self.begin_close(now);
            }
            _ => self.begin_close(now),
        }
    }

    /// Sends a chat message; returns it as the conversation should show it.
    pub fn send_chat(&mut self, to: &BareJid, body: &str) -> Result<ChatMessage, SendError> {
        self.ensure_online()?;
        let id = self.next_id();
        let element = message::build_chat(to, &id, body)?;
        self.send(&element);
        Ok(ChatMessage {
            id,
            peer: to.clone(),
            direction: Direction::Out,
            body: body.to_owned(),
            sent_at: None,
        })
    }

    /// RFC 6121 §2.3 and §3.1.1: puts `jid` in the roster (or renames it) and asks to see their
    /// presence. The server's roster push confirms it; a refusal is [`Event::RosterChangeFailed`].
    pub fn add_contact(
        &mut self,
        jid: &BareJid,
        name: Option<&str>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.roster_set(jid, name, &[], now)?;
        self.ask_subscription(jid);
        Ok(())
    }

    /// RFC 6121 §2.4: renames a contact. The item is replaced as a whole, so pass its groups.
    pub fn rename_contact(
        &mut self,
        jid: &BareJid,
        name: Option<&str>,
        groups: &[String],
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.roster_set(jid, name, groups, now)
    }

    /// RFC 6121 §2.5: removes a contact; the server cancels the subscriptions both ways.
    pub fn remove_contact(&mut self, jid: &BareJid, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        let item = Element::new("item", ns::ROSTER)
            .attr("jid", jid.as_str())
            .attr("subscription", "remove");
        self.send_roster_set(jid, item, now);
        Ok(())
    }

    fn ensure_online(&self) -> Result<(), SendError> {
        match self.stage {
            Stage::Online => Ok(()),
            _ => Err(SendError::NotOnline),
        }
    }

    /// A roster set of one item with a name (blank means none) and groups, validated first.
    fn roster_set(
        &mut self,
        jid: &BareJid,
        name: Option<&str>,
        groups: &[String],
        now: Instant,
    ) -> Result<(), SendError> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        for text in name.into_iter().chain(groups.iter().map(String::as_str)) {
            check_xml_text(text).map_err(SendError::InvalidText)?;
        }
        let item = groups.iter().fold(
            Element::new("item", ns::ROSTER)
                .attr("jid", jid.as_str())
                .attr_opt("name", name),
            |item, group| item.text_child("group", ns::ROSTER, group.as_str()),
        );
        self.send_roster_set(jid, item, now);
        Ok(())
    }

    fn send_roster_set(&mut self, jid: &BareJid, item: Element, now: Instant) {
        let query = roster::query().child(item);
        self.request(IqType::Set, query, Purpose::RosterSet(jid.clone()), now);
    }

    /// RFC 6121 §3.1.1: asks to see the presence of `jid`, already in the roster or not. Unlike
    /// [`Session::add_contact`] it leaves the roster item (name, groups) as it is.
    pub fn ask_subscription(&mut self, jid: &BareJid) {
        if matches!(self.stage, Stage::Online) {
            self.send(
                &Element::new("presence", ns::CLIENT)
                    .attr("to", jid.as_str())
                    .attr("type", "subscribe"),
            );
        }
    }

    /// RFC 6121 §3.1.4 and §3.1.5: answers a subscription request; `approve` lets `jid` see our
    /// presence, otherwise the request is declined.
    pub fn answer_subscription(&mut self, jid: &BareJid, approve: bool) {
        if matches!(self.stage, Stage::Online) {
            let kind = if approve {
                "subscribed"
            } else {
                "unsubscribed"
            };
            self.send(
                &Element::new("presence", ns::CLIENT)
                    .attr("to", jid.as_str())
                    .attr("type", kind),
            );
        }
    }

    /// XEP-0085: tell the peer we are typing (or stopped).
    pub fn send_chat_state(&mut self, to: &BareJid, composing: bool) {
        if matches!(self.stage, Stage::Online) {
            self.send(&message::build_chat_state(to, composing));
        }
    }

    /// Changes our own presence (RFC 6121 §4.2). The status text is refused if XML cannot carry it.
    pub fn set_presence(
        &mut self,
        availability: Availability,
        status: Option<&str>,
    ) -> Result<(), SendError> {
        if let Some(s) = status {
            check_xml_text(s).map_err(SendError::InvalidText)?;
        }
        self.own_presence = (availability, status.map(str::to_owned));
        if matches!(self.stage, Stage::Online) {
            self.send_own_presence();
        }
        Ok(())
    }

    fn stage_name(&self) -> &'static str {
        match self.stage {
            Stage::AwaitingOpen { .. } | Stage::AwaitingFeatures { .. } => "opening the stream",
            Stage::Authenticating(_) => "authentication",
            Stage::Establishing => "starting the session",
            Stage::Online => "a request",
            Stage::Closing => "closing",
            Stage::Closed => "closed",
        }
    }

    fn next_id(&mut self) -> String {
        self.next_id += 1;
        format!("{}-{}", self.id_prefix, self.next_id)
    }

    fn send(&mut self, element: &Element) {
        match element.to_xml() {
            Ok(xml) => self.transmit.push_back(xml),
            // Every builder validates untrusted text first, so this means a bug, not bad input.
            Err(e) => self
                .events
                .push_back(Event::Warning(format!("refused to send invalid XML: {e}"))),
        }
    }

    fn set_stage(&mut self, stage: Stage, deadline: Option<Instant>) {
        let before = self.state();
        self.stage = stage;
        self.stage_deadline = deadline;
        let after = self.state();
        if before != after {
            self.events.push_back(Event::State(after));
        }
    }

    fn open_stream(&mut self, now: Instant) {
        let authenticated = matches!(self.stage, Stage::Authenticating(_));
        let open = build::open(self.config.account.domain());
        self.send(&open);
        let deadline = now.plus_ms(self.config.timeout_ms);
        self.set_stage(Stage::AwaitingOpen { authenticated }, Some(deadline));
    }

    fn begin_close(&mut self, now: Instant) {
        self.send(&build::close());
        self.pending.clear();
        self.set_stage(Stage::Closing, Some(now.plus_ms(3_000)));
    }

    fn handle_close(&mut self, see_other_uri: Option<String>) {
        if !matches!(self.stage, Stage::Closing) {
            // RFC 7395 §3.6: answer the server's close with ours.
            self.send(&build::close());
        }
        match (see_other_uri, &self.stage) {
            (Some(uri), _) => self.finish(Some(SessionError::SeeOtherUri(uri))),
            (None, Stage::Closing) => self.finish(None),
            (None, _) => self.finish(Some(SessionError::ConnectionLost)),
        }
    }

    /// Ends the session with an error: our `<close/>` goes out, the password is wiped.
    fn fail(&mut self, error: SessionError) {
        if !matches!(self.stage, Stage::Closed | Stage::Closing) {
            self.send(&build::close());
        }
        self.finish(Some(error));
    }

    fn finish(&mut self, error: Option<SessionError>) {
        if matches!(self.stage, Stage::Closed) {
            return;
        }
        self.password = None;
        self.pending.clear();
        self.presence.clear();
        self.set_stage(Stage::Closed, None);
        self.events.push_back(Event::Closed(error));
    }

    fn handle_in_stage(&mut self, frame: Frame, now: Instant) {
        let stage = std::mem::replace(&mut self.stage, Stage::Closed);
        match (stage, frame) {
            (Stage::AwaitingOpen { authenticated }, Frame::Open(_)) => {
                self.stage = Stage::AwaitingFeatures { authenticated };
            }
            (Stage::AwaitingFeatures { authenticated }, Frame::Features(features)) => {
                self.stage = Stage::AwaitingFeatures { authenticated };
                if authenticated {
                    self.start_binding(&features, now);
                } else {
                    self.start_sasl(&features.mechanisms, now);
                }
            }
            (stage @ Stage::Authenticating(_), Frame::Sasl(sasl)) => {
                self.stage = stage;
                self.handle_sasl(sasl, now);
            }
            (Stage::Establishing, Frame::Iq(iq)) => {
                self.stage = Stage::Establishing;
                self.handle_iq(iq, now);
            }
            (Stage::Online, Frame::Iq(iq)) => {
                self.stage = Stage::Online;
                self.handle_iq(iq, now);
            }
            (stage @ (Stage::Online | Stage::Establishing), Frame::Presence(p)) => {
                self.stage = stage;
                self.handle_presence(p);
            }
            (stage @ (Stage::Online | Stage::Establishing), Frame::Message(m)) => {
                self.stage = stage;
                self.handle_message(m);
            }
            (stage, Frame::Unknown(el)) => {
                self.stage = stage;
                self.events.push_back(Event::Warning(format!(
                    "ignored <{} xmlns='{}'/>",
                    el.name, el.ns
                )));
            }
            (stage @ Stage::Closing, _) => self.stage = stage,
            (stage, frame) => {
                self.stage = stage;
                let what = frame_name(&frame);
                if matches!(self.stage, Stage::Online) {
                    self.events
                        .push_back(Event::Warning(format!("ignored an unexpected {what}")));
                } else {
                    let during = self.stage_name();
                    self.fail(SessionError::Protocol(format!(
                        "unexpected {what} during {during}"
                    )));
                }
            }
        }
    }

    /// RFC 6120 §7: binds a resource (and opens a legacy session where the server requires it).
    fn start_binding(&mut self, features: &StreamFeatures, now: Instant) {
        if !features.bind {
            self.fail(SessionError::Protocol(
                "the server offers no resource binding".into(),
            ));
            return;
        }
        let bind = build::bind(self.config.resource.as_deref());
        self.request(IqType::Set, bind, Purpose::Bind, now);
        if features.session_required {
            let session = Element::new("session", ns::SESSION);
            self.request(IqType::Set, session, Purpose::LegacySession, now);
        }
        self.set_stage(Stage::Establishing, None);
    }

    fn start_sasl(&mut self, offered: &[String], now: Instant) {
        let Some(mechanism) = Mechanism::choose(offered) else {
            self.fail(SessionError::NoSupportedMechanism {
                offered: offered.to_vec(),
            });
            return;
        };
        let Some(password) = self.password.take() else {
            self.fail(SessionError::Protocol(
                "authentication was requested twice".into(),
            ));
            return;
        };
        let username = self
            .config
            .account
            .node()
            .map(str::to_owned)
            .unwrap_or_default();
        let mut auth =
            Authenticator::new(mechanism, &username, password, self.client_nonce.clone());
        match auth.initial_response() {
            Ok(response) => {
                self.send(&build::auth(mechanism.name(), &response));
                let deadline = now.plus_ms(self.config.timeout_ms);
                self.set_stage(Stage::Authenticating(auth), Some(deadline));
            }
            Err(e) => self.fail(SessionError::Sasl(e)),
        }
    }

    fn handle_sasl(&mut self, frame: SaslFrame, now: Instant) {
        let Stage::Authenticating(auth) = &mut self.stage else {
            return;
        };
        match frame {
            SaslFrame::Challenge(data) => match auth.respond(&data) {
                Ok(response) => self.send(&build::sasl_response(&response)),
                Err(e) => self.fail(SessionError::Sasl(e)),
            },
            // Restarting the stream drops the authenticator and any key material with it.
            SaslFrame::Success(data) => match auth.finish(data.as_deref()) {
                Ok(()) => self.open_stream(now),
                Err(e) => self.fail(SessionError::Sasl(e)),
            },
            SaslFrame::Failure { condition, text } => {
                let error = if condition == "not-authorized" {
                    SessionError::WrongCredentials
                } else {
                    SessionError::AuthFailed { condition, text }
                };
                self.fail(error);
            }
        }
    }

    /// Sends an iq request to our own server and waits for its answer until the timeout.
    fn request(&mut self, kind: IqType, payload: Element, purpose: Purpose, now: Instant) {
        let id = self.next_id();
        self.send(&build::iq(kind, &id, None, Some(payload)));
        let deadline = now.plus_ms(self.config.timeout_ms);
        self.pending.insert(id, Pending { purpose, deadline });
    }

    /// RFC 6120 §8.1.2.1: a reply to a request without `to` comes from the server on our behalf,
    /// i.e. no `from`, our bare or full JID, or our domain.
    fn sent_by_own_server(&self, from: Option<&Jid>) -> bool {
        match from {
            None => true,
            Some(from) => {
                let account = &self.config.account;
                // Not another resource of ours: that would be a client answering for the server.
                (from.resource().is_none() && from.to_bare() == *account)
                    || (from.node().is_none()
                        && from.resource().is_none()
                        && from.domain() == account.domain())
            }
        }
    }

    fn handle_iq(&mut self, iq: Iq, now: Instant) {
        match iq.kind {
            IqType::Result | IqType::Error => self.handle_iq_response(iq, now),
            IqType::Get | IqType::Set => self.handle_iq_request(iq),
        }
    }

    fn handle_iq_response(&mut self, iq: Iq, now: Instant) {
        if !self.pending.contains_key(&iq.id) || !self.sent_by_own_server(iq.from.as_ref()) {
            self.events.push_back(Event::Warning(format!(
                "ignored an unsolicited iq response '{}'",
                iq.id
            )));
            return;
        }
        let Some(pending) = self.pending.remove(&iq.id) else {
            return;
        };
        let condition = iq
            .error
            .as_ref()
            .map(|e| e.condition.clone())
            .unwrap_or_else(|| "no answer".into());
        match (pending.purpose, iq.kind) {
            (Purpose::Bind, IqType::Result) => {
                let jid = iq
                    .payload
                    .as_ref()
                    .filter(|p| p.is("bind", ns::BIND))
                    .and_then(|p| p.get_child("jid", ns::BIND))
                    .and_then(|j| FullJid::new(j.text_content().trim()).ok());
                match jid {
                    Some(jid) if jid.to_bare() == self.config.account => {
                        self.events.push_back(Event::Bound(jid.clone()));
                        self.jid = Some(jid);
                        self.request(IqType::Get, roster::query(), Purpose::Roster, now);
                    }
                    _ => self.fail(SessionError::Protocol(
                        "the server bound an invalid or foreign address".into(),
                    )),
                }
            }
            (Purpose::Bind, _) => self.fail(SessionError::BindFailed { condition }),
            (Purpose::LegacySession, IqType::Result) => {}
            (Purpose::LegacySession, _) => self.fail(SessionError::BindFailed { condition }),
            (Purpose::Roster, kind) => {
                // A server without a roster (error reply) still lets the person chat.
                let items = match (kind, iq.payload.as_ref()) {
                    (IqType::Result, Some(query)) if query.is("query", ns::ROSTER) => {
                        roster::parse_query(query)
                    }
                    _ => Vec::new(),
                };
                self.events.push_back(Event::Roster(items));
                self.send_own_presence();
                let enable = Element::new("enable", ns::CARBONS);
                self.request(IqType::Set, enable, Purpose::EnableCarbons, now);
            }
            (Purpose::EnableCarbons, IqType::Result) => {}
            (Purpose::EnableCarbons, _) => {
                self.events.push_back(Event::Warning(format!(
                    "the server has no message carbons ({condition})"
                )));
            }
            // The server's roster push carries the change itself (RFC 6121 §2.1.6).
            (Purpose::RosterSet(_), IqType::Result) => {}
            (Purpose::RosterSet(jid), _) => self.events.push_back(Event::RosterChangeFailed {
                jid,
                reason: iq
                    .error
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or(condition),
            }),
        }
        let establishing = self.pending.values().any(|p| p.purpose.is_login_step());
        if matches!(self.stage, Stage::Establishing) && !establishing && self.jid.is_some() {
            self.set_stage(Stage::Online, None);
        }
    }

    fn handle_iq_request(&mut self, iq: Iq) {
        let to = iq.from.as_ref().map(|j| j.to_string());
        let payload = iq.payload.as_ref();
        let reply =
            match (iq.kind, payload.map(|p| (p.ns.as_str(), p.name.as_str()))) {
                (IqType::Set, Some((ns::ROSTER, "query"))) => {
                    // RFC 6121 §2.1.6: pushes from anyone but our own account are forged.
                    if iq.from.as_ref().is_some_and(|f| {
                        f.resource().is_some() || f.to_bare() != self.config.account
                    }) {
                        self.events.push_back(Event::Warning(
                            "ignored a roster push from another entity".into(),
                        ));
                        build::iq_error(&iq.id, to.as_deref(), "cancel", "service-unavailable")
                    } else {
                        for item in payload.map(roster::parse_query).unwrap_or_default() {
                            self.events.push_back(Event::RosterPush(item));
                        }
                        build::iq(IqType::Result, &iq.id, to.as_deref(), None)
                    }
                }
                (IqType::Get, Some((ns::PING, "ping"))) => {
                    build::iq(IqType::Result, &iq.id, to.as_deref(), None)
                }
                (IqType::Get, Some((ns::DISCO_INFO, "query"))) => build::iq(
                    IqType::Result,
                    &iq.id,
                    to.as_deref(),
                    Some(disco_info(payload)),
                ),
                // RFC 6120 §8.4: requests we do not understand get service-unavailable.
                _ => build::iq_error(&iq.id, to.as_deref(), "cancel", "service-unavailable"),
            };
        self.send(&reply);
    }

    fn handle_presence(&mut self, p: Presence) {
        let Some(from) = p.from.as_ref() else { return };
        let contact = from.to_bare();
        let resource = from.resource().map(str::to_owned);
        match p.kind.as_deref() {
            None => {
                let availability = Availability::from_show(p.show.as_deref());
                let aggregate = self.presence.available(
                    &contact,
                    resource.as_deref().unwrap_or(""),
                    availability,
                    p.priority,
                    p.status,
                );
                self.events.push_back(Event::Presence(aggregate));
            }
            Some("unavailable") => {
                let aggregate = self.presence.unavailable(&contact, resource.as_deref());
                self.events.push_back(Event::Presence(aggregate));
            }
            Some("subscribe") => self.events.push_back(Event::SubscriptionRequest(contact)),
            Some("error") => {
                let aggregate = self.presence.unavailable(&contact, None);
                self.events.push_back(Event::Presence(aggregate));
            }
            // subscribed/unsubscribe/unsubscribed are followed by roster pushes (RFC 6121 §3).
            _ => {}
        }
    }

    fn handle_message(&mut self, m: Message) {
        if m.kind.as_deref() == Some("error") {
            if let (Some(id), Some(from)) = (m.id.clone(), m.from.as_ref()) {
                let reason = m
                    .error
                    .as_ref()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "undefined-condition".into());
                self.events.push_back(Event::MessageFailed {
                    id,
                    peer: from.to_bare(),
                    reason,
                });
            }
            return;
        }
        // XEP-0280 §7: only <received/> and <sent/> wrap carbons; <private/> may reach us
        // unstripped (offline storage) on an ordinary message.
        if m.element.has_child("received", ns::CARBONS) || m.element.has_child("sent", ns::CARBONS)
        {
            self.handle_carbon(&m);
            return;
        }
        if m.element.has_child("result", ns::MAM) {
            // Archive results are accepted only for our own queries, and we have made none.
            self.events.push_back(Event::Warning(
                "ignored an archive result nobody asked for".into(),
            ));
            return;
        }
        self.handle_chat(&m);
    }

    /// XEP-0280 §6: a carbon is trusted only from our own bare JID; anyone else could forge one
    /// to put words in a contact's mouth (XEP-0280 §11).
    fn handle_carbon(&mut self, outer: &Message) {
        let from_own_account = outer
            .from
            .as_ref()
            .is_some_and(|f| f.resource().is_none() && f.to_bare() == self.config.account);
        if !from_own_account {
            self.events
                .push_back(Event::Warning("ignored a forged carbon".into()));
            return;
        }
        let inner = ["received", "sent"].into_iter().find_map(|kind| {
            let wrapper = outer.element.get_child(kind, ns::CARBONS)?;
            let forwarded = wrapper.get_child("forwarded", ns::FORWARD)?;
            let message = forwarded.get_child("message", ns::CLIENT)?;
            Some((kind, stanza::parse_message(message.clone()).ok()?))
        });
        match inner {
            Some(("received", message)) => self.handle_chat(&message),
            Some((_, message)) => {
                // A message we sent from another device: the conversation is with its recipient.
                let (Some(to), Some(body)) = (message.to.as_ref(), message.body.clone()) else {
                    return;
                };
                if !matches!(
                    message.kind.as_deref(),
                    None | Some("chat") | Some("normal")
                ) {
                    return;
                }
                let id = message
                    .origin_id
                    .clone()
                    .or_else(|| message.id.clone())
                    .unwrap_or_else(|| self.next_id());
                let chat = ChatMessage {
                    id,
                    peer: to.to_bare(),
                    direction: Direction::Out,
                    body,
                    sent_at: delay::stamp(&message.element),
                };
                self.events.push_back(Event::Message(chat));
            }
            None => self
                .events
                .push_back(Event::Warning("ignored an empty carbon".into())),
        }
    }

    fn handle_chat(&mut self, m: &Message) {
        let incoming = message::classify(m, || {
            self.next_id += 1;
            format!("{}-in-{}", self.id_prefix, self.next_id)
        });
        match incoming {
            Some(Incoming::Chat(chat)) => self.events.push_back(Event::Message(chat)),
            Some(Incoming::State { peer, state }) => {
                self.events.push_back(Event::ChatState { peer, state })
            }
            None => {}
        }
    }

    fn send_own_presence(&mut self) {
        let (availability, status) = self.own_presence.clone();
        let mut presence = Element::new("presence", ns::CLIENT);
        if let Some(show) = availability.show_value() {
            presence = presence.text_child("show", ns::CLIENT, show);
        }
        if let Some(status) = status {
            presence = presence.text_child("status", ns::CLIENT, status);
        }
        self.send(&presence);
    }
}

/// XEP-0030 §3.1: who we are and what we support, so peers can adapt.
fn disco_info(request: Option<&Element>) -> Element {
    let query = Element::new("query", ns::DISCO_INFO)
        .attr_opt("node", request.and_then(|r| r.get_attr("node")))
        .child(
            Element::new("identity", ns::DISCO_INFO)
                .attr("category", "client")
                .attr("type", "web")
                .attr("name", "Parley"),
        );
    [ns::DISCO_INFO, ns::PING, ns::CHATSTATES, ns::SID]
        .into_iter()
        .fold(query, |q, var| {
            q.child(Element::new("feature", ns::DISCO_INFO).attr("var", var))
        })
}

fn frame_name(frame: &Frame) -> &'static str {
    match frame {
        Frame::Open(_) => "stream open",
        Frame::Close(_) => "stream close",
        Frame::Features(_) => "stream features",
        Frame::StreamError(_) => "stream error",
        Frame::Sasl(_) => "authentication message",
        Frame::Iq(_) => "iq",
        Frame::Message(_) => "message",
        Frame::Presence(_) => "presence",
        Frame::Unknown(_) => "element",
    }
}
