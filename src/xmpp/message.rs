//! One-to-one chat messages: RFC 6121 §5, with XEP-0359 origin ids so a message keeps one id from
//! the composer to the peer, and XEP-0085 chat states.

use super::delay::{self, UnixMillis};
use super::jid::{BareJid, Jid};
use super::ns;
use super::stanza::Message;
use super::xml::{check_xml_text, Element, XmlError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
        }
    }
}

/// A chat message as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// The origin id if the sender set one, else the stanza id; stable across echoes.
    pub id: String,
    /// The conversation this belongs to: the peer's bare JID.
    pub peer: BareJid,
    pub direction: Direction,
    /// Untrusted text: render as text.
    pub body: String,
    /// XEP-0203: when it was sent, if it arrived late (offline storage, carbons of old messages).
    /// `None` means now.
    pub sent_at: Option<UnixMillis>,
}

/// XEP-0085 states a peer can be in while chatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatState {
    Active,
    Composing,
    Paused,
    Inactive,
    Gone,
}

impl ChatState {
    fn parse(message: &Element) -> Option<Self> {
        message
            .elements()
            .filter(|e| e.ns == ns::CHATSTATES)
            .find_map(|e| {
                Some(match e.name.as_str() {
                    "active" => Self::Active,
                    "composing" => Self::Composing,
                    "paused" => Self::Paused,
                    "inactive" => Self::Inactive,
                    "gone" => Self::Gone,
                    _ => return None,
                })
            })
    }
}

/// Why a message cannot be sent. Nothing is put on the wire in that case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    Empty,
    NotOnline,
    InvalidText(XmlError),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("the message is empty"),
            Self::NotOnline => f.write_str("not connected: the message was not sent"),
            Self::InvalidText(e) => write!(f, "the message cannot be sent: {e}"),
        }
    }
}

/// Builds `<message type='chat'>` with a body, an origin id (XEP-0359) and `<active/>` (XEP-0085).
pub fn build_chat(to: &BareJid, id: &str, body: &str) -> Result<Element, SendError> {
    if body.trim().is_empty() {
        return Err(SendError::Empty);
    }
    check_xml_text(body).map_err(SendError::InvalidText)?;
    Ok(Element::new("message", ns::CLIENT)
        .attr("to", to.as_str())
        .attr("type", "chat")
        .attr("id", id)
        .text_child("body", ns::CLIENT, body)
        .child(Element::new("origin-id", ns::SID).attr("id", id))
        .child(Element::new("active", ns::CHATSTATES)))
}

/// Builds a standalone chat state notification (XEP-0085 §5).
pub fn build_chat_state(to: &BareJid, composing: bool) -> Element {
    let state = if composing { "composing" } else { "paused" };
    Element::new("message", ns::CLIENT)
        .attr("to", to.as_str())
        .attr("type", "chat")
        .child(Element::new(state, ns::CHATSTATES))
        .child(Element::new("no-store", "urn:xmpp:hints"))
}

/// What an incoming `<message/>` means for one-to-one chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Chat(ChatMessage),
    State { peer: BareJid, state: ChatState },
}

/// Reads a chat or normal message from a peer. Group chat, headlines and body-less messages without
/// a chat state are not one-to-one chat and give `None`.
pub fn classify(message: &Message, fallback_id: impl FnOnce() -> String) -> Option<Incoming> {
    if !matches!(
        message.kind.as_deref(),
        None | Some("chat") | Some("normal")
    ) {
        return None;
    }
    let from: &Jid = message.from.as_ref()?;
    let peer = from.to_bare();
    match &message.body {
        Some(body) => {
            let id = message
                .origin_id
                .clone()
                .or_else(|| message.id.clone())
                .unwrap_or_else(fallback_id);
            Some(Incoming::Chat(ChatMessage {
                id,
                peer,
                direction: Direction::In,
                body: body.clone(),
                sent_at: delay::stamp(&message.element),
            }))
        }
        None => ChatState::parse(&message.element).map(|state| Incoming::State { peer, state }),
    }
}
