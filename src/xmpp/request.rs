//! The typed request layer: every iq we send that expects an answer (RFC 6120 §8.2.3) gets an id,
//! an owner (the module that will read the answer), the entity that must answer, and a deadline.
//!
//! RFC 6120 §8.1.2.1: a request without `to` is answered by our server on our behalf, so its reply
//! comes with no `from`, our bare JID or our domain; a request to an entity is answered by that
//! entity. An answer from anyone else, including another of our own resources, is a forgery and is
//! ignored, as is an answer to an id we never used. The modules never see either.

use super::context::{Identity, Instant};
use super::jid::Jid;
use super::outbox::{Outbox, OutboxError};
use super::stanza::{build, Iq, IqType, StanzaError};
use super::xml::Element;
use std::collections::HashMap;

/// Who sent a request, so its answer goes back to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// RFC 6120 §7: resource binding.
    Bind,
    /// RFC 3921 §3: the legacy session some servers still require.
    LegacySession,
    Roster(super::roster::RosterRequest),
    /// XEP-0280 §4: enabling carbons.
    Carbons,
    /// XEP-0199: a keepalive, or the confirmation of messages sent before it.
    Ping,
    Muc(super::muc::MucRequest),
    Bookmarks(super::bookmarks::BookmarksRequest),
    Mam(super::mam::MamRequest),
    Blocking(super::blocking::BlockingRequest),
    /// XEP-0084 and XEP-0153.
    Avatar(super::avatar::AvatarRequest),
    /// XEP-0054, then XEP-0292: a contact's vCard, for their details.
    VCard(super::vcard::VCardQuery),
    /// XEP-0054 §3.2: editing our own vCard.
    VCardEdit(super::vcard::VCardEdit),
    /// XEP-0172: publishing our nickname.
    Nick,
    /// XEP-0115 §6.2: what a contact's version of capabilities means.
    Caps(super::caps::CapsRequest),
    /// XEP-0077.
    Register(super::register::RegisterRequest),
}

impl Owner {
    /// Without an answer to these there is no session.
    pub fn is_login_step(&self) -> bool {
        matches!(
            self,
            Self::Bind
                | Self::LegacySession
                | Self::Roster(super::roster::RosterRequest::Get { .. })
                | Self::Register(
                    super::register::RegisterRequest::Fields
                        | super::register::RegisterRequest::Submit
                )
        )
    }
}

/// RFC 6120 §8.1.2.1: who may answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Responder {
    OwnServer,
    Exactly(Jid),
}

#[derive(Debug)]
struct Pending {
    owner: Owner,
    responder: Responder,
    deadline: Instant,
}

/// An answer, checked, for its owner. `Err` is the stanza error of an `error` reply.
pub struct Response {
    pub owner: Owner,
    pub result: Result<Option<Element>, StanzaError>,
}

/// Why an iq reply did not reach any owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmatched {
    UnknownId,
    WrongSender,
}

#[derive(Default)]
pub struct Requests {
    pending: HashMap<String, Pending>,
}

impl Requests {
    /// Sends `payload` in an iq of `kind` to `to` (our server when `None`) and remembers it.
    pub fn send(
        &mut self,
        out: &mut Outbox,
        kind: IqType,
        to: Option<&Jid>,
        payload: Element,
        owner: Owner,
        deadline: Instant,
    ) -> Result<String, OutboxError> {
        let id = out.next_id();
        let to_text = to.map(|j| j.to_string());
        out.send(&build::iq(kind, &id, to_text.as_deref(), Some(payload)))?;
        let responder = to.map_or(Responder::OwnServer, |j| Responder::Exactly(j.clone()));
        self.pending.insert(
            id.clone(),
            Pending {
                owner,
                responder,
                deadline,
            },
        );
        Ok(id)
    }

    /// Matches a `result` or `error` iq to its request, checking the id and who answered.
    pub fn take(&mut self, iq: Iq, me: &Identity) -> Result<Response, Unmatched> {
        let pending = self.pending.get(&iq.id).ok_or(Unmatched::UnknownId)?;
        let from_the_right_entity = match &pending.responder {
            Responder::OwnServer => me.is_own_server(iq.from.as_ref()),
            // An entity answers from exactly the address we asked; our own server (asked by
            // its domain or our bare JID) may also answer as itself.
            Responder::Exactly(to) => {
                iq.from.as_ref() == Some(to)
                    || (me.is_own_server(Some(to)) && me.is_own_server(iq.from.as_ref()))
            }
        };
        if !from_the_right_entity {
            return Err(Unmatched::WrongSender);
        }
        let Some(pending) = self.pending.remove(&iq.id) else {
            return Err(Unmatched::UnknownId);
        };
        let result = match iq.kind {
            IqType::Error => Err(iq.error.unwrap_or_else(StanzaError::undefined)),
            _ => Ok(iq.payload),
        };
        Ok(Response {
            owner: pending.owner,
            result,
        })
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        self.pending.values().map(|p| p.deadline).min()
    }

    /// Removes and returns the requests whose deadline has passed.
    pub fn expired(&mut self, now: Instant) -> Vec<Owner> {
        let ids: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        ids.into_iter()
            .filter_map(|id| self.pending.remove(&id))
            .map(|p| p.owner)
            .collect()
    }

    pub fn any(&self, f: impl Fn(&Owner) -> bool) -> bool {
        self.pending.values().any(|p| f(&p.owner))
    }

    /// The connection ended: nothing in flight will be answered.
    pub fn abandon(&mut self) -> Vec<Owner> {
        self.pending.drain().map(|(_, p)| p.owner).collect()
    }
}
