//! What the application asks of faces and names: XEP-0084 avatars (with XEP-0153 where a contact
//! has only that), XEP-0172 nicknames and XEP-0054 vCards; the protocol is in
//! [`avatar`](super::super::avatar), [`nick`](super::super::nick) and [`vcard`](super::super::vcard).

use super::super::avatar::PublishError;
use super::super::context::Instant;
use super::super::error::SendError;
use super::super::jid::BareJid;
use super::super::vcard::{self, VCardField};
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

    /// XEP-0172 §4.5: publishes our nickname (`None` or blank clears it);
    /// [`NickEvent::Published`](super::super::NickEvent::Published) confirms it.
    pub fn set_nickname(&mut self, nick: Option<&str>, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        self.nicknames.publish(nick, &mut cx!(self, now))
    }

    /// XEP-0054 §3.2: changes these fields of our own vCard (a blank value removes one),
    /// keeping the rest of it; [`VCardEvent::Saved`](super::super::VCardEvent::Saved) confirms it.
    pub fn save_own_vcard(
        &mut self,
        fields: Vec<(VCardField, String)>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        vcard::edit(fields, &mut cx!(self, now))
    }

    /// XEP-0054 §3.1: asks for `jid`'s vCard; it comes as
    /// [`VCardEvent`](super::super::VCardEvent).
    pub fn fetch_vcard(&mut self, jid: &BareJid, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        vcard::fetch(jid, &mut cx!(self, now))
    }
}
