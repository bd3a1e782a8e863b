//! What the person does with rooms, and where room events go: messages to the conversations,
//! the rest to [`Rooms`](super::rooms::Rooms).

use super::rooms::RoomOutcome;
use super::{AppState, UiError};
use crate::xmpp::bookmarks::Bookmark;
use crate::xmpp::jid::BareJid;
use crate::xmpp::muc::room::JoinError;
use crate::xmpp::muc::Invitation;
use crate::xmpp::muc::RoomItem;
use crate::xmpp::stanza::StanzaError;
use crate::xmpp::RoomEvent;
use leptos::prelude::*;
use std::time::Duration;

/// Rooms put into the browser's list per task. A service that answers with 10,000 rooms at once
/// would otherwise have them stored, filtered and sorted in the task that parsed the reply, and
/// that task would take over 50 ms.
const ROOMS_PER_TASK: usize = 1_000;

impl AppState {
    pub(super) fn apply_room(&self, event: RoomEvent) {
        match event {
            RoomEvent::Message(message) => self.chats.room_message(message),
            RoomEvent::History {
                room,
                messages,
                complete,
            } => self.chats.room_history(&room, messages, complete),
            RoomEvent::Unsent { room, ids } => self.chats.room_messages_unsent(&room, &ids),
            RoomEvent::MessageFailed { room, id, error } => {
                let condition = error.condition.clone();
                if self.chats.room_message_failed(&room, &id, error) {
                    self.notices.push(UiError::MessageFailed { condition });
                }
            }
            RoomEvent::ListPage {
                service,
                mut rooms,
                complete,
                count_hint,
            } if rooms.len() > ROOMS_PER_TASK => {
                let rest = rooms.split_off(ROOMS_PER_TASK);
                self.rooms
                    .list
                    .update(|l| l.page(&service, rooms, false, count_hint));
                let listing = self.rooms.listing.get_value();
                self.later_rooms(service, rest, complete, count_hint, listing);
            }
            RoomEvent::Services(services) => {
                self.prefer_configured_service();
                self.room_outcome(RoomEvent::Services(services));
            }
            event => self.room_outcome(event),
        }
    }

    fn room_outcome(&self, event: RoomEvent) {
        match self.rooms.apply(event) {
            RoomOutcome::None => {}
            RoomOutcome::Joined { room, open } => {
                if open {
                    self.open_conversation(room);
                } else {
                    self.chats.ensure(&room);
                }
            }
            RoomOutcome::Close(room) => {
                self.chats.close(&room);
                self.rooms.forget(&room);
            }
            RoomOutcome::AskDetails => self.ask_details(),
            RoomOutcome::ServicesKnown => {
                if self.rooms.browser_open.get_untracked() {
                    self.open_rooms();
                }
            }
            RoomOutcome::Refused(condition) => {
                self.notices.push(UiError::RoomRefused { condition })
            }
        }
    }

    /// Shows the room browser, listing the service in the field if it is not listed yet.
    pub fn open_rooms(&self) {
        self.rooms.browser_open.set(true);
        let service = self.rooms.service.get_untracked();
        let listed = self
            .rooms
            .list
            .with_untracked(|l| l.service().map(|s| s.to_string()));
        if !service.trim().is_empty() && listed.as_deref() != Some(service.trim()) {
            self.list_rooms();
        }
    }

    /// The rest of a large page, a task at a time, unless another listing has started since.
    fn later_rooms(
        &self,
        service: BareJid,
        mut rooms: Vec<RoomItem>,
        complete: bool,
        count_hint: Option<u64>,
        listing: u64,
    ) {
        let state = *self;
        set_timeout(
            move || {
                if state.rooms.listing.try_get_value() != Some(listing) {
                    return;
                }
                let rest = rooms.split_off(rooms.len().min(ROOMS_PER_TASK));
                let last = rest.is_empty();
                state
                    .rooms
                    .list
                    .try_update(|l| l.page(&service, rooms, complete && last, count_hint));
                if !last {
                    state.later_rooms(service, rest, complete, count_hint, listing);
                }
            },
            Duration::ZERO,
        );
    }

    /// Lists the rooms of the service in the field.
    pub fn list_rooms(&self) {
        let typed = self.rooms.service.get_untracked();
        let Ok(service) = BareJid::new(typed.trim()) else {
            return self.notices.push(UiError::RoomRefused {
                condition: "jid-malformed".into(),
            });
        };
        let Some(account) = self.account() else {
            return self.notices.push(UiError::NotOnline);
        };
        self.rooms.details.update_value(|q| q.clear());
        self.rooms.listing.update_value(|n| *n += 1);
        self.rooms.list.update(|l| l.start(service.clone()));
        if let Err(e) = account.command(|client, now| client.list_rooms(&service, now)) {
            self.rooms.list.update(|l| l.failed(&service));
            self.notices.push(UiError::Send(e));
        }
    }

    /// A room's row came into view: its details are asked for, a few at a time. Called while
    /// the row renders, so the asking waits for a microtask.
    pub fn want_details(&self, room: BareJid) {
        if self.rooms.known.with_untracked(|d| d.contains(&room)) {
            return;
        }
        self.rooms.details.update_value(|q| q.want(room));
        let state = *self;
        queue_microtask(move || state.ask_details());
    }

    /// A room's row left the view before its details were asked for: they no longer are.
    pub fn unwant_details(&self, room: &BareJid) {
        self.rooms.details.try_update_value(|q| q.unwant(room));
    }

    fn ask_details(&self) {
        let Some(account) = self.account() else {
            return;
        };
        while let Some(room) = self
            .rooms
            .details
            .try_update_value(|q| q.next_to_ask())
            .flatten()
        {
            if account
                .command(|client, now| client.room_info(&room, now))
                .is_err()
            {
                self.rooms.details.update_value(|q| q.done(&room));
                break;
            }
        }
    }

    /// Enters the rooms `config.json` marks autojoin, once per login.
    pub(super) fn join_configured_rooms(&self) {
        if self.rooms.configured_joined.get_value() {
            return;
        }
        self.rooms.configured_joined.set_value(true);
        let rooms = self.with_config_untracked(|c| c.rooms.clone());
        for room in rooms.iter().filter(|r| r.autojoin) {
            let nick = room.nick.clone().unwrap_or_else(|| self.default_nick());
            self.join(&room.room, &nick, None, false);
        }
    }

    /// Enters (or opens, when in it already) a room `config.json` offers.
    pub fn join_configured_room(&self, room: &crate::config::ConfiguredRoom) {
        let nick = room.nick.clone().unwrap_or_else(|| self.default_nick());
        self.join(&room.room, &nick, None, true);
    }

    /// The nick to offer: a guest's chosen one, else the account's user name.
    pub fn default_nick(&self) -> String {
        if let Some(nick) = self.connection.guest_nick.get_untracked() {
            return nick;
        }
        self.connection
            .own_jid
            .get_untracked()
            .and_then(|j| j.node().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Joins `address`: a full room address, or a room name at the service in the browser.
    pub fn join_room(&self, address: &str, nick: &str, password: Option<&str>) {
        let address = address.trim();
        let service = self.rooms.service.get_untracked();
        let full = if address.contains('@') {
            address.to_owned()
        } else {
            format!("{address}@{}", service.trim())
        };
        let room = match BareJid::new(&full) {
            Ok(room) if room.node().is_some() => room,
            _ => {
                self.rooms.join_error.set(Some(super::rooms::JoinFailure {
                    room: BareJid::new(service.trim()).unwrap_or_else(|_| self.connection_domain()),
                    nick: nick.to_owned(),
                    error: JoinError::Other(StanzaError::new("modify", "jid-malformed")),
                }));
                return;
            }
        };
        self.join(&room, nick, password, true);
    }

    /// Joins `room`; `asked` when the person did it (the room opens once we are in).
    pub fn join(&self, room: &BareJid, nick: &str, password: Option<&str>, asked: bool) {
        let Some(account) = self.account() else {
            return self.notices.push(UiError::NotOnline);
        };
        if let Some(status) = self.rooms.status(room) {
            if status.with_untracked(|s| s.is_joined()) {
                return self.open_conversation(room.clone());
            }
        }
        match account.command(|client, now| client.join_room(room, nick, password, now)) {
            Ok(()) if asked => self.rooms.join_sent(room),
            Ok(()) => {}
            Err(e) => self.notices.push(UiError::Send(e)),
        }
    }

    /// `config.json`'s room service goes in the browser's field before a discovered one would.
    fn prefer_configured_service(&self) {
        let configured = self.with_config_untracked(|c| c.muc_service.clone());
        if let Some(service) = configured {
            if self.rooms.service.get_untracked().is_empty() {
                self.rooms.service.set(service.to_string());
            }
        }
    }

    fn connection_domain(&self) -> BareJid {
        self.connection
            .own_jid
            .get_untracked()
            .map(|j| j.domain_jid())
            .unwrap_or_else(|| BareJid::new("localhost").expect("a valid domain"))
    }

    /// Leaves `room`; the core withdraws an entry on its way and forgets one to be made again.
    /// Out of it already (kicked), leaving is closing the view.
    pub fn leave_room(&self, room: &BareJid) {
        let joined = self
            .rooms
            .status(room)
            .is_some_and(|s| s.with_untracked(|s| s.is_joined()));
        if let Some(account) = self.account() {
            account.command(|client, now| client.leave_room(room, now));
        }
        if !joined {
            self.chats.close(room);
            self.rooms.forget(room);
        }
    }

    pub fn send_room_message(&self, room: &BareJid, body: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        let message = account
            .command(|client, now| client.send_groupchat(room, body, now))
            .map_err(UiError::Send)?;
        self.chats.sent_to_room(message);
        Ok(())
    }

    /// XEP-0308: sends `body` to `room` as the new text of our message `original`.
    pub fn correct_room_message(
        &self,
        room: &BareJid,
        original: &str,
        body: &str,
    ) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        let message = account
            .command(|client, now| client.send_room_correction(room, original, body, now))
            .map_err(UiError::Send)?;
        self.chats
            .corrected(room, original, message.id, message.body);
        Ok(())
    }

    /// A private message to the occupant `nick`.
    pub fn send_private(&self, room: &BareJid, nick: &str, body: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        let message = account
            .command(|client, now| client.send_private(room, nick, body, now))
            .map_err(UiError::Send)?;
        self.chats.sent_to_room(message);
        Ok(())
    }

    /// Renames the room's bookmark, keeping the rest of it.
    pub fn rename_bookmark(&self, room: &BareJid, name: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        let Some(mut bookmark) = self
            .rooms
            .bookmarks
            .with_untracked(|b| b.get(room).cloned())
        else {
            return Ok(());
        };
        let name = name.trim();
        bookmark.name = (!name.is_empty()).then(|| name.to_owned());
        account
            .command(|client, now| client.set_bookmark(bookmark, now))
            .map_err(UiError::Send)
    }

    pub fn change_nick(&self, room: &BareJid, nick: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.change_nick(room, nick, now))
            .map_err(UiError::Send)
    }

    pub fn set_subject(&self, room: &BareJid, subject: &str) -> Result<(), UiError> {
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.set_subject(room, subject, now))
            .map_err(UiError::Send)
    }

    pub fn invite(&self, room: &BareJid, contact: &str) -> Result<(), UiError> {
        let contact = BareJid::new(contact.trim())
            .map_err(|e| UiError::Address(crate::xmpp::jid::AddressError::Invalid(e)))?;
        let account = self.account().ok_or(UiError::NotOnline)?;
        account
            .command(|client, now| client.invite(room, &contact, now))
            .map_err(UiError::Send)
    }

    /// The person accepted an invitation: join with the default nick.
    pub fn accept_invitation(&self, invitation: &Invitation) {
        self.rooms.dismiss_invitation(&invitation.room);
        if let Some(account) = self.account() {
            account.command(|client, _| client.invitation_answered(&invitation.room));
        }
        let nick = self.default_nick();
        self.join(
            &invitation.room,
            &nick,
            invitation.password.as_deref(),
            true,
        );
    }

    pub fn decline_invitation(&self, room: &BareJid) {
        self.rooms.dismiss_invitation(room);
        if let Some(account) = self.account() {
            account.command(|client, _| client.invitation_answered(room));
        }
    }

    /// A room's name as people know it: the listed or described name, else its address's node.
    pub fn room_name(&self, room: &BareJid) -> String {
        let listed = self
            .rooms
            .known
            .with(|d| d.get(room).and_then(|d| d.name.clone()))
            .or_else(|| self.rooms.list.with(|l| l.listed_name(room)));
        let bookmarked = || {
            self.rooms
                .bookmarks
                .with(|b| b.get(room).and_then(|b| b.name.clone()))
        };
        listed
            .or_else(bookmarked)
            .unwrap_or_else(|| room.node().unwrap_or_default().to_owned())
    }

    /// Bookmarks the room (to enter it at every login), or removes its bookmark.
    pub fn toggle_bookmark(&self, room: &BareJid) {
        let Some(account) = self.account() else {
            return self.notices.push(UiError::NotOnline);
        };
        let bookmarked = self
            .rooms
            .bookmarks
            .with_untracked(|b| b.contains_key(room));
        let result = if bookmarked {
            account.command(|client, now| client.remove_bookmark(room, now))
        } else {
            let nick = self
                .rooms
                .status(room)
                .map(|s| s.with_untracked(|s| s.nick.clone()));
            let bookmark = Bookmark {
                room: room.clone(),
                name: Some(self.room_name(room)),
                autojoin: true,
                nick,
                password: None,
            };
            account.command(|client, now| client.set_bookmark(bookmark, now))
        };
        if let Err(e) = result {
            self.notices.push(UiError::Send(e));
        }
    }
}
