//! The contact list as the UI shows it: the roster's items with each contact's presence and
//! groups (RFC 6121 §2.1.2.4), sorted (online first, then by name), filtered by name, address or
//! group, and laid out under collapsible group headings; a contact whose address reads like
//! another's, or mixes scripts, is flagged (UTS #39, see
//! [`confusables`](crate::xmpp::confusables)). The core decides what a contact is and whose
//! presence counts; this only keeps the picture.

use crate::xmpp::confusables::{KnownAddresses, Lookalike};
use crate::xmpp::jid::BareJid;
use crate::xmpp::presence::ResourceStatus;
use crate::xmpp::{Availability, ContactPresence, RosterItem, Subscription};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contact {
    pub jid: BareJid,
    /// The roster name, else the contact's own nickname (XEP-0172), else the address.
    /// Untrusted: rendered as text.
    pub name: String,
    /// The roster name itself, if any (what a rename starts from).
    pub roster_name: Option<String>,
    /// The name the contact gave themselves (XEP-0172). Untrusted: rendered as text.
    pub nick: Option<String>,
    pub subscription: Subscription,
    pub presence: Availability,
    /// Untrusted: rendered as text.
    pub status: Option<String>,
    /// Online resources, the chosen one first.
    pub resources: Vec<ResourceStatus>,
    /// The roster groups, trimmed, without blanks or repeats. Untrusted: rendered as text.
    pub groups: Vec<String>,
    /// The address could pass for another contact's, or mixes scripts.
    pub lookalike: Option<Lookalike>,
    /// Lower-cased name, computed once: sorting and filtering 10,000 rows must stay cheap.
    sort_name: String,
}

/// One row of the laid-out list: a group heading or a contact under it.
// Headings are a few dozen rows among thousands of contacts: boxing contacts would cost an
// allocation each to shrink the rare heading.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RosterRow {
    /// `name` is empty for the contacts in no group. `count`: its contacts that match the filter.
    Group {
        name: String,
        count: usize,
        online: usize,
        collapsed: bool,
    },
    Contact(Arc<Contact>),
}

/// The list as shown: rows in order, and how many distinct contacts match (a contact in two
/// groups is one contact on two rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterLayout {
    pub rows: Vec<RosterRow>,
    pub contacts: usize,
}

type Presence = (Availability, Option<String>, Vec<ResourceStatus>);

#[derive(Debug, Clone, Default)]
pub struct RosterView {
    /// Shared with the sorted lists and layouts made from it: a 10,000-row layout copies
    /// pointers, not contacts (copying them was most of the time it took).
    contacts: HashMap<BareJid, Arc<Contact>>,
    /// XEP-0172 nicknames by address, kept apart from the roster so a roster reload keeps them.
    nicks: HashMap<BareJid, String>,
    /// The contacts' addresses by skeleton.
    known: KnownAddresses,
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
        self.contacts.get(jid).map(Arc::as_ref)
    }

    /// The whole roster at login; presence already known is kept. Returns whether anything
    /// changed: the roster already held (a device's copy answered as unchanged, RFC 6121
    /// §2.6.3, at a reload or a reconnect) costs a comparison, not judging every address again
    /// (about 30 ms natively at 10,000, and a layout and a repaint after).
    pub fn load(&mut self, items: Vec<RosterItem>) -> bool {
        if self.holds_exactly(&items) {
            return false;
        }
        let old = std::mem::replace(&mut self.contacts, HashMap::with_capacity(items.len()));
        self.known.clear();
        for item in items {
            self.known.insert(&item.jid);
            let presence = old.get(&item.jid).map(|c| c.presence_state());
            self.upsert(item, presence);
        }
        for (jid, lookalike) in self.known.judge_all() {
            if let Some(contact) = self.contacts.get_mut(&jid) {
                Arc::make_mut(contact).lookalike = Some(lookalike);
            }
        }
        true
    }

    /// Whether `items` are the contacts held, each as the roster gave it.
    fn holds_exactly(&self, items: &[RosterItem]) -> bool {
        let mut seen = HashSet::with_capacity(items.len());
        items.len() == self.contacts.len()
            && items.iter().all(|item| {
                seen.insert(&item.jid)
                    && self.contacts.get(&item.jid).is_some_and(|c| {
                        c.roster_name == item.name
                            && c.subscription == item.subscription
                            && c.groups == roster_groups(&item.groups)
                    })
            })
    }

    /// A roster push: added, changed, or (`Subscription::Remove`) removed.
    pub fn push(&mut self, item: RosterItem) {
        let jid = item.jid.clone();
        if item.subscription == Subscription::Remove {
            self.contacts.remove(&jid);
            self.known.remove(&jid);
        } else {
            let presence = self.contacts.get(&jid).map(|c| c.presence_state());
            self.known.insert(&jid);
            self.upsert(item, presence);
        }
        // Whoever reads like it is judged again: a look-alike arrived or left.
        let mut judged = self.known.resembled_by(&jid);
        if !judged.contains(&jid) {
            judged.push(jid);
        }
        for jid in judged {
            let lookalike = self.known.judge(&jid);
            if let Some(contact) = self.contacts.get_mut(&jid) {
                Arc::make_mut(contact).lookalike = lookalike;
            }
        }
    }

    /// Why an address (a contact's or a stranger's) should not be trusted at a glance.
    pub fn lookalike_of(&self, jid: &BareJid) -> Option<Lookalike> {
        self.known.judge(jid)
    }

    pub fn set_presence(&mut self, presence: ContactPresence) {
        if let Some(contact) = self.contacts.get_mut(&presence.jid) {
            let contact = Arc::make_mut(contact);
            contact.presence = presence.availability;
            contact.status = presence.status;
            contact.resources = presence.resources;
        }
    }

    /// XEP-0172: `jid` calls themselves `nick`; it names them where the roster does not.
    pub fn set_nick(&mut self, jid: &BareJid, nick: Option<String>) {
        match nick {
            Some(nick) => {
                self.nicks.insert(jid.clone(), nick);
            }
            None => {
                self.nicks.remove(jid);
            }
        }
        if let Some(contact) = self.contacts.get_mut(jid) {
            let contact = Arc::make_mut(contact);
            contact.nick = self.nicks.get(jid).cloned();
            contact.name = name_for(jid, contact.roster_name.as_deref(), contact.nick.as_deref());
            contact.sort_name = contact.name.to_lowercase();
        }
    }

    /// The connection ended: nobody's presence is known.
    pub fn clear_presence(&mut self) {
        for contact in self.contacts.values_mut() {
            let contact = Arc::make_mut(contact);
            contact.presence = Availability::Unavailable;
            contact.status = None;
            contact.resources.clear();
        }
    }

    fn upsert(&mut self, item: RosterItem, presence: Option<Presence>) {
        let nick = self.nicks.get(&item.jid).cloned();
        let name = name_for(&item.jid, item.name.as_deref(), nick.as_deref());
        let (presence, status, resources) =
            presence.unwrap_or((Availability::Unavailable, None, Vec::new()));
        let groups = roster_groups(&item.groups);
        self.contacts.insert(
            item.jid.clone(),
            Arc::new(Contact {
                jid: item.jid,
                sort_name: name.to_lowercase(),
                name,
                roster_name: item.name,
                nick,
                subscription: item.subscription,
                presence,
                status,
                resources,
                groups,
                lookalike: None,
            }),
        );
    }

    /// Online first, then by name, then by address; filtered by name, address or group.
    pub fn sorted(&self, filter: &str) -> Vec<Arc<Contact>> {
        let filter = filter.trim().to_lowercase();
        let mut rows: Vec<Arc<Contact>> = self
            .contacts
            .values()
            .filter(|c| c.matches(&filter))
            .cloned()
            .collect();
        rows.sort_unstable_by(|a, b| Contact::order(a, b));
        rows
    }

    /// The list under group headings: groups by name, the contacts in no group last, each
    /// group's contacts in [`Self::sorted`] order; a collapsed group keeps its heading only.
    /// Without any group in the roster there are no headings at all.
    pub fn layout(&self, filter: &str, collapsed: &HashSet<String>) -> RosterLayout {
        let contacts = self.sorted(filter);
        if self.contacts.values().all(|c| c.groups.is_empty()) {
            return RosterLayout {
                contacts: contacts.len(),
                rows: contacts.into_iter().map(RosterRow::Contact).collect(),
            };
        }
        // Keyed by lower-cased name, so "work" and "Work" sort together; "" (no group) apart.
        let mut groups: BTreeMap<(bool, String, String), Vec<&Arc<Contact>>> = BTreeMap::new();
        for contact in &contacts {
            if contact.groups.is_empty() {
                groups
                    .entry((true, String::new(), String::new()))
                    .or_default()
                    .push(contact);
            }
            for group in &contact.groups {
                groups
                    .entry((false, group.to_lowercase(), group.clone()))
                    .or_default()
                    .push(contact);
            }
        }
        let mut rows = Vec::with_capacity(contacts.len() + groups.len());
        for ((_, _, name), members) in groups {
            let folded = collapsed.contains(&name);
            rows.push(RosterRow::Group {
                count: members.len(),
                online: members
                    .iter()
                    .filter(|c| c.presence != Availability::Unavailable)
                    .count(),
                collapsed: folded,
                name,
            });
            if !folded {
                rows.extend(members.into_iter().cloned().map(RosterRow::Contact));
            }
        }
        RosterLayout {
            rows,
            contacts: contacts.len(),
        }
    }

    /// Every group in the roster, by name (what the group editor suggests).
    pub fn group_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .contacts
            .values()
            .flat_map(|c| c.groups.iter().cloned())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        names.sort_unstable_by_key(|n| n.to_lowercase());
        names
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

impl Contact {
    fn presence_state(&self) -> Presence {
        (self.presence, self.status.clone(), self.resources.clone())
    }

    /// `filter` is trimmed and lower-cased.
    fn matches(&self, filter: &str) -> bool {
        filter.is_empty()
            || self.sort_name.contains(filter)
            || self.jid.as_str().contains(filter)
            || self
                .groups
                .iter()
                .any(|g| g.to_lowercase().contains(filter))
    }

    fn order(a: &Self, b: &Self) -> std::cmp::Ordering {
        let offline = |c: &Self| c.presence == Availability::Unavailable;
        offline(a)
            .cmp(&offline(b))
            .then_with(|| a.sort_name.cmp(&b.sort_name))
            .then_with(|| a.jid.cmp(&b.jid))
    }
}

/// A roster item's groups as a contact shows them: trimmed, without blanks or repeats.
fn roster_groups(groups: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(groups.len());
    for group in groups {
        let group = group.trim();
        if !group.is_empty() && !kept.iter().any(|g| g == group) {
            kept.push(group.to_owned());
        }
    }
    kept
}

/// §5 of XEP-0172: the name the person chose for a contact wins over the contact's own.
fn name_for(jid: &BareJid, roster_name: Option<&str>, nick: Option<&str>) -> String {
    roster_name
        .filter(|n| !n.trim().is_empty())
        .or(nick)
        .map_or_else(|| jid.to_string(), str::to_owned)
}

/// Up to two letters for `name`: the first letter of its first two words that start with one,
/// upper-cased ("Member 00010" is "M"); a name without letters gives its first digit, and one
/// without either "?".
pub fn initials(name: &str) -> String {
    let first = |word: &str| word.chars().find(|c| c.is_alphanumeric());
    let letters: String = name
        .split_whitespace()
        .filter_map(first)
        .filter(|c| c.is_alphabetic())
        .take(2)
        // One character each: "ß" upper-cases to "SS".
        .filter_map(|c| c.to_uppercase().next())
        .collect();
    if !letters.is_empty() {
        return letters;
    }
    first(name).map_or_else(|| "?".to_owned(), String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letter_of_two_words() {
        assert_eq!(initials("Member 00010"), "M");
        assert_eq!(initials("0042"), "0");
        assert_eq!(initials("alice@localhost"), "A");
        assert_eq!(initials("  ёжик в тумане"), "ЁВ");
        assert_eq!(initials("(Bob) [the builder] more"), "BT");
        assert_eq!(initials("🦀 ✨"), "?");
        assert_eq!(initials("ß straße"), "SS");
        assert_eq!(initials(""), "?");
    }

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
            resources: Vec::new(),
        }
    }

    fn grouped(jid: &str, name: &str, groups: &[&str]) -> RosterItem {
        RosterItem {
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            ..item(jid, Some(name), Subscription::Both)
        }
    }

    fn shape(layout: &RosterLayout) -> Vec<String> {
        layout
            .rows
            .iter()
            .map(|row| match row {
                RosterRow::Group {
                    name,
                    count,
                    collapsed,
                    ..
                } => {
                    format!("[{name}] {count}{}", if *collapsed { " +" } else { "" })
                }
                RosterRow::Contact(c) => c.name.clone(),
            })
            .collect()
    }

    #[test]
    fn the_roster_already_held_loads_as_no_change_and_any_difference_loads() {
        let roster = || {
            vec![
                grouped("amy@x", "Amy", &["Work", " Work "]),
                item("bob@x", None, Subscription::To),
            ]
        };
        let mut r = RosterView::default();
        assert!(r.load(roster()));
        r.set_presence(presence("amy@x", Availability::Available));
        // The same items again (groups as the server sent them, before trimming): nothing
        // changes, and what is known of presence stays.
        assert!(!r.load(roster()));
        let amy = BareJid::new("amy@x").unwrap();
        assert_eq!(r.presence_of(&amy), Availability::Available);

        let renamed = vec![grouped("amy@x", "Amy B.", &["Work"]), roster()[1].clone()];
        let regrouped = vec![grouped("amy@x", "Amy", &["Home"]), roster()[1].clone()];
        let resubscribed = vec![roster()[0].clone(), item("bob@x", None, Subscription::Both)];
        let shorter = vec![roster()[0].clone()];
        let other = vec![roster()[0].clone(), item("cyd@x", None, Subscription::To)];
        let doubled = vec![roster()[0].clone(), roster()[0].clone()];
        for changed in [renamed, regrouped, resubscribed, shorter, other, doubled] {
            let mut r = RosterView::default();
            r.load(roster());
            assert!(r.load(changed.clone()), "{changed:?}");
            assert_eq!(r.sorted("").len(), {
                let mut jids: Vec<_> = changed.iter().map(|i| &i.jid).collect();
                jids.dedup();
                jids.len()
            });
        }
    }

    #[test]
    fn a_contact_that_reads_like_another_is_flagged_both_ways_until_one_goes() {
        let fake = "\u{430}my@x";
        let mut r = RosterView::default();
        r.load(vec![item("amy@x", None, Subscription::Both)]);
        let amy = BareJid::new("amy@x").unwrap();
        let fake_jid = BareJid::new(fake).unwrap();
        assert_eq!(r.get(&amy).unwrap().lookalike, None);
        assert_eq!(
            r.lookalike_of(&fake_jid),
            Some(Lookalike::Resembles(amy.clone()))
        );

        r.push(item(fake, None, Subscription::None));
        assert_eq!(
            r.get(&fake_jid).unwrap().lookalike,
            Some(Lookalike::Resembles(amy.clone()))
        );
        assert_eq!(
            r.get(&amy).unwrap().lookalike,
            Some(Lookalike::Resembles(fake_jid.clone()))
        );

        r.push(item("amy@x", None, Subscription::Remove));
        assert_eq!(
            r.get(&fake_jid).unwrap().lookalike,
            Some(Lookalike::MixedScripts)
        );
        r.load(vec![
            item("amy@x", None, Subscription::Both),
            item(fake, None, Subscription::Both),
        ]);
        assert_eq!(
            r.get(&amy).unwrap().lookalike,
            Some(Lookalike::Resembles(fake_jid))
        );
    }

    #[test]
    fn groups_under_headings_with_no_group_last_and_a_contact_in_each_of_its_groups() {
        let mut r = RosterView::default();
        r.load(vec![
            grouped("amy@x", "Amy", &["work", " Friends ", "Friends", ""]),
            grouped("bob@x", "Bob", &["Friends"]),
            grouped("cat@x", "Cat", &[]),
        ]);
        r.set_presence(presence("bob@x", Availability::Away));
        assert_eq!(
            r.get(&BareJid::new("amy@x").unwrap()).unwrap().groups,
            ["work", "Friends"]
        );
        let none = HashSet::new();
        let layout = r.layout("", &none);
        assert_eq!(
            shape(&layout),
            [
                "[Friends] 2",
                "Bob",
                "Amy",
                "[work] 1",
                "Amy",
                "[] 1",
                "Cat"
            ]
        );
        assert_eq!(layout.contacts, 3);
        assert!(matches!(layout.rows[0], RosterRow::Group { online: 1, .. }));

        let folded: HashSet<String> = ["Friends".to_owned()].into();
        assert_eq!(
            shape(&r.layout("", &folded)),
            ["[Friends] 2 +", "[work] 1", "Amy", "[] 1", "Cat"]
        );
        // The filter matches a group's name too; the contact still shows in all its groups.
        assert_eq!(
            shape(&r.layout("WOR", &none)),
            ["[Friends] 1", "Amy", "[work] 1", "Amy"]
        );
        assert_eq!(r.group_names(), ["Friends", "work"]);
    }

    #[test]
    fn without_any_group_there_are_no_headings() {
        let mut r = RosterView::default();
        r.load(vec![item("amy@x", Some("Amy"), Subscription::Both)]);
        assert_eq!(shape(&r.layout("", &HashSet::new())), ["Amy"]);
    }

    #[test]
    fn a_nickname_names_a_contact_the_roster_does_not() {
        let mut r = RosterView::default();
        let amy = BareJid::new("amy@x").unwrap();
        r.set_nick(&amy, Some("Amy A.".into()));
        r.load(vec![
            item("amy@x", None, Subscription::Both),
            item("bob@x", Some("Bobby"), Subscription::Both),
        ]);
        assert_eq!(r.name_of(&amy), "Amy A.");
        assert_eq!(r.sorted("amy a").len(), 1);
        let bob = BareJid::new("bob@x").unwrap();
        r.set_nick(&bob, Some("Robert".into()));
        assert_eq!(r.name_of(&bob), "Bobby");
        assert_eq!(r.get(&bob).unwrap().nick.as_deref(), Some("Robert"));
        r.set_nick(&amy, None);
        assert_eq!(r.name_of(&amy), "amy@x");
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
        let names: Vec<_> = r.sorted("").iter().map(|c| c.name.clone()).collect();
        assert_eq!(names, ["Zed", "Amy", "bob@x"]);
        let names: Vec<_> = r.sorted("  B ").iter().map(|c| c.name.clone()).collect();
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
