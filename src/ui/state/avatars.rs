//! Faces as signals: which image each address shows (the core's XEP-0084 and XEP-0153 events),
//! the images fetched this sign-in as `blob:` URLs by hash, and our own avatar's upload.
//!
//! Each address has its own signal, so a face that changes re-renders the avatars of that address
//! only. Nothing is fetched for an address until one of its avatars is mounted (the windowed lists
//! mount the visible rows only), and each image is asked for once per sign-in, whoever shows it.
//! The bytes reach the page only as a `Blob` of the type the core read from their magic number
//! (never SVG), shown through `<img>`: the browser decodes them as an image or not at all.

use crate::transport::websocket::Account;
use crate::xmpp::jid::BareJid;
use crate::xmpp::{AvatarEvent, PublishError, Refusal};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// What one address shows: the hash it announced and, once fetched, the image's URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Face {
    pub hash: Option<String>,
    pub url: Option<String>,
}

/// Where publishing a part of our own profile (the avatar, the nickname) stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Publishing {
    #[default]
    Idle,
    /// Being sent (an image is read and resized first).
    Pending,
    Done,
    Failed(PublishFailure),
}

impl Publishing {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Failed(_) => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishFailure {
    /// The browser could not decode the file as an image.
    NotAnImage,
    NotOnline,
    /// The server refused it (its condition).
    Refused(String),
}

impl From<PublishError> for PublishFailure {
    fn from(e: PublishError) -> Self {
        match e {
            PublishError::NotOnline => Self::NotOnline,
            PublishError::NotAnImage | PublishError::TooLarge { .. } => Self::NotAnImage,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Avatars {
    faces: StoredValue<HashMap<BareJid, ArcRwSignal<Face>>>,
    /// Image URLs by hash: one fetch and one blob per image for the sign-in.
    urls: StoredValue<HashMap<String, String>>,
    /// Hashes asked for and not answered yet, or refused: not asked again this sign-in.
    asked: StoredValue<HashSet<String>>,
    pub upload: RwSignal<Publishing>,
}

impl Avatars {
    pub(super) fn new() -> Self {
        Self {
            faces: StoredValue::new(HashMap::new()),
            urls: StoredValue::new(HashMap::new()),
            asked: StoredValue::new(HashSet::new()),
            upload: RwSignal::new(Publishing::Idle),
        }
    }

    /// The face of `jid`, as a signal that changes when that address's face does.
    pub fn face(&self, jid: &BareJid) -> ArcRwSignal<Face> {
        if let Some(face) = self.faces.with_value(|f| f.get(jid).cloned()) {
            return face;
        }
        let face = ArcRwSignal::new(Face::default());
        self.faces
            .update_value(|f| drop(f.insert(jid.clone(), face.clone())));
        face
    }

    /// An avatar of `jid` is on screen showing `face`: fetch its image if nobody has yet.
    pub fn wanted(&self, jid: &BareJid, face: &Face, account: Option<Account>) {
        let (Some(hash), None) = (&face.hash, &face.url) else {
            return;
        };
        if self.asked.with_value(|a| a.contains(hash)) {
            return;
        }
        let Some(account) = account else {
            return;
        };
        // Marked before asking: the answer may come within the call (a refusal does).
        self.asked.update_value(|a| {
            a.insert(hash.clone());
        });
        if !account.command(|client, now| client.fetch_avatar(jid, now)) {
            self.asked.update_value(|a| {
                a.remove(hash);
            });
        }
    }

    pub fn apply(&self, event: AvatarEvent) {
        match event {
            AvatarEvent::Changed { jid, hash } => {
                let url = hash
                    .as_ref()
                    .and_then(|h| self.urls.with_value(|u| u.get(h).cloned()));
                self.face(&jid).set(Face { hash, url });
            }
            AvatarEvent::Loaded {
                jid,
                hash,
                mime,
                bytes,
            } => {
                let Some(url) = blob_url(&bytes, mime) else {
                    return;
                };
                self.urls
                    .update_value(|u| drop(u.insert(hash.clone(), url.clone())));
                let face = self.face(&jid);
                if face.with_untracked(|f| f.hash.as_deref() == Some(hash.as_str())) {
                    face.update(|f| f.url = Some(url));
                }
            }
            // Asked again on the next connection.
            AvatarEvent::Refused {
                hash,
                reason: Refusal::Interrupted,
                ..
            } => self.asked.update_value(|a| {
                a.remove(&hash);
            }),
            AvatarEvent::Refused { jid, reason, .. } => {
                leptos::logging::warn!("parley: the avatar of {jid} is not shown: {reason}");
            }
            AvatarEvent::Published { .. } => self.upload.set(Publishing::Done),
            AvatarEvent::PublishFailed(error) => {
                self.upload
                    .set(Publishing::Failed(PublishFailure::Refused(error.condition)));
            }
        }
    }

    /// Faces a remembered device kept: shown at once, each checked to be what it says (its bytes
    /// hash to its id and read as an image). A face the connection already announced otherwise
    /// is left alone; an announced one that matches gets its image without a fetch.
    pub fn restore(&self, faces: Vec<crate::indexeddb::StoredFace>) {
        use crate::xmpp::avatar::{hash_of, image_type};
        for stored in faces {
            let Ok(jid) = BareJid::new(&stored.contact) else {
                continue;
            };
            let Some(mime) = image_type(&stored.bytes) else {
                continue;
            };
            if hash_of(&stored.bytes) != stored.hash {
                continue;
            }
            let url = match self.urls.with_value(|u| u.get(&stored.hash).cloned()) {
                Some(url) => url,
                None => {
                    let Some(url) = blob_url(&stored.bytes, mime) else {
                        continue;
                    };
                    self.urls
                        .update_value(|u| drop(u.insert(stored.hash.clone(), url.clone())));
                    url
                }
            };
            let face = self.face(&jid);
            let fits = face.with_untracked(|f| {
                f.url.is_none() && f.hash.as_ref().is_none_or(|h| *h == stored.hash)
            });
            if fits {
                face.set(Face {
                    hash: Some(stored.hash),
                    url: Some(url),
                });
            }
        }
    }

    /// Signed out: the images go with the session.
    pub(super) fn reset(&self) {
        self.urls.update_value(|urls| {
            for url in urls.values() {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            urls.clear();
        });
        self.faces.update_value(|faces| {
            for face in faces.values() {
                face.set(Face::default());
            }
            faces.clear();
        });
        self.asked.update_value(HashSet::clear);
        self.upload.set(Publishing::Idle);
    }
}

/// A `blob:` URL holding `bytes` as `mime`.
fn blob_url(bytes: &[u8], mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
