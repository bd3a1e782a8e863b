//! Group chat, XEP-0045: finding room services (§6.1, XEP-0030), listing their rooms (§6.3, paged
//! with XEP-0059 where the service pages), room details (§6.4, XEP-0128 `muc#roominfo`), and the
//! rooms we are in ([`room`]). Invitations come as XEP-0249 direct or §7.8.2 mediated ones.
//!
//! Before anything is sent to a room, its domain is checked to be a room service (disco#info
//! identity `conference/text`): people type `room@example.org` for `room@conference.example.org`,
//! and a presence to the wrong address would reach a person or a server instead. An address at a
//! domain that is not a service fails with a suggestion at the discovered one; nothing goes out.
//!
//! Messages and presence are read only from rooms we are in or entering; an invitation is shown,
//! never acted on. The lists a service sends are deduplicated and bounded ([`directory`]).

pub mod directory;
pub mod invitation;
pub mod occupant;
pub mod room;
mod service;

use super::context::Ctx;
use super::correction;
use super::delay::{self, UnixMillis};
use super::disco::{self, DiscoInfo};
use super::error::SendError;
use super::event::{Event, RoomEvent};
use super::jid::{BareJid, Jid};
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, Message, Presence, StanzaError};
use super::xml::{check_xml_text, Element};
use directory::Listing;
use room::{After, JoinError, Room, RoomState};
use std::collections::{HashMap, HashSet};

pub use directory::RoomItem;
use invitation::parse_invitation;
pub use invitation::Invitation;
pub use occupant::{Affiliation, Occupant, Role};
pub use room::Departure;

/// Items of our domain asked about when looking for room services.
const MAX_SERVICE_CANDIDATES: usize = 20;
/// Invitations kept at once; more from the same flood are dropped.
const MAX_INVITATIONS: usize = 50;
/// Messages of history asked for when entering a room (§7.2.15).
pub const HISTORY_MESSAGES: u32 = 50;
/// Messages kept per room while out of it after a lost connection.
const MAX_WAITING: usize = 100;

/// The requests of this module, for the request layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MucRequest {
    /// disco#items on our own domain: the candidates for room services.
    DomainItems,
    /// disco#info on a domain: is it a room service?
    ServiceInfo(BareJid),
    /// One page of a service's rooms.
    /// `generation` tells a page of this listing from a page of an earlier one of the service.
    RoomList { service: BareJid, generation: u64 },
    /// A room's details.
    RoomInfo(BareJid),
    /// A room's features before entering it: does it keep an archive (XEP-0313)?
    EntryInfo(BareJid),
    /// §10.1.2: accepting the default configuration of a room we just made.
    InstantRoom(BareJid),
}

/// A room's details, from its disco#info (§6.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RoomInfo {
    /// Untrusted text, as are all the texts here.
    pub name: Option<String>,
    pub description: Option<String>,
    pub occupants: Option<u32>,
    pub language: Option<String>,
    pub subject: Option<String>,
    pub password_protected: bool,
    pub members_only: bool,
    pub moderated: bool,
    pub persistent: bool,
    /// Discussions are logged publicly (`muc#roominfo_logs`) or archived (XEP-0313).
    pub logged: bool,
}

impl RoomInfo {
    fn from_disco(info: &DiscoInfo) -> Self {
        let field = |var| {
            info.field(ns::MUC_ROOMINFO, var)
                .map(str::to_owned)
                .filter(|v| !v.trim().is_empty())
        };
        Self {
            name: info
                .identities
                .iter()
                .find(|i| i.category == "conference")
                .and_then(|i| i.name.clone()),
            description: field("muc#roominfo_description"),
            occupants: field("muc#roominfo_occupants").and_then(|n| n.trim().parse().ok()),
            language: field("muc#roominfo_lang"),
            subject: field("muc#roominfo_subject"),
            password_protected: info.has_feature("muc_passwordprotected"),
            members_only: info.has_feature("muc_membersonly"),
            moderated: info.has_feature("muc_moderated"),
            persistent: info.has_feature("muc_persistent"),
            logged: field("muc#roominfo_logs").is_some() || info.has_feature(ns::MAM),
        }
    }
}

/// A message in a room, or a private message from one of its occupants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomMessage {
    pub room: BareJid,
    pub id: String,
    /// The occupant's nick as the room stamped it; `None` is the room itself.
    pub nick: Option<String>,
    /// Untrusted text: render as text.
    pub body: String,
    pub sent_at: Option<UnixMillis>,
    /// Sent by us (our nick in this room).
    pub own: bool,
    /// The body names our nick.
    pub mention: bool,
    /// A private message from an occupant (§7.5), not a message to the room.
    pub private: bool,
    /// XEP-0308: this corrects the message with that id, which (live) the same occupant wrote
    /// in its present stay; from the archive, by the same nick.
    pub replaces: Option<String>,
}

#[derive(Default)]
pub struct MucService {
    rooms: HashMap<BareJid, Room>,
    /// Room services found on our domain, in the order found.
    services: Vec<BareJid>,
    /// Domains asked about while looking for services.
    candidates: HashSet<BareJid>,
    /// What we learnt of domains: whether each is a room service.
    domains: HashMap<BareJid, bool>,
    /// Joins waiting for their domain's check.
    parked: HashMap<BareJid, Vec<BareJid>>,
    listings: HashMap<BareJid, Listing>,
    /// Numbers the listings, so a restarted one ignores its predecessor's pages.
    listing_generation: u64,
    /// Rooms with an invitation waiting for the person's answer.
    invitations: HashSet<BareJid>,
    archive_wanted: Vec<BareJid>,
}

impl MucService {
    /// The stream is online: look for room services, and enter again the rooms we were in.
    pub(crate) fn online(&mut self, cx: &mut Ctx) {
        if self.services.is_empty() {
            let domain = cx.me.bare().domain_jid();
            let _ = cx.try_request(
                IqType::Get,
                Some(&domain),
                disco::items_query(None),
                Owner::Muc(MucRequest::DomainItems),
            );
        } else {
            cx.emit(Event::Room(RoomEvent::Services(self.services.clone())));
        }
        let suspended: Vec<BareJid> = self
            .rooms
            .values()
            .filter(|r| r.state == RoomState::Suspended)
            .map(|r| r.jid.clone())
            .collect();
        for jid in suspended {
            if let Some(room) = self.rooms.get_mut(&jid) {
                send_join(room, cx);
            }
        }
    }

    /// The connection ended: the rooms we were in are entered again once it is back; an entry
    /// not yet answered failed, and a room we were leaving is left. Listings stop.
    pub(crate) fn connection_ended(&mut self, cx: &mut Ctx) {
        let jids: Vec<BareJid> = self.rooms.keys().cloned().collect();
        for jid in jids {
            let Some(room) = self.rooms.get_mut(&jid) else {
                continue;
            };
            match room.state {
                RoomState::Joined => room.suspend(cx),
                RoomState::Suspended => {}
                RoomState::Joining | RoomState::Checking if room.was_in => {
                    room.state = RoomState::Suspended
                }
                RoomState::Joining | RoomState::Checking => {
                    if let Some(room) = self.rooms.remove(&jid) {
                        cx.emit(Event::Room(RoomEvent::JoinFailed {
                            room: room.jid,
                            nick: room.nick,
                            error: JoinError::NoAnswer,
                        }));
                    }
                }
                RoomState::Leaving => {
                    self.forget(&jid, cx);
                    cx.emit(Event::Room(RoomEvent::Left {
                        room: jid,
                        departure: Departure::Left,
                    }));
                }
            }
        }
        self.parked.clear();
        for (service, _) in self.listings.drain() {
            cx.emit(Event::Room(RoomEvent::ListFailed {
                service,
                error: None,
            }));
        }
    }

    /// Whether `jid` (bare) is a room we are in or whose answer to our entry we wait for:
    /// only then is what comes from it read as room traffic.
    pub fn is_room(&self, jid: &BareJid) -> bool {
        self.rooms
            .get(jid)
            .is_some_and(|r| r.state != RoomState::Checking)
    }

    /// Our nick in `room`, while we are in it.
    pub fn nick(&self, room: &BareJid) -> Option<&str> {
        self.rooms
            .get(room)
            .filter(|r| r.is_in())
            .map(|r| r.nick.as_str())
    }

    /// Enters `room` as `nick` (§7.2.1), once its domain is known to be a room service.
    pub(crate) fn join(
        &mut self,
        jid: &BareJid,
        nick: &str,
        password: Option<&str>,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        let nick = nick.trim();
        if nick.is_empty() || jid.node().is_none() {
            return Err(SendError::Empty);
        }
        check_xml_text(nick).map_err(SendError::InvalidText)?;
        if let Some(p) = password {
            check_xml_text(p).map_err(SendError::InvalidText)?;
        }
        // The nick must make a valid occupant address.
        Jid::new(&format!("{jid}/{nick}")).map_err(|_| SendError::Empty)?;
        // Already in, or on the way in: one entry at a time.
        if self
            .rooms
            .get(jid)
            .is_some_and(|r| r.state != RoomState::Leaving)
        {
            return Ok(());
        }
        let password = password.filter(|p| !p.is_empty()).map(str::to_owned);
        self.rooms.insert(
            jid.clone(),
            Room::new(jid.clone(), nick.to_owned(), password),
        );
        let domain = jid.domain_jid();
        match self.domains.get(&domain) {
            Some(true) => self.ask_room(jid, cx),
            Some(false) => self.refuse_not_a_service(jid, cx),
            None => {
                let waiting = self.parked.entry(domain.clone()).or_default();
                let first = waiting.is_empty();
                if !waiting.contains(jid) {
                    waiting.push(jid.clone());
                }
                if first {
                    self.ask_domain(&domain, cx);
                }
            }
        }
        Ok(())
    }

    /// Asks the room what it offers before entering: where it keeps an archive, its history
    /// comes from there (XEP-0313) rather than from the room's replay.
    fn ask_room(&mut self, jid: &BareJid, cx: &mut Ctx) {
        let sent = cx.try_request(
            IqType::Get,
            Some(jid),
            disco::info_query(),
            Owner::Muc(MucRequest::EntryInfo(jid.clone())),
        );
        if sent.is_err() {
            self.send_join(jid, cx);
        }
    }

    /// Sends the entry presence, once the checks are done (and only then).
    fn send_join(&mut self, jid: &BareJid, cx: &mut Ctx) {
        if let Some(room) = self
            .rooms
            .get_mut(jid)
            .filter(|r| r.state == RoomState::Checking)
        {
            send_join(room, cx);
        }
    }

    /// The rooms just entered whose archive should be asked for their latest messages.
    pub(crate) fn take_archive_wanted(&mut self) -> Vec<BareJid> {
        std::mem::take(&mut self.archive_wanted)
    }

    fn refuse_not_a_service(&mut self, jid: &BareJid, cx: &mut Ctx) {
        let Some(room) = self.rooms.remove(jid) else {
            return;
        };
        let suggestion = jid.node().and_then(|node| {
            let service = self.services.first()?;
            BareJid::new(&format!("{node}@{service}")).ok()
        });
        cx.emit(Event::Room(RoomEvent::JoinFailed {
            room: room.jid,
            nick: room.nick,
            error: JoinError::NotARoomService { suggestion },
        }));
    }

    /// §7.14: leaves `room`. The room's answer (our unavailable presence) ends it; an entry on
    /// its way is withdrawn with the same presence.
    pub(crate) fn leave(&mut self, jid: &BareJid, cx: &mut Ctx) {
        let Some(room) = self.rooms.get_mut(jid) else {
            return;
        };
        let unavailable = Element::new("presence", ns::CLIENT)
            .attr("to", format!("{}/{}", room.jid, room.nick))
            .attr("type", "unavailable");
        if room.state == RoomState::Joined {
            room.state = RoomState::Leaving;
            cx.send(&unavailable);
        } else {
            if room.state == RoomState::Joining {
                cx.send(&unavailable);
            }
            self.forget(jid, cx);
            cx.emit(Event::Room(RoomEvent::Left {
                room: jid.clone(),
                departure: Departure::Left,
            }));
        }
    }

    /// §7.6: asks the room for a new nick; the room's presence confirms it.
    pub(crate) fn change_nick(
        &mut self,
        jid: &BareJid,
        nick: &str,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        let room = self.joined(jid)?;
        let nick = nick.trim();
        if nick.is_empty() {
            return Err(SendError::Empty);
        }
        check_xml_text(nick).map_err(SendError::InvalidText)?;
        Jid::new(&format!("{jid}/{nick}")).map_err(|_| SendError::Empty)?;
        let to = format!("{}/{nick}", room.jid);
        cx.out
            .send(&Element::new("presence", ns::CLIENT).attr("to", to))?;
        Ok(())
    }

    /// §7.4: a message to everyone in the room. The room reflects it back, which confirms it.
    /// Without a connection (`online` false: a session parked for resumption still counts us
    /// in), it waits until we are in again.
    pub(crate) fn send_message(
        &mut self,
        jid: &BareJid,
        body: &str,
        replaces: Option<&str>,
        online: bool,
        cx: &mut Ctx,
    ) -> Result<RoomMessage, SendError> {
        let nick = self.writable(jid)?.nick.clone();
        if body.trim().is_empty() {
            return Err(SendError::Empty);
        }
        check_xml_text(body).map_err(SendError::InvalidText)?;
        let id = cx.out.next_id();
        let message = Element::new("message", ns::CLIENT)
            .attr("to", jid.as_str())
            .attr("type", "groupchat")
            .attr("id", &id)
            .text_child("body", ns::CLIENT, body)
            .child(Element::new("origin-id", ns::SID).attr("id", &id));
        let message = match replaces {
            Some(original) => correction::attach(message, original),
            None => message,
        };
        self.send_or_keep(jid, &id, &message, online, cx)?;
        Ok(RoomMessage {
            room: jid.clone(),
            id,
            nick: Some(nick),
            body: body.to_owned(),
            sent_at: None,
            own: true,
            mention: false,
            private: false,
            replaces: replaces.map(str::to_owned),
        })
    }

    /// §7.5: a private message to the occupant `nick`, through the room (it never learns our
    /// account from it). Shown in the room's conversation, marked private.
    pub(crate) fn send_private(
        &mut self,
        jid: &BareJid,
        nick: &str,
        body: &str,
        cx: &mut Ctx,
    ) -> Result<RoomMessage, SendError> {
        self.joined(jid)?;
        if body.trim().is_empty() {
            return Err(SendError::Empty);
        }
        check_xml_text(body).map_err(SendError::InvalidText)?;
        let to = Jid::new(&format!("{jid}/{nick}")).map_err(|_| SendError::Empty)?;
        let id = cx.out.next_id();
        let message = Element::new("message", ns::CLIENT)
            .attr("to", to.as_str())
            .attr("type", "chat")
            .attr("id", &id)
            .text_child("body", ns::CLIENT, body)
            .child(Element::new("origin-id", ns::SID).attr("id", &id))
            // §7.5: marks it as a message within the room.
            .child(Element::new("x", ns::MUC_USER));
        cx.out.send(&message)?;
        Ok(RoomMessage {
            room: jid.clone(),
            id,
            nick: Some(nick.to_owned()),
            body: body.to_owned(),
            sent_at: None,
            own: true,
            mention: false,
            private: true,
            replaces: None,
        })
    }

    /// §8.1: sets the subject; the room refuses if we may not.
    pub(crate) fn set_subject(
        &mut self,
        jid: &BareJid,
        subject: &str,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        self.joined(jid)?;
        check_xml_text(subject).map_err(SendError::InvalidText)?;
        cx.out.send(
            &Element::new("message", ns::CLIENT)
                .attr("to", jid.as_str())
                .attr("type", "groupchat")
                .text_child("subject", ns::CLIENT, subject),
        )?;
        Ok(())
    }

    /// XEP-0249 §3: invites `contact` to `room` directly.
    pub(crate) fn invite(
        &mut self,
        jid: &BareJid,
        contact: &BareJid,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        let room = self.joined(jid)?;
        let x = Element::new("x", ns::CONFERENCE)
            .attr("jid", jid.as_str())
            .attr_opt("password", room.password.clone());
        cx.out.send(
            &Element::new("message", ns::CLIENT)
                .attr("to", contact.as_str())
                .child(x),
        )?;
        Ok(())
    }

    /// A room we may write to: one we are in, or one we were in until the connection was lost
    /// (what is written waits until we are in again).
    fn writable(&self, jid: &BareJid) -> Result<&Room, SendError> {
        self.rooms
            .get(jid)
            .filter(|r| {
                r.state == RoomState::Joined
                    || (r.was_in && matches!(r.state, RoomState::Suspended | RoomState::Joining))
            })
            .ok_or(SendError::NotOnline)
    }

    /// Sends a message to the room now, or keeps it (in order, bounded) until we are in again.
    fn send_or_keep(
        &mut self,
        jid: &BareJid,
        id: &str,
        message: &Element,
        online: bool,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        let room = self.rooms.get_mut(jid).ok_or(SendError::NotOnline)?;
        if online && room.state == RoomState::Joined {
            return Ok(cx.out.send(message)?);
        }
        if room.waiting.len() >= MAX_WAITING {
            return Err(SendError::NotOnline);
        }
        let xml = cx.out.serialise(message)?;
        room.waiting.push((id.to_owned(), xml));
        Ok(())
    }

    /// XEP-0198: the session was resumed, so we are still in the rooms: what was written to
    /// them meanwhile goes now.
    pub(crate) fn resumed(&mut self, cx: &mut Ctx) {
        for room in self.rooms.values_mut() {
            if room.state == RoomState::Joined {
                room.send_waiting(cx);
            }
        }
    }

    /// A room is forgotten: what waited to be sent to it will not go.
    fn forget(&mut self, jid: &BareJid, cx: &mut Ctx) {
        if let Some(room) = self.rooms.remove(jid) {
            if !room.waiting.is_empty() {
                cx.emit(Event::Room(RoomEvent::Unsent {
                    room: room.jid,
                    ids: room.waiting.into_iter().map(|(id, _)| id).collect(),
                }));
            }
        }
    }

    fn joined(&self, jid: &BareJid) -> Result<&Room, SendError> {
        self.rooms
            .get(jid)
            .filter(|r| r.state == RoomState::Joined)
            .ok_or(SendError::NotOnline)
    }

    /// An answer to one of our requests.
    pub(crate) fn answered(
        &mut self,
        request: MucRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) {
        match request {
            MucRequest::DomainItems => {
                let items = result
                    .ok()
                    .flatten()
                    .map(|q| disco::parse_items(&q))
                    .unwrap_or_default();
                for item in items
                    .into_iter()
                    .filter(|i| i.jid.node().is_none() && i.jid.resource().is_none())
                    .take(MAX_SERVICE_CANDIDATES)
                {
                    let domain = item.jid.to_bare();
                    if self.candidates.insert(domain.clone()) {
                        self.ask_domain(&domain, cx);
                    }
                }
                self.maybe_services_found(cx);
            }
            MucRequest::ServiceInfo(domain) => {
                let is_service = result
                    .ok()
                    .flatten()
                    .is_some_and(|q| DiscoInfo::parse(&q).has_identity("conference", "text"));
                self.domain_known(&domain, is_service, cx);
            }
            MucRequest::RoomList {
                service,
                generation,
            } => self.page(service, generation, result, cx),
            MucRequest::RoomInfo(room) => {
                let event = match result {
                    Ok(Some(query)) => RoomEvent::Info {
                        room,
                        info: RoomInfo::from_disco(&DiscoInfo::parse(&query)),
                    },
                    _ => RoomEvent::InfoFailed { room },
                };
                cx.emit(Event::Room(event));
            }
            MucRequest::InstantRoom(room) => {
                if let Err(error) = result {
                    cx.emit(Event::Room(RoomEvent::Refused { room, error }));
                }
            }
            MucRequest::EntryInfo(jid) => {
                // A room that does not exist yet answers with an error: it has no history.
                let archived = result
                    .ok()
                    .flatten()
                    .is_some_and(|q| DiscoInfo::parse(&q).has_feature(ns::MAM));
                if let Some(room) = self.rooms.get_mut(&jid) {
                    room.archived = archived;
                }
                self.send_join(&jid, cx);
            }
        }
    }

    /// A request of ours went unanswered (timeout, or the connection ended).
    pub(crate) fn unanswered(&mut self, request: MucRequest, cx: &mut Ctx) {
        match request {
            MucRequest::DomainItems => self.maybe_services_found(cx),
            MucRequest::ServiceInfo(domain) => {
                // Unknown is not "no": the next join asks again.
                self.candidates.remove(&domain);
                for jid in self.parked.remove(&domain).unwrap_or_default() {
                    if let Some(room) = self.rooms.remove(&jid) {
                        cx.emit(Event::Room(RoomEvent::JoinFailed {
                            room: room.jid,
                            nick: room.nick,
                            error: JoinError::NoAnswer,
                        }));
                    }
                }
                self.maybe_services_found(cx);
            }
            MucRequest::RoomList {
                service,
                generation,
            } => {
                let current = self
                    .listings
                    .get(&service)
                    .is_some_and(|l| l.generation == generation);
                if current && self.listings.remove(&service).is_some() {
                    cx.emit(Event::Room(RoomEvent::ListFailed {
                        service,
                        error: None,
                    }));
                }
            }
            MucRequest::RoomInfo(room) => cx.emit(Event::Room(RoomEvent::InfoFailed { room })),
            MucRequest::InstantRoom(_) => {}
            MucRequest::EntryInfo(jid) => self.send_join(&jid, cx),
        }
    }

    /// A presence from `room/nick`, or an error from the room. Returns it when it is not ours.
    pub(crate) fn presence(&mut self, p: Presence, cx: &mut Ctx) -> Option<Presence> {
        let from = p.from.as_ref()?;
        let jid = from.to_bare();
        let Some(room) = self
            .rooms
            .get_mut(&jid)
            .filter(|r| r.state != RoomState::Checking)
        else {
            return Some(p);
        };
        let Some(nick) = from.resource().map(str::to_owned) else {
            // An error from the room's bare address answers our entry.
            if p.kind.as_deref() == Some("error") {
                let nick = room.nick.clone();
                return self.room_presence(&jid, &nick, p, cx);
            }
            return None;
        };
        self.room_presence(&jid, &nick, p, cx)
    }

    fn room_presence(
        &mut self,
        jid: &BareJid,
        nick: &str,
        p: Presence,
        cx: &mut Ctx,
    ) -> Option<Presence> {
        let room = self.rooms.get_mut(jid)?;
        let entering = room.state == RoomState::Joining;
        let after = room.presence(nick, p, cx);
        if entering && room.state == RoomState::Joined {
            room.send_waiting(cx);
            if room.archived {
                self.archive_wanted.push(jid.clone());
            }
        }
        match after {
            After::Stay => {}
            After::Gone => self.forget(jid, cx),
            After::Created => {
                let form = Element::new("x", ns::DATA).attr("type", "submit");
                let _ = cx.try_request(
                    IqType::Set,
                    Some(&Jid::from(jid.clone())),
                    Element::new("query", ns::MUC_OWNER).child(form),
                    Owner::Muc(MucRequest::InstantRoom(jid.clone())),
                );
            }
        }
        None
    }

    /// A message that may be for this module: from a room we are in, or an invitation. Returns
    /// it when it is neither.
    pub(crate) fn message(&mut self, m: Message, cx: &mut Ctx) -> Option<Message> {
        let from = m.from.as_ref()?;
        let jid = from.to_bare();
        if self.is_room(&jid) {
            let nick = from.resource().map(str::to_owned);
            self.room_message(jid, nick, m, cx);
            return None;
        }
        // A bounce (of an invitation we sent, say) is not an invitation.
        if m.kind.as_deref() == Some("error") {
            return Some(m);
        }
        // Only a room service's word is taken for who invited through it.
        let from_a_service = self.domains.get(&jid.domain_jid()) == Some(&true);
        if let Some(invitation) = parse_invitation(&m, &jid, from_a_service) {
            if self.invitations.len() < MAX_INVITATIONS
                && self.invitations.insert(invitation.room.clone())
            {
                cx.emit(Event::Room(RoomEvent::Invited(invitation)));
            }
            return None;
        }
        if m.kind.as_deref() == Some("groupchat") {
            cx.warn("ignored a group chat message from a room we are not in");
            return None;
        }
        Some(m)
    }

    /// A message out of a room's archive (the archive is checked to be the room, and the query
    /// ours, by [`mam`](super::mam)).
    pub(crate) fn archived(&mut self, archived: super::mam::Archived, cx: &mut Ctx) {
        if let Some(message) = self.archived_message(archived, cx) {
            cx.emit(Event::Room(RoomEvent::Message(message)));
        }
    }

    /// A message out of a room's archive, from an occupant of the room we are in.
    pub(crate) fn archived_message(
        &mut self,
        archived: super::mam::Archived,
        cx: &mut Ctx,
    ) -> Option<RoomMessage> {
        let super::mam::Archived {
            archive,
            message,
            stamp,
            ..
        } = archived;
        let room = self.rooms.get(&archive)?;
        let from_room = message
            .from
            .as_ref()
            .is_some_and(|f| f.to_bare() == archive);
        let nick = message
            .from
            .as_ref()
            .and_then(|f| f.resource())
            .map(str::to_owned);
        let (true, Some(nick), Some(body)) = (from_room, nick, message.body) else {
            return None;
        };
        let own = nick == room.nick;
        let mention = !own && mentions(&body, &room.nick);
        let replaces = correction::parse(&message.element);
        let id = message
            .origin_id
            .or(message.id)
            .unwrap_or_else(|| cx.out.next_id());
        Some(RoomMessage {
            room: archive,
            id,
            nick: Some(nick),
            body,
            sent_at: stamp.or_else(|| delay::stamp(&message.element)),
            own,
            mention,
            private: false,
            replaces,
        })
    }

    /// The person answered the invitation to `room`: another may come.
    pub(crate) fn invitation_answered(&mut self, room: &BareJid) {
        self.invitations.remove(room);
    }

    fn room_message(&mut self, jid: BareJid, nick: Option<String>, m: Message, cx: &mut Ctx) {
        let Some(room) = self.rooms.get_mut(&jid) else {
            return;
        };
        if m.kind.as_deref() == Some("error") {
            if let Some(id) = m.id {
                cx.emit(Event::Room(RoomEvent::MessageFailed {
                    room: jid,
                    id,
                    error: m.error.unwrap_or_else(StanzaError::undefined),
                }));
            }
            return;
        }
        let private = m.kind.as_deref() != Some("groupchat");
        if private && nick.is_none() {
            // The room's own notices (§7.8.2 decline, configuration changes) are not chat.
            return;
        }
        // §8.1: a subject change is a groupchat message with a subject and no body.
        if !private && m.body.is_none() {
            if let Some(subject) = m.element.get_child("subject", ns::CLIENT) {
                cx.emit(Event::Room(RoomEvent::Subject {
                    room: jid,
                    subject: disco::cut_owned(subject.text_content()),
                    by: nick,
                }));
            }
            return;
        }
        let Some(body) = m.body else {
            return;
        };
        let own = !private && nick.as_deref() == Some(room.nick.as_str());
        let mention = !own && mentions(&body, &room.nick);
        let sent_at = delay::stamp(&m.element);
        let id = m.origin_id.or(m.id).unwrap_or_else(|| cx.out.next_id());
        // XEP-0308 §5: a correction counts only from whoever wrote the original, this stay;
        // any other is shown as the message it is.
        let replaces = correction::parse(&m.element).filter(|original| {
            nick.as_deref()
                .is_some_and(|n| room.may_correct(n, original))
        });
        if let Some(nick) = &nick {
            room.heard(nick, &id);
        }
        cx.emit(Event::Room(RoomEvent::Message(RoomMessage {
            room: jid,
            id,
            nick,
            body,
            sent_at,
            own,
            mention,
            private,
            replaces,
        })));
    }
}

fn send_join(room: &mut Room, cx: &mut Ctx) {
    room.state = RoomState::Joining;
    // §7.2.15: no replay from a room whose archive we will read instead.
    let history = if room.archived { 0 } else { HISTORY_MESSAGES };
    let mut x = Element::new("x", ns::MUC)
        .child(Element::new("history", ns::MUC).attr("maxstanzas", history.to_string()));
    if let Some(password) = &room.password {
        x = x.text_child("password", ns::MUC, password.as_str());
    }
    cx.send(
        &Element::new("presence", ns::CLIENT)
            .attr("to", format!("{}/{}", room.jid, room.nick))
            .child(x),
    );
    cx.emit(Event::Room(RoomEvent::Entering {
        room: room.jid.clone(),
        nick: room.nick.clone(),
    }));
}

/// Whether `body` names `nick` as a word (case-insensitively), as people mention someone.
pub fn mentions(body: &str, nick: &str) -> bool {
    let nick = nick.to_lowercase();
    if nick.is_empty() {
        return false;
    }
    let body = body.to_lowercase();
    body.match_indices(&nick).any(|(at, _)| {
        let before = body[..at].chars().next_back();
        let after = body[at + nick.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_are_whole_words() {
        assert!(mentions("hello alice", "alice"));
        assert!(mentions("Alice: look", "alice"));
        assert!(mentions("@alice!", "alice"));
        assert!(!mentions("malice", "alice"));
        assert!(!mentions("alicex", "alice"));
        assert!(mentions("Привет, Ёжик", "ёжик"));
    }
}
