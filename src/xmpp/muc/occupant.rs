//! XEP-0045 §5 roles and affiliations, and the `<x xmlns='…muc#user'/>` a room adds to its
//! presence (§7.2.2-§7.2.4, §9, §10.9): the occupant's item, its status codes, a destruction notice.

use super::super::jid::BareJid;
use super::super::ns;
use super::super::presence::Availability;
use super::super::xml::Element;

/// §5.1 roles: what an occupant may do in the room now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Moderator,
    Participant,
    Visitor,
    None,
}

impl Role {
    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("moderator") => Self::Moderator,
            Some("participant") => Self::Participant,
            Some("visitor") => Self::Visitor,
            _ => Self::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moderator => "moderator",
            Self::Participant => "participant",
            Self::Visitor => "visitor",
            Self::None => "none",
        }
    }
}

/// §5.2 affiliations: the occupant's lasting standing with the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Affiliation {
    Owner,
    Admin,
    Member,
    Outcast,
    None,
}

impl Affiliation {
    fn parse(value: Option<&str>) -> Self {
        match value {
            Some("owner") => Self::Owner,
            Some("admin") => Self::Admin,
            Some("member") => Self::Member,
            Some("outcast") => Self::Outcast,
            _ => Self::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Member => "member",
            Self::Outcast => "outcast",
            Self::None => "none",
        }
    }
}

/// One person in a room, as the room reports them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Occupant {
    /// Untrusted text: render as text.
    pub nick: String,
    pub role: Role,
    pub affiliation: Affiliation,
    pub availability: Availability,
    /// Untrusted text, cut to [`MAX_STATUS_CHARS`](super::super::presence::MAX_STATUS_CHARS).
    pub status: Option<String>,
    /// The account behind the nick, where the room shows it (non-anonymous rooms, moderators).
    pub jid: Option<BareJid>,
}

/// The `muc#user` payload of a room's presence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MucUser {
    pub role: Option<Role>,
    pub affiliation: Option<Affiliation>,
    pub jid: Option<BareJid>,
    /// §7.6, status 303: the new nick.
    pub new_nick: Option<String>,
    /// §9.1, §9.2, §10.9: why someone was removed, or why the room was destroyed.
    pub reason: Option<String>,
    pub codes: Vec<u16>,
    /// §10.9: the room was destroyed; `Some(alternate)` where the room names a successor.
    pub destroyed: Option<Option<BareJid>>,
}

impl MucUser {
    /// Status codes read per presence; real rooms send two or three.
    const MAX_CODES: usize = 16;

    pub fn parse(presence: &Element) -> Option<Self> {
        let x = presence.get_child("x", ns::MUC_USER)?;
        let mut user = MucUser::default();
        if let Some(item) = x.get_child("item", ns::MUC_USER) {
            user.role = Some(Role::parse(item.get_attr("role")));
            user.affiliation = Some(Affiliation::parse(item.get_attr("affiliation")));
            user.jid = item
                .get_attr("jid")
                .and_then(|j| super::super::jid::Jid::new(j).ok())
                .map(|j| j.to_bare());
            user.new_nick = item.get_attr("nick").map(str::to_owned);
            user.reason = item
                .get_child("reason", ns::MUC_USER)
                .map(Element::text_content);
        }
        user.codes = x
            .elements()
            .filter(|e| e.is("status", ns::MUC_USER))
            .filter_map(|e| e.get_attr("code")?.parse().ok())
            .take(Self::MAX_CODES)
            .collect();
        if let Some(destroy) = x.get_child("destroy", ns::MUC_USER) {
            let alternate = destroy.get_attr("jid").and_then(|j| BareJid::new(j).ok());
            user.destroyed = Some(alternate);
            user.reason = destroy
                .get_child("reason", ns::MUC_USER)
                .map(Element::text_content);
        }
        Some(user)
    }

    pub fn has(&self, code: u16) -> bool {
        self.codes.contains(&code)
    }
}
