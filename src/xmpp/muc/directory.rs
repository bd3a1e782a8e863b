//! Listing a service's rooms (XEP-0045 §6.3): disco#items, paged with XEP-0059 where the service
//! pages (ejabberd) and whole where it does not (Prosody). Each page is reported as it comes, so
//! the list is usable before it is complete.
//!
//! A listing keeps the set of rooms already reported: a room repeated across a page boundary (a
//! service whose list changed between pages) is reported once. Items that are not rooms of this
//! service (another domain, no node, a resource) are dropped, and a listing stops at
//! [`MAX_ROOMS`] whatever the service claims.

use super::super::disco;
use super::super::jid::BareJid;
use super::super::rsm::{Next, Pager, ResultSet};
use super::super::xml::Element;
use std::collections::HashSet;

/// Rooms listed per service at most.
pub const MAX_ROOMS: usize = 100_000;

/// A room as a service lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomItem {
    pub jid: BareJid,
    /// Untrusted text: render as text.
    pub name: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Listing {
    pub generation: u64,
    pager: Pager,
    seen: HashSet<BareJid>,
}

/// One page, read.
pub(crate) struct Page {
    pub rooms: Vec<RoomItem>,
    /// The `<set/>` for the next request; `None` when the list is complete.
    pub next: Option<Element>,
    pub count_hint: Option<u64>,
}

impl Listing {
    pub fn new(generation: u64) -> Self {
        Self {
            generation,
            pager: Pager::default(),
            seen: HashSet::new(),
        }
    }

    pub fn request(&self) -> Element {
        self.pager.request()
    }

    pub fn page(&mut self, service: &BareJid, query: Option<&Element>) -> Page {
        let items = query.map(disco::parse_items).unwrap_or_default();
        let total = items.len();
        let room_space = MAX_ROOMS.saturating_sub(self.seen.len());
        let rooms: Vec<RoomItem> = items
            .into_iter()
            .filter(|i| i.jid.node().is_some() && i.jid.resource().is_none())
            .filter(|i| i.jid.domain() == service.domain())
            .filter_map(|i| {
                let jid = i.jid.to_bare();
                self.seen
                    .insert(jid.clone())
                    .then_some(RoomItem { jid, name: i.name })
            })
            .take(room_space)
            .collect();
        let set = query.and_then(ResultSet::parse);
        let next = match self.pager.page(set, total, rooms.len()) {
            _ if self.seen.len() >= MAX_ROOMS => None,
            Next::After(_) => Some(self.pager.request()),
            Next::Complete => None,
        };
        Page {
            rooms,
            next,
            count_hint: self.pager.count_hint(),
        }
    }
}
