//! Contacts: the roster view with presence, the groups folded in the list, the subscription
//! requests waiting for an answer, the blocklist (XEP-0191), and the open contact's vCard.

use super::notices::{Notices, UiError};
use crate::store::requests::SubscriptionRequests;
use crate::store::roster_view::RosterView;
use crate::xmpp::jid::{BareJid, Jid};
use crate::xmpp::{BlockingEvent, CapsEvent, RosterEvent, VCardEvent, VCardField};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// How long presence changes are collected before the roster repaints.
const ROSTER_FLUSH: Duration = Duration::from_millis(50);

/// A vCard's fields as the core read them, in order.
pub type VCardFields = Vec<(VCardField, String)>;

#[derive(Clone, Copy)]
pub struct Contacts {
    pub roster: RwSignal<RosterView>,
    pub requests: RwSignal<SubscriptionRequests>,
    /// Groups the person folded in the list (for this sign-in).
    pub collapsed_groups: RwSignal<HashSet<String>>,
    /// Blocked addresses, sorted, as the server last said.
    pub blocked: RwSignal<Vec<Jid>>,
    /// The server offers XEP-0191 (unknown until the list is read: assumed not).
    pub blocking_offered: RwSignal<bool>,
    /// XEP-0054: the vCard of the contact whose details are open, once read (`None` inside:
    /// the server would not say).
    pub vcard: RwSignal<Option<(BareJid, Option<VCardFields>)>>,
    /// XEP-0115: the software each online resource runs, by full address, where known.
    pub clients: RwSignal<HashMap<String, Software>>,
    /// A roster repaint is scheduled (presence floods are coalesced).
    flush_pending: StoredValue<bool>,
}

/// What one resource runs, from its capabilities (XEP-0115).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Software {
    /// Its client identity's name (untrusted text).
    pub name: Option<String>,
    /// It shows corrections (XEP-0308).
    pub corrects: bool,
}

impl Contacts {
    pub(super) fn new() -> Self {
        Self {
            roster: RwSignal::new(RosterView::default()),
            requests: RwSignal::new(SubscriptionRequests::default()),
            collapsed_groups: RwSignal::new(HashSet::new()),
            blocked: RwSignal::new(Vec::new()),
            blocking_offered: RwSignal::new(false),
            vcard: RwSignal::new(None),
            clients: RwSignal::new(HashMap::new()),
            flush_pending: StoredValue::new(false),
        }
    }

    pub fn is_contact(&self, jid: &BareJid) -> bool {
        self.roster.with_untracked(|r| r.contains(jid))
    }

    /// XEP-0172: nicknames come in a flood at login (one per contact who has one), so they
    /// are applied as presence is, in one repaint.
    pub fn set_nick(&self, jid: &BareJid, nick: Option<String>) {
        self.roster.update_untracked(|r| r.set_nick(jid, nick));
        self.schedule_flush();
    }

    pub fn apply(&self, event: RosterEvent, notices: &Notices) {
        match event {
            // Painted in a task of its own: a 10,000-contact roster frame is parsed and loaded
            // in this one, and laying it out too would make one long task of both. The roster
            // shown already (a device's copy the server says is current) is not painted again.
            RosterEvent::Loaded(items) => {
                if self.roster.try_update_untracked(|r| r.load(items)) == Some(true) {
                    self.schedule_flush_in(Duration::ZERO);
                }
            }
            RosterEvent::Pushed(item) => self.roster.update(|r| r.push(item)),
            RosterEvent::Presence(presence) => {
                self.roster.update_untracked(|r| r.set_presence(presence));
                self.schedule_flush();
            }
            RosterEvent::PresenceCleared => self.roster.update(RosterView::clear_presence),
            RosterEvent::SubscriptionRequest { jid, nick } => {
                self.requests.update(|r| r.add(jid, nick))
            }
            RosterEvent::SubscriptionRequestClosed(jid) => self.requests.update(|r| r.remove(&jid)),
            RosterEvent::ChangeFailed { error, .. } => notices.push(UiError::RosterChangeFailed {
                condition: error.condition,
            }),
        }
    }

    pub fn apply_blocking(&self, event: BlockingEvent, notices: &Notices) {
        match event {
            BlockingEvent::List(list) => {
                self.blocking_offered.set(true);
                self.blocked.set(list);
            }
            BlockingEvent::Unavailable => self.blocking_offered.set(false),
            BlockingEvent::Failed { block, error, .. } => notices.push(UiError::BlockFailed {
                block,
                condition: error.condition,
            }),
        }
    }

    /// Whether what `jid` sends is blocked: its address or its whole domain is on the list.
    pub fn is_blocked(&self, jid: &BareJid) -> bool {
        self.blocked.with(|list| {
            list.iter().any(|b| {
                b.resource().is_none()
                    && (b.as_str() == jid.as_str()
                        || (b.node().is_none() && b.domain() == jid.domain()))
            })
        })
    }

    pub fn toggle_group(&self, group: &str) {
        self.collapsed_groups.update(|c| {
            if !c.remove(group) {
                c.insert(group.to_owned());
            }
        });
    }

    fn schedule_flush(&self) {
        self.schedule_flush_in(ROSTER_FLUSH);
    }

    /// A repaint `delay` from now, unless one is already scheduled (a sooner one may then wait
    /// for it, at most [`ROSTER_FLUSH`]).
    fn schedule_flush_in(&self, delay: Duration) {
        if self.flush_pending.get_value() {
            return;
        }
        self.flush_pending.set_value(true);
        let (roster, pending) = (self.roster, self.flush_pending);
        set_timeout(
            move || {
                // The page may have moved on (signed out) before the timer fired.
                if pending.try_set_value(false).is_none() {
                    roster.try_update(|_| {});
                }
            },
            delay,
        );
    }

    pub fn reset(&self) {
        self.roster.set(RosterView::default());
        self.requests.set(SubscriptionRequests::default());
        self.collapsed_groups.set(HashSet::new());
        self.blocked.set(Vec::new());
        self.blocking_offered.set(false);
        self.vcard.set(None);
        self.clients.set(HashMap::new());
    }

    /// Only the open details and the conversation with that contact read it: a login flood of
    /// these repaints nothing else.
    pub fn apply_caps(&self, event: CapsEvent) {
        let CapsEvent::Client {
            jid,
            client,
            corrects,
        } = event;
        self.clients.update(|clients| {
            clients.insert(
                jid.to_string(),
                Software {
                    name: client,
                    corrects,
                },
            );
        });
    }

    /// XEP-0308 §2: whether a correction to `peer` would be shown as one. Not when every
    /// online resource is known to run software without it (it would read as a second
    /// message); an offline contact, or one whose software is not known yet, is given it.
    pub fn corrections_reach(&self, peer: &BareJid) -> bool {
        let resources: Vec<String> = self.roster.with(|r| {
            r.get(peer)
                .map(|c| {
                    c.resources
                        .iter()
                        .map(|r| format!("{peer}/{}", r.resource))
                        .collect()
                })
                .unwrap_or_default()
        });
        self.clients.with(|clients| {
            resources.is_empty()
                || resources
                    .iter()
                    .any(|full| clients.get(full).is_none_or(|s| s.corrects))
        })
    }

    pub fn apply_vcard(&self, event: VCardEvent) {
        match event {
            VCardEvent::Loaded { jid, fields } => self.vcard.set(Some((jid, Some(fields)))),
            VCardEvent::Unavailable { jid, .. } => self.vcard.set(Some((jid, None))),
            VCardEvent::Saved | VCardEvent::SaveFailed(_) => {}
        }
    }
}
