//! The roster: RFC 6121 §2 (retrieval, pushes) as data the UI can show.

use super::jid::BareJid;
use super::ns;
use super::xml::Element;

/// RFC 6121 §2.1.2.5. `Remove` only appears in pushes and means the item is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscription {
    None,
    To,
    From,
    Both,
    Remove,
}

impl Subscription {
    fn parse(value: Option<&str>) -> Self {
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

/// The roster get request (RFC 6121 §2.1.3).
pub fn query() -> Element {
    Element::new("query", ns::ROSTER)
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
