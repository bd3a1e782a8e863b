//! Room bookmarks: XEP-0402 (PEP native bookmarks, `urn:xmpp:bookmarks:1`: one item per room,
//! published with the §5 publish-options so only we can read them), and XEP-0048 in XEP-0049
//! private storage for servers without it (one document holding every bookmark).
//!
//! At login the list is fetched; the rooms marked autojoin are returned for the client to enter.
//! A server that answers the PEP query with anything but "no such node" is taken not to have
//! XEP-0402, and private storage is used from then on.

use super::context::Ctx;
use super::data_form;
use super::event::{Event, RoomEvent};
use super::jid::BareJid;
use super::ns;
use super::request::Owner;
use super::stanza::{IqType, StanzaError};
use super::xml::{check_xml_text, Element};
use super::SendError;
use std::collections::BTreeMap;

/// Bookmarks read at most; a hostile or broken store cannot make us join thousands of rooms.
pub const MAX_BOOKMARKS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bookmark {
    pub room: BareJid,
    /// Untrusted text (it may come from another client of ours).
    pub name: Option<String>,
    pub autojoin: bool,
    pub nick: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookmarksRequest {
    Fetch,
    FetchLegacy,
    /// Publishing (XEP-0402) or storing the whole list (XEP-0048) after a change.
    Store,
}

#[derive(Debug, Default)]
pub struct Bookmarks {
    items: BTreeMap<BareJid, Bookmark>,
    legacy: bool,
    /// The list was read this session: changes may be written.
    loaded: bool,
    /// What private storage held besides conferences (XEP-0048 `<url/>` items): written back.
    legacy_other: Vec<Element>,
}

impl Bookmarks {
    pub(crate) fn fetch(&mut self, cx: &mut Ctx) {
        if self.legacy {
            return self.fetch_legacy(cx);
        }
        let query = Element::new("pubsub", ns::PUBSUB)
            .child(Element::new("items", ns::PUBSUB).attr("node", ns::BOOKMARKS));
        cx.request(
            IqType::Get,
            query,
            Owner::Bookmarks(BookmarksRequest::Fetch),
        );
    }

    fn fetch_legacy(&mut self, cx: &mut Ctx) {
        self.legacy = true;
        let query =
            Element::new("query", ns::PRIVATE).child(Element::new("storage", ns::BOOKMARKS_LEGACY));
        cx.request(
            IqType::Get,
            query,
            Owner::Bookmarks(BookmarksRequest::FetchLegacy),
        );
    }

    /// An answer; returns the bookmarks to join now (autojoin, after a fetch).
    pub(crate) fn answered(
        &mut self,
        request: BookmarksRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) -> Vec<Bookmark> {
        match (request, result) {
            (BookmarksRequest::Fetch, Ok(payload)) => {
                self.items = payload.as_ref().map(read_pep).unwrap_or_default();
                self.loaded = true;
            }
            (BookmarksRequest::Fetch, Err(e)) if e.condition == "item-not-found" => {
                self.items.clear();
                self.loaded = true;
            }
            (BookmarksRequest::Fetch, Err(_)) => {
                self.fetch_legacy(cx);
                return Vec::new();
            }
            (BookmarksRequest::FetchLegacy, Ok(payload)) => {
                let storage = payload
                    .as_ref()
                    .and_then(|q| q.get_child("storage", ns::BOOKMARKS_LEGACY));
                self.items = storage.map(read_legacy).unwrap_or_default();
                self.legacy_other = storage
                    .map(|s| {
                        s.elements()
                            .filter(|c| !c.is("conference", ns::BOOKMARKS_LEGACY))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                self.loaded = true;
            }
            // Unreadable: nothing is shown, and nothing is written over what may be there.
            (BookmarksRequest::FetchLegacy, Err(_)) => self.items.clear(),
            (BookmarksRequest::Store, Ok(_)) => return Vec::new(),
            (BookmarksRequest::Store, Err(error)) => {
                cx.emit(Event::Room(RoomEvent::BookmarkFailed(error)));
                return Vec::new();
            }
        }
        self.report(cx);
        self.items
            .values()
            .filter(|b| b.autojoin)
            .cloned()
            .collect()
    }

    /// Adds or changes a bookmark.
    pub(crate) fn set(&mut self, bookmark: Bookmark, cx: &mut Ctx) -> Result<(), SendError> {
        if !self.loaded {
            return Err(SendError::NotLoaded);
        }
        for text in [&bookmark.name, &bookmark.nick, &bookmark.password]
            .into_iter()
            .flatten()
        {
            check_xml_text(text).map_err(SendError::InvalidText)?;
        }
        self.items.insert(bookmark.room.clone(), bookmark.clone());
        if self.legacy {
            self.store_legacy(cx);
        } else {
            let item = Element::new("item", ns::PUBSUB)
                .attr("id", bookmark.room.as_str())
                .child(conference(&bookmark, ns::BOOKMARKS));
            let pubsub = Element::new("pubsub", ns::PUBSUB)
                .child(
                    Element::new("publish", ns::PUBSUB)
                        .attr("node", ns::BOOKMARKS)
                        .child(item),
                )
                .child(Element::new("publish-options", ns::PUBSUB).child(publish_options()));
            cx.request(
                IqType::Set,
                pubsub,
                Owner::Bookmarks(BookmarksRequest::Store),
            );
        }
        self.report(cx);
        Ok(())
    }

    pub(crate) fn remove(&mut self, room: &BareJid, cx: &mut Ctx) -> Result<(), SendError> {
        if !self.loaded {
            return Err(SendError::NotLoaded);
        }
        if self.items.remove(room).is_none() {
            return Ok(());
        }
        if self.legacy {
            self.store_legacy(cx);
        } else {
            let retract = Element::new("retract", ns::PUBSUB)
                .attr("node", ns::BOOKMARKS)
                .attr("notify", "true")
                .child(Element::new("item", ns::PUBSUB).attr("id", room.as_str()));
            cx.request(
                IqType::Set,
                Element::new("pubsub", ns::PUBSUB).child(retract),
                Owner::Bookmarks(BookmarksRequest::Store),
            );
        }
        self.report(cx);
        Ok(())
    }

    fn store_legacy(&mut self, cx: &mut Ctx) {
        let storage = self
            .items
            .values()
            .fold(Element::new("storage", ns::BOOKMARKS_LEGACY), |s, b| {
                s.child(conference(b, ns::BOOKMARKS_LEGACY).attr("jid", b.room.as_str()))
            });
        let storage = self
            .legacy_other
            .iter()
            .cloned()
            .fold(storage, Element::child);
        cx.request(
            IqType::Set,
            Element::new("query", ns::PRIVATE).child(storage),
            Owner::Bookmarks(BookmarksRequest::Store),
        );
    }

    fn report(&self, cx: &mut Ctx) {
        cx.emit(Event::Room(RoomEvent::Bookmarks(
            self.items.values().cloned().collect(),
        )));
    }
}

/// `<conference/>` as both specifications write it (XEP-0402 §3, XEP-0048 §3.2).
fn conference(bookmark: &Bookmark, namespace: &str) -> Element {
    let mut el = Element::new("conference", namespace)
        .attr("autojoin", if bookmark.autojoin { "true" } else { "false" })
        .attr_opt("name", bookmark.name.clone());
    if let Some(nick) = &bookmark.nick {
        el = el.text_child("nick", namespace, nick.as_str());
    }
    if let Some(password) = &bookmark.password {
        el = el.text_child("password", namespace, password.as_str());
    }
    el
}

/// XEP-0402 §5 (and XEP-0223): kept, as many as we like, readable only by us.
fn publish_options() -> Element {
    data_form::submit(
        "http://jabber.org/protocol/pubsub#publish-options",
        &[
            ("pubsub#persist_items", "true"),
            ("pubsub#max_items", "max"),
            ("pubsub#send_last_published_item", "never"),
            ("pubsub#access_model", "whitelist"),
        ],
    )
}

fn read_conference(el: &Element, room: BareJid, namespace: &str) -> Bookmark {
    let text = |name| {
        el.get_child(name, namespace)
            .map(Element::text_content)
            .filter(|t| !t.is_empty())
    };
    Bookmark {
        room,
        name: el.get_attr("name").map(str::to_owned),
        autojoin: matches!(el.get_attr("autojoin"), Some("true" | "1")),
        nick: text("nick"),
        password: text("password"),
    }
}

fn read_pep(pubsub: &Element) -> BTreeMap<BareJid, Bookmark> {
    let Some(items) = pubsub.get_child("items", ns::PUBSUB) else {
        return BTreeMap::new();
    };
    items
        .elements()
        .filter(|i| i.is("item", ns::PUBSUB))
        .filter_map(|item| {
            let room = BareJid::new(item.get_attr("id")?).ok()?;
            let conference = item.get_child("conference", ns::BOOKMARKS)?;
            Some((
                room.clone(),
                read_conference(conference, room, ns::BOOKMARKS),
            ))
        })
        .take(MAX_BOOKMARKS)
        .collect()
}

fn read_legacy(storage: &Element) -> BTreeMap<BareJid, Bookmark> {
    storage
        .elements()
        .filter(|c| c.is("conference", ns::BOOKMARKS_LEGACY))
        .filter_map(|c| {
            let room = BareJid::new(c.get_attr("jid")?).ok()?;
            Some((room.clone(), read_conference(c, room, ns::BOOKMARKS_LEGACY)))
        })
        .take(MAX_BOOKMARKS)
        .collect()
}
