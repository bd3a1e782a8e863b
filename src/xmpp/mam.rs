//! XEP-0313 Message Archive Management (`urn:xmpp:mam:2`): §4 queries paged with XEP-0059, §5
//! results, §5.2 `<fin/>`.
//!
//! Three uses. Entering a room whose service archives it reads the latest page of the room's
//! archive instead of the history the room would send. A conversation reads its history from
//! the account's archive (filtered `with` the peer, §4.1.1), the latest page first and then
//! older pages `before` the oldest read, until the archive says it is complete. And every new session (not a
//! resumed one) catches up with the account's own archive in one pass after the newest archive
//! id we know (XEP-0359 `<stanza-id/>` stamped by our account on live messages, or the last
//! result read), page after page: what arrived while no session was there. While it runs, live
//! one-to-one messages are held back so that they follow what the archive holds; the first
//! session only learns the archive's newest id. A pass that a dropped connection interrupts goes
//! on from the last result read when the next session starts, resumed or new: the server
//! resends a resumed session's answers, but their query is gone with the old connection.
//!
//! A result is read only for a query we sent (its `queryid`) and only from the archive we asked
//! (the room's bare address, or our own account): anyone else's "archive results" are forgeries
//! and are dropped.

use super::context::{Ctx, Identity};
use super::data_form;
use super::delay::{self, UnixMillis};
use super::event::{ChatEvent, Event, RoomEvent};
use super::jid::BareJid;
use super::message::ChatMessage;
use super::muc::RoomMessage;
use super::ns;
use super::request::Owner;
use super::rsm::{self, ResultSet};
use super::stanza::{self, IqType, Message, StanzaError};
use super::xml::Element;
use std::collections::HashMap;

/// Messages asked for when entering a room.
pub const ROOM_PAGE: u32 = 50;
/// Messages in the first page of a conversation's history: what fills the view as it opens.
pub const HISTORY_PAGE: u32 = 50;
/// Messages per older page, asked for as the person scrolls up: each page is a round trip and a
/// query the server answers by searching the archive, so a long history comes in fewer of them.
pub const OLDER_HISTORY_PAGE: u32 = 200;
/// Messages per page when catching up with the account's archive.
pub const CATCH_UP_PAGE: u32 = 100;
/// Pages one catch-up reads at most (10,000 messages); a longer absence keeps its newest
/// messages for the next session's pass.
const MAX_CATCH_UP_PAGES: u32 = 100;
/// Live events held back during a catch-up at most; beyond, they are let through.
const MAX_HELD: usize = 10_000;

/// What a query is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// The latest page of a room.
    Room,
    /// The account archive's newest id, nothing else.
    Tip,
    /// One page of the account's archive after the newest id we know.
    CatchUp,
    /// One page of a conversation's history, older than what was read of it.
    History,
    /// One page of a room's archive, older than what was read of it.
    RoomOlder,
}

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
    purpose: Purpose,
    /// History: the peer, and the page read so far (sent to the UI whole, when it ends).
    with: Option<BareJid>,
    page: Vec<ChatMessage>,
    room_page: Vec<RoomMessage>,
}

/// How far a conversation's history has been read.
#[derive(Debug, Default)]
struct History {
    /// The oldest archive id read: the next page ends before it.
    oldest: Option<String>,
    complete: bool,
    loading: bool,
}

impl History {
    /// A page ended (answered, or cut short with what came). A page with messages moves the
    /// start back to its first id; one that says it is the last, or brought nothing, ends the
    /// history. Returns whether it is complete.
    fn read(&mut self, first: Option<String>, complete: bool, empty: bool) -> bool {
        self.loading = false;
        if !empty || complete {
            if first.is_some() {
                self.oldest = first;
            }
            self.complete = complete || empty;
        }
        self.complete
    }
}

/// Where reading the account's archive had got to, as a remembered device keeps it across
/// reloads, so that the next session fetches only what is new.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveMark {
    /// The newest id of the account's archive whose messages are shown: the first session
    /// catches up after it.
    pub newest: Option<String>,
    /// The conversations shown from the device, each with where its older pages start.
    pub conversations: Vec<ConversationMark>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationMark {
    pub peer: BareJid,
    /// The oldest archive id kept of the conversation.
    pub oldest: String,
    /// Nothing is older in the archive.
    pub complete: bool,
}

/// A message out of an archive, with the time the archive stamped it.
#[derive(Debug)]
pub(crate) struct Archived {
    pub queryid: String,
    pub archive: BareJid,
    pub purpose: Purpose,
    pub message: Message,
    pub stamp: Option<UnixMillis>,
    /// The result's id in the archive (XEP-0313 §5: the message's XEP-0359 stanza id there).
    pub id: Option<String>,
}

#[derive(Debug, Default)]
pub struct Mam {
    queries: HashMap<String, Query>,
    /// The newest id of the account's archive we know of.
    last_id: Option<String>,
    /// While a catch-up runs: the live events that must follow it.
    held: Option<Vec<Event>>,
    /// A catch-up pass is under way (possibly waiting for a connection).
    catching_up: bool,
    /// Where the pass under way started: what is shown goes that far until it ends.
    caught_from: Option<String>,
    pages: u32,
    histories: HashMap<BareJid, History>,
}

impl Mam {
    /// Asks `archive` for its latest `max` messages.
    pub(crate) fn query_latest(&mut self, archive: &BareJid, max: u32, cx: &mut Ctx) {
        let set = rsm::request_before(max, None);
        self.query(Some(archive), None, set, max, Purpose::Room, cx);
    }

    /// Asks our archive for the next page of the conversation with `peer`: the latest first,
    /// then older ones. Returns whether a query went (not when one is under way, when the
    /// history is complete, or offline).
    pub(crate) fn query_history(&mut self, peer: &BareJid, cx: &mut Ctx) -> bool {
        let history = self.histories.entry(peer.clone()).or_default();
        if history.loading || history.complete {
            return false;
        }
        let max = match history.oldest {
            None => HISTORY_PAGE,
            Some(_) => OLDER_HISTORY_PAGE,
        };
        let set = rsm::request_before(max, history.oldest.as_deref());
        let form = data_form::submit(ns::MAM, &[("with", peer.as_str())]);
        let sent = self.query(None, Some((peer, form)), set, max, Purpose::History, cx);
        if let Some(history) = self.histories.get_mut(peer) {
            history.loading = sent;
        }
        sent
    }

    /// Asks `room`'s archive for the page before the oldest message read of it (the latest
    /// came on entering). Returns whether a query went.
    pub(crate) fn query_room_older(&mut self, room: &BareJid, cx: &mut Ctx) -> bool {
        let Some(history) = self.histories.get(room) else {
            return false;
        };
        let (Some(oldest), false, false) =
            (history.oldest.clone(), history.loading, history.complete)
        else {
            return false;
        };
        let set = rsm::request_before(ROOM_PAGE, Some(&oldest));
        let sent = self.query(Some(room), None, set, ROOM_PAGE, Purpose::RoomOlder, cx);
        if let Some(history) = self.histories.get_mut(room) {
            history.loading = sent;
        }
        sent
    }

    /// A message of an older page of a room, checked to be from the room asked.
    pub(crate) fn collect_room(&mut self, queryid: &str, message: RoomMessage) {
        if let Some(query) = self.queries.get_mut(queryid) {
            if query.archive == message.room {
                query.room_page.push(message);
            }
        }
    }

    /// A message of a history page, checked to be with the peer asked about.
    pub(crate) fn collect(&mut self, queryid: &str, message: ChatMessage) {
        if let Some(query) = self.queries.get_mut(queryid) {
            if query.with.as_ref() == Some(&message.peer) {
                query.page.push(message);
            }
        }
    }

    /// A new session: reads what the account's archive got since the newest id we know, or,
    /// knowing none, learns the newest id.
    pub(crate) fn new_session(&mut self, cx: &mut Ctx) {
        match self.last_id.clone() {
            Some(after) => {
                self.held.get_or_insert_with(Vec::new);
                if !self.catching_up {
                    self.catching_up = true;
                    self.pages = 0;
                    self.caught_from = Some(after.clone());
                }
                self.catch_up_page(after, cx);
            }
            None => {
                self.query(
                    None,
                    None,
                    rsm::request_before(1, None),
                    1,
                    Purpose::Tip,
                    cx,
                );
            }
        }
    }

    /// A remembered device's mark, before the first session: it catches up from there, and
    /// each conversation's older pages start before what the device shows.
    pub(crate) fn restore(&mut self, mark: ArchiveMark) {
        if self.last_id.is_none() {
            self.last_id = mark.newest;
        }
        for c in mark.conversations {
            self.histories.entry(c.peer).or_insert(History {
                oldest: Some(c.oldest),
                complete: c.complete,
                loading: false,
            });
        }
    }

    /// The newest archive id whose messages have been handed on: during a catch-up, where
    /// it started (what it read is still held back).
    pub(crate) fn newest_shown(&self) -> Option<&str> {
        if self.catching_up || self.held.is_some() {
            self.caught_from.as_deref()
        } else {
            self.last_id.as_deref()
        }
    }

    /// A resumed session: a pass the drop interrupted goes on (the tip too).
    pub(crate) fn resumed(&mut self, cx: &mut Ctx) {
        if self.catching_up || self.last_id.is_none() {
            self.new_session(cx);
        }
    }

    fn catch_up_page(&mut self, after: String, cx: &mut Ctx) {
        self.pages += 1;
        let set = rsm::request(CATCH_UP_PAGE, Some(&after));
        if !self.query(None, None, set, CATCH_UP_PAGE, Purpose::CatchUp, cx) {
            self.release(cx);
        }
    }

    /// Sends a query to `archive` (`None`: our own), filtered by `with`'s form; returns
    /// whether it went.
    fn query(
        &mut self,
        archive: Option<&BareJid>,
        with: Option<(&BareJid, Element)>,
        set: Element,
        max: u32,
        purpose: Purpose,
        cx: &mut Ctx,
    ) -> bool {
        let queryid = cx.out.next_id();
        let mut query = Element::new("query", ns::MAM).attr("queryid", &queryid);
        let mut peer = None;
        if let Some((with, form)) = with {
            query = query.child(form);
            peer = Some(with.clone());
        }
        let query = query.child(set);
        let to = archive.map(|a| a.clone().into());
        let sent = cx.try_request(
            IqType::Set,
            to.as_ref(),
            query,
            Owner::Mam(MamRequest {
                queryid: queryid.clone(),
            }),
        );
        if sent.is_ok() {
            let archive = archive.cloned().unwrap_or_else(|| cx.me.bare().clone());
            self.queries.insert(
                queryid,
                Query {
                    archive,
                    max,
                    results: 0,
                    purpose,
                    with: peer,
                    page: Vec::new(),
                    room_page: Vec::new(),
                },
            );
        }
        sent.is_ok()
    }

    /// Whether live one-to-one events must wait for a catch-up.
    pub(crate) fn holding(&self) -> bool {
        self.held.is_some()
    }

    pub(crate) fn hold(&mut self, events: impl IntoIterator<Item = Event>, cx: &mut Ctx) {
        if let Some(held) = self.held.as_mut() {
            held.extend(events);
            if held.len() > MAX_HELD {
                self.release(cx);
            }
        }
    }

    fn release(&mut self, cx: &mut Ctx) {
        self.catching_up = false;
        for event in self.held.take().unwrap_or_default() {
            cx.emit(event);
        }
    }

    /// XEP-0359: a live message our account's archive stamped; its id is the newest we know,
    /// unless a catch-up has yet to read what came before it.
    pub(crate) fn saw_live(&mut self, message: &Element, me: &Identity) {
        if self.catching_up {
            return;
        }
        if let Some(id) = super::message::archive_id(message, me) {
            self.last_id = Some(id);
        }
    }

    /// A message carrying `<result/>`: the archived message inside, if it answers a query of
    /// ours and comes from the archive we asked. `Err` says why it was dropped.
    pub(crate) fn result(
        &mut self,
        mut m: Message,
        me: &Identity,
    ) -> Result<Archived, &'static str> {
        let result = m
            .element
            .take_child("result", ns::MAM)
            .ok_or("not an archive result")?;
        let query = result
            .get_attr("queryid")
            .and_then(|id| self.queries.get_mut(id))
            .ok_or("ignored an archive result nobody asked for")?;
        // Our own archive speaks for our account: no `from` or our bare address.
        let from_archive = if query.archive == *me.bare() {
            me.is_own_account(m.from.as_ref())
        } else {
            m.from
                .as_ref()
                .is_some_and(|f| f.resource().is_none() && f.to_bare() == query.archive)
        };
        if !from_archive {
            return Err("ignored an archive result from another sender");
        }
        query.results += 1;
        if query.results > query.max {
            return Err("ignored archive results beyond the page asked for");
        }
        let purpose = query.purpose;
        let archive = query.archive.clone();
        if purpose == Purpose::CatchUp {
            if let Some(id) = result.get_attr("id") {
                self.last_id = Some(id.to_owned());
            }
        }
        let id = result
            .get_attr("id")
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
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
            queryid: result.get_attr("queryid").unwrap_or_default().to_owned(),
            archive,
            purpose,
            message,
            stamp,
            id,
        })
    }

    /// The answer to a query: §5.2 `<fin/>` with the page's last id and whether it was the
    /// last page. A catch-up goes on after it, or ends and lets the held events through.
    pub(crate) fn answered(
        &mut self,
        request: &MamRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) {
        let Some(query) = self.queries.remove(&request.queryid) else {
            return;
        };
        let fin = result.ok().flatten().filter(|fin| fin.is("fin", ns::MAM));
        let ends = fin.as_ref().and_then(ResultSet::parse).unwrap_or_default();
        let trimmed = |id: Option<String>| {
            id.map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty())
        };
        let (first, last) = (trimmed(ends.first), trimmed(ends.last));
        let complete = fin
            .as_ref()
            .is_none_or(|fin| matches!(fin.get_attr("complete"), Some("true" | "1")));
        match query.purpose {
            // The latest page on entering: where scrolling back starts (kept from the first
            // entry: a later one starts newer).
            Purpose::Room => {
                let history = self.histories.entry(query.archive.clone()).or_default();
                if history.oldest.is_none() {
                    history.oldest = first;
                    history.complete = fin.is_some() && (complete || query.results == 0);
                }
                cx.emit(Event::Room(RoomEvent::History {
                    room: query.archive,
                    messages: Vec::new(),
                    complete: history.complete,
                }));
            }
            Purpose::RoomOlder => {
                // A page without its first id cannot be paged back from: it is all there is.
                let complete = fin.is_some() && (complete || first.is_none());
                self.room_page(query, first, complete, cx);
            }
            Purpose::History => {
                let complete = fin.is_some() && (complete || first.is_none());
                self.history_page(query, first, complete, cx);
            }
            Purpose::Tip => {
                if self.last_id.is_none() {
                    self.last_id = last;
                }
            }
            Purpose::CatchUp => {
                if let Some(last) = last.clone() {
                    self.last_id = Some(last);
                }
                match (complete, last, query.results) {
                    (false, Some(after), 1..) if self.pages < MAX_CATCH_UP_PAGES => {
                        self.catch_up_page(after, cx)
                    }
                    _ => self.release(cx),
                }
            }
        }
    }

    /// A history page is over: the UI gets it whole (oldest first), and the next one ends
    /// before its first id. A page that failed or was cut short can be asked for again.
    fn history_page(&mut self, query: Query, first: Option<String>, complete: bool, cx: &mut Ctx) {
        let Some(peer) = query.with else {
            return;
        };
        let history = self.histories.entry(peer.clone()).or_default();
        let complete = history.read(first, complete, query.page.is_empty());
        cx.emit(Event::Chat(ChatEvent::History {
            peer,
            messages: query.page,
            complete,
        }));
    }

    /// An older page of a room is over: as [`Mam::history_page`], for a room.
    fn room_page(&mut self, query: Query, first: Option<String>, complete: bool, cx: &mut Ctx) {
        let history = self.histories.entry(query.archive.clone()).or_default();
        let complete = history.read(first, complete, query.room_page.is_empty());
        cx.emit(Event::Room(RoomEvent::History {
            room: query.archive,
            messages: query.room_page,
            complete,
        }));
    }

    /// The query got no answer in time: a catch-up ends with what it read.
    pub(crate) fn unanswered(&mut self, request: &MamRequest, cx: &mut Ctx) {
        if let Some(query) = self.queries.remove(&request.queryid) {
            match query.purpose {
                Purpose::CatchUp => self.release(cx),
                Purpose::History => self.history_page(query, None, false, cx),
                Purpose::RoomOlder => self.room_page(query, None, false, cx),
                Purpose::Room | Purpose::Tip => {}
            }
        }
    }

    /// The query's connection went: its results are over, and a catch-up waits for the next
    /// session; a history page can be asked for again.
    pub(crate) fn interrupted(&mut self, request: &MamRequest, cx: &mut Ctx) {
        if let Some(query) = self.queries.remove(&request.queryid) {
            match query.purpose {
                Purpose::History => self.history_page(query, None, false, cx),
                Purpose::RoomOlder => self.room_page(query, None, false, cx),
                _ => {}
            }
        }
    }

    /// Signed out: no session will finish the pass, so what it held shows now.
    pub(crate) fn signed_out(&mut self, cx: &mut Ctx) {
        self.release(cx);
    }
}
