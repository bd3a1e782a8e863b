//! What every protocol module works with: the clock ([`Instant`]), who we are ([`Identity`]),
//! and [`Ctx`], the borrow of the client's send funnel, request layer and event queue that a
//! module gets for one piece of work. Modules see this, never the whole [`Client`](super::Client),
//! so they cannot reach into each other's state.

use super::event::Event;
use super::jid::{BareJid, FullJid, Jid};
use super::outbox::{Outbox, OutboxError};
use super::request::{Owner, Requests};
use super::stanza::IqType;
use super::xml::Element;
use std::collections::VecDeque;

/// Milliseconds on a monotonic clock the caller owns (e.g. `performance.now()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub u64);

impl Instant {
    pub fn plus_ms(self, ms: u64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

/// Who we are: the account as typed, then the address the server bound (RFC 6120 §7.6.3), which
/// is authoritative (it is normalised the server's way).
#[derive(Debug, Clone)]
pub struct Identity {
    pub(crate) bare: BareJid,
    pub(crate) full: Option<FullJid>,
}

impl Identity {
    pub fn bare(&self) -> &BareJid {
        &self.bare
    }

    pub fn full(&self) -> Option<&FullJid> {
        self.full.as_ref()
    }

    /// RFC 6120 §8.1.2.1: our server speaks with no `from`, our bare JID or our domain; not with
    /// another of our resources, which would be a client answering for it.
    pub fn is_own_server(&self, from: Option<&Jid>) -> bool {
        from.is_none_or(|from| {
            from.resource().is_none()
                && (from.to_bare() == self.bare
                    || (from.node().is_none() && from.domain() == self.bare.domain()))
        })
    }

    /// RFC 6121 §2.1.6: our own account, as the sender of roster pushes.
    pub fn is_own_account(&self, from: Option<&Jid>) -> bool {
        from.is_none_or(|from| from.resource().is_none() && from.to_bare() == self.bare)
    }
}

/// What a protocol module gets to do its work: the clock, the send funnel, the request layer,
/// the event queue and who we are. Modules never see the whole client.
pub(crate) struct Ctx<'a> {
    pub now: Instant,
    pub out: &'a mut Outbox,
    pub requests: &'a mut Requests,
    pub events: &'a mut VecDeque<Event>,
    pub me: &'a Identity,
    pub timeout_ms: u64,
}

impl Ctx<'_> {
    pub fn emit(&mut self, event: Event) {
        self.events.push_back(event);
    }

    pub fn warn(&mut self, what: &str) {
        self.events.push_back(Event::Warning(what.to_owned()));
    }

    /// Sends a stanza the core built; builders validate untrusted text first, so a failure
    /// here is a bug, logged rather than sent half-formed.
    pub fn send(&mut self, element: &Element) {
        if let Err(e) = self.out.send(element) {
            self.warn(&format!("refused to send: {e:?}"));
        }
    }

    /// A request to our own server, answered to `owner`.
    pub fn request(&mut self, kind: IqType, payload: Element, owner: Owner) {
        if let Err(e) = self.try_request(kind, None, payload, owner) {
            self.warn(&format!("refused to send a request: {e:?}"));
        }
    }

    pub fn try_request(
        &mut self,
        kind: IqType,
        to: Option<&Jid>,
        payload: Element,
        owner: Owner,
    ) -> Result<String, OutboxError> {
        let deadline = self.now.plus_ms(self.timeout_ms);
        self.requests
            .send(self.out, kind, to, payload, owner, deadline)
    }
}
