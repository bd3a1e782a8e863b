//! One room we are in or entering: XEP-0045 §7.2 entering (self-presence, status 110, 201 and
//! 210; the errors of §7.2.6-§7.2.11), §7.6 nick changes, §7.14 leaving, §8.2 and §9.1 being
//! kicked or banned, §10.9 destruction, and the occupant list the room's presence builds.
//!
//! Only the room speaks for its occupants: presence and messages are read from `room/nick` as
//! the room stamped them. The list is bounded by [`MAX_OCCUPANTS`]; status texts are cut.

use super::super::context::Ctx;
use super::super::event::{Event, RoomEvent};
use super::super::jid::BareJid;
use super::super::presence::{Availability, MAX_STATUS_CHARS};
use super::super::stanza::{Presence, StanzaError};
use super::occupant::{Affiliation, MucUser, Occupant, Role};
use std::collections::{HashMap, VecDeque};
use zeroize::Zeroizing;

/// Occupants kept per room; presence from more is not listed (the room still works).
pub const MAX_OCCUPANTS: usize = 20_000;

/// Why entering a room failed, with what a person can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The address's domain is not a room service; `suggestion` is the room at ours.
    NotARoomService {
        suggestion: Option<BareJid>,
    },
    /// §7.2.6 (401).
    PasswordRequired,
    /// §7.2.7 (403).
    Banned,
    /// §7.2.8 (404): no such room, and we may not create it.
    NotFound,
    /// §7.2.9 (406) and §7.2.10 (409): the nick is taken or reserved; try `suggestion`.
    NickConflict {
        suggestion: String,
    },
    /// §7.2.11 (407).
    MembersOnly,
    /// §7.2.12 (503).
    Full,
    /// The room or the service gave no answer in time.
    NoAnswer,
    Other(StanzaError),
}

impl JoinError {
    fn from_error(error: StanzaError, nick: &str) -> Self {
        match error.condition.as_str() {
            "not-authorized" => Self::PasswordRequired,
            "forbidden" => Self::Banned,
            "item-not-found" | "not-allowed" | "remote-server-not-found" => Self::NotFound,
            "conflict" | "not-acceptable" => Self::NickConflict {
                suggestion: alternative_nick(nick),
            },
            "registration-required" => Self::MembersOnly,
            "service-unavailable" => Self::Full,
            _ => Self::Other(error),
        }
    }

    /// A stable code for the UI (`data-reason`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotARoomService { .. } => "not-a-room-service",
            Self::PasswordRequired => "password-required",
            Self::Banned => "banned",
            Self::NotFound => "not-found",
            Self::NickConflict { .. } => "nick-conflict",
            Self::MembersOnly => "members-only",
            Self::Full => "full",
            Self::NoAnswer | Self::Other(_) => "other",
        }
    }
}

/// The nick to offer when ours is taken.
fn alternative_nick(nick: &str) -> String {
    format!("{nick}_")
}

/// Why someone is no longer in a room (us, or another occupant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Departure {
    /// They left (for us: we asked to).
    Left,
    /// §8.2, status 307.
    Kicked { reason: Option<String> },
    /// §9.1, status 301.
    Banned { reason: Option<String> },
    /// §9.3 and §9.4, statuses 321 and 322: no longer a member of a members-only room.
    NotAMember,
    /// §10.9.
    Destroyed {
        reason: Option<String>,
        alternate: Option<BareJid>,
    },
    /// Status 332: the service is shutting down.
    Shutdown,
    /// Our connection ended; the room is entered again once we are back.
    ConnectionLost,
}

impl Departure {
    fn from_user(user: &MucUser) -> Self {
        let reason = user.reason.clone().map(cut);
        if let Some(alternate) = &user.destroyed {
            Self::Destroyed {
                reason,
                alternate: alternate.clone(),
            }
        } else if user.has(301) {
            Self::Banned { reason }
        } else if user.has(307) {
            Self::Kicked { reason }
        } else if user.has(321) || user.has(322) {
            Self::NotAMember
        } else if user.has(332) {
            Self::Shutdown
        } else {
            Self::Left
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Left => "left",
            Self::Kicked { .. } => "kicked",
            Self::Banned { .. } => "banned",
            Self::NotAMember => "not-a-member",
            Self::Destroyed { .. } => "destroyed",
            Self::Shutdown => "shutdown",
            Self::ConnectionLost => "connection-lost",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoomState {
    /// Asked to enter: the address's domain or the room's features are being checked; nothing
    /// has been sent to the room, and nothing from it is read yet.
    Checking,
    /// Our presence is sent; the room has not answered with our own.
    Joining,
    Joined,
    /// We asked to leave.
    Leaving,
    /// The connection ended while we were in; entered again when it is back.
    Suspended,
}

#[derive(Debug)]
pub(crate) struct Room {
    pub jid: BareJid,
    pub nick: String,
    pub password: Option<String>,
    pub state: RoomState,
    pub role: Role,
    /// The room keeps an archive (XEP-0313): history comes from there, not from a replay.
    pub archived: bool,
    /// We have been in (so a lost connection means entering again, not a failed entry).
    pub was_in: bool,
    /// Messages written while out after a lost connection, oldest first, each with its id:
    /// sent once we are in again.
    pub waiting: Vec<(String, Zeroizing<String>)>,
    occupants: HashMap<String, Occupant>,
    /// XEP-0308 §4, §5: the ids of the latest messages each occupant wrote since it entered,
    /// so only the occupant who wrote a message corrects it, and not someone who took the nick
    /// after it was left (nor the same nick after a rejoin).
    spoken: HashMap<String, VecDeque<String>>,
}

/// Messages remembered per occupant for corrections; older ones can no longer be corrected.
const SPOKEN_KEPT: usize = 50;

/// What the service should do with the room after a presence.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum After {
    Stay,
    /// We are out: forget the room.
    Gone,
    /// The room made a new room for us (201): accept the default configuration.
    Created,
}

impl Room {
    pub fn new(jid: BareJid, nick: String, password: Option<String>) -> Self {
        Self {
            jid,
            nick,
            password,
            state: RoomState::Checking,
            role: Role::None,
            archived: false,
            was_in: false,
            waiting: Vec::new(),
            occupants: HashMap::new(),
            spoken: HashMap::new(),
        }
    }

    pub fn is_in(&self) -> bool {
        matches!(self.state, RoomState::Joined | RoomState::Leaving)
    }

    /// A presence from `room/nick`.
    pub fn presence(&mut self, nick: &str, p: Presence, cx: &mut Ctx) -> After {
        if p.kind.as_deref() == Some("error") {
            return self.error(nick, p.error.unwrap_or_else(StanzaError::undefined), cx);
        }
        let user = MucUser::parse(&p.element).unwrap_or_default();
        // §7.2.2: status 110 marks our own presence; a room that omits it still uses our nick.
        let own = user.has(110) || nick == self.nick;
        if p.kind.as_deref() == Some("unavailable") {
            return self.unavailable(nick, own, &user, cx);
        }
        if p.kind.is_some() {
            return After::Stay;
        }
        let occupant = Occupant {
            nick: nick.to_owned(),
            role: user.role.unwrap_or(Role::Participant),
            affiliation: user.affiliation.unwrap_or(Affiliation::None),
            availability: Availability::from_show(p.show.as_deref()),
            status: p.status.map(cut),
            jid: user.jid.clone(),
        };
        if !self.occupants.contains_key(nick) && self.occupants.len() >= MAX_OCCUPANTS {
            return After::Stay;
        }
        // Another account behind the same nick is another person: nothing before is theirs.
        let previous = self.occupants.insert(nick.to_owned(), occupant.clone());
        if previous.is_some_and(|p| p.jid != occupant.jid) {
            self.spoken.remove(nick);
        }
        cx.emit(Event::Room(RoomEvent::Occupant {
            room: self.jid.clone(),
            occupant: occupant.clone(),
        }));
        if !own {
            return After::Stay;
        }
        self.role = occupant.role;
        // §7.2.3 status 210: the room chose our nick.
        if self.nick != nick {
            self.nick = nick.to_owned();
        }
        if self.state != RoomState::Joining {
            return After::Stay;
        }
        self.state = RoomState::Joined;
        self.was_in = true;
        let created = user.has(201);
        cx.emit(Event::Room(RoomEvent::Joined {
            room: self.jid.clone(),
            nick: self.nick.clone(),
            created,
        }));
        if created {
            After::Created
        } else {
            After::Stay
        }
    }

    fn error(&mut self, nick: &str, error: StanzaError, cx: &mut Ctx) -> After {
        match self.state {
            RoomState::Checking | RoomState::Joining => {
                cx.emit(Event::Room(RoomEvent::JoinFailed {
                    room: self.jid.clone(),
                    nick: nick.to_owned(),
                    error: JoinError::from_error(error, nick),
                }));
                After::Gone
            }
            // §7.6.3: a nick change refused; we stay with the old nick.
            _ => {
                cx.emit(Event::Room(RoomEvent::Refused {
                    room: self.jid.clone(),
                    error,
                }));
                After::Stay
            }
        }
    }

    fn unavailable(&mut self, nick: &str, own: bool, user: &MucUser, cx: &mut Ctx) -> After {
        // §7.6.3, status 303: the occupant is now known by another nick.
        if user.has(303) {
            if let Some(new) = user.new_nick.clone() {
                if let Some(mut occupant) = self.occupants.remove(nick) {
                    occupant.nick = new.clone();
                    self.occupants.insert(new.clone(), occupant);
                }
                // The same person under a new nick: their messages stay theirs.
                let ids = self.spoken.remove(nick).unwrap_or_default();
                self.spoken.insert(new.clone(), ids);
                if own {
                    self.nick = new.clone();
                }
                cx.emit(Event::Room(RoomEvent::NickChanged {
                    room: self.jid.clone(),
                    old: nick.to_owned(),
                    new,
                    own,
                }));
                return After::Stay;
            }
        }
        self.occupants.remove(nick);
        self.spoken.remove(nick);
        let departure = Departure::from_user(user);
        if !own {
            cx.emit(Event::Room(RoomEvent::OccupantLeft {
                room: self.jid.clone(),
                nick: nick.to_owned(),
                departure,
            }));
            return After::Stay;
        }
        if self.state == RoomState::Joining && departure == Departure::Left {
            // Some services answer a refused entry with unavailable instead of an error.
            cx.emit(Event::Room(RoomEvent::JoinFailed {
                room: self.jid.clone(),
                nick: nick.to_owned(),
                error: JoinError::Other(StanzaError::undefined()),
            }));
        } else {
            cx.emit(Event::Room(RoomEvent::Left {
                room: self.jid.clone(),
                departure,
            }));
        }
        After::Gone
    }

    /// `nick` wrote the message `id` (live, or in the history the room sends on entering).
    pub fn heard(&mut self, nick: &str, id: &str) {
        let ids = self.spoken.entry(nick.to_owned()).or_default();
        if ids.len() >= SPOKEN_KEPT {
            ids.pop_front();
        }
        ids.push_back(id.to_owned());
    }

    /// Whether `nick` wrote `original` in its present stay: whether its correction counts.
    pub fn may_correct(&self, nick: &str, original: &str) -> bool {
        self.spoken
            .get(nick)
            .is_some_and(|ids| ids.iter().any(|id| id == original))
    }

    /// We are in: what was written while out goes now, in order.
    pub fn send_waiting(&mut self, cx: &mut Ctx) {
        for (_, xml) in std::mem::take(&mut self.waiting) {
            cx.out.send_stanza(xml, None);
        }
    }

    /// The connection ended: the room no longer has us; we enter again once back online.
    pub fn suspend(&mut self, cx: &mut Ctx) {
        self.occupants.clear();
        self.spoken.clear();
        self.state = RoomState::Suspended;
        cx.emit(Event::Room(RoomEvent::Left {
            room: self.jid.clone(),
            departure: Departure::ConnectionLost,
        }));
    }
}

fn cut(text: String) -> String {
    if text.chars().count() <= MAX_STATUS_CHARS {
        text
    } else {
        text.chars().take(MAX_STATUS_CHARS).collect()
    }
}
