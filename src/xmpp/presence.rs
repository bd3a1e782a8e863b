//! Presence: RFC 6121 §4. The core keeps every resource of every contact and reports one
//! aggregate per contact, which is what a roster shows.
//!
//! Anyone can send us directed presence, so entities outside the roster are kept only up to
//! [`MAX_STRANGERS`] (the oldest is forgotten first), without their status text, and never
//! reported until they become contacts; then their availability is known at once. Status texts
//! are kept up to [`MAX_STATUS_CHARS`]: they are one line in a list, not a document.

use super::context::Ctx;
use super::event::{Event, RosterEvent};
use super::jid::BareJid;
use super::roster::Roster;
use super::stanza::Presence;
use std::collections::{HashMap, HashSet, VecDeque};

/// What a person sees: the `<show/>` values of RFC 6121 §4.7.2.1, `chat` folded into available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Availability {
    Available,
    Away,
    Dnd,
    Xa,
    Unavailable,
}

impl Availability {
    pub fn from_show(show: Option<&str>) -> Self {
        match show {
            Some("away") => Self::Away,
            Some("dnd") => Self::Dnd,
            Some("xa") => Self::Xa,
            _ => Self::Available,
        }
    }

    /// The `<show/>` value to send, none for plain available.
    pub fn show_value(self) -> Option<&'static str> {
        match self {
            Self::Away => Some("away"),
            Self::Dnd => Some("dnd"),
            Self::Xa => Some("xa"),
            Self::Available | Self::Unavailable => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Away => "away",
            Self::Dnd => "dnd",
            Self::Xa => "xa",
            Self::Unavailable => "unavailable",
        }
    }

    /// Higher is "more reachable", used to break ties between resources of equal priority.
    fn rank(self) -> u8 {
        match self {
            Self::Available => 4,
            Self::Away => 3,
            Self::Xa => 2,
            Self::Dnd => 1,
            Self::Unavailable => 0,
        }
    }
}

/// A contact's aggregate presence, with each online resource's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactPresence {
    pub jid: BareJid,
    pub availability: Availability,
    /// Status text of the chosen resource. Untrusted text: render as text.
    pub status: Option<String>,
    /// Every online resource, the chosen one first (RFC 6121 §4.7.2.3 order).
    pub resources: Vec<ResourceStatus>,
}

/// One online resource of a contact (a phone, a laptop), as a details view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceStatus {
    /// Untrusted text: render as text.
    pub resource: String,
    pub availability: Availability,
    pub priority: i8,
    /// Untrusted text: render as text.
    pub status: Option<String>,
}

#[derive(Debug, Clone)]
struct ResourcePresence {
    availability: Availability,
    priority: i8,
    status: Option<String>,
}

/// Resources kept per contact; presence from more is ignored (their aggregate stays as it was).
pub const MAX_RESOURCES: usize = 32;
/// Entities outside the roster whose presence is kept.
pub const MAX_STRANGERS: usize = 256;
/// Characters of a status text kept.
pub const MAX_STATUS_CHARS: usize = 1_000;

/// Per-resource presence of every contact (RFC 6121 §4.4, §4.5).
#[derive(Debug, Default)]
pub struct PresenceBook {
    contacts: HashMap<BareJid, HashMap<String, ResourcePresence>>,
    /// Entities not in the roster with presence kept, oldest first; the set mirrors it.
    strangers: VecDeque<BareJid>,
    stranger_set: HashSet<BareJid>,
}

impl PresenceBook {
    /// RFC 6121 §4.4-§4.6: an available, unavailable or error presence from `p.from`.
    pub(crate) fn handle(&mut self, p: Presence, roster: &Roster, cx: &mut Ctx) {
        let Some(from) = p.from.as_ref() else { return };
        let jid = from.to_bare();
        let resource = from.resource().unwrap_or("");
        let contact = roster.contains(&jid);
        if !contact && self.stranger_set.insert(jid.clone()) {
            if self.strangers.len() >= MAX_STRANGERS {
                if let Some(oldest) = self.strangers.pop_front() {
                    self.stranger_set.remove(&oldest);
                    self.contacts.remove(&oldest);
                }
            }
            self.strangers.push_back(jid.clone());
        }
        let status = p
            .status
            .filter(|_| contact)
            .map(|s| s.chars().take(MAX_STATUS_CHARS).collect());
        let aggregate = match p.kind.as_deref() {
            None => self.available(
                &jid,
                resource,
                Availability::from_show(p.show.as_deref()),
                p.priority,
                status,
            ),
            Some("unavailable") => self.unavailable(&jid, Some(resource)),
            // RFC 6121 §4.3.2: an error is as good as unavailable for every resource.
            _ => self.unavailable(&jid, None),
        };
        if contact {
            cx.emit(Event::Roster(RosterEvent::Presence(aggregate)));
        }
    }

    /// `jid` joined the roster: what we know of its presence is reported, and kept unbounded.
    pub(crate) fn became_contact(&mut self, jid: &BareJid, cx: &mut Ctx) {
        if self.stranger_set.remove(jid) {
            self.strangers.retain(|s| s != jid);
        }
        if self.contacts.contains_key(jid) {
            cx.emit(Event::Roster(RosterEvent::Presence(self.aggregate(jid))));
        }
    }

    /// Records an available presence of one resource and returns the new aggregate.
    fn available(
        &mut self,
        jid: &BareJid,
        resource: &str,
        availability: Availability,
        priority: i8,
        status: Option<String>,
    ) -> ContactPresence {
        let resources = self.contacts.entry(jid.clone()).or_default();
        // A hostile server could announce endless resources; real people have a handful.
        if resources.len() >= MAX_RESOURCES && !resources.contains_key(resource) {
            return self.aggregate(jid);
        }
        resources.insert(
            resource.to_owned(),
            ResourcePresence {
                availability,
                priority,
                status,
            },
        );
        self.aggregate(jid)
    }

    /// Records that a resource (or, with `None`, every resource) went offline.
    fn unavailable(&mut self, jid: &BareJid, resource: Option<&str>) -> ContactPresence {
        match resource {
            Some(r) => {
                if let Some(resources) = self.contacts.get_mut(jid) {
                    resources.remove(r);
                    if resources.is_empty() {
                        self.contacts.remove(jid);
                    }
                }
            }
            None => {
                self.contacts.remove(jid);
            }
        }
        self.aggregate(jid)
    }

    /// A resumed session: what the book still holds of each contact, reported again (the UI
    /// showed nobody while the connection was down; the server resends nothing).
    pub(crate) fn report_all(&self, roster: &Roster, cx: &mut Ctx) {
        for jid in self.contacts.keys().filter(|jid| roster.contains(jid)) {
            cx.emit(Event::Roster(RosterEvent::Presence(self.aggregate(jid))));
        }
    }

    /// Forgets the presence of everyone `blocked` says is blocked, reporting contacts offline:
    /// the server sends nothing from them any more, not even their going offline.
    pub(crate) fn forget_blocked(
        &mut self,
        blocked: impl Fn(&BareJid) -> bool,
        roster: &Roster,
        cx: &mut Ctx,
    ) {
        let gone: Vec<BareJid> = self
            .contacts
            .keys()
            .filter(|j| blocked(j))
            .cloned()
            .collect();
        for jid in gone {
            self.contacts.remove(&jid);
            if roster.contains(&jid) {
                cx.emit(Event::Roster(RosterEvent::Presence(self.aggregate(&jid))));
            }
        }
    }

    pub fn clear(&mut self) {
        self.contacts.clear();
        self.strangers.clear();
        self.stranger_set.clear();
    }

    /// The resource with the highest priority wins; ties go to the more reachable one, then to
    /// the name, so the choice is stable. Negative priorities still count as online (RFC 6121
    /// §4.7.2.3 only affects message routing).
    pub fn aggregate(&self, jid: &BareJid) -> ContactPresence {
        let mut resources: Vec<ResourceStatus> = self
            .contacts
            .get(jid)
            .into_iter()
            .flatten()
            .map(|(resource, p)| ResourceStatus {
                resource: resource.clone(),
                availability: p.availability,
                priority: p.priority,
                status: p.status.clone(),
            })
            .collect();
        resources.sort_unstable_by(|a, b| {
            (b.priority, b.availability.rank())
                .cmp(&(a.priority, a.availability.rank()))
                .then_with(|| a.resource.cmp(&b.resource))
        });
        let (availability, status) = resources
            .first()
            .map_or((Availability::Unavailable, None), |best| {
                (best.availability, best.status.clone())
            });
        ContactPresence {
            jid: jid.clone(),
            availability,
            status,
            resources,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_follows_priority_then_reachability() {
        let bob = BareJid::new("bob@localhost").unwrap();
        let mut book = PresenceBook::default();
        assert_eq!(book.aggregate(&bob).availability, Availability::Unavailable);
        book.available(
            &bob,
            "phone",
            Availability::Away,
            0,
            Some("on the train".into()),
        );
        let agg = book.available(&bob, "laptop", Availability::Dnd, 5, None);
        assert_eq!(agg.availability, Availability::Dnd);
        let agg = book.available(&bob, "tablet", Availability::Available, 5, None);
        assert_eq!(agg.availability, Availability::Available);
        let order: Vec<_> = agg.resources.iter().map(|r| r.resource.as_str()).collect();
        assert_eq!(order, ["tablet", "laptop", "phone"]);
        assert_eq!(agg.resources[2].status.as_deref(), Some("on the train"));
        book.unavailable(&bob, Some("tablet"));
        let agg = book.unavailable(&bob, Some("laptop"));
        assert_eq!(agg.availability, Availability::Away);
        assert_eq!(agg.status.as_deref(), Some("on the train"));
        let gone = book.unavailable(&bob, Some("phone"));
        assert_eq!(gone.availability, Availability::Unavailable);
        assert!(gone.resources.is_empty());
    }
}
