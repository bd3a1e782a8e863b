//! The contact list as the UI shows it: the roster's items with each contact's presence, sorted
//! (online first, then by name) and filtered by name or address. The core decides what a contact
//! is and whose presence counts; this only keeps the picture.

use crate::xmpp::jid::BareJid;
use crate::xmpp::{Availability, ContactPresence, RosterItem, Subscription};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contact {
    pub jid: BareJid,
    /// The roster name, else the address. Untrusted: rendered as text.
    pub name: String,
    /// The roster name itself, if any (what a rename starts from).
    pub roster_name: Option<String>,
    pub subscription: Subscription,
    pub presence: Availability,
    /// Untrusted: rendered as text.
    pub status: Option<String>,
    /// Lower-cased name, computed once: sorting and filtering 5,000 rows must stay cheap.
    sort_name: String,
}

#[derive(Debug, Clone, Default)]
pub struct RosterView {
    contacts: HashMap<BareJid, Contact>,
}

impl RosterView {
    pub fn len(&self) -> usize {
        self.contacts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.contacts.is_empty()
    }

    pub fn contains(&self, jid: &BareJid) -> bool {
        self.contacts.contains_key(jid)
    }

    pub fn get(&self, jid: &BareJid) -> Option<&Contact> {
        self.contacts.get(jid)
    }

    /// The whole roster at login; presence already known is kept.
    pub fn load(&mut self, items: Vec<RosterItem>) {
        let old = std::mem::take(&mut self.contacts);
        for item in items {
            let presence = old.get(&item.jid).map(|c| (c.presence, c.status.clone()));
            self.upsert(item, presence);
        }
    }

    /// A roster push: added, changed, or (`Subscription::Remove`) removed.
    pub fn push(&mut self, item: RosterItem) {
        if item.subscription == Subscription::Remove {
            self.contacts.remove(&item.jid);
            return;
        }
        let presence = self
            .contacts
            .get(&item.jid)
            .map(|c| (c.presence, c.status.clone()));
        self.upsert(item, presence);
    }

    pub fn set_presence(&mut self, presence: ContactPresence) {
        if let Some(contact) = self.contacts.get_mut(&presence.jid) {
            contact.presence = presence.availability;
            contact.status = presence.status;
        }
    }

    /// The connection ended: nobody's presence is known.
    pub fn clear_presence(&mut self) {
        for contact in self.contacts.values_mut() {
            contact.presence = Availability::Unavailable;
            contact.status = None;
        }
    }

    fn upsert(&mut self, item: RosterItem, presence: Option<(Availability, Option<String>)>) {
        let name = item.display_name();
        let (presence, status) = presence.unwrap_or((Availability::Unavailable, None));
        self.contacts.insert(
            item.jid.clone(),
            Contact {
                jid: item.jid,
                sort_name: name.to_lowercase(),
                name,
                roster_name: item.name,
                subscription: item.subscription,
                presence,
                status,
            },
        );
    }

    /// Online first, then by name, then by address; filtered by name or address.
    pub fn sorted(&self, filter: &str) -> Vec<Contact> {
        let filter = filter.trim().to_lowercase();
        let mut rows: Vec<Contact> = self
            .contacts
            .values()
            .filter(|c| {
                filter.is_empty()
                    || c.sort_name.contains(&filter)
                    || c.jid.as_str().contains(&filter)
            })
            .cloned()
            .collect();
        rows.sort_unstable_by(|a, b| {
            let offline = |c: &Contact| c.presence == Availability::Unavailable;
            offline(a)
                .cmp(&offline(b))
                .then_with(|| a.sort_name.cmp(&b.sort_name))
                .then_with(|| a.jid.cmp(&b.jid))
        });
        rows
    }

    pub fn presence_of(&self, jid: &BareJid) -> Availability {
        self.contacts
            .get(jid)
            .map_or(Availability::Unavailable, |c| c.presence)
    }

    pub fn name_of(&self, jid: &BareJid) -> String {
        self.contacts
            .get(jid)
            .map_or_else(|| jid.to_string(), |c| c.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(jid: &str, name: Option<&str>, subscription: Subscription) -> RosterItem {
        RosterItem {
            jid: BareJid::new(jid).unwrap(),
            name: name.map(str::to_owned),
            subscription,
            ask_pending: false,
            groups: Vec::new(),
        }
    }

    fn presence(jid: &str, availability: Availability) -> ContactPresence {
        ContactPresence {
            jid: BareJid::new(jid).unwrap(),
            availability,
            status: None,
        }
    }

    #[test]
    fn online_first_then_by_name_and_filtered() {
        let mut r = RosterView::default();
        r.load(vec![
            item("zed@x", Some("Zed"), Subscription::Both),
            item("amy@x", Some("Amy"), Subscription::Both),
            item("bob@x", None, Subscription::To),
        ]);
        r.set_presence(presence("zed@x", Availability::Away));
        let names: Vec<_> = r.sorted("").into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["Zed", "Amy", "bob@x"]);
        let names: Vec<_> = r.sorted("  B ").into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["bob@x"]);
    }

    #[test]
    fn pushes_keep_presence_and_removals_remove() {
        let mut r = RosterView::default();
        r.load(vec![item("amy@x", None, Subscription::Both)]);
        r.set_presence(presence("amy@x", Availability::Dnd));
        r.push(item("amy@x", Some("Amy"), Subscription::Both));
        assert_eq!(
            r.presence_of(&BareJid::new("amy@x").unwrap()),
            Availability::Dnd
        );
        r.clear_presence();
        assert_eq!(
            r.presence_of(&BareJid::new("amy@x").unwrap()),
            Availability::Unavailable
        );
        r.push(item("amy@x", None, Subscription::Remove));
        assert!(r.is_empty());
        // Presence of someone not in the roster is not kept here.
        r.set_presence(presence("eve@x", Availability::Available));
        assert!(r.is_empty());
    }
}
