//! A room as its view shows it: where we are with it (entering, in, out and why), our nick, the
//! subject, and the occupants, ordered for a windowed list: moderators first, then participants,
//! then visitors, each by nick. Rooms can hold thousands, so the order is a `BTreeMap` kept as
//! presence comes, never a sort per change.

use crate::xmpp::muc::room::JoinError;
use crate::xmpp::muc::{Departure, Occupant, Role};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomPhase {
    Joining,
    Joined,
    /// Out of the room; the view stays readable.
    Ended(Departure),
    /// Entering again (not asked for here: after a lost connection, from a bookmark) was refused.
    Refused(JoinError),
}

impl RoomPhase {
    /// The `data-reason` of `room-ended`.
    pub fn ended_reason(&self) -> Option<&'static str> {
        match self {
            Self::Ended(departure) => Some(departure.code()),
            Self::Refused(error) => Some(error.code()),
            _ => None,
        }
    }
}

type OrderKey = (u8, String, String);

#[derive(Debug, Clone)]
pub struct RoomStatus {
    pub nick: String,
    pub phase: RoomPhase,
    /// Untrusted text; empty when there is none.
    pub subject: String,
    /// The room was new: we made it with the default configuration.
    pub created: bool,
    /// We have been in: after a lost connection, what is written waits to be sent.
    pub was_in: bool,
    order: BTreeMap<OrderKey, Occupant>,
    keys: HashMap<String, OrderKey>,
}

fn rank(role: Role) -> u8 {
    match role {
        Role::Moderator => 0,
        Role::Participant => 1,
        Role::Visitor => 2,
        Role::None => 3,
    }
}

impl RoomStatus {
    pub fn new(nick: String) -> Self {
        Self {
            nick,
            phase: RoomPhase::Joining,
            subject: String::new(),
            created: false,
            was_in: false,
            order: BTreeMap::new(),
            keys: HashMap::new(),
        }
    }

    pub fn is_joined(&self) -> bool {
        self.phase == RoomPhase::Joined
    }

    /// The composer may write: we are in, or were until the connection was lost and are
    /// entering again (the core keeps what is written until then).
    pub fn accepts_messages(&self) -> bool {
        match &self.phase {
            RoomPhase::Joined => true,
            RoomPhase::Joining | RoomPhase::Ended(Departure::ConnectionLost) => self.was_in,
            _ => false,
        }
    }

    pub fn occupant_count(&self) -> usize {
        self.order.len()
    }

    /// Our own occupant entry, while we are in.
    pub fn own(&self) -> Option<&Occupant> {
        let key = self.keys.get(&self.nick)?;
        self.order.get(key)
    }

    pub fn upsert(&mut self, occupant: Occupant) {
        self.remove(&occupant.nick);
        let key = (
            rank(occupant.role),
            occupant.nick.to_lowercase(),
            occupant.nick.clone(),
        );
        self.keys.insert(occupant.nick.clone(), key.clone());
        self.order.insert(key, occupant);
    }

    pub fn remove(&mut self, nick: &str) {
        if let Some(key) = self.keys.remove(nick) {
            self.order.remove(&key);
        }
    }

    pub fn rename(&mut self, old: &str, new: &str) {
        if let Some(key) = self.keys.remove(old) {
            if let Some(mut occupant) = self.order.remove(&key) {
                occupant.nick = new.to_owned();
                self.upsert(occupant);
            }
        }
    }

    /// We are out: nobody is listed any more.
    pub fn end(&mut self, departure: Departure) {
        self.order.clear();
        self.keys.clear();
        self.phase = RoomPhase::Ended(departure);
    }

    /// Occupants `[first, last)` in list order.
    pub fn occupants(&self, first: usize, last: usize) -> Vec<Occupant> {
        self.order
            .values()
            .skip(first)
            .take(last.saturating_sub(first))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::muc::Affiliation;
    use crate::xmpp::Availability;

    fn occupant(nick: &str, role: Role) -> Occupant {
        Occupant {
            nick: nick.into(),
            role,
            affiliation: Affiliation::None,
            availability: Availability::Available,
            status: None,
            jid: None,
        }
    }

    #[test]
    fn moderators_first_then_by_nick_and_renames_move_rows() {
        let mut room = RoomStatus::new("me".into());
        room.upsert(occupant("zed", Role::Participant));
        room.upsert(occupant("Amy", Role::Participant));
        room.upsert(occupant("mod", Role::Moderator));
        room.upsert(occupant("me", Role::Visitor));
        let nicks = |room: &RoomStatus| {
            room.occupants(0, 10)
                .into_iter()
                .map(|o| o.nick)
                .collect::<Vec<_>>()
        };
        assert_eq!(nicks(&room), ["mod", "Amy", "zed", "me"]);
        room.rename("zed", "bob");
        room.upsert(occupant("Amy", Role::Moderator));
        assert_eq!(nicks(&room), ["Amy", "mod", "bob", "me"]);
        assert_eq!(room.occupants(1, 3).len(), 2);
        assert_eq!(room.own().map(|o| o.role), Some(Role::Visitor));
        room.end(Departure::Kicked { reason: None });
        assert_eq!(room.occupant_count(), 0);
        assert_eq!(room.phase.ended_reason(), Some("kicked"));
    }
}
