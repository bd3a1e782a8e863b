//! Blocking: XEP-0191 (`urn:xmpp:blocking`). The server enforces a block (it drops what a blocked
//! entity sends us and hides our presence from it); the client keeps the list to show it, to
//! block and unblock, and drops anything from a blocked address that still reaches it (§3.2: a
//! stanza sent before the block, a server that lags).
//!
//! The list is fetched once the session is online (§3.1, which also subscribes this resource to
//! the server's pushes of §3.3 and §3.4). A server without XEP-0191 answers with an error; the
//! feature is then reported unavailable instead of being probed by disco first, which would cost
//! a round trip for the same answer. Pushes are accepted from our own server only.

use super::context::Ctx;
use super::error::SendError;
use super::event::Event;
use super::jid::Jid;
use super::ns;
use super::request::Owner;
use super::stanza::{build, Iq, IqType, StanzaError};
use super::xml::Element;
use std::collections::BTreeSet;

/// Addresses kept at most; a hostile server cannot make the list a memory sink.
pub const MAX_BLOCKED: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockingRequest {
    Fetch,
    Block(Vec<Jid>),
    Unblock(Vec<Jid>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockingEvent {
    /// The whole list, sorted, after it was fetched and after every change.
    List(Vec<Jid>),
    /// The server does not offer XEP-0191: there is nothing to block with.
    Unavailable,
    /// The server refused a block or an unblock.
    Failed {
        jids: Vec<Jid>,
        block: bool,
        error: StanzaError,
    },
}

#[derive(Debug, Default)]
pub struct Blocking {
    blocked: BTreeSet<Jid>,
    /// The list was read this session: the server will push its changes.
    loaded: bool,
}

impl Blocking {
    pub(crate) fn fetch(&mut self, cx: &mut Ctx) {
        cx.request(
            IqType::Get,
            Element::new("blocklist", ns::BLOCKING),
            Owner::Blocking(BlockingRequest::Fetch),
        );
    }

    /// §3.2 (with RFC 6121's matching order): a stanza from `from` is blocked when the list holds
    /// its full address, its bare address, its domain with its resource, or its domain.
    pub fn blocks(&self, from: &Jid) -> bool {
        if self.blocked.is_empty() {
            return false;
        }
        let bare: Jid = from.to_bare().into();
        let domain: Jid = from.domain_jid().into();
        let domain_resource = from
            .resource()
            .and_then(|r| Jid::new(&format!("{}/{r}", from.domain())).ok());
        self.blocked.contains(from)
            || self.blocked.contains(&bare)
            || self.blocked.contains(&domain)
            || domain_resource.is_some_and(|j| self.blocked.contains(&j))
    }

    pub fn is_empty(&self) -> bool {
        self.blocked.is_empty()
    }

    /// [`Self::blocks`] for a stanza's `from`; one without (from our server) never is.
    pub fn blocks_sender(&self, from: Option<&Jid>) -> bool {
        from.is_some_and(|f| self.blocks(f))
    }

    /// §3.3, §3.4: asks the server to block or unblock `jids`; the push that follows (or the
    /// answer) updates the list.
    pub(crate) fn change(
        &mut self,
        jids: Vec<Jid>,
        block: bool,
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        if !self.loaded {
            return Err(SendError::NotLoaded);
        }
        // §3.4: an unblock without items would unblock everyone.
        if jids.is_empty() {
            return Err(SendError::Empty);
        }
        let name = if block { "block" } else { "unblock" };
        let payload = jids.iter().fold(Element::new(name, ns::BLOCKING), |el, j| {
            el.child(Element::new("item", ns::BLOCKING).attr("jid", j.as_str()))
        });
        let owner = Owner::Blocking(if block {
            BlockingRequest::Block(jids)
        } else {
            BlockingRequest::Unblock(jids)
        });
        cx.try_request(IqType::Set, None, payload, owner)?;
        Ok(())
    }

    pub(crate) fn answered(
        &mut self,
        request: BlockingRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) {
        match (request, result) {
            (BlockingRequest::Fetch, Ok(payload)) => {
                self.blocked = payload.as_ref().map(read_items).unwrap_or_default();
                self.loaded = true;
                self.report(cx);
            }
            (BlockingRequest::Fetch, Err(_)) => {
                self.blocked.clear();
                cx.emit(Event::Blocking(BlockingEvent::Unavailable));
            }
            (BlockingRequest::Block(jids), Ok(_)) => self.apply(jids, true, cx),
            (BlockingRequest::Unblock(jids), Ok(_)) => self.apply(jids, false, cx),
            (BlockingRequest::Block(jids), Err(error)) => {
                cx.emit(Event::Blocking(BlockingEvent::Failed {
                    jids,
                    block: true,
                    error,
                }));
            }
            (BlockingRequest::Unblock(jids), Err(error)) => {
                cx.emit(Event::Blocking(BlockingEvent::Failed {
                    jids,
                    block: false,
                    error,
                }));
            }
        }
    }

    /// A request went unanswered (timeout, lost connection).
    pub(crate) fn unanswered(&mut self, request: BlockingRequest, cx: &mut Ctx) {
        let error = StanzaError::undefined();
        match request {
            BlockingRequest::Fetch => {}
            BlockingRequest::Block(jids) => cx.emit(Event::Blocking(BlockingEvent::Failed {
                jids,
                block: true,
                error,
            })),
            BlockingRequest::Unblock(jids) => cx.emit(Event::Blocking(BlockingEvent::Failed {
                jids,
                block: false,
                error,
            })),
        }
    }

    /// §3.3, §3.4: the server's push of a change (made here or by another of our resources).
    /// An empty `<unblock/>` unblocks everyone.
    pub(crate) fn push(&mut self, iq: &Iq, cx: &mut Ctx) {
        let to = iq.from.as_ref().map(|j| j.to_string());
        if !cx.me.is_own_server(iq.from.as_ref()) {
            cx.warn("ignored a blocking push that did not come from our server");
            cx.send(&build::iq_error(
                &iq.id,
                to.as_deref(),
                "cancel",
                "service-unavailable",
            ));
            return;
        }
        let Some(payload) = iq.payload.as_ref() else {
            return;
        };
        let items: Vec<Jid> = read_items(payload).into_iter().collect();
        match payload.name.as_str() {
            "block" => self.apply(items, true, cx),
            "unblock" if payload.elements().next().is_none() => {
                self.blocked.clear();
                self.report(cx);
            }
            "unblock" => self.apply(items, false, cx),
            _ => {}
        }
        cx.send(&build::iq(IqType::Result, &iq.id, to.as_deref(), None));
    }

    fn apply(&mut self, jids: Vec<Jid>, block: bool, cx: &mut Ctx) {
        for jid in jids {
            if !block {
                self.blocked.remove(&jid);
            } else if self.blocked.len() < MAX_BLOCKED {
                self.blocked.insert(jid);
            }
        }
        self.report(cx);
    }

    fn report(&self, cx: &mut Ctx) {
        cx.emit(Event::Blocking(BlockingEvent::List(
            self.blocked.iter().cloned().collect(),
        )));
    }
}

/// The `<item jid=…/>` children, each a valid address, up to [`MAX_BLOCKED`].
fn read_items(parent: &Element) -> BTreeSet<Jid> {
    parent
        .elements()
        .filter(|c| c.is("item", ns::BLOCKING))
        .filter_map(|c| c.get_attr("jid"))
        .filter_map(|j| Jid::new(j).ok())
        .take(MAX_BLOCKED)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jid(s: &str) -> Jid {
        Jid::new(s).unwrap()
    }

    #[test]
    fn a_block_matches_the_full_and_bare_address_and_the_domain() {
        let mut b = Blocking::default();
        assert!(!b.blocks(&jid("bob@x/phone")));
        b.blocked.insert(jid("bob@x"));
        b.blocked.insert(jid("spam.example"));
        b.blocked.insert(jid("carol@x/laptop"));
        assert!(b.blocks(&jid("bob@x/phone")));
        assert!(b.blocks(&jid("bob@x")));
        assert!(b.blocks(&jid("anyone@spam.example/r")));
        assert!(b.blocks(&jid("carol@x/laptop")));
        assert!(!b.blocks(&jid("carol@x/phone")));
        assert!(!b.blocks(&jid("bobby@x")));
    }
}
