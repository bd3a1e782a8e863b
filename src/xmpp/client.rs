//! The account: what the application talks to, from login to logout, across connections.
//!
//! Shape (as quinn-proto's `Endpoint` and `Connection`): the caller feeds frames with
//! [`Client::handle_frame`] and the clock with [`Client::handle_timeout`], and drains
//! [`Client::poll_transmit`] (frames to send) and [`Client::poll_event`] (what the application
//! should know). [`Client::poll_timeout`] says when to call `handle_timeout` next, and
//! [`Client::frames_waiting`] whether to call [`Client::continue_frames`] once the page has had
//! its turn (a large frame is parsed a slice at a time, see [`intake`]). Nothing here blocks,
//! reads the clock or touches a socket.
//!
//! The client owns what outlives a connection: the identity, the credentials kept for the next
//! login, the roster, presence, subscriptions, stanza ids. One connection's negotiation is a
//! [`Stream`]: when a WebSocket dies only the stream goes, and [`Client::reconnect`] starts another.
//! Once a stream is bound the client is a router: each stanza goes to the module of its protocol
//! (RFC 6121 roster, presence and subscriptions, XEP-0280 carbons, XEP-0199 ping, XEP-0030 disco,
//! one-to-one chat, XEP-0045 rooms, XEP-0084 avatars and XEP-0172 nicknames from PEP), and every
//! request that expects an answer goes through [`Requests`]. What the application asks of rooms
//! is in [`rooms`], of contacts and our presence in [`contacts`], of faces, names and vCards in
//! [`profile`]; the messages waiting for a session and the parked session are in [`delivery`];
//! how a connection starts, keeps time and ends is in [`connection`].
//!
//! XEP-0198 stream management makes a dropped connection a pause: the session is parked with what
//! the server did not acknowledge, the next connection resumes it and resends that, and presence,
//! rooms and requests carry on as they were. When resumption fails (or the server offers none) the
//! session's state is dropped then, and the one-to-one messages it never confirmed go first on the
//! new session. Messages written while offline wait in [`Client::pending`] for the next session.

use super::avatar::Avatars;
use super::blocking::Blocking;
use super::bookmarks::Bookmarks;
use super::caps::CapsCache;
use super::carbons::{self, CarbonDirection, Unwrapped};
use super::context::{Identity, Instant};
use super::disco;
use super::entropy::Entropy;
use super::error::{SendError, SessionError};
use super::event::{ConnectionEvent, ConnectionState, Event};
use super::jid::{BareJid, FullJid};
use super::mam::{self, ArchiveMark, Mam};
use super::message::{self, ChatMessage, Direction};
use super::muc::MucService;
use super::nick::{self, Nicknames};
use super::ns;
use super::outbox::Outbox;
use super::ping::{self, Ping};
use super::presence::{Availability, PresenceBook};
use super::receipts;
use super::register::Registration;
use super::request::{Owner, Requests, Response, Unmatched};
use super::roster::{Roster, RosterCache, RosterRequest, Subscription};
use super::sasl::{ScramKeys, Secret};
use super::stanza::{build, Frame, Iq, IqType, Message, Presence};
use super::stream::{Login, Purpose, Step, Stream};
use super::stream_management::{Ledger, StreamManagement, Tracked};
use super::subscription::{SubscriptionKind, Subscriptions};
use super::vcard;
use std::collections::VecDeque;
use zeroize::Zeroizing;

pub struct ClientConfig {
    pub account: BareJid,
    /// `None` lets the server choose the resource (RFC 6120 §7.6.1).
    pub resource: Option<String>,
    /// A larger frame from the server ends the connection (bytes of UTF-8).
    pub max_frame_bytes: usize,
    /// The largest frame we send; a longer message is refused with [`SendError::TooLong`].
    pub max_outgoing_frame_bytes: usize,
    /// A received frame longer than this is parsed a slice at a time (bytes of UTF-8; see
    /// [`Client::continue_frames`]).
    pub sliced_frame_bytes: usize,
    /// How long the server may take over each login step and each request.
    pub timeout_ms: u64,
    /// After this long without a word from the server, ping it (XEP-0199).
    pub ping_idle_ms: u64,
}

impl ClientConfig {
    /// 8 MiB: a 20,000-contact roster arrives in one frame, about 2 MiB with short names and
    /// near 6 MiB with long non-Latin names and two groups each; the limit protects the tab from
    /// a server gone wrong without refusing such accounts. Message bodies are bounded by the
    /// server's own stanza limit long before this (Prosody's default is 256 KiB).
    pub const DEFAULT_MAX_FRAME_BYTES: usize = 8 << 20;
    /// 64 KiB: a roster of a few hundred. Smaller frames parse in well under a millisecond.
    pub const DEFAULT_SLICED_FRAME_BYTES: usize = 64 << 10;
    pub const DEFAULT_TIMEOUT_MS: u64 = 20_000;
    pub const DEFAULT_PING_IDLE_MS: u64 = 60_000;

    pub fn new(account: BareJid) -> Self {
        Self {
            account,
            resource: None,
            max_frame_bytes: Self::DEFAULT_MAX_FRAME_BYTES,
            max_outgoing_frame_bytes: Outbox::DEFAULT_MAX_FRAME_BYTES,
            sliced_frame_bytes: Self::DEFAULT_SLICED_FRAME_BYTES,
            timeout_ms: Self::DEFAULT_TIMEOUT_MS,
            ping_idle_ms: Self::DEFAULT_PING_IDLE_MS,
        }
    }
}

macro_rules! cx {
    ($client:ident, $now:expr) => {{
        let now = $now;
        $client.out.clock = now;
        $crate::xmpp::context::Ctx {
            now,
            out: &mut $client.out,
            requests: &mut $client.requests,
            events: &mut $client.events,
            me: &$client.me,
            timeout_ms: $client.config.timeout_ms,
        }
    }};
}

// After the macro, which they use.
mod account;
mod connection;
mod contacts;
mod delivery;
mod intake;
mod profile;
mod rooms;

pub struct Client {
    config: ClientConfig,
    me: Identity,
    /// What the next login proves: the password until SCRAM has derived its keys, then the keys
    /// (PLAIN keeps the password: it has nothing else). Wiped at logout and on drop.
    secret: Option<Secret>,
    stream: Option<Stream>,
    out: Outbox,
    requests: Requests,
    events: VecDeque<Event>,
    roster: Roster,
    presence: PresenceBook,
    subscriptions: Subscriptions,
    ping: Ping,
    muc: MucService,
    bookmarks: Bookmarks,
    blocking: Blocking,
    avatars: Avatars,
    nicknames: Nicknames,
    caps: CapsCache,
    mam: Mam,
    own_presence: (Availability, Option<String>),
    sm: StreamManagement,
    /// XEP-0198: the ledger of a dropped session that may still be resumed.
    parked: Option<Ledger>,
    /// One-to-one messages waiting for a session, oldest first: written while offline, or not
    /// confirmed by a session that could not be resumed.
    pending: VecDeque<(Tracked, Zeroizing<String>)>,
    /// What the next stream is opened for: signing in, or creating the account first.
    purpose: Purpose,
    /// XEP-0077: the account being created on this stream.
    registration: Option<Registration>,
    /// XEP-0077 §3.3: the password asked for, until the server confirms it.
    new_password: Option<Zeroizing<String>>,
    /// Received frames not handled yet: a large one being parsed, those behind it.
    intake: intake::Intake,
}

impl Client {
    /// Creates the account and starts its first connection: the `<open/>` is queued at once.
    pub fn new(
        config: ClientConfig,
        password: Zeroizing<String>,
        entropy: Entropy,
        now: Instant,
    ) -> Self {
        Self::with_secret(config, Secret::Password(password), entropy, now)
    }

    /// As [`Client::new`], proving `secret`: SCRAM keys a remembered device kept, say.
    pub fn with_secret(
        config: ClientConfig,
        secret: Secret,
        entropy: Entropy,
        now: Instant,
    ) -> Self {
        let mut client = Self::unconnected(config, Some(secret), Purpose::SignIn, &entropy);
        client.connect(entropy, now, true);
        client
    }

    fn unconnected(
        config: ClientConfig,
        secret: Option<Secret>,
        purpose: Purpose,
        entropy: &Entropy,
    ) -> Self {
        let id_prefix: String = entropy.0[18..26]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Self {
            me: Identity {
                bare: config.account.clone(),
                full: None,
            },
            secret,
            stream: None,
            out: Outbox::new(id_prefix, config.max_outgoing_frame_bytes),
            requests: Requests::default(),
            events: VecDeque::new(),
            roster: Roster::default(),
            presence: PresenceBook::default(),
            subscriptions: Subscriptions::default(),
            ping: Ping::new(config.ping_idle_ms),
            muc: MucService::default(),
            bookmarks: Bookmarks::default(),
            blocking: Blocking::default(),
            avatars: Avatars::default(),
            nicknames: Nicknames::default(),
            caps: CapsCache::default(),
            mam: Mam::default(),
            own_presence: (Availability::Available, None),
            sm: StreamManagement::default(),
            parked: None,
            pending: VecDeque::new(),
            purpose,
            registration: None,
            new_password: None,
            intake: intake::Intake::default(),
            config,
        }
    }

    pub fn state(&self) -> ConnectionState {
        self.stream
            .as_ref()
            .map_or(ConnectionState::Closed, Stream::state)
    }

    /// Who we are; the server's bound address once there is one.
    pub fn identity(&self) -> &Identity {
        &self.me
    }

    /// The domain of the account as configured (not as a server bound it): what redirects may
    /// point to.
    pub fn account_domain(&self) -> &str {
        self.config.account.domain()
    }

    /// Whether a later [`Client::reconnect`] can log in without the password.
    pub fn can_reconnect(&self) -> bool {
        self.secret.is_some()
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// The SCRAM keys the last login derived, for a device the person asked to remember;
    /// never the password (PLAIN has nothing else, so nothing is offered).
    pub fn scram_keys(&self) -> Option<&ScramKeys> {
        match &self.secret {
            Some(Secret::Scram(keys)) => Some(keys),
            _ => None,
        }
    }

    /// XEP-0313: where a remembered device's view of the archive ends; call before the first
    /// session is online, so that it catches up from there.
    pub fn restore_archive(&mut self, mark: ArchiveMark) {
        self.mam.restore(mark);
    }

    /// RFC 6121 §2.6: a remembered device's whole roster and its version; call before the first
    /// login, so that an unchanged roster is not sent again.
    pub fn restore_roster(&mut self, cache: RosterCache) {
        self.roster.restore(cache);
    }

    /// The newest id of the account's archive whose messages have been handed on as events.
    pub fn archive_newest(&self) -> Option<&str> {
        self.mam.newest_shown()
    }

    pub fn poll_transmit(&mut self) -> Option<Zeroizing<String>> {
        self.out.poll()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Sends a chat message; returns it as the conversation should show it. It counts as sent
    /// once the server confirms it ([`ChatEvent::Sent`](super::ChatEvent::Sent)).
    pub fn send_chat(
        &mut self,
        to: &BareJid,
        body: &str,
        now: Instant,
    ) -> Result<ChatMessage, SendError> {
        self.send_chat_message(to, body, None, now)
    }

    /// XEP-0308: sends `body` as the new text of our message `original` to `to`; it goes and is
    /// confirmed as any message, under its own id.
    pub fn send_correction(
        &mut self,
        to: &BareJid,
        original: &str,
        body: &str,
        now: Instant,
    ) -> Result<ChatMessage, SendError> {
        self.send_chat_message(to, body, Some(original), now)
    }

    fn send_chat_message(
        &mut self,
        to: &BareJid,
        body: &str,
        replaces: Option<&str>,
        now: Instant,
    ) -> Result<ChatMessage, SendError> {
        // Signed in but between connections, it waits for the next session.
        if self.ensure_online().is_err() && self.secret.is_none() {
            return Err(SendError::NotOnline);
        }
        let id = self.out.next_id();
        let element = message::build_chat(to, &id, body, replaces)?;
        let frame = self.out.serialise(&element)?;
        let tracked = Tracked::Chat {
            peer: to.clone(),
            id: id.clone(),
        };
        self.pending.push_back((tracked, frame));
        if self.ensure_online().is_ok() {
            self.send_pending(now);
        }
        Ok(ChatMessage {
            id,
            peer: to.clone(),
            direction: Direction::Out,
            body: body.to_owned(),
            sent_at: None,
            markable: false,
            archive_id: None,
            replaces: replaces.map(str::to_owned),
        })
    }

    /// XEP-0313: asks the archive for the next page of the conversation with `peer` (the
    /// latest first, then older); it comes as [`ChatEvent::History`](super::ChatEvent::History).
    /// Returns whether a query went: not offline, not while one is under way, not once the
    /// archive said there is nothing older.
    pub fn load_history(&mut self, peer: &BareJid, now: Instant) -> bool {
        self.ensure_online().is_ok() && self.mam.query_history(peer, &mut cx!(self, now))
    }

    /// XEP-0313: asks `room`'s archive for the page before the oldest message read of it; it
    /// comes as [`RoomEvent::History`](super::RoomEvent::History). Returns whether a query went.
    pub fn load_room_history(&mut self, room: &BareJid, now: Instant) -> bool {
        self.ensure_online().is_ok() && self.mam.query_room_older(room, &mut cx!(self, now))
    }

    /// XEP-0333: tells `peer` their message `id` (and all before it) was on screen. Only to
    /// someone our presence is shared with (§9), and only online: a marker is a hint, not worth
    /// keeping for later.
    pub fn mark_displayed(&mut self, peer: &BareJid, id: &str) {
        if self.ensure_online().is_ok() && self.roster.shares_presence_with(peer) {
            let marker = receipts::build_displayed(peer, id, self.out.next_id());
            let _ = self.out.send(&marker);
        }
    }

    /// XEP-0085: tell the peer we are typing (or stopped).
    pub fn send_chat_state(&mut self, to: &BareJid, composing: bool) {
        if self.ensure_online().is_ok() {
            let _ = self.out.send(&message::build_chat_state(to, composing));
        }
    }

    fn ensure_online(&self) -> Result<(), SendError> {
        match &self.stream {
            Some(stream) if stream.is_online() => Ok(()),
            _ => Err(SendError::NotOnline),
        }
    }

    fn handle_in_stream(&mut self, frame: Frame, now: Instant) {
        let Some(stream) = self.stream.as_mut() else {
            return;
        };
        let login = Login {
            username: self.config.account.node().unwrap_or_default(),
            secret: self.secret.as_ref(),
            resource: self.config.resource.as_deref(),
            purpose: self.purpose,
        };
        let mut cx = cx!(self, now);
        match stream.handle(frame, &login, &mut cx) {
            Step::Handled => {}
            Step::Unauthenticated { register_offered } => {
                self.unauthenticated(register_offered, now)
            }
            Step::Stanza(frame) => self.route(*frame, now),
            // The password goes with the old secret: from now on the keys log in.
            Step::Authenticated(Some(keys)) => self.secret = Some(Secret::Scram(keys)),
            Step::Authenticated(None) => {}
            Step::Resumed { h } => self.resumed(h, now),
            Step::ResumeFailed { h } => self.forget_session(h, now),
            Step::Failed(error) => self.fail(error, now),
        }
    }

    fn sent_by_blocked(&self, from: Option<&super::jid::Jid>) -> bool {
        self.blocking.blocks_sender(from)
    }

    /// The router: each stanza to the module of its protocol.
    fn route(&mut self, frame: Frame, now: Instant) {
        if matches!(frame, Frame::Iq(_) | Frame::Message(_) | Frame::Presence(_)) {
            self.sm.handled_one();
        }
        match frame {
            Frame::Iq(iq) if matches!(iq.kind, IqType::Result | IqType::Error) => {
                self.handle_response(iq, now)
            }
            Frame::Iq(iq) => self.handle_request(iq, now),
            // XEP-0191 §3.2: what a blocked address sends shows nowhere.
            Frame::Message(m) if self.sent_by_blocked(m.from.as_ref()) => {}
            Frame::Presence(p) if self.sent_by_blocked(p.from.as_ref()) => {}
            Frame::Message(m) => self.handle_message(m, now),
            Frame::Presence(p) => self.handle_presence(p, now),
            Frame::Sm(sm) => self.handle_sm(sm, now),
            Frame::Unknown(el) => self.events.push_back(Event::Warning(format!(
                "ignored <{} xmlns='{}'/>",
                el.name, el.ns
            ))),
            _ => {}
        }
    }

    fn handle_response(&mut self, iq: Iq, now: Instant) {
        let id = iq.id.clone();
        let Response { owner, result } = match self.requests.take(iq, &self.me) {
            Ok(response) => response,
            Err(why) => {
                let why = match why {
                    Unmatched::UnknownId => "unsolicited",
                    Unmatched::WrongSender => "forged",
                };
                self.events.push_back(Event::Warning(format!(
                    "ignored an {why} iq response '{id}'"
                )));
                return;
            }
        };
        let mut cx = cx!(self, now);
        match owner {
            Owner::Bind => {
                let bound = match self.stream.as_ref() {
                    Some(stream) => stream.bound(result),
                    None => return,
                };
                match bound {
                    Ok(jid) => self.adopt(jid, now),
                    Err(e) => return self.fail(e, now),
                }
            }
            Owner::LegacySession => {
                if let Err(e) = result {
                    return self.fail(
                        SessionError::BindFailed {
                            condition: e.condition,
                        },
                        now,
                    );
                }
            }
            Owner::Roster(request @ RosterRequest::Get { .. }) => {
                self.roster.answered(request, result, &mut cx);
                self.send_own_presence(now);
                carbons::enable(&mut cx!(self, now));
            }
            Owner::Roster(request) => self.roster.answered(request, result, &mut cx),
            Owner::Carbons => carbons::answered(result, &mut cx),
            Owner::Ping => self.ping.answered(&mut cx),
            Owner::Muc(request) => self.muc.answered(request, result, &mut cx),
            Owner::Bookmarks(request) => {
                let autojoin = self.bookmarks.answered(request, result, &mut cx);
                self.autojoin(autojoin, now);
            }
            Owner::Mam(request) => self.mam.answered(&request, result, &mut cx),
            Owner::Blocking(request) => {
                let before = contacts::blocked_contacts(&self.blocking, &self.roster);
                self.blocking.answered(request, result, &mut cx);
                self.blocklist_changed(before, now);
            }
            Owner::Avatar(request) => {
                if self.avatars.answered(request, result, &mut cx) {
                    self.send_own_presence(now);
                }
            }
            Owner::Nick => self.nicknames.answered(result, &mut cx),
            Owner::Caps(request) => self.caps.answered(request, result, &mut cx),
            Owner::VCard(query) => vcard::answered(query, result, &mut cx),
            Owner::VCardEdit(edit) => vcard::edit_answered(edit, result, &mut cx),
            Owner::Register(request) => return self.register_answered(request, result, now),
        }
        self.maybe_online(now);
    }

    /// RFC 6120 §7.7: the bound address is who we are from now on (the server normalises the
    /// user name its way); then the roster. An address on another domain is not ours.
    fn adopt(&mut self, jid: FullJid, now: Instant) {
        if jid.domain() != self.config.account.domain() {
            return self.fail(
                SessionError::Protocol("the server bound an address on another domain".into()),
                now,
            );
        }
        // A guest (a domain alone) learns its address here; anyone else expects their own.
        if jid.to_bare() != self.me.bare && self.config.account.node().is_some() {
            self.events.push_back(Event::Warning(format!(
                "the server bound {jid} for {}",
                self.me.bare
            )));
        }
        // A new session, not the parked one (the server offered no resumption this time).
        if self.parked.is_some() {
            self.forget_session(None, now);
        }
        self.me.bare = jid.to_bare();
        self.me.full = Some(jid.clone());
        let offered = self.stream.as_ref().is_some_and(Stream::sm_offered);
        let versioning = self.stream.as_ref().is_some_and(Stream::roster_ver_offered);
        let mut cx = cx!(self, now);
        cx.emit(Event::Connection(ConnectionEvent::Bound(jid)));
        // XEP-0198 §3: after binding; our count starts with the `<enable/>`.
        if offered {
            cx.send(&StreamManagement::enable());
            self.sm.asked();
            cx.out.start_counting();
        }
        self.roster.request(versioning, &mut cx);
    }

    /// The stream is online once it is bound and every login step is answered.
    fn maybe_online(&mut self, now: Instant) {
        let logging_in = self.requests.any(Owner::is_login_step);
        let Some(stream) = self.stream.as_mut() else {
            return;
        };
        if !stream.is_online() && !stream.is_closing() && !logging_in && self.me.full.is_some() {
            let mut cx = cx!(self, now);
            stream.set_online(&mut cx);
            self.muc.online(&mut cx);
            self.bookmarks.fetch(&mut cx);
            self.blocking.fetch(&mut cx);
            self.mam.new_session(&mut cx);
            self.send_pending(now);
        }
    }

    fn handle_request(&mut self, iq: Iq, now: Instant) {
        let mut cx = cx!(self, now);
        let payload = iq
            .payload
            .as_ref()
            .map(|p| (p.ns.as_str(), p.name.as_str()));
        match (iq.kind, payload) {
            (IqType::Set, Some((ns::ROSTER, "query"))) => {
                if let Some(item) = self.roster.push(&iq, &mut cx) {
                    if item.subscription != Subscription::Remove {
                        self.presence.became_contact(&item.jid, &mut cx);
                    }
                    // Approved elsewhere (another device): no longer waiting here.
                    if matches!(item.subscription, Subscription::From | Subscription::Both) {
                        self.subscriptions.approved_elsewhere(&item.jid, &mut cx);
                    }
                }
            }
            (IqType::Set, Some((ns::BLOCKING, "block" | "unblock"))) => {
                let before = contacts::blocked_contacts(&self.blocking, &self.roster);
                self.blocking.push(&iq, &mut cx);
                self.blocklist_changed(before, now);
            }
            (IqType::Get, Some((ns::PING, "ping"))) => ping::answer(&iq, &mut cx),
            (IqType::Get, Some((ns::DISCO_INFO, "query"))) => disco::answer_info(&iq, &mut cx),
            // RFC 6120 §8.4: requests we do not understand get service-unavailable.
            _ => {
                let to = iq.from.as_ref().map(|j| j.to_string());
                cx.send(&build::iq_error(
                    &iq.id,
                    to.as_deref(),
                    "cancel",
                    "service-unavailable",
                ));
            }
        }
    }

    fn handle_presence(&mut self, p: Presence, now: Instant) {
        let mut cx = cx!(self, now);
        let p = self.muc.presence(p, &mut cx);
        // Entered a room that keeps an archive: its latest messages come from there.
        for room in self.muc.take_archive_wanted() {
            self.mam.query_latest(&room, mam::ROOM_PAGE, &mut cx);
        }
        let Some(p) = p else {
            return;
        };
        if let Some(from) = p.from.as_ref().map(|j| j.to_bare()) {
            if self.roster.contains(&from) || cx.me.bare() == &from {
                self.avatars.presence(from.clone(), &p, &mut cx);
            }
            // XEP-0115 §6: what a contact's resource runs (our own other devices too).
            let sender = p.from.as_ref().filter(|j| j.resource().is_some());
            if let Some(sender) = sender.filter(|_| self.roster.contains(&from)) {
                let unavailable = matches!(p.kind.as_deref(), Some("unavailable" | "error"));
                self.caps.presence(sender, &p.element, unavailable, &mut cx);
            }
        }
        match p.kind.as_deref() {
            None | Some("unavailable") | Some("error") => {
                self.presence.handle(p, &self.roster, &mut cx)
            }
            Some(kind) => {
                if let (Some(kind), Some(from)) = (SubscriptionKind::parse(kind), p.from.as_ref()) {
                    let nick = nick::in_presence(&p.element);
                    self.subscriptions
                        .handle(from.to_bare(), kind, nick, &mut cx);
                }
            }
        }
    }

    fn handle_message(&mut self, m: Message, now: Instant) {
        let mut cx = cx!(self, now);
        // Archive results are accepted only for our own queries, from the archive asked.
        if m.element.has_child("result", ns::MAM) {
            match self.mam.result(m, cx.me) {
                Ok(archived) => match archived.purpose {
                    mam::Purpose::Room => self.muc.archived(archived, &mut cx),
                    mam::Purpose::CatchUp => message::archived(archived, &mut cx),
                    mam::Purpose::RoomOlder => {
                        let queryid = archived.queryid.clone();
                        if let Some(message) = self.muc.archived_message(archived, &mut cx) {
                            self.mam.collect_room(&queryid, message);
                        }
                    }
                    mam::Purpose::History => {
                        let queryid = archived.queryid.clone();
                        if let Some(message) = message::from_archive(archived, &mut cx) {
                            self.mam.collect(&queryid, message);
                        }
                    }
                    mam::Purpose::Tip => {}
                },
                Err(why) => cx.warn(why),
            }
            return;
        }
        // XEP-0163 §4.3: PEP notifications, from a contact or from our own account.
        let own = self.avatars.own_hash().map(|h| h.map(str::to_owned));
        let roster = &self.roster;
        let me = &self.me.bare;
        let allowed = |j: &BareJid| roster.contains(j) || me == j;
        if self
            .avatars
            .notification(m.from.as_ref(), &m.element, allowed, &mut cx)
        {
            if self.avatars.own_hash().map(|h| h.map(str::to_owned)) != own {
                self.send_own_presence(now);
            }
            return;
        }
        if self
            .nicknames
            .notification(m.from.as_ref(), &m.element, allowed, &mut cx)
        {
            return;
        }
        let Some(m) = self.muc.message(m, &mut cx) else {
            return;
        };
        if m.kind.as_deref() == Some("error") {
            return message::bounced(m, &mut cx);
        }
        self.mam.saw_live(&m.element, cx.me);
        // During a catch-up, what arrives live follows what the archive holds.
        let before = cx.events.len();
        match carbons::unwrap(m, cx.me) {
            Unwrapped::Refused(why) => cx.warn(why),
            Unwrapped::Direct(m) => {
                let shares = m
                    .from
                    .as_ref()
                    .is_some_and(|from| self.roster.shares_presence_with(&from.to_bare()));
                receipts::answer(&m, shares, &mut cx);
                message::received(m, &mut cx)
            }
            Unwrapped::Carbon {
                direction: CarbonDirection::Received,
                message,
            } if !self.blocking.blocks_sender(message.from.as_ref()) => {
                message::received(message, &mut cx)
            }
            Unwrapped::Carbon {
                direction: CarbonDirection::Received,
                ..
            } => {}
            Unwrapped::Carbon {
                direction: CarbonDirection::Sent,
                message,
            } => message::sent_elsewhere(message, &mut cx),
        }
        if self.mam.holding() {
            let live: Vec<Event> = cx.events.drain(before..).collect();
            self.mam.hold(live, &mut cx);
        }
    }
}
