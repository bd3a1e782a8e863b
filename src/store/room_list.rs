//! A room service's rooms as the browser shows them: filled page by page, filtered as the person
//! types (name or address, case-insensitively), sorted by name or by occupants where known, with
//! each room's details (XEP-0045 §6.4) cached for the session once loaded.
//!
//! Filtering 10,000 rooms is a pass over lowercased copies made once per room, so a keystroke
//! never lowercases the list again; the view (which rooms, in which order) is computed once per
//! change of list, filter or order and then only sliced by the windowed list. Details are kept
//! apart ([`RoomDetails`]), so an answer for one room changes the view only when the order
//! depends on them.

use crate::xmpp::jid::BareJid;
use crate::xmpp::muc::{RoomInfo, RoomItem};
use std::collections::{HashMap, HashSet, VecDeque};

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoomOrder {
    #[default]
    Name,
    /// Most occupants first; rooms whose count is unknown after those whose count is known.
    Occupants,
}

impl RoomOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Occupants => "occupants",
        }
    }

    pub fn parse(value: &str) -> Self {
        match value {
            "occupants" => Self::Occupants,
            _ => Self::Name,
        }
    }
}

/// One row of the browser.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomRow {
    pub jid: BareJid,
    /// The listed name, else the room's details' name, else its address's node.
    pub name: String,
    pub info: Option<RoomInfo>,
}

#[derive(Debug, Clone)]
struct Listed {
    jid: BareJid,
    name: Option<String>,
    /// Lowercased name and address, for filtering.
    haystack: String,
}

/// Where the listing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Progress {
    #[default]
    Idle,
    Loading,
    Complete,
    /// The service refused or stopped answering; what came so far stays.
    Failed,
}

#[derive(Debug, Clone, Default)]
pub struct RoomList {
    service: Option<BareJid>,
    rooms: Vec<Listed>,
    /// Where each room is in `rooms`.
    index: HashMap<BareJid, usize>,
    pub progress: Progress,
    /// What the service claims the total is: progress only.
    pub count_hint: Option<u64>,
}

/// Rooms' details as they came, cached for the session.
#[derive(Debug, Clone, Default)]
pub struct RoomDetails(HashMap<BareJid, RoomInfo>);

impl RoomDetails {
    pub fn get(&self, room: &BareJid) -> Option<&RoomInfo> {
        self.0.get(room)
    }

    pub fn contains(&self, room: &BareJid) -> bool {
        self.0.contains_key(room)
    }

    pub fn set(&mut self, room: BareJid, info: RoomInfo) {
        self.0.insert(room, info);
    }
}

impl RoomList {
    pub fn service(&self) -> Option<&BareJid> {
        self.service.as_ref()
    }

    /// Starts over for `service`.
    pub fn start(&mut self, service: BareJid) {
        self.service = Some(service);
        self.rooms.clear();
        self.index.clear();
        self.count_hint = None;
        self.progress = Progress::Loading;
    }

    /// A page for `service`; pages for a service no longer shown are ignored.
    pub fn page(
        &mut self,
        service: &BareJid,
        rooms: Vec<RoomItem>,
        complete: bool,
        count_hint: Option<u64>,
    ) {
        if self.service.as_ref() != Some(service) {
            return;
        }
        for room in rooms {
            if !self.index.contains_key(&room.jid) {
                self.index.insert(room.jid.clone(), self.rooms.len());
                let haystack = format!(
                    "{}\n{}",
                    room.name.as_deref().unwrap_or_default().to_lowercase(),
                    room.jid
                );
                self.rooms.push(Listed {
                    jid: room.jid,
                    name: room.name,
                    haystack,
                });
            }
        }
        self.count_hint = count_hint;
        if complete {
            self.progress = Progress::Complete;
        }
    }

    pub fn failed(&mut self, service: &BareJid) {
        if self.service.as_ref() == Some(service) {
            self.progress = Progress::Failed;
        }
    }

    pub fn len(&self) -> usize {
        self.rooms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rooms.is_empty()
    }

    /// The name the service listed `room` with.
    pub fn listed_name(&self, room: &BareJid) -> Option<String> {
        self.rooms[*self.index.get(room)?].name.clone()
    }

    /// The rooms matching `filter`, in `order`: indices into the list.
    pub fn view(&self, filter: &str, order: RoomOrder, details: &RoomDetails) -> Vec<usize> {
        let needle = filter.trim().to_lowercase();
        let mut matching: Vec<usize> = (0..self.rooms.len())
            .filter(|&i| needle.is_empty() || self.rooms[i].haystack.contains(&needle))
            .collect();
        match order {
            RoomOrder::Name => {
                matching.sort_by(|&a, &b| self.rooms[a].haystack.cmp(&self.rooms[b].haystack))
            }
            RoomOrder::Occupants => matching.sort_by(|&a, &b| {
                let count = |i: usize| details.get(&self.rooms[i].jid).and_then(|d| d.occupants);
                // Known counts first, most first; then by name.
                count(b)
                    .cmp(&count(a))
                    .then_with(|| self.rooms[a].haystack.cmp(&self.rooms[b].haystack))
            }),
        }
        matching
    }

    /// Rows `[first, last)` of a view.
    pub fn rows(
        &self,
        view: &[usize],
        first: usize,
        last: usize,
        details: &RoomDetails,
    ) -> Vec<RoomRow> {
        let last = last.min(view.len());
        view[first.min(last)..last]
            .iter()
            .map(|&i| {
                let listed = &self.rooms[i];
                let info = details.get(&listed.jid).cloned();
                let name = listed
                    .name
                    .clone()
                    .or_else(|| info.as_ref().and_then(|i| i.name.clone()))
                    .unwrap_or_else(|| listed.jid.node().unwrap_or_default().to_owned());
                RoomRow {
                    jid: listed.jid.clone(),
                    name,
                    info,
                }
            })
            .collect()
    }
}

/// Which rooms' details to ask for: those on screen, a few at a time, most recently shown first;
/// a room scrolled away before its turn is dropped from the queue.
#[derive(Debug, Clone, Default)]
pub struct DetailsQueue {
    wanted: VecDeque<BareJid>,
    in_flight: HashSet<BareJid>,
}

impl DetailsQueue {
    /// Requests in flight at most.
    pub const MAX_IN_FLIGHT: usize = 4;

    /// A row came into view.
    pub fn want(&mut self, room: BareJid) {
        if !self.in_flight.contains(&room) && !self.wanted.contains(&room) {
            self.wanted.push_front(room);
        }
    }

    /// A row left the view: if its request has not gone out, it never will.
    pub fn unwant(&mut self, room: &BareJid) {
        self.wanted.retain(|r| r != room);
    }

    /// The next room to ask about, if one may be asked now.
    pub fn next_to_ask(&mut self) -> Option<BareJid> {
        if self.in_flight.len() >= Self::MAX_IN_FLIGHT {
            return None;
        }
        let room = self.wanted.pop_front()?;
        self.in_flight.insert(room.clone());
        Some(room)
    }

    /// An answer (or a failure) came for `room`.
    pub fn done(&mut self, room: &BareJid) {
        self.in_flight.remove(room);
    }

    pub fn clear(&mut self) {
        self.wanted.clear();
        self.in_flight.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jid(s: &str) -> BareJid {
        BareJid::new(s).unwrap()
    }

    fn item(node: &str, name: Option<&str>) -> RoomItem {
        RoomItem {
            jid: jid(&format!("{node}@conference.example")),
            name: name.map(str::to_owned),
        }
    }

    #[test]
    fn pages_add_up_without_duplicates_and_only_for_the_service_shown() {
        let service = jid("conference.example");
        let mut list = RoomList::default();
        list.start(service.clone());
        list.page(
            &service,
            vec![item("a", Some("Alpha")), item("b", None)],
            false,
            Some(3),
        );
        list.page(
            &service,
            vec![item("b", None), item("c", Some("Gamma"))],
            true,
            Some(3),
        );
        list.page(&jid("other.example"), vec![item("z", None)], true, None);
        assert_eq!(list.len(), 3);
        assert_eq!(list.progress, Progress::Complete);
    }

    #[test]
    fn filters_by_name_or_address_and_sorts() {
        let service = jid("conference.example");
        let mut list = RoomList::default();
        list.start(service.clone());
        list.page(
            &service,
            vec![
                item("tea", Some("Tea Room")),
                item("rust", Some("Rust")),
                item("x1", None),
            ],
            true,
            None,
        );
        let mut details = RoomDetails::default();
        let names = |list: &RoomList, details: &RoomDetails, filter: &str, order| {
            let view = list.view(filter, order, details);
            list.rows(&view, 0, view.len(), details)
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&list, &details, "", RoomOrder::Name),
            ["x1", "Rust", "Tea Room"]
        );
        assert_eq!(names(&list, &details, "TEA", RoomOrder::Name), ["Tea Room"]);
        assert_eq!(names(&list, &details, "x1@conf", RoomOrder::Name), ["x1"]);
        details.set(
            jid("rust@conference.example"),
            RoomInfo {
                occupants: Some(3),
                ..RoomInfo::default()
            },
        );
        details.set(
            jid("tea@conference.example"),
            RoomInfo {
                occupants: Some(9),
                ..RoomInfo::default()
            },
        );
        assert_eq!(
            names(&list, &details, "", RoomOrder::Occupants),
            ["Tea Room", "Rust", "x1"]
        );
    }

    #[test]
    fn details_are_asked_a_few_at_a_time_and_not_after_scrolling_away() {
        let mut queue = DetailsQueue::default();
        for i in 0..10 {
            queue.want(jid(&format!("r{i}@c.example")));
        }
        queue.unwant(&jid("r9@c.example"));
        let asked: Vec<_> = std::iter::from_fn(|| queue.next_to_ask()).collect();
        assert_eq!(asked.len(), DetailsQueue::MAX_IN_FLIGHT);
        assert!(!asked.contains(&jid("r9@c.example")));
        assert_eq!(
            asked[0],
            jid("r8@c.example"),
            "the most recently shown first"
        );
        queue.done(&asked[0]);
        assert!(queue.next_to_ask().is_some());
        assert!(queue.next_to_ask().is_none());
    }
}
