//! Avatars: XEP-0084 User Avatar over PEP, falling back to XEP-0153 vCard-based avatars for
//! contacts whose clients publish only those.
//!
//! Learning (§4.1, XEP-0153 §3.2): a contact's metadata notification (we ask for them with
//! `+notify`, see [`caps`](super::caps)), or the photo hash in their presence, says which image
//! they show, by its SHA-1. Nothing is fetched then: the application asks with
//! [`Client::fetch_avatar`](super::Client::fetch_avatar) for the faces on screen only, so a
//! 10,000-contact roster costs nothing until it is scrolled.
//!
//! Fetching (§4.2, XEP-0054): the bytes are untrusted. A size over [`MAX_AVATAR_BYTES`] is refused
//! before it is asked for (as the metadata says) and after (as the data is); the bytes must hash to
//! the id they were asked by, and must start like a PNG, JPEG, GIF or WebP image: what the
//! application gets is bytes a browser decodes as an image, never markup (SVG is not accepted).
//!
//! Publishing (§4.1, §4.2): the data node first, then the metadata that points to it; our own
//! presence then carries the XEP-0153 hash for clients that read only that.

use super::context::Ctx;
use super::event::Event;
use super::jid::{BareJid, Jid};
use super::ns;
use super::pep;
use super::request::Owner;
use super::stanza::{IqType, Presence, StanzaError};
use super::xml::Element;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The largest image fetched or published. Avatars are small (XEP-0084 §7 suggests at most
/// 64 KiB for the PNG everyone must offer); this leaves room for a generous photo.
pub const MAX_AVATAR_BYTES: usize = 256 * 1024;
/// Addresses whose avatar hash is kept: a roster of 20,000 fits, a flood of strangers cannot grow
/// the map past it.
pub const MAX_KNOWN: usize = 25_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AvatarRequest {
    /// §4.2: one item of `jid`'s data node.
    Data { jid: BareJid, hash: String },
    /// XEP-0153 §3.2: `jid`'s vCard, for its PHOTO.
    VCard { jid: BareJid, hash: String },
    /// §4.1: our image went to the data node; its metadata follows.
    PublishData { info: Info },
    /// §4.2: the metadata went too: the avatar is ours.
    PublishMetadata { hash: String },
}

/// §4.2.1: what the metadata says of one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub hash: String,
    pub bytes: usize,
    pub mime: &'static str,
    pub width: u16,
    pub height: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AvatarEvent {
    /// `jid` now shows the image `hash` (`None`: no avatar); ask for it with
    /// [`Client::fetch_avatar`](super::Client::fetch_avatar) when it is on screen.
    Changed { jid: BareJid, hash: Option<String> },
    /// The image of `hash`, checked: `mime` is what its bytes are, not what anyone claimed.
    Loaded {
        jid: BareJid,
        hash: String,
        mime: &'static str,
        bytes: Vec<u8>,
    },
    /// The image of `hash` will not be shown; the initials stay.
    Refused {
        jid: BareJid,
        hash: String,
        reason: Refusal,
    },
    /// Our avatar is now `hash`.
    Published { hash: String },
    /// The server refused our avatar.
    PublishFailed(StanzaError),
}

/// Why an avatar is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLarge,
    NotAnImage,
    /// The bytes do not hash to the id they were asked by.
    WrongHash,
    /// The contact's server had no such image, refused, or did not answer.
    Unavailable,
    /// The connection ended before the answer; ask again on the next.
    Interrupted,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TooLarge => "the image is too large",
            Self::NotAnImage => "it is not an image",
            Self::WrongHash => "the image is not the one announced",
            Self::Unavailable => "the image could not be fetched",
            Self::Interrupted => "the connection ended before the image came",
        })
    }
}

/// Why our avatar was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    NotAnImage,
    TooLarge { size: usize, limit: usize },
    NotOnline,
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnImage => f.write_str("choose a PNG, JPEG, GIF or WebP image"),
            Self::TooLarge { size, limit } => write!(
                f,
                "the image is too large ({} KB; at most {} KB)",
                size.div_ceil(1024),
                limit / 1024
            ),
            Self::NotOnline => f.write_str("not connected: the avatar was not sent"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Pep,
    VCard,
}

#[derive(Debug, Clone)]
struct Advertised {
    hash: Option<String>,
    source: Source,
    /// What the metadata says the image weighs.
    bytes: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Avatars {
    known: HashMap<BareJid, Advertised>,
    in_flight: HashSet<(BareJid, String)>,
    /// Our own avatar's hash, for XEP-0153 in our presence; `Some(None)`: we have none.
    own: Option<Option<String>>,
}

/// The kind of image `bytes` start like: PNG, JPEG, GIF or WebP, by their magic numbers.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// §4.2: the id of an image is the SHA-1 of its bytes, in lowercase hex.
pub fn hash_of(bytes: &[u8]) -> String {
    Sha1::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A SHA-1 in hex, lowercased; anything else is no hash.
fn valid_hash(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() == 40 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

impl Avatars {
    /// Our hash for XEP-0153 in presence, once known.
    pub(crate) fn own_hash(&self) -> Option<Option<&str>> {
        self.own.as_ref().map(Option::as_deref)
    }

    /// §4.1: a PEP notification of `from`'s metadata node. Returns whether the message was one
    /// (it is then handled, whoever sent it); `allowed` says whose avatars we keep.
    pub(crate) fn notification(
        &mut self,
        from: Option<&Jid>,
        message: &Element,
        allowed: impl Fn(&BareJid) -> bool,
        cx: &mut Ctx,
    ) -> bool {
        let Some(notified) = pep::notification(message, ns::AVATAR_METADATA) else {
            return false;
        };
        let Some(jid) = from.map(Jid::to_bare).filter(|j| allowed(j)) else {
            cx.warn("ignored an avatar from someone who is not a contact");
            return true;
        };
        let metadata = notified
            .latest
            .and_then(|i| i.get_child("metadata", ns::AVATAR_METADATA));
        let advertised = match metadata {
            Some(metadata) => read_metadata(metadata),
            // A retraction (or an item without metadata) leaves no avatar.
            None if notified.retracted => Advertised {
                hash: None,
                source: Source::Pep,
                bytes: None,
            },
            None => return true,
        };
        if cx.me.bare() == &jid {
            self.own = Some(advertised.hash.clone());
        }
        self.learn(jid, advertised, cx);
        true
    }

    /// XEP-0153 §3.2: the photo hash in an available presence from `jid`, unless their PEP
    /// avatar (which wins) is known.
    pub(crate) fn presence(&mut self, jid: BareJid, presence: &Presence, cx: &mut Ctx) {
        if presence.kind.is_some() {
            return;
        }
        // No `<photo/>`: the client is not ready to say (§3.2); nothing changes.
        let Some(photo) = presence
            .element
            .get_child("x", ns::VCARD_UPDATE)
            .and_then(|x| x.get_child("photo", ns::VCARD_UPDATE))
        else {
            return;
        };
        if self
            .known
            .get(&jid)
            .is_some_and(|known| known.source == Source::Pep)
        {
            return;
        }
        let text = photo.text_content();
        let hash = valid_hash(&text);
        if hash.is_none() && !text.trim().is_empty() {
            return cx.warn("ignored a presence photo that is not a SHA-1");
        }
        let advertised = Advertised {
            hash,
            source: Source::VCard,
            bytes: None,
        };
        self.learn(jid, advertised, cx);
    }

    fn learn(&mut self, jid: BareJid, advertised: Advertised, cx: &mut Ctx) {
        let unchanged = self.known.get(&jid).is_some_and(|known| {
            known.hash == advertised.hash && known.source == advertised.source
        });
        if unchanged {
            return;
        }
        if !self.known.contains_key(&jid) && self.known.len() >= MAX_KNOWN {
            return cx.warn("too many avatars: ignored one");
        }
        let hash = advertised.hash.clone();
        self.known.insert(jid.clone(), advertised);
        cx.emit(Event::Avatar(AvatarEvent::Changed { jid, hash }));
    }

    /// Asks for `jid`'s current image, unless it is already coming or is known to be too large
    /// (then refused at once). Returns whether a request went.
    pub(crate) fn fetch(&mut self, jid: &BareJid, cx: &mut Ctx) -> bool {
        let Some(Advertised {
            hash: Some(hash),
            source,
            bytes,
        }) = self.known.get(jid).cloned()
        else {
            return false;
        };
        if bytes.is_some_and(|b| b > MAX_AVATAR_BYTES) {
            cx.emit(Event::Avatar(AvatarEvent::Refused {
                jid: jid.clone(),
                hash,
                reason: Refusal::TooLarge,
            }));
            return false;
        }
        if !self.in_flight.insert((jid.clone(), hash.clone())) {
            return false;
        }
        let (payload, owner) = match source {
            Source::Pep => (
                Element::new("pubsub", ns::PUBSUB).child(
                    Element::new("items", ns::PUBSUB)
                        .attr("node", ns::AVATAR_DATA)
                        .child(Element::new("item", ns::PUBSUB).attr("id", hash.as_str())),
                ),
                AvatarRequest::Data {
                    jid: jid.clone(),
                    hash,
                },
            ),
            Source::VCard => (
                Element::new("vCard", ns::VCARD),
                AvatarRequest::VCard {
                    jid: jid.clone(),
                    hash,
                },
            ),
        };
        // Our own account's nodes are our server's to answer.
        let to: Option<Jid> = (cx.me.bare() != jid).then(|| jid.clone().into());
        match cx.try_request(IqType::Get, to.as_ref(), payload, Owner::Avatar(owner)) {
            Ok(_) => true,
            Err(e) => {
                cx.warn(&format!("refused to ask for an avatar: {e:?}"));
                false
            }
        }
    }

    /// §4.1: publishes `image` (already resized) as our avatar: the data now, the metadata once
    /// the data is stored.
    pub(crate) fn publish(
        &mut self,
        image: &[u8],
        width: u16,
        height: u16,
        cx: &mut Ctx,
    ) -> Result<(), PublishError> {
        let mime = image_type(image).ok_or(PublishError::NotAnImage)?;
        if image.len() > MAX_AVATAR_BYTES {
            return Err(PublishError::TooLarge {
                size: image.len(),
                limit: MAX_AVATAR_BYTES,
            });
        }
        let info = Info {
            hash: hash_of(image),
            bytes: image.len(),
            mime,
            width,
            height,
        };
        let item = Element::new("item", ns::PUBSUB)
            .attr("id", info.hash.as_str())
            .child(Element::new("data", ns::AVATAR_DATA).text(BASE64.encode(image)));
        let payload = Element::new("pubsub", ns::PUBSUB).child(
            Element::new("publish", ns::PUBSUB)
                .attr("node", ns::AVATAR_DATA)
                .child(item),
        );
        cx.try_request(
            IqType::Set,
            None,
            payload,
            Owner::Avatar(AvatarRequest::PublishData { info }),
        )
        .map(drop)
        .map_err(|_| PublishError::TooLarge {
            size: image.len(),
            limit: MAX_AVATAR_BYTES,
        })
    }

    /// Whether the answer changed our own hash (our presence should then say so).
    pub(crate) fn answered(
        &mut self,
        request: AvatarRequest,
        result: Result<Option<Element>, StanzaError>,
        cx: &mut Ctx,
    ) -> bool {
        match (request, result) {
            (AvatarRequest::Data { jid, hash }, result) => {
                self.in_flight.remove(&(jid.clone(), hash.clone()));
                let data = result.ok().flatten().and_then(|pubsub| {
                    let item = pubsub
                        .get_child("items", ns::PUBSUB)?
                        .elements()
                        .find(|i| i.is("item", ns::PUBSUB) && i.get_attr("id") == Some(&hash))?;
                    Some(item.get_child("data", ns::AVATAR_DATA)?.text_content())
                });
                self.deliver(jid, hash, data, cx);
            }
            (AvatarRequest::VCard { jid, hash }, result) => {
                self.in_flight.remove(&(jid.clone(), hash.clone()));
                let data = result.ok().flatten().and_then(|vcard| {
                    let binval = vcard
                        .get_child("PHOTO", ns::VCARD)?
                        .get_child("BINVAL", ns::VCARD)?;
                    Some(binval.text_content())
                });
                self.deliver(jid, hash, data, cx);
            }
            (AvatarRequest::PublishData { info }, Ok(_)) => {
                let hash = info.hash.clone();
                let metadata = Element::new("metadata", ns::AVATAR_METADATA).child(
                    Element::new("info", ns::AVATAR_METADATA)
                        .attr("id", info.hash.as_str())
                        .attr("bytes", info.bytes.to_string())
                        .attr("type", info.mime)
                        .attr("width", info.width.to_string())
                        .attr("height", info.height.to_string()),
                );
                let payload = Element::new("pubsub", ns::PUBSUB).child(
                    Element::new("publish", ns::PUBSUB)
                        .attr("node", ns::AVATAR_METADATA)
                        .child(
                            Element::new("item", ns::PUBSUB)
                                .attr("id", hash.as_str())
                                .child(metadata),
                        ),
                );
                cx.request(
                    IqType::Set,
                    payload,
                    Owner::Avatar(AvatarRequest::PublishMetadata { hash }),
                );
            }
            (AvatarRequest::PublishMetadata { hash }, Ok(_)) => {
                self.own = Some(Some(hash.clone()));
                cx.emit(Event::Avatar(AvatarEvent::Published { hash }));
                return true;
            }
            (
                AvatarRequest::PublishData { .. } | AvatarRequest::PublishMetadata { .. },
                Err(error),
            ) => cx.emit(Event::Avatar(AvatarEvent::PublishFailed(error))),
        }
        false
    }

    /// The bytes in base64 as they came (or nothing), checked, to the application.
    fn deliver(&mut self, jid: BareJid, hash: String, data: Option<String>, cx: &mut Ctx) {
        let checked = data.ok_or(Refusal::Unavailable).and_then(|text| {
            let text: String = text.split_ascii_whitespace().collect();
            // Base64 is 4 characters for 3 bytes: refuse before decoding what is too large.
            if text.len() / 4 * 3 > MAX_AVATAR_BYTES + 3 {
                return Err(Refusal::TooLarge);
            }
            let bytes = BASE64.decode(text).map_err(|_| Refusal::NotAnImage)?;
            if bytes.len() > MAX_AVATAR_BYTES {
                return Err(Refusal::TooLarge);
            }
            if hash_of(&bytes) != hash {
                return Err(Refusal::WrongHash);
            }
            let mime = image_type(&bytes).ok_or(Refusal::NotAnImage)?;
            Ok((mime, bytes))
        });
        cx.emit(Event::Avatar(match checked {
            Ok((mime, bytes)) => AvatarEvent::Loaded {
                jid,
                hash,
                mime,
                bytes,
            },
            Err(reason) => AvatarEvent::Refused { jid, hash, reason },
        }));
    }

    /// No answer in time, or none coming (`interrupted`: the connection ended).
    pub(crate) fn unanswered(&mut self, request: AvatarRequest, interrupted: bool, cx: &mut Ctx) {
        match request {
            AvatarRequest::Data { jid, hash } | AvatarRequest::VCard { jid, hash } => {
                self.in_flight.remove(&(jid.clone(), hash.clone()));
                let reason = if interrupted {
                    Refusal::Interrupted
                } else {
                    Refusal::Unavailable
                };
                cx.emit(Event::Avatar(AvatarEvent::Refused { jid, hash, reason }));
            }
            AvatarRequest::PublishData { .. } | AvatarRequest::PublishMetadata { .. } => {
                cx.emit(Event::Avatar(AvatarEvent::PublishFailed(
                    StanzaError::undefined(),
                )));
            }
        }
    }
}

/// §4.2.1: the PNG every client must offer, else the first image without a URL (we fetch from
/// the data node only); empty metadata means no avatar.
fn read_metadata(metadata: &Element) -> Advertised {
    let infos: Vec<&Element> = metadata
        .elements()
        .filter(|i| i.is("info", ns::AVATAR_METADATA) && i.get_attr("url").is_none())
        .collect();
    let chosen = infos
        .iter()
        .find(|i| i.get_attr("type") == Some("image/png"))
        .or(infos.first());
    Advertised {
        hash: chosen.and_then(|i| valid_hash(i.get_attr("id")?)),
        source: Source::Pep,
        bytes: chosen.and_then(|i| i.get_attr("bytes")?.trim().parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_by_magic_number() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(b"GIF89a.."), Some("image/gif"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            image_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            None
        );
        assert_eq!(image_type(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(image_type(b""), None);
    }

    #[test]
    fn hash_is_lowercase_sha1_hex() {
        assert_eq!(hash_of(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            valid_hash(" A9993E364706816ABA3E25717850C26C9CD0D89D "),
            Some("a9993e364706816aba3e25717850c26c9cd0d89d".into())
        );
        assert_eq!(valid_hash("../../etc"), None);
    }
}
