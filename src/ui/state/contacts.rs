//! Contacts: the roster view with presence, and the subscription requests waiting for an answer.

use super::notices::{Notices, UiError};
use crate::store::requests::SubscriptionRequests;
use crate::store::roster_view::RosterView;
use crate::xmpp::jid::BareJid;
use crate::xmpp::RosterEvent;
use leptos::prelude::*;
use std::time::Duration;

/// How long presence changes are collected before the roster repaints.
const ROSTER_FLUSH: Duration = Duration::from_millis(50);

#[derive(Clone, Copy)]
pub struct Contacts {
    pub roster: RwSignal<RosterView>,
    pub requests: RwSignal<SubscriptionRequests>,
    /// A roster repaint is scheduled (presence floods are coalesced).
    flush_pending: StoredValue<bool>,
}

impl Contacts {
    pub(super) fn new() -> Self {
        Self {
            roster: RwSignal::new(RosterView::default()),
            requests: RwSignal::new(SubscriptionRequests::default()),
            flush_pending: StoredValue::new(false),
        }
    }

    pub fn is_contact(&self, jid: &BareJid) -> bool {
        self.roster.with_untracked(|r| r.contains(jid))
    }

    pub fn apply(&self, event: RosterEvent, notices: &Notices) {
        match event {
            RosterEvent::Loaded(items) => self.roster.update(|r| r.load(items)),
            RosterEvent::Pushed(item) => self.roster.update(|r| r.push(item)),
            RosterEvent::Presence(presence) => {
                self.roster.update_untracked(|r| r.set_presence(presence));
                self.schedule_flush();
            }
            RosterEvent::PresenceCleared => self.roster.update(RosterView::clear_presence),
            RosterEvent::SubscriptionRequest(jid) => self.requests.update(|r| r.add(jid)),
            RosterEvent::SubscriptionRequestClosed(jid) => self.requests.update(|r| r.remove(&jid)),
            RosterEvent::ChangeFailed { error, .. } => notices.push(UiError::RosterChangeFailed {
                condition: error.condition,
            }),
        }
    }

    fn schedule_flush(&self) {
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
            ROSTER_FLUSH,
        );
    }

    pub fn reset(&self) {
        self.roster.set(RosterView::default());
        self.requests.set(SubscriptionRequests::default());
    }
}
