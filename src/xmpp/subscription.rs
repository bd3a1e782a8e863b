//! Presence subscriptions: RFC 6121 §3. Requests to see our presence (§3.1.3) wait for the
//! person's answer (§3.1.4, §3.1.5); our own requests (§3.1.1) and their answers.
//!
//! The policy lives here, not in the UI: the request of someone we asked ourselves since signing
//! in (they accepted ours and ask back) is accepted without asking; everyone else, even a
//! contact we already follow, is asked about. Accepting someone we do not follow also asks to
//! follow them, so two clicks make mutual contacts. Pending requests are capped at
//! [`MAX_PENDING`]: anyone can send them. They outlive a connection: the server delivers them again
//! at the next login, and a request already waiting is not reported twice.

use super::context::Ctx;
use super::error::SendError;
use super::event::{Event, RosterEvent};
use super::jid::BareJid;
use super::ns;
use super::roster::Roster;
use super::xml::Element;
use std::collections::HashSet;

/// Requests kept waiting for an answer; more are ignored until some are answered.
pub const MAX_PENDING: usize = 1_000;

#[derive(Debug, Default)]
pub struct Subscriptions {
    /// Requests waiting for the person, oldest first; the set mirrors it for lookups.
    pending: Vec<BareJid>,
    pending_set: HashSet<BareJid>,
    /// Whom we asked to follow since signing in: their request back is accepted by itself.
    asked: HashSet<BareJid>,
}

/// The `type` of a subscription presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionKind {
    Subscribe,
    Subscribed,
    Unsubscribe,
    Unsubscribed,
}

impl SubscriptionKind {
    pub fn parse(kind: &str) -> Option<Self> {
        Some(match kind {
            "subscribe" => Self::Subscribe,
            "subscribed" => Self::Subscribed,
            "unsubscribe" => Self::Unsubscribe,
            "unsubscribed" => Self::Unsubscribed,
            _ => return None,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Subscribe => "subscribe",
            Self::Subscribed => "subscribed",
            Self::Unsubscribe => "unsubscribe",
            Self::Unsubscribed => "unsubscribed",
        }
    }
}

impl Subscriptions {
    /// A subscription presence from `from` (RFC 6121 §3.1.3, §3.2.3, §3.3.3).
    /// `nick`: the name the sender gave with it (XEP-0172 §4.1), untrusted.
    pub(crate) fn handle(
        &mut self,
        from: BareJid,
        kind: SubscriptionKind,
        nick: Option<String>,
        cx: &mut Ctx,
    ) {
        match kind {
            SubscriptionKind::Subscribe if self.asked.remove(&from) => {
                send(cx, &from, SubscriptionKind::Subscribed, None);
            }
            SubscriptionKind::Subscribe => {
                if self.pending_set.contains(&from) {
                    return;
                }
                if self.pending.len() >= MAX_PENDING {
                    cx.warn("ignored a subscription request: too many are waiting");
                    return;
                }
                self.pending.push(from.clone());
                self.pending_set.insert(from.clone());
                cx.emit(Event::Roster(RosterEvent::SubscriptionRequest {
                    jid: from,
                    nick,
                }));
            }
            // They withdrew their request (RFC 6121 §3.3.3).
            SubscriptionKind::Unsubscribe => self.close(&from, cx),
            // The answers to our own requests come with roster pushes (RFC 6121 §3.1.6).
            SubscriptionKind::Subscribed | SubscriptionKind::Unsubscribed => {}
        }
    }

    /// We asked to follow `jid` (adding a contact): their request back will be accepted.
    /// `nick` is ours, for them to see who asks (XEP-0172 §4.1).
    pub(crate) fn asked(&mut self, jid: &BareJid, nick: Option<Element>, cx: &mut Ctx) {
        self.asked.insert(jid.clone());
        send(cx, jid, SubscriptionKind::Subscribe, nick);
    }

    /// RFC 6121 §3.4: approves `jid`'s request before it comes, so the server answers it even
    /// when no client of ours is online (the in-session acceptance of [`Self::asked`] cannot).
    pub(crate) fn pre_approve(&mut self, jid: &BareJid, cx: &mut Ctx) {
        send(cx, jid, SubscriptionKind::Subscribed, None);
    }

    /// RFC 6121 §3.1.4, §3.1.5: the person's answer. Approving someone we do not follow also
    /// asks to follow them; a contact already in the roster keeps its name and groups.
    pub(crate) fn answer(
        &mut self,
        jid: &BareJid,
        approve: bool,
        roster: &Roster,
        nick: Option<Element>,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        let kind = if approve {
            SubscriptionKind::Subscribed
        } else {
            SubscriptionKind::Unsubscribed
        };
        send(cx, jid, kind, None);
        self.close(jid, cx);
        if !approve {
            return Ok(());
        }
        match roster.get(jid) {
            Some(item) if item.subscription.is_following() => Ok(()),
            Some(_) => {
                self.asked(jid, nick, cx);
                Ok(())
            }
            None => {
                roster.set(jid, None, &[], cx)?;
                self.asked(jid, nick, cx);
                Ok(())
            }
        }
    }

    /// A roster push shows `jid` may see our presence: answered on another device.
    pub(crate) fn approved_elsewhere(&mut self, jid: &BareJid, cx: &mut Ctx) {
        self.close(jid, cx);
    }

    fn close(&mut self, jid: &BareJid, cx: &mut Ctx) {
        if self.pending_set.remove(jid) {
            self.pending.retain(|p| p != jid);
            cx.emit(Event::Roster(RosterEvent::SubscriptionRequestClosed(
                jid.clone(),
            )));
        }
    }
}

fn send(cx: &mut Ctx, to: &BareJid, kind: SubscriptionKind, with: Option<Element>) {
    let presence = Element::new("presence", ns::CLIENT)
        .attr("to", to.as_str())
        .attr("type", kind.as_str());
    cx.send(&match with {
        Some(child) => presence.child(child),
        None => presence,
    });
}
