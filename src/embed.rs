//! Embedding: the page's address in embed mode and the iframe API, version 1 (`docs/embedding.md`).
//!
//! Pure, tested natively: [`EmbedRequest`] reads the query (`?embed=1`, `?room=…&nick=…`,
//! `?chat=…`), [`HostCommand`] is what a parent page may ask, parsed strictly from the JSON of a
//! `postMessage` (unknown types, unknown keys, wrong types and addresses that do not parse are
//! refused, so a malformed message does nothing), and [`Notice`] is what Parley tells the parent.
//! Which origins are heard is the config's `embed.allowed_origins`; the browser side
//! (`ui::embed`) checks the origin and the sender before anything here sees a message.

use crate::xmpp::jid::BareJid;
use crate::xmpp::Availability;
use serde::{Deserialize, Serialize};

/// The `parley` field of every message, both ways.
pub const API_VERSION: u32 = 1;
/// Longer messages are not parsed at all.
pub const MAX_COMMAND_BYTES: usize = 4096;
const MAX_STATUS_CHARS: usize = 500;

/// What the page's address asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedRequest {
    /// The compact layout (`?embed=1`).
    pub embed: bool,
    /// The one conversation to show: a room (with the nick to enter it with) or a chat.
    pub only: Option<Only>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Only {
    Room { room: BareJid, nick: Option<String> },
    Chat(BareJid),
}

impl Only {
    pub fn conversation(&self) -> &BareJid {
        match self {
            Self::Room { room, .. } => room,
            Self::Chat(peer) => peer,
        }
    }
}

impl EmbedRequest {
    /// From the query's parameters (`get` answers one parameter, decoded). An address that does
    /// not parse is ignored: the page then shows the usual lists rather than nothing.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let embed = get("embed").is_some_and(|v| v == "1" || v == "true");
        let address = |key: &str| {
            get(key)
                .and_then(|v| BareJid::new(v.trim()).ok())
                .filter(|jid| jid.node().is_some())
        };
        let nick = get("nick")
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        let only = match (address("room"), address("chat")) {
            (Some(room), _) => Some(Only::Room { room, nick }),
            (None, Some(peer)) => Some(Only::Chat(peer)),
            (None, None) => None,
        };
        Self {
            // A single conversation is always shown compact: there is nothing beside it.
            embed: embed || only.is_some(),
            only,
        }
    }
}

/// What the parent page may ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCommand {
    OpenChat(BareJid),
    OpenRoom {
        room: BareJid,
        nick: Option<String>,
    },
    SetPresence {
        show: Availability,
        status: Option<String>,
    },
    Logout,
}

/// Why a message from the parent was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    TooLarge,
    /// Not JSON of a known shape: the serde message says what.
    Malformed(String),
    WrongVersion(u32),
    BadAddress,
    StatusTooLong,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
enum RawCommand {
    OpenChat {
        parley: u32,
        jid: String,
    },
    OpenRoom {
        parley: u32,
        jid: String,
        nick: Option<String>,
    },
    SetPresence {
        parley: u32,
        show: RawShow,
        status: Option<String>,
    },
    Logout {
        parley: u32,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawShow {
    Available,
    Away,
    Dnd,
    Xa,
}

impl HostCommand {
    /// Parses the JSON text of a message's data.
    pub fn parse(json: &str) -> Result<Self, Refused> {
        if json.len() > MAX_COMMAND_BYTES {
            return Err(Refused::TooLarge);
        }
        let raw: RawCommand =
            serde_json::from_str(json).map_err(|e| Refused::Malformed(e.to_string()))?;
        let version = match &raw {
            RawCommand::OpenChat { parley, .. }
            | RawCommand::OpenRoom { parley, .. }
            | RawCommand::SetPresence { parley, .. }
            | RawCommand::Logout { parley } => *parley,
        };
        if version != API_VERSION {
            return Err(Refused::WrongVersion(version));
        }
        let address = |jid: &str| {
            BareJid::new(jid.trim())
                .ok()
                .filter(|j| j.node().is_some())
                .ok_or(Refused::BadAddress)
        };
        Ok(match raw {
            RawCommand::OpenChat { jid, .. } => Self::OpenChat(address(&jid)?),
            RawCommand::OpenRoom { jid, nick, .. } => Self::OpenRoom {
                room: address(&jid)?,
                nick: nick.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
            },
            RawCommand::SetPresence { show, status, .. } => {
                if status
                    .as_ref()
                    .is_some_and(|s| s.chars().count() > MAX_STATUS_CHARS)
                {
                    return Err(Refused::StatusTooLong);
                }
                Self::SetPresence {
                    show: match show {
                        RawShow::Available => Availability::Available,
                        RawShow::Away => Availability::Away,
                        RawShow::Dnd => Availability::Dnd,
                        RawShow::Xa => Availability::Xa,
                    },
                    status: status.filter(|s| !s.trim().is_empty()),
                }
            }
            RawCommand::Logout { .. } => Self::Logout,
        })
    }
}

/// What Parley tells the parent page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Notice {
    /// The app is running and listening.
    Ready,
    Connected {
        jid: String,
    },
    Disconnected,
    /// Unread messages in all conversations.
    Unread {
        count: u32,
    },
    /// A new message arrived; `body` only where the config allows it.
    Message {
        conversation: String,
        from: String,
        room: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
}

impl Notice {
    /// The message's JSON, with the version.
    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("parley".into(), API_VERSION.into());
        }
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> EmbedRequest {
        EmbedRequest::from_query(|key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_query_names_the_embed_and_its_conversation() {
        assert_eq!(query(&[]), EmbedRequest::default());
        assert!(query(&[("embed", "1")]).embed);
        assert!(!query(&[("embed", "0")]).embed);
        let room = query(&[("room", "lobby@conference.localhost"), ("nick", " Ann ")]);
        assert!(room.embed);
        assert_eq!(
            room.only,
            Some(Only::Room {
                room: BareJid::new("lobby@conference.localhost").unwrap(),
                nick: Some("Ann".into())
            })
        );
        let chat = query(&[("chat", "bob@localhost")]);
        assert_eq!(
            chat.only,
            Some(Only::Chat(BareJid::new("bob@localhost").unwrap()))
        );
        // Not an address of a room or a person: the usual lists, not a broken view.
        assert_eq!(query(&[("room", "conference.localhost")]).only, None);
        assert_eq!(query(&[("chat", "a@b/c")]).only, None);
    }

    #[test]
    fn commands_parse_strictly() {
        assert_eq!(
            HostCommand::parse(r#"{"parley":1,"type":"open-chat","jid":"bob@localhost"}"#),
            Ok(HostCommand::OpenChat(
                BareJid::new("bob@localhost").unwrap()
            ))
        );
        assert_eq!(
            HostCommand::parse(
                r#"{"parley":1,"type":"set-presence","show":"away","status":"At lunch"}"#
            ),
            Ok(HostCommand::SetPresence {
                show: Availability::Away,
                status: Some("At lunch".into())
            })
        );
        assert_eq!(
            HostCommand::parse(r#"{"parley":1,"type":"logout"}"#),
            Ok(HostCommand::Logout)
        );
        for bad in [
            r#"{"parley":1,"type":"open-chat"}"#,
            r#"{"parley":1,"type":"open-chat","jid":"bob@localhost","extra":1}"#,
            r#"{"parley":1,"type":"format-disk"}"#,
            r#"{"parley":1,"type":"set-presence","show":"chatty"}"#,
            r#"{"type":"logout"}"#,
            r#""logout""#,
            "null",
            "{",
        ] {
            assert!(
                matches!(HostCommand::parse(bad), Err(Refused::Malformed(_))),
                "{bad}"
            );
        }
        assert_eq!(
            HostCommand::parse(r#"{"parley":2,"type":"logout"}"#),
            Err(Refused::WrongVersion(2))
        );
        assert_eq!(
            HostCommand::parse(r#"{"parley":1,"type":"open-chat","jid":"<script>"}"#),
            Err(Refused::BadAddress)
        );
        let long = format!(
            r#"{{"parley":1,"type":"set-presence","show":"dnd","status":"{}"}}"#,
            "x".repeat(501)
        );
        assert_eq!(HostCommand::parse(&long), Err(Refused::StatusTooLong));
        let huge = format!(
            r#"{{"parley":1,"type":"logout","x":"{}"}}"#,
            "x".repeat(5000)
        );
        assert_eq!(HostCommand::parse(&huge), Err(Refused::TooLarge));
    }

    #[test]
    fn notices_carry_the_version_and_no_body_unless_given() {
        assert_eq!(Notice::Ready.to_json(), r#"{"parley":1,"type":"ready"}"#);
        let message = Notice::Message {
            conversation: "bob@localhost".into(),
            from: "bob@localhost".into(),
            room: false,
            body: None,
        };
        let json: serde_json::Value = serde_json::from_str(&message.to_json()).unwrap();
        assert_eq!(json["type"], "message");
        assert!(json.get("body").is_none());
        assert_eq!(
            Notice::Unread { count: 3 }.to_json(),
            r#"{"count":3,"parley":1,"type":"unread"}"#
        );
    }
}
