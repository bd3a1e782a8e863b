//! XEP-0313 Message Archive Management (`urn:xmpp:mam:2`), as far as rooms use it now: on
//! entering a room whose service archives it, the latest page of its archive (§4.1 with XEP-0059
//! `<before/>`, §5 results, §5.2 `<fin/>`) instead of the history the room would send.
//!
//! A result is read only for a query we sent (its `queryid`) and only from the archive we asked
//! (the room's bare address): anyone else's "archive results" are forgeries and are dropped. The
//! one-to-one archive, paging back and catching up after a reconnect come with the message
//! delivery work; they will use this module.

use super::context::Ctx;
use super::delay::{self, UnixMillis};
use super::jid::BareJid;
use super::ns;
use super::request::Owner;
use super::stanza::{self, IqType, Message};
use super::xml::Element;
use std::collections::HashMap;

/// Messages asked for when entering a room.
pub const ROOM_PAGE: u32 = 50;

/// The request layer's owner of a query: the `queryid` ties its results to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamRequest {
    pub queryid: String,
}

#[derive(Debug)]
struct Query {
    archive: BareJid,
    /// Results asked for; more are dropped (a hostile archive cannot flood the view).
    max: u32,
    results: u32,
}

/// A message out of an archive, with the time the archive stamped it.
#[derive(Debug)]
pub(crate) struct Archived {
    pub archive: BareJid,
    pub message: Message,
    pub stamp: Option<UnixMillis>,
}

#[derive(Debug, Default)]
pub struct Mam {
    queries: HashMap<String, Query>,
}

impl Mam {
    /// Asks `archive` for its latest `max` messages.
    pub(crate) fn query_latest(&mut self, archive: &BareJid, max: u32, cx: &mut Ctx) {
        let queryid = cx.out.next_id();
        let set = Element::new("set", ns::RSM)
            .text_child("max", ns::RSM, max.to_string())
            .child(Element::new("before", ns::RSM));
        let query = Element::new("query", ns::MAM)
            .attr("queryid", &queryid)
            .child(set);
        let sent = cx.try_request(
            IqType::Set,
            Some(archive),
            query,
            Owner::Mam(MamRequest {
                queryid: queryid.clone(),
            }),
        );
        if sent.is_ok() {
            self.queries.insert(
                queryid,
                Query {
                    archive: archive.clone(),
                    max,
                    results: 0,
                },
            );
        }
    }

    /// A message carrying `<result/>`: the archived message inside, if it answers a query of
    /// ours and comes from the archive we asked. `Err` says why it was dropped.
    pub(crate) fn result(&mut self, mut m: Message) -> Result<Archived, &'static str> {
        let result = m
            .element
            .take_child("result", ns::MAM)
            .ok_or("not an archive result")?;
        let query = result
            .get_attr("queryid")
            .and_then(|id| self.queries.get_mut(id))
            .ok_or("ignored an archive result nobody asked for")?;
        let from_archive = m
            .from
            .as_ref()
            .is_some_and(|f| f.resource().is_none() && f.to_bare() == query.archive);
        if !from_archive {
            return Err("ignored an archive result from another sender");
        }
        query.results += 1;
        if query.results > query.max {
            return Err("ignored archive results beyond the page asked for");
        }
        let mut result = result;
        let mut forwarded = result
            .take_child("forwarded", ns::FORWARD)
            .ok_or("an archive result without a forwarded message")?;
        let stamp = delay::stamp(&forwarded);
        let inner = forwarded
            .take_child("message", ns::CLIENT)
            .ok_or("an archive result without a message")?;
        let message = stanza::parse_message(inner).map_err(|_| "a malformed archived message")?;
        Ok(Archived {
            archive: query.archive.clone(),
            message,
            stamp,
        })
    }

    /// The query's `<fin/>` came (or its failure, or no answer in time): its results are over.
    pub(crate) fn finished(&mut self, request: &MamRequest) {
        self.queries.remove(&request.queryid);
    }
}
