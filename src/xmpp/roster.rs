//! The roster: RFC 6121 §2: retrieval (§2.1.3), pushes (§2.1.6), adding or changing (§2.3, §2.4)
//! and removing (§2.5) contacts, and versioning (§2.6): with a version the server knows, an
//! unchanged roster costs one empty answer instead of every item again, after a reconnect and
//! (from a remembered device's copy) after a reload. The core keeps the items, so subscription
//! policy and presence know who is a contact; the UI gets them as [`RosterEvent`]s.

use super::context::Ctx;
use super::error::SendError;
use super::event::{Event, RosterEvent};
use super::jid::BareJid;
use super::ns;
use super::request::Owner;
use super::stanza::{build, Iq, IqType, StanzaError};
use super::xml::{check_xml_text, Element};
use std::collections::HashMap;

/// RFC 6121 §2.1.2.5. `Remove` only appears in pushes and means the item is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subscription {
    None,
    To,
    From,
    Both,
    Remove,
}

impl Subscription {
    pub(crate) fn parse(value: Option<&str>) -> Self {
        match value {
            Some("to") => Self::To,
            Some("from") => Self::From,
            Some("both") => Self::Both,
            Some("remove") => Self::Remove,
            // RFC 6121 §2.1.2.5: absent or unknown means "none".
            _ => Self::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::To => "to",
            Self::From => "from",
            Self::Both => "both",
            Self::Remove => "remove",
        }
    }

    /// We see their presence.
    pub fn is_following(self) -> bool {
        matches!(self, Self::To | Self::Both)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterItem {
    pub jid: BareJid,
    /// The name the user gave the contact, if any. Untrusted text: render as text.
    pub name: Option<String>,
    pub subscription: Subscription,
    /// RFC 6121 §2.1.2.2: an outbound subscription request is pending.
    pub ask_pending: bool,
    pub groups: Vec<String>,
}

impl RosterItem {
    /// What to show for the contact: its name, else its address.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => n.clone(),
            _ => self.jid.to_string(),
        }
    }
}

/// What a roster request was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterRequest {
    /// The roster; `by_version` when asked with a version (§2.6.2), so that an empty answer
    /// means "unchanged".
    Get { by_version: bool },
    /// Adding, changing or removing this contact.
    Set(BareJid),
}

/// The longest version string kept; the RFC leaves it opaque, servers use a counter or a hash.
pub const MAX_VERSION_CHARS: usize = 256;

/// A roster kept from an earlier session, whole, with the version the server gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterCache {
    pub items: Vec<RosterItem>,
    pub version: String,
}

/// The account's contacts as the server last told us.
#[derive(Debug, Default)]
pub struct Roster {
    items: HashMap<BareJid, RosterItem>,
    /// RFC 6121 §2.6: the version of exactly `items`, if the server gave one.
    version: Option<String>,
}

/// A version worth keeping: one XML can carry, of a bounded length.
fn usable_version(version: Option<&str>) -> Option<String> {
    version
        .filter(|v| v.chars().count() <= MAX_VERSION_CHARS && check_xml_text(v).is_ok())
        .map(str::to_owned)
}

impl Roster {
    pub fn get(&self, jid: &BareJid) -> Option<&RosterItem> {
        self.items.get(jid)
    }

    /// RFC 6121 §3: `jid` is subscribed to our presence.
    pub fn shares_presence_with(&self, jid: &BareJid) -> bool {
        self.get(jid).is_some_and(|item| {
            matches!(item.subscription, Subscription::From | Subscription::Both)
        })
    }

    pub fn contains(&self, jid: &BareJid) -> bool {
        self.items.contains_key(jid)
    }

    pub fn items(&self) -> impl ExactSizeIterator<Item = &RosterItem> {
        self.items.values()
    }

    /// RFC 6121 §2.6: the version the items are at, for a cache of them.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// Takes a cached roster as the starting point, before the first login; a roster the
    /// server already sent wins.
    pub(crate) fn restore(&mut self, cache: RosterCache) {
        if !self.items.is_empty() || self.version.is_some() {
            return;
        }
        let Some(version) = usable_version(Some(&cache.version)) else {
            return;
        };
        self.items = cache
            .items
            .into_iter()
            .filter(|i| i.subscription != Subscription::Remove)
            .map(|i| (i.jid.clone(), i))
            .collect();
        self.version = Some(version);
    }

    /// RFC 6121 §2.1.3: asks for the roster; a login step. Where the server offers versioning
    /// (§2.6.1) the request carries the version we hold, or an empty one to start (§2.6.2).
    pub(crate) fn request(&self, versioning: bool, cx: &mut Ctx) {
        let query = Element::new("query", ns::ROSTER);
        let query = if versioning {
            query.attr("ver", self.version.as_deref().unwrap_or(""))
        } else {
            query
        };
        cx.request(
            IqType::Get,
            query,
            Owner::Roster(RosterRequest::Get {
                by_version: versioning,
            }),
        );
    }

    /// The answer to a roster request. A server without a roster (an error) still lets the
    /// person chat, so a failed get is an empty roster.
    pub(crate) fn answered(
        &mut self,
        request: RosterRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) {
        match (request, result) {
            (RosterRequest::Get { by_version }, result) => {
                let items = match result {
                    Ok(Some(query)) if query.is("query", ns::ROSTER) => {
                        self.version = if by_version {
                            usable_version(query.get_attr("ver"))
                        } else {
                            None
                        };
                        parse_query(&query)
                    }
                    // §2.6.3: no items for a version the server knows; pushes bring any change.
                    Ok(None) if by_version && self.version.is_some() => {
                        let items = self.items.values().cloned().collect();
                        cx.emit(Event::Roster(RosterEvent::Loaded(items)));
                        return;
                    }
                    Ok(_) => {
                        self.version = None;
                        Vec::new()
                    }
                    // After a reconnect, a roster we already have beats none at all.
                    Err(_) if !self.items.is_empty() => {
                        cx.warn("the server did not send the roster again; keeping the last one");
                        return;
                    }
                    Err(_) => Vec::new(),
                };
                self.items = items.iter().map(|i| (i.jid.clone(), i.clone())).collect();
                cx.emit(Event::Roster(RosterEvent::Loaded(items)));
            }
            // The server's push carries the change itself (RFC 6121 §2.1.6).
            (RosterRequest::Set(_), Ok(_)) => {}
            (RosterRequest::Set(jid), Err(error)) => {
                cx.emit(Event::Roster(RosterEvent::ChangeFailed { jid, error }))
            }
        }
    }

    /// A roster change that got no answer before the deadline or the end of the connection.
    pub(crate) fn unanswered(&self, request: RosterRequest, cx: &mut Ctx) {
        if let RosterRequest::Set(jid) = request {
            cx.emit(Event::Roster(RosterEvent::ChangeFailed {
                jid,
                error: StanzaError::new("wait", "remote-server-timeout"),
            }));
        }
    }

    /// RFC 6121 §2.1.6: a push from our own server, carrying exactly one item. Returns the
    /// item applied, for modules that follow the roster.
    pub(crate) fn push(&mut self, iq: &Iq, cx: &mut Ctx) -> Option<RosterItem> {
        let to = iq.from.as_ref().map(|j| j.to_string());
        // Pushes from anyone but our own account are forged.
        if !cx.me.is_own_account(iq.from.as_ref()) {
            cx.warn("ignored a roster push from another entity");
            cx.send(&build::iq_error(
                &iq.id,
                to.as_deref(),
                "cancel",
                "service-unavailable",
            ));
            return None;
        }
        let items = iq.payload.as_ref().map(parse_query).unwrap_or_default();
        let Ok([item]) = <[RosterItem; 1]>::try_from(items) else {
            cx.warn("ignored a roster push without exactly one item");
            cx.send(&build::iq_error(
                &iq.id,
                to.as_deref(),
                "modify",
                "bad-request",
            ));
            return None;
        };
        cx.send(&build::iq(IqType::Result, &iq.id, to.as_deref(), None));
        // §2.6.3: a push carries the version the roster is at once it is applied.
        if self.version.is_some() {
            self.version = usable_version(iq.payload.as_ref().and_then(|q| q.get_attr("ver")));
        }
        if item.subscription == Subscription::Remove {
            self.items.remove(&item.jid);
        } else {
            self.items.insert(item.jid.clone(), item.clone());
        }
        cx.emit(Event::Roster(RosterEvent::Pushed(item.clone())));
        Some(item)
    }

    /// RFC 6121 §2.3, §2.4: adds or replaces the item of `jid` with a name (blank means none)
    /// and groups, validated first.
    pub(crate) fn set(
        &self,
        jid: &BareJid,
        name: Option<&str>,
        groups: &[String],
        cx: &mut Ctx,
    ) -> Result<(), SendError> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        for text in name.into_iter().chain(groups.iter().map(String::as_str)) {
            check_xml_text(text).map_err(SendError::InvalidText)?;
        }
        let item = groups.iter().fold(
            Element::new("item", ns::ROSTER)
                .attr("jid", jid.as_str())
                .attr_opt("name", name),
            |item, group| item.text_child("group", ns::ROSTER, group.as_str()),
        );
        self.send_set(jid, item, cx)
    }

    /// RFC 6121 §2.5: removes `jid`; the server cancels the subscriptions both ways.
    pub(crate) fn remove(&self, jid: &BareJid, cx: &mut Ctx) -> Result<(), SendError> {
        let item = Element::new("item", ns::ROSTER)
            .attr("jid", jid.as_str())
            .attr("subscription", "remove");
        self.send_set(jid, item, cx)
    }

    fn send_set(&self, jid: &BareJid, item: Element, cx: &mut Ctx) -> Result<(), SendError> {
        let query = Element::new("query", ns::ROSTER).child(item);
        cx.try_request(
            IqType::Set,
            None,
            query,
            Owner::Roster(RosterRequest::Set(jid.clone())),
        )?;
        Ok(())
    }
}

/// Reads the items of a `<query xmlns='jabber:iq:roster'/>`; items with invalid JIDs are skipped.
pub fn parse_query(query: &Element) -> Vec<RosterItem> {
    query
        .elements()
        .filter(|e| e.is("item", ns::ROSTER))
        .filter_map(parse_item)
        .collect()
}

fn parse_item(item: &Element) -> Option<RosterItem> {
    let jid = BareJid::new(item.get_attr("jid")?).ok()?;
    Some(RosterItem {
        jid,
        name: item.get_attr("name").map(str::to_owned),
        subscription: Subscription::parse(item.get_attr("subscription")),
        ask_pending: item.get_attr("ask") == Some("subscribe"),
        groups: item
            .elements()
            .filter(|g| g.is("group", ns::ROSTER))
            .map(Element::text_content)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmpp::xml::parse_frame;

    #[test]
    fn items_parse_with_defaults_and_groups() {
        let q = parse_frame(
            "<query xmlns='jabber:iq:roster' ver='1'>\
               <item jid='Bob@Localhost' name='Bob &amp; co' subscription='both'><group>Friends</group></item>\
               <item jid='carol@localhost' ask='subscribe'/>\
               <item jid='not a jid@@'/>\
               <item name='no jid'/>\
               <unknown xmlns='x'/>\
             </query>",
        )
        .unwrap()
        .unwrap();
        let items = parse_query(&q);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].jid.as_str(), "bob@localhost");
        assert_eq!(items[0].name.as_deref(), Some("Bob & co"));
        assert_eq!(items[0].subscription, Subscription::Both);
        assert_eq!(items[0].groups, vec!["Friends".to_owned()]);
        assert_eq!(items[1].subscription, Subscription::None);
        assert!(items[1].ask_pending);
        assert_eq!(items[1].display_name(), "carol@localhost");
    }
}
