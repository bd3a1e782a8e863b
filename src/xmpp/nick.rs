//! XEP-0172 User Nickname: the name a person gives themselves, published over PEP (§4.5) and
//! pushed to us as it changes (we ask with `+notify`, see [`caps`](super::caps)). It names a
//! contact the person has not named in the roster; the roster name always wins (§5). Ours goes
//! with our subscription requests, and theirs comes with requests to us (§4.1), so a request
//! can say who is asking before anything is shared.
//!
//! A nickname is untrusted text: kept only from a contact or our own account, trimmed, cut to
//! [`MAX_NICK_CHARS`], and rendered as text.

use super::context::Ctx;
use super::error::SendError;
use super::event::Event;
use super::jid::{BareJid, Jid};
use super::ns;
use super::pep;
use super::request::Owner;
use super::stanza::{IqType, StanzaError};
use super::xml::{check_xml_text, Element};

/// Characters kept of a nickname.
pub const MAX_NICK_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NickEvent {
    /// `jid` calls themselves `nick` now (`None`: no nickname).
    Changed { jid: BareJid, nick: Option<String> },
    /// Our own nickname is stored.
    Published,
    /// The server refused our nickname.
    PublishFailed(StanzaError),
}

/// A nickname as kept: trimmed and cut; blank is none.
fn cleaned(text: &str) -> Option<String> {
    let nick: String = text.trim().chars().take(MAX_NICK_CHARS).collect();
    (!nick.is_empty()).then_some(nick)
}

/// Our own nickname as last published or notified, and one on its way to the server.
#[derive(Debug, Default)]
pub struct Nicknames {
    own: Option<String>,
    publishing: Option<Option<String>>,
}

impl Nicknames {
    /// §4.1: our nickname, to go with a subscription request.
    pub(crate) fn in_request(&self) -> Option<Element> {
        self.own
            .as_ref()
            .map(|n| Element::new("nick", ns::NICK).text(n))
    }

    /// §4.5: a PEP notification of `from`'s nickname node. Returns whether the message was one (it
    /// is then handled, whoever sent it); `allowed` says whose nicknames we keep.
    pub(crate) fn notification(
        &mut self,
        from: Option<&Jid>,
        message: &Element,
        allowed: impl Fn(&BareJid) -> bool,
        cx: &mut Ctx,
    ) -> bool {
        let Some(notified) = pep::notification(message, ns::NICK) else {
            return false;
        };
        let Some(jid) = from.map(Jid::to_bare).filter(|j| allowed(j)) else {
            cx.warn("ignored a nickname from someone who is not a contact");
            return true;
        };
        let nick = match notified.latest {
            Some(item) => item
                .get_child("nick", ns::NICK)
                .and_then(|n| cleaned(&n.text_content())),
            None if notified.retracted => None,
            None => return true,
        };
        if &jid == cx.me.bare() {
            self.own = nick.clone();
        }
        cx.emit(Event::Nick(NickEvent::Changed { jid, nick }));
        true
    }

    /// §4.5: publishes our nickname (`None` or blank: an empty one, which clears it).
    pub(crate) fn publish(&mut self, nick: Option<&str>, cx: &mut Ctx) -> Result<(), SendError> {
        let nick = nick.and_then(cleaned);
        if let Some(n) = &nick {
            check_xml_text(n).map_err(SendError::InvalidText)?;
        }
        let element = Element::new("nick", ns::NICK);
        let element = match &nick {
            Some(n) => element.text(n),
            None => element,
        };
        let payload = Element::new("pubsub", ns::PUBSUB).child(
            Element::new("publish", ns::PUBSUB)
                .attr("node", ns::NICK)
                .child(Element::new("item", ns::PUBSUB).child(element)),
        );
        cx.try_request(IqType::Set, None, payload, Owner::Nick)?;
        self.publishing = Some(nick);
        Ok(())
    }

    pub(crate) fn answered(&mut self, result: Result<Option<Element>, StanzaError>, cx: &mut Ctx) {
        let publishing = self.publishing.take();
        if let (Ok(_), Some(nick)) = (&result, publishing) {
            self.own = nick;
        }
        cx.emit(Event::Nick(match result {
            Ok(_) => NickEvent::Published,
            Err(error) => NickEvent::PublishFailed(error),
        }));
    }
}

/// §4.1: the nickname a subscription request came with, kept as from anyone (trimmed, cut).
pub(crate) fn in_presence(presence: &Element) -> Option<String> {
    presence
        .get_child("nick", ns::NICK)
        .and_then(|n| cleaned(&n.text_content()))
}
