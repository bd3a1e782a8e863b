//! What the application asks of group chat (XEP-0045); the protocol is in [`muc`](super::super::muc).

use super::super::bookmarks::Bookmark;
use super::super::context::Instant;
use super::super::error::SendError;
use super::super::jid::BareJid;
use super::super::muc::RoomMessage;
use super::Client;

impl Client {
    /// Lists `service`'s rooms; pages come as [`RoomEvent::ListPage`](super::super::RoomEvent).
    pub fn list_rooms(&mut self, service: &BareJid, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        self.muc.list_rooms(service, &mut cx!(self, now));
        Ok(())
    }

    /// Asks for a room's details (name, description, occupants, features).
    pub fn room_info(&mut self, room: &BareJid, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        self.muc.room_info(room, &mut cx!(self, now));
        Ok(())
    }

    /// Enters `room` as `nick`; the outcome is [`RoomEvent::Joined`] or
    /// [`RoomEvent::JoinFailed`](super::super::RoomEvent).
    pub fn join_room(
        &mut self,
        room: &BareJid,
        nick: &str,
        password: Option<&str>,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.muc.join(room, nick, password, &mut cx!(self, now))
    }

    pub fn leave_room(&mut self, room: &BareJid, now: Instant) {
        self.muc.leave(room, &mut cx!(self, now));
    }

    /// Our nick in `room`, while we are in it.
    pub fn room_nick(&self, room: &BareJid) -> Option<&str> {
        self.muc.nick(room)
    }

    pub fn change_nick(
        &mut self,
        room: &BareJid,
        nick: &str,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.muc.change_nick(room, nick, &mut cx!(self, now))
    }

    /// Sends to everyone in `room`; returns the message as the room view should show it.
    /// Offline, in a room we were in, it waits until we are in again (the room's echo then
    /// confirms it).
    pub fn send_groupchat(
        &mut self,
        room: &BareJid,
        body: &str,
        now: Instant,
    ) -> Result<RoomMessage, SendError> {
        let online = self.ensure_online().is_ok();
        self.muc
            .send_message(room, body, None, online, &mut cx!(self, now))
    }

    /// XEP-0308: sends `body` to `room` as the new text of our message `original`; the room's
    /// echo confirms it as it confirms any message.
    pub fn send_room_correction(
        &mut self,
        room: &BareJid,
        original: &str,
        body: &str,
        now: Instant,
    ) -> Result<RoomMessage, SendError> {
        let online = self.ensure_online().is_ok();
        self.muc
            .send_message(room, body, Some(original), online, &mut cx!(self, now))
    }

    /// A private message to the occupant `nick` of `room`; it counts as sent once the server
    /// confirms it, as one-to-one messages do.
    pub fn send_private(
        &mut self,
        room: &BareJid,
        nick: &str,
        body: &str,
        now: Instant,
    ) -> Result<RoomMessage, SendError> {
        self.ensure_online()?;
        let message = self
            .muc
            .send_private(room, nick, body, &mut cx!(self, now))?;
        self.ping
            .message_sent(room.clone(), message.id.clone(), &mut cx!(self, now));
        Ok(message)
    }

    pub fn set_subject(
        &mut self,
        room: &BareJid,
        subject: &str,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.muc.set_subject(room, subject, &mut cx!(self, now))
    }

    /// XEP-0249: invites `contact` to `room`.
    pub fn invite(
        &mut self,
        room: &BareJid,
        contact: &BareJid,
        now: Instant,
    ) -> Result<(), SendError> {
        self.ensure_online()?;
        self.muc.invite(room, contact, &mut cx!(self, now))
    }

    /// The person accepted or declined the invitation to `room`.
    pub fn invitation_answered(&mut self, room: &BareJid) {
        self.muc.invitation_answered(room);
    }

    /// Adds or changes a room bookmark (XEP-0402, or XEP-0048 where the server lacks it).
    pub fn set_bookmark(&mut self, bookmark: Bookmark, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        self.bookmarks.set(bookmark, &mut cx!(self, now))
    }

    pub fn remove_bookmark(&mut self, room: &BareJid, now: Instant) -> Result<(), SendError> {
        self.ensure_online()?;
        self.bookmarks.remove(room, &mut cx!(self, now))
    }

    /// Enters the bookmarked rooms marked autojoin, with their nick or the account's user name.
    pub(super) fn autojoin(&mut self, bookmarks: Vec<Bookmark>, now: Instant) {
        let default_nick = self.me.bare().node().unwrap_or_default().to_owned();
        for bookmark in bookmarks {
            let nick = bookmark.nick.unwrap_or_else(|| default_nick.clone());
            if let Err(e) = self.muc.join(
                &bookmark.room,
                &nick,
                bookmark.password.as_deref(),
                &mut cx!(self, now),
            ) {
                self.events.push_back(super::super::Event::Warning(format!(
                    "could not enter the bookmarked room {}: {e}",
                    bookmark.room
                )));
            }
        }
    }
}
