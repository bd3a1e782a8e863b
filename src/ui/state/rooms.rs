//! Rooms (XEP-0045): the room browser's list and details, the join form's outcome, one status
//! signal per room we are in (nick, subject, occupants), and invitations. Room conversations'
//! messages live with the other conversations ([`super::conversations`]), so the chat list,
//! unread counts and the history window work the same for both.

use crate::store::room::{RoomPhase, RoomStatus};
use crate::store::room_list::{DetailsQueue, RoomDetails, RoomList, RoomOrder};
use crate::xmpp::bookmarks::Bookmark;
use crate::xmpp::jid::BareJid;
use crate::xmpp::muc::room::JoinError;
use crate::xmpp::muc::{Departure, Invitation};
use crate::xmpp::RoomEvent;
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Why the last join failed, for the form to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinFailure {
    pub room: BareJid,
    pub nick: String,
    pub error: JoinError,
}

/// Invitations shown at once; older ones make room.
const MAX_INVITATIONS: usize = 20;

#[derive(Clone, Copy)]
pub struct Rooms {
    /// Room services found on our domain.
    pub services: RwSignal<Vec<BareJid>>,
    /// The service the browser lists (as typed; the discovered one by default).
    pub service: RwSignal<String>,
    pub browser_open: RwSignal<bool>,
    pub list: RwSignal<RoomList>,
    /// Counts the listings started, so the rest of an earlier one is not added to a new one.
    pub listing: StoredValue<u64>,
    pub filter: RwSignal<String>,
    pub order: RwSignal<RoomOrder>,
    pub details: StoredValue<DetailsQueue>,
    /// Rooms' details, cached for the session; apart from the list, so an answer re-renders its
    /// row, not the whole view.
    pub known: RwSignal<RoomDetails>,
    statuses: StoredValue<HashMap<BareJid, RwSignal<RoomStatus>>>,
    /// Owns the status signals, made from event handlers (see `Conversations::owner`).
    owner: StoredValue<Owner>,
    pub join_error: RwSignal<Option<JoinFailure>>,
    /// A join sent and not yet answered.
    pub joining: RwSignal<Option<BareJid>>,
    pub invitations: RwSignal<Vec<Invitation>>,
    pub bookmarks: RwSignal<BTreeMap<BareJid, Bookmark>>,
    /// The configured autojoin rooms were entered in this login (once: a room left stays left).
    pub(super) configured_joined: StoredValue<bool>,
}

impl Rooms {
    pub(super) fn new() -> Self {
        Self {
            services: RwSignal::new(Vec::new()),
            service: RwSignal::new(String::new()),
            browser_open: RwSignal::new(false),
            list: RwSignal::new(RoomList::default()),
            listing: StoredValue::new(0),
            filter: RwSignal::new(String::new()),
            order: RwSignal::new(RoomOrder::Name),
            details: StoredValue::new(DetailsQueue::default()),
            known: RwSignal::new(RoomDetails::default()),
            statuses: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::new()),
            join_error: RwSignal::new(None),
            joining: RwSignal::new(None),
            invitations: RwSignal::new(Vec::new()),
            bookmarks: RwSignal::new(BTreeMap::new()),
            configured_joined: StoredValue::new(false),
        }
    }

    pub fn status(&self, room: &BareJid) -> Option<RwSignal<RoomStatus>> {
        self.statuses
            .try_with_value(|s| s.get(room).copied())
            .flatten()
    }

    pub fn is_room(&self, jid: &BareJid) -> bool {
        self.status(jid).is_some()
    }

    /// The person asked to join `room`: the form waits for the outcome.
    pub(super) fn join_sent(&self, room: &BareJid) {
        self.join_error.set(None);
        self.joining.set(Some(room.clone()));
    }

    /// Our presence went to the room: it has a status from now on (a new one, or the old one
    /// entering again after a lost connection or a kick).
    fn entering(&self, room: &BareJid, nick: &str) {
        match self.status(room) {
            Some(status) => status.update(|s| {
                if !s.is_joined() {
                    *s = RoomStatus::new(nick.to_owned());
                }
            }),
            None => {
                let status = self
                    .owner
                    .with_value(|o| o.with(|| RwSignal::new(RoomStatus::new(nick.to_owned()))));
                self.statuses.update_value(|s| {
                    s.insert(room.clone(), status);
                });
            }
        }
    }

    /// Applies a room event other than a message. Returns the room to open, once we are in.
    pub(super) fn apply(&self, event: RoomEvent) -> RoomOutcome {
        match event {
            RoomEvent::Services(services) => {
                if self.service.get_untracked().is_empty() {
                    if let Some(first) = services.first() {
                        self.service.set(first.to_string());
                    }
                }
                self.services.set(services);
                return RoomOutcome::ServicesKnown;
            }
            RoomEvent::ListPage {
                service,
                rooms,
                complete,
                count_hint,
            } => self
                .list
                .update(|l| l.page(&service, rooms, complete, count_hint)),
            RoomEvent::ListFailed { service, .. } => self.list.update(|l| l.failed(&service)),
            RoomEvent::Info { room, info } => {
                self.details.update_value(|q| q.done(&room));
                self.known.update(|d| d.set(room, info));
                return RoomOutcome::AskDetails;
            }
            RoomEvent::InfoFailed { room } => {
                self.details.update_value(|q| q.done(&room));
                // Cached as empty: a room that will not say is not asked again and again.
                self.known.update(|d| d.set(room, Default::default()));
                return RoomOutcome::AskDetails;
            }
            RoomEvent::Entering { room, nick } => self.entering(&room, &nick),
            RoomEvent::Joined {
                room,
                nick,
                created,
            } => {
                // Only a join the person asked for takes the screen; entering again after a
                // lost connection, or an autojoin, does not.
                let asked = self.joining.get_untracked().as_ref() == Some(&room);
                self.finish_joining(&room);
                if let Some(status) = self.status(&room) {
                    status.update(|s| {
                        s.nick = nick;
                        s.phase = RoomPhase::Joined;
                        s.was_in = true;
                        s.created = created;
                    });
                }
                return RoomOutcome::Joined { room, open: asked };
            }
            RoomEvent::JoinFailed { room, nick, error } => {
                let asked = self.joining.get_untracked().as_ref() == Some(&room);
                self.finish_joining(&room);
                if asked {
                    self.statuses.update_value(|s| {
                        s.remove(&room);
                    });
                    self.join_error.set(Some(JoinFailure { room, nick, error }));
                    self.browser_open.set(true);
                } else {
                    // Entering again (after a lost connection, or a bookmark) was refused: the
                    // conversation stays, and says so.
                    self.update(&room, |s| s.phase = RoomPhase::Refused(error));
                }
            }
            RoomEvent::Occupant { room, occupant } => self.update(&room, |s| s.upsert(occupant)),
            RoomEvent::OccupantLeft { room, nick, .. } => self.update(&room, |s| s.remove(&nick)),
            RoomEvent::NickChanged {
                room,
                old,
                new,
                own,
            } => self.update(&room, |s| {
                s.rename(&old, &new);
                if own {
                    s.nick = new;
                }
            }),
            RoomEvent::Subject { room, subject, .. } => self.update(&room, |s| s.subject = subject),
            RoomEvent::Left { room, departure } => {
                let asked = departure == Departure::Left;
                self.update(&room, |s| s.end(departure));
                if asked {
                    return RoomOutcome::Close(room);
                }
            }
            RoomEvent::Invited(invitation) => self.invitations.update(|list| {
                if !list.iter().any(|i| i.room == invitation.room) {
                    if list.len() >= MAX_INVITATIONS {
                        list.remove(0);
                    }
                    list.push(invitation);
                }
            }),
            RoomEvent::Refused { error, .. } | RoomEvent::BookmarkFailed(error) => {
                return RoomOutcome::Refused(error.condition)
            }
            RoomEvent::Bookmarks(list) => self
                .bookmarks
                .set(list.into_iter().map(|b| (b.room.clone(), b)).collect()),
            // Messages and their failures belong to the conversation.
            RoomEvent::Message(_)
            | RoomEvent::MessageFailed { .. }
            | RoomEvent::Unsent { .. }
            | RoomEvent::History { .. } => {}
        }
        RoomOutcome::None
    }

    fn finish_joining(&self, room: &BareJid) {
        if self.joining.get_untracked().as_ref() == Some(room) {
            self.joining.set(None);
        }
    }

    fn update(&self, room: &BareJid, f: impl FnOnce(&mut RoomStatus)) {
        if let Some(status) = self.status(room) {
            status.update(f);
        }
    }

    /// Our room left the chat list: forget it.
    pub(super) fn forget(&self, room: &BareJid) {
        self.statuses.update_value(|s| {
            s.remove(room);
        });
    }

    pub fn dismiss_invitation(&self, room: &BareJid) {
        self.invitations
            .update(|list| list.retain(|i| &i.room != room));
    }

    pub(super) fn reset(&self) {
        self.services.set(Vec::new());
        self.service.set(String::new());
        self.browser_open.set(false);
        self.list.set(RoomList::default());
        self.known.set(RoomDetails::default());
        self.filter.set(String::new());
        self.details.update_value(DetailsQueue::clear);
        self.statuses.update_value(HashMap::clear);
        self.join_error.set(None);
        self.joining.set(None);
        self.invitations.set(Vec::new());
        self.bookmarks.set(BTreeMap::new());
        self.configured_joined.set_value(false);
    }

    /// The connection ended: details in flight will not come.
    pub(super) fn connection_ended(&self) {
        self.details.update_value(DetailsQueue::clear);
        self.joining.set(None);
    }
}

/// What the app should do after a room event.
pub(super) enum RoomOutcome {
    None,
    /// We are in `room`; `open` when the person asked to join it just now.
    Joined {
        room: BareJid,
        open: bool,
    },
    Close(BareJid),
    /// The room services are known: a browser waiting for one can list it now.
    ServicesKnown,
    /// Room for more detail requests.
    AskDetails,
    /// The room refused something: a notice, with the condition.
    Refused(String),
}
