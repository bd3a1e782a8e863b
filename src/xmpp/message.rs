//! One-to-one chat messages: RFC 6121 §5, with XEP-0359 origin ids so a message keeps one id from
//! the composer to the peer, XEP-0085 chat states, and the receipts and markers of
//! [`receipts`](super::receipts), and XEP-0308 corrections ([`correction`](super::correction)).

use super::context::{Ctx, Identity};
use super::correction;
use super::delay::{self, UnixMillis};
use super::error::SendError;
use super::event::{ChatEvent, Event};
use super::jid::{BareJid, Jid};
use super::mam::Archived;
use super::ns;
use super::receipts::{self, Receipt};
use super::stanza::{Message, StanzaError};
use super::xml::{check_xml_text, Element};

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
    /// XEP-0333: the sender asks to hear when it was displayed.
    pub markable: bool,
    /// XEP-0359: the id our own account's archive gave it (a `<stanza-id/>` stamped by our
    /// bare address, or the archive result's id); `None` for one we just sent. Only our archive
    /// stamps ids we can trust: a peer's `<stanza-id/>` could name anything.
    pub archive_id: Option<String>,
    /// XEP-0308: this corrects the message with that id (in the same conversation and
    /// direction; the timeline checks).
    pub replaces: Option<String>,
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

/// Builds `<message type='chat'>` with a body, an origin id (XEP-0359), `<active/>` (XEP-0085)
/// and the requests for a receipt and a displayed marker; with `replaces`, a correction of that
/// message (XEP-0308), the whole stanza sent again with a new id.
pub fn build_chat(
    to: &BareJid,
    id: &str,
    body: &str,
    replaces: Option<&str>,
) -> Result<Element, SendError> {
    if body.trim().is_empty() {
        return Err(SendError::Empty);
    }
    check_xml_text(body).map_err(SendError::InvalidText)?;
    let message = Element::new("message", ns::CLIENT)
        .attr("to", to.as_str())
        .attr("type", "chat")
        .attr("id", id)
        .text_child("body", ns::CLIENT, body)
        .child(Element::new("origin-id", ns::SID).attr("id", id))
        .child(Element::new("active", ns::CHATSTATES));
    let message = match replaces {
        Some(original) => correction::attach(message, original),
        None => message,
    };
    Ok(receipts::ask(message))
}

/// Builds a standalone chat state notification (XEP-0085 §5).
pub fn build_chat_state(to: &BareJid, composing: bool) -> Element {
    let state = if composing { "composing" } else { "paused" };
    Element::new("message", ns::CLIENT)
        .attr("to", to.as_str())
        .attr("type", "chat")
        .child(Element::new(state, ns::CHATSTATES))
        .child(Element::new("no-store", ns::HINTS))
}

/// A chat or normal message from a peer (RFC 6121 §5.2.2): its body, or its chat state alone,
/// and a receipt or marker for one of ours. Group chat, headlines and body-less messages
/// without either are not one-to-one chat.
pub(crate) fn received(message: Message, cx: &mut Ctx) {
    if !is_chat(&message) {
        return;
    }
    let Some(peer) = message.from.as_ref().map(Jid::to_bare) else {
        return;
    };
    if let Some((receipt, id)) = receipts::parse(&message.element) {
        cx.emit(Event::Chat(ChatEvent::Receipt {
            peer: peer.clone(),
            id,
            receipt,
        }));
    }
    let markable = receipts::is_markable(&message.element);
    let event = match message.body {
        Some(body) => {
            let sent_at = delay::stamp(&message.element);
            let archive_id = archive_id(&message.element, cx.me);
            let replaces = correction::parse(&message.element);
            let id = stable_id(message.origin_id, message.id, cx);
            ChatEvent::Message(ChatMessage {
                id,
                peer,
                direction: Direction::In,
                body,
                sent_at,
                markable,
                archive_id,
                replaces,
            })
        }
        None => match ChatState::parse(&message.element) {
            Some(state) => ChatEvent::State { peer, state },
            None => return,
        },
    };
    cx.emit(Event::Chat(event));
}

/// A message one of our other devices sent (a carbon, XEP-0280 §7.2): the conversation is with
/// its recipient. A displayed marker it sent means the conversation was read there.
pub(crate) fn sent_elsewhere(message: Message, cx: &mut Ctx) {
    if !is_chat(&message) {
        return;
    }
    let Some(to) = message.to.as_ref() else {
        return;
    };
    if let Some((Receipt::Displayed, _)) = receipts::parse(&message.element) {
        cx.emit(Event::Chat(ChatEvent::ReadElsewhere { peer: to.to_bare() }));
    }
    let Some(body) = message.body else {
        return;
    };
    let sent_at = delay::stamp(&message.element);
    let archive_id = archive_id(&message.element, cx.me);
    let replaces = correction::parse(&message.element);
    let id = stable_id(message.origin_id, message.id, cx);
    cx.emit(Event::Chat(ChatEvent::Message(ChatMessage {
        id,
        peer: to.to_bare(),
        direction: Direction::Out,
        body,
        sent_at,
        markable: false,
        archive_id,
        replaces,
    })));
}

/// A one-to-one message out of the account's archive (XEP-0313 catch-up): shown as it arrives.
pub(crate) fn archived(archived: Archived, cx: &mut Ctx) {
    if let Some(message) = from_archive(archived, cx) {
        cx.emit(Event::Chat(ChatEvent::Message(message)));
    }
}

/// A one-to-one message out of the account's archive: ours when it is from our account (sent
/// from any device), else the peer's. The archive's stamp is when it was sent.
pub(crate) fn from_archive(archived: Archived, cx: &mut Ctx) -> Option<ChatMessage> {
    let message = archived.message;
    if !is_chat(&message) {
        return None;
    }
    let body = message.body?;
    let ours = message
        .from
        .as_ref()
        .is_some_and(|f| f.to_bare() == *cx.me.bare());
    let peer = match (ours, &message.from, &message.to) {
        (true, _, Some(to)) => to.to_bare(),
        (false, Some(from), _) => from.to_bare(),
        _ => return None,
    };
    let sent_at = archived.stamp.or_else(|| delay::stamp(&message.element));
    let replaces = correction::parse(&message.element);
    let id = stable_id(message.origin_id, message.id, cx);
    Some(ChatMessage {
        id,
        peer,
        direction: if ours { Direction::Out } else { Direction::In },
        body,
        sent_at,
        markable: !ours && receipts::is_markable(&message.element),
        archive_id: archived.id,
        replaces,
    })
}

/// RFC 6121 §5.2.3: a message we sent bounced. The error text is the peer's or its server's.
pub(crate) fn bounced(message: Message, cx: &mut Ctx) {
    if let (Some(id), Some(from)) = (message.id, message.from.as_ref()) {
        cx.emit(Event::Chat(ChatEvent::Failed {
            peer: from.to_bare(),
            id,
            error: message.error.unwrap_or_else(StanzaError::undefined),
        }));
    }
}

/// XEP-0359 §5: the `<stanza-id/>` our own account's archive stamped on a live message.
pub(crate) fn archive_id(message: &Element, me: &Identity) -> Option<String> {
    message
        .elements()
        .find(|e| e.is("stanza-id", ns::SID) && e.get_attr("by") == Some(me.bare().as_str()))
        .and_then(|e| e.get_attr("id"))
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// XEP-0359: the origin id the sender set, else the stanza id, else one of ours.
fn stable_id(origin_id: Option<String>, id: Option<String>, cx: &mut Ctx) -> String {
    origin_id.or(id).unwrap_or_else(|| cx.out.next_id())
}

fn is_chat(message: &Message) -> bool {
    matches!(
        message.kind.as_deref(),
        None | Some("chat") | Some("normal")
    )
}
