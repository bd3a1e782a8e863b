//! What the application asks of faces: XEP-0084 avatars (with XEP-0153 where a contact has only
//! that); the protocol is in [`avatar`](super::super::avatar).

use super::super::avatar::PublishError;
use super::super::context::Instant;
use super::super::jid::BareJid;
use super::Client;

impl Client {
    /// Asks for the image `jid` currently shows (as the last
    /// [`AvatarEvent::Changed`](super::super::AvatarEvent::Changed) said); it comes as
    /// `Loaded` or `Refused`. Returns whether a request went: not offline, not for an image
    /// already coming, not for one known to be too large.
    pub fn fetch_avatar(&mut self, jid: &BareJid, now: Instant) -> bool {
        self.ensure_online().is_ok() && self.avatars.fetch(jid, &mut cx!(self, now))
    }

    /// Publishes `image` (PNG, JPEG, GIF or WebP bytes, already resized to `width` by `height`)
    /// as our avatar; [`AvatarEvent::Published`](super::super::AvatarEvent::Published) confirms it.
    pub fn publish_avatar(
        &mut self,
        image: &[u8],
        width: u16,
        height: u16,
        now: Instant,
    ) -> Result<(), PublishError> {
        self.ensure_online().map_err(|_| PublishError::NotOnline)?;
        self.avatars
            .publish(image, width, height, &mut cx!(self, now))
    }
}
