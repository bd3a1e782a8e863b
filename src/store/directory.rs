//! The chat list, and beside it the message requests: conversations started by someone who is
//! not a contact. Anyone can write to us, so a stranger's first message does not enter the chat
//! list; it waits in the requests (at most [`Directory::MAX_REQUESTS`], the oldest dropped first)
//! until the person accepts it or the sender becomes a contact.
//!
//! Each section is ordered by last activity through a `BTreeMap`, so a message moves one row
//! without re-sorting the list.

use crate::xmpp::jid::BareJid;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Chats,
    Requests,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Summary {
    pub jid: BareJid,
    pub unread: u32,
    pub section: Section,
    activity: u64,
}

/// What made a conversation active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// A message from the peer; counts as unread unless the conversation is open.
    Incoming { unread: bool },
    /// Something we did: opened it, wrote in it, added the contact.
    Ours,
}

#[derive(Debug, Clone, Default)]
pub struct Directory {
    entries: HashMap<BareJid, Summary>,
    chats: BTreeMap<u64, BareJid>,
    requests: BTreeMap<u64, BareJid>,
    clock: u64,
}

impl Directory {
    pub const MAX_REQUESTS: usize = 100;

    /// Records activity in the conversation with `jid`. Returns a stranger's conversation that
    /// had to make room (never `keep`, the one on screen), whose messages the caller should drop.
    pub fn touch(
        &mut self,
        jid: &BareJid,
        contact: bool,
        activity: Activity,
        keep: Option<&BareJid>,
    ) -> Option<BareJid> {
        self.clock += 1;
        let clock = self.clock;
        let incoming_unread = matches!(activity, Activity::Incoming { unread: true });
        let mut evicted = None;
        let section = match self.entries.get(jid) {
            Some(summary)
                if summary.section == Section::Requests
                    && (contact || activity == Activity::Ours) =>
            {
                Section::Chats
            }
            Some(summary) => summary.section,
            None if contact || activity == Activity::Ours => Section::Chats,
            None => {
                if self.requests.len() >= Self::MAX_REQUESTS {
                    evicted = self.requests.values().find(|j| Some(*j) != keep).cloned();
                    if let Some(old) = &evicted {
                        self.remove(old);
                    }
                }
                Section::Requests
            }
        };
        let summary = self.entries.entry(jid.clone()).or_insert_with(|| Summary {
            jid: jid.clone(),
            unread: 0,
            section,
            activity: 0,
        });
        let old = (summary.section, summary.activity);
        summary.section = section;
        summary.activity = clock;
        if incoming_unread {
            summary.unread += 1;
        }
        self.order(old.0).remove(&old.1);
        self.order(section).insert(clock, jid.clone());
        evicted
    }

    fn order(&mut self, section: Section) -> &mut BTreeMap<u64, BareJid> {
        match section {
            Section::Chats => &mut self.chats,
            Section::Requests => &mut self.requests,
        }
    }

    /// The person accepted a message request, or its sender became a contact.
    pub fn accept(&mut self, jid: &BareJid) {
        if self
            .entries
            .get(jid)
            .is_some_and(|s| s.section == Section::Requests)
        {
            self.touch(jid, true, Activity::Ours, None);
        }
    }

    pub fn remove(&mut self, jid: &BareJid) {
        if let Some(summary) = self.entries.remove(jid) {
            self.order(summary.section).remove(&summary.activity);
        }
    }

    /// A conversation a remembered device kept, listed where it was with its unread count;
    /// call the least recent first.
    pub fn restore(&mut self, jid: &BareJid, section: Section, unread: u32) {
        let activity = match section {
            Section::Chats => Activity::Ours,
            Section::Requests => Activity::Incoming { unread: false },
        };
        self.touch(jid, section == Section::Chats, activity, None);
        if let Some(summary) = self.entries.get_mut(jid) {
            summary.unread = unread;
        }
    }

    pub fn mark_read(&mut self, jid: &BareJid) {
        if let Some(summary) = self.entries.get_mut(jid) {
            summary.unread = 0;
        }
    }

    pub fn get(&self, jid: &BareJid) -> Option<&Summary> {
        self.entries.get(jid)
    }

    pub fn len(&self, section: Section) -> usize {
        match section {
            Section::Chats => self.chats.len(),
            Section::Requests => self.requests.len(),
        }
    }

    /// Rows `[first, last)` of a section, most recent first.
    pub fn rows(&self, section: Section, first: usize, last: usize) -> Vec<Summary> {
        let order = match section {
            Section::Chats => &self.chats,
            Section::Requests => &self.requests,
        };
        order
            .values()
            .rev()
            .skip(first)
            .take(last.saturating_sub(first))
            .filter_map(|jid| self.entries.get(jid).cloned())
            .collect()
    }

    /// Unread messages in the chat list (message requests do not count: anyone can send them).
    pub fn unread(&self) -> u32 {
        self.chats
            .values()
            .filter_map(|jid| self.entries.get(jid))
            .map(|s| s.unread)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jid(s: &str) -> BareJid {
        BareJid::new(s).unwrap()
    }

    #[test]
    fn strangers_wait_in_requests_contacts_and_our_own_chats_do_not() {
        let mut d = Directory::default();
        d.touch(
            &jid("bob@x"),
            true,
            Activity::Incoming { unread: true },
            None,
        );
        d.touch(
            &jid("spam@evil"),
            false,
            Activity::Incoming { unread: true },
            None,
        );
        d.touch(&jid("new@x"), false, Activity::Ours, None);
        assert_eq!(d.len(Section::Chats), 2);
        assert_eq!(d.len(Section::Requests), 1);
        assert_eq!(d.unread(), 1, "a request's messages are not counted");
        d.accept(&jid("spam@evil"));
        assert_eq!(d.len(Section::Requests), 0);
        assert_eq!(d.unread(), 2);
    }

    #[test]
    fn the_most_recent_comes_first_without_resorting() {
        let mut d = Directory::default();
        for name in ["a@x", "b@x", "c@x"] {
            d.touch(&jid(name), true, Activity::Ours, None);
        }
        d.touch(
            &jid("a@x"),
            true,
            Activity::Incoming { unread: false },
            None,
        );
        let order: Vec<_> = d
            .rows(Section::Chats, 0, 10)
            .into_iter()
            .map(|s| s.jid.to_string())
            .collect();
        assert_eq!(order, ["a@x", "c@x", "b@x"]);
        assert_eq!(d.rows(Section::Chats, 1, 2).len(), 1);
    }

    #[test]
    fn requests_are_bounded_oldest_first() {
        let mut d = Directory::default();
        let mut evicted = Vec::new();
        for i in 0..Directory::MAX_REQUESTS + 5 {
            if let Some(old) = d.touch(
                &jid(&format!("s{i}@evil")),
                false,
                Activity::Incoming { unread: true },
                None,
            ) {
                evicted.push(old.to_string());
            }
        }
        assert_eq!(d.len(Section::Requests), Directory::MAX_REQUESTS);
        assert_eq!(
            evicted,
            ["s0@evil", "s1@evil", "s2@evil", "s3@evil", "s4@evil"]
        );
        // The conversation on screen is never the one to go.
        let open = jid("s5@evil");
        let unread = Activity::Incoming { unread: true };
        let gone = d.touch(&jid("new@evil"), false, unread, Some(&open));
        assert_eq!(gone, Some(jid("s6@evil")));
        assert!(d.get(&open).is_some());
    }
}
