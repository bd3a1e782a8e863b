//! Conversations: one signal per timeline, so a message re-renders its own conversation only, and
//! the directory (chat list and message requests) beside them.

use super::notices::{Notices, UiError};
use crate::store::device::Restored;
use crate::store::directory::{Activity, Directory, Section};
use crate::store::timeline::{Limits, MessageState, Timeline};
use crate::xmpp::delay::UnixMillis;
use crate::xmpp::jid::BareJid;
use crate::xmpp::message::ChatState;
use crate::xmpp::muc::RoomMessage;
use crate::xmpp::stanza::StanzaError;
use crate::xmpp::{ChatEvent, ChatMessage, Direction};
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

/// A peer's "composing" that nothing follows for this long has ended.
const TYPING_EXPIRES: Duration = Duration::from_secs(30);

#[derive(Clone, Copy)]
pub struct Conversations {
    timelines: StoredValue<HashMap<BareJid, RwSignal<Timeline>>>,
    /// Owns the timelines' signals. They are created from event handlers, whose owner is the
    /// view that handled the event (a roster row, say); owned there, a timeline would vanish
    /// when that row re-renders, and the conversation would silently stop updating.
    owner: StoredValue<Owner>,
    /// Signals of forgotten conversations, emptied, for the next new one: never disposed (a late
    /// callback may still hold one), so they are reused instead of piling up.
    free: StoredValue<Vec<RwSignal<Timeline>>>,
    pub directory: RwSignal<Directory>,
    pub open: RwSignal<Option<BareJid>>,
    /// The latest message that arrived live from someone else (for the embedding page's notice).
    pub arrived: RwSignal<Option<Arrival>>,
    /// What was typed and not sent, per conversation, while signed in: in memory only, never
    /// stored (a draft can be as private as a message).
    drafts: StoredValue<HashMap<BareJid, String>>,
    /// XEP-0308: a message of ours someone chose to edit from its row (conversation, id); the
    /// conversation's composer takes it up.
    pub edit_request: RwSignal<Option<(BareJid, String)>>,
}

/// Milliseconds since 1970, as message times count.
fn now_ms() -> UnixMillis {
    js_sys::Date::now() as UnixMillis
}

/// A message as the embedding page may hear of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub conversation: BareJid,
    /// The sender: an address, or a nick in a room.
    pub from: String,
    pub room: bool,
    pub body: String,
    /// Addressed to the person: a contact's chat, or a private message or a mention in a room
    /// (not a stranger's request, not every line of a busy room).
    pub personal: bool,
}

impl Conversations {
    pub(super) fn new() -> Self {
        Self {
            timelines: StoredValue::new(HashMap::new()),
            owner: StoredValue::new(Owner::new()),
            free: StoredValue::new(Vec::new()),
            directory: RwSignal::new(Directory::default()),
            open: RwSignal::new(None),
            arrived: RwSignal::new(None),
            drafts: StoredValue::new(HashMap::new()),
            edit_request: RwSignal::new(None),
        }
    }

    /// Whether any conversation holds a message of ours the server has not confirmed.
    pub fn has_pending(&self) -> bool {
        self.timelines.with_value(|all| {
            all.values()
                .any(|t| t.try_with_untracked(Timeline::has_pending).unwrap_or(false))
        })
    }

    /// Whether some conversation holds typed text not sent yet (drafts live in this tab only).
    pub fn has_draft(&self) -> bool {
        self.drafts
            .try_with_value(|d| d.values().any(|text| !text.trim().is_empty()))
            .unwrap_or(false)
    }

    /// The timeline of `peer`, if there is a conversation.
    /// The unsent text of the conversation with `peer`.
    pub fn draft(&self, peer: &BareJid) -> String {
        self.drafts
            .with_value(|d| d.get(peer).cloned())
            .unwrap_or_default()
    }

    /// Keeps (or, when empty, forgets) the unsent text of the conversation with `peer`.
    pub fn set_draft(&self, peer: &BareJid, text: &str) {
        self.drafts.update_value(|d| {
            if text.is_empty() {
                d.remove(peer);
            } else {
                d.insert(peer.clone(), text.to_owned());
            }
        });
    }

    pub fn timeline(&self, peer: &BareJid) -> Option<RwSignal<Timeline>> {
        self.timelines
            .try_with_value(|t| t.get(peer).copied())
            .flatten()
    }

    fn timeline_or_new(&self, peer: &BareJid, contact: bool) -> RwSignal<Timeline> {
        if let Some(timeline) = self.timeline(peer) {
            return timeline;
        }
        let limits = if contact {
            Limits::CONTACT
        } else {
            Limits::STRANGER
        };
        let timeline = match self.free.try_update_value(Vec::pop).flatten() {
            Some(reused) => {
                reused.set(Timeline::new(limits));
                reused
            }
            None => self
                .owner
                .with_value(|owner| owner.with(|| RwSignal::new(Timeline::new(limits)))),
        };
        self.timelines.update_value(|t| {
            t.insert(peer.clone(), timeline);
        });
        timeline
    }

    pub fn apply(
        &self,
        event: ChatEvent,
        is_contact: impl Fn(&BareJid) -> bool,
        notices: &Notices,
    ) {
        match event {
            ChatEvent::Message(message) => {
                let contact = is_contact(&message.peer);
                self.received(message, contact)
            }
            ChatEvent::State { peer, state } => {
                if let Some(timeline) = self.timeline(&peer) {
                    let composing = state == ChatState::Composing;
                    let typing = timeline.try_update(|t| t.set_typing(composing));
                    // XEP-0085 §5.2: a peer that stops saying anything (its client
                    // gone, a lost `paused`) is not typing for ever.
                    if let (true, Some(since)) = (composing, typing) {
                        set_timeout(
                            move || {
                                timeline.try_update(|t| t.typing_expired(since));
                            },
                            TYPING_EXPIRES,
                        );
                    }
                }
            }
            ChatEvent::History {
                peer,
                messages,
                complete,
            } => {
                if let Some(timeline) = self.timeline(&peer) {
                    timeline.update(|t| {
                        t.prepend(messages, now_ms());
                        t.history.loading = false;
                        t.history.complete = complete;
                    });
                }
            }
            ChatEvent::ReadElsewhere { peer } => {
                self.directory.update(|d| d.mark_read(&peer));
            }
            ChatEvent::Receipt { peer, id, receipt } => {
                if let Some(timeline) = self.timeline(&peer) {
                    timeline.update(|t| {
                        t.receipt(&id, receipt);
                    });
                }
            }
            ChatEvent::Sent { peer, id } => {
                self.mark(&peer, &id, MessageState::Sent);
            }
            ChatEvent::Unconfirmed { peer, id } => {
                self.mark(&peer, &id, MessageState::Unconfirmed);
            }
            ChatEvent::Failed { peer, id, error } => {
                let condition = error.condition.clone();
                // Only a message of ours that exists bounces: an "error" for an id we never
                // used is noise a stranger can make, and gets no notice.
                if self.mark(&peer, &id, MessageState::Failed(error)) {
                    notices.push(UiError::MessageFailed { condition });
                }
            }
        }
    }

    fn received(&self, message: ChatMessage, contact: bool) {
        let peer = message.peer.clone();
        let open = self.open.get_untracked().as_ref() == Some(&peer);
        let incoming = message.direction == Direction::In;
        let unread = incoming && !open;
        let timeline = self.timeline_or_new(&peer, contact);
        let (message_sent_at, message_body) = (message.sent_at, message.body.clone());
        let correction = message.replaces.is_some();
        let added = timeline
            .try_update(|t| t.push(message, now_ms()))
            .unwrap_or(false);
        if !added {
            return;
        }
        let activity = if incoming {
            // Delayed (offline storage, archive): written before now, no news; a correction
            // changes what is there, and is no news either.
            if message_sent_at.is_none() && !correction {
                self.arrived.set(Some(Arrival {
                    conversation: peer.clone(),
                    from: peer.to_string(),
                    room: false,
                    body: message_body,
                    personal: contact,
                }));
            }
            Activity::Incoming { unread }
        } else {
            Activity::Ours
        };
        self.touch(&peer, contact, activity);
    }

    /// What a remembered device kept, before anything arrives: most recent first.
    pub fn restore(&self, conversations: Vec<Restored>) {
        for c in conversations.into_iter().rev() {
            let contact = c.section == Section::Chats;
            self.timeline_or_new(&c.peer, contact)
                .update(|t| t.restore(c.messages, c.complete));
            self.directory
                .update(|d| d.restore(&c.peer, c.section, c.unread));
        }
    }

    /// The conversations of the chat list, most recent first, for a remembered device.
    pub fn recent(&self, max: usize) -> Vec<(BareJid, u32, RwSignal<Timeline>)> {
        let rows = self
            .directory
            .with_untracked(|d| d.rows(Section::Chats, 0, max));
        rows.into_iter()
            .filter_map(|row| Some((row.jid.clone(), row.unread, self.timeline(&row.jid)?)))
            .collect()
    }

    /// A message we just sent from here.
    pub fn sent(&self, message: ChatMessage, contact: bool) {
        let peer = message.peer.clone();
        self.timeline_or_new(&peer, contact)
            .update(|t| t.push_own(message, now_ms()));
        self.touch(&peer, contact, Activity::Ours);
    }

    /// A correction `id` we just sent from here of our message `original` in `conversation`
    /// (a chat or a room).
    pub fn corrected(&self, conversation: &BareJid, original: &str, id: String, body: String) {
        if let Some(timeline) = self.timeline(conversation) {
            timeline.update(|t| {
                t.correct_own(original, id, body);
            });
        }
    }

    /// A message in a room (or a private one from an occupant).
    pub fn room_message(&self, message: RoomMessage) {
        let room = message.room.clone();
        let own = message.own;
        // History and archived messages (delayed) were there before we came: not unread.
        let earlier = message.sent_at.is_some();
        let open = self.open.get_untracked().as_ref() == Some(&room);
        let arrival = (!own && !earlier).then(|| Arrival {
            conversation: room.clone(),
            from: message.nick.clone().unwrap_or_default(),
            room: true,
            body: message.body.clone(),
            personal: message.mention || message.private,
        });
        let added = self
            .timeline_or_new(&room, true)
            .try_update(|t| t.push_room(message, now_ms()))
            .unwrap_or(false);
        if added {
            if arrival.is_some() {
                self.arrived.set(arrival);
            }
            let activity = if own {
                Activity::Ours
            } else {
                Activity::Incoming {
                    unread: !open && !earlier,
                }
            };
            self.touch(&room, true, activity);
        }
    }

    /// A page of a room's older archive (or, empty, the news of how far it goes).
    pub fn room_history(&self, room: &BareJid, messages: Vec<RoomMessage>, complete: bool) {
        if let Some(timeline) = self.timeline(room) {
            timeline.update(|t| {
                t.prepend_room(messages, now_ms());
                t.history.started = true;
                t.history.loading = false;
                t.history.complete = complete;
            });
        }
    }

    /// A message we just sent to a room: pending until the room reflects it.
    pub fn sent_to_room(&self, message: RoomMessage) {
        let room = message.room.clone();
        self.timeline_or_new(&room, true)
            .update(|t| t.push_own_room(message, now_ms()));
        self.touch(&room, true, Activity::Ours);
    }

    /// The room bounced a message of ours.
    pub fn room_message_failed(&self, room: &BareJid, id: &str, error: StanzaError) -> bool {
        self.mark(room, id, MessageState::Failed(error))
    }

    /// Messages written while out of a room that will not go: they may not have arrived.
    pub fn room_messages_unsent(&self, room: &BareJid, ids: &[String]) {
        for id in ids {
            self.mark(room, id, MessageState::Unconfirmed);
        }
    }

    /// Puts a room we are in on the chat list, without opening it.
    pub fn ensure(&self, room: &BareJid) {
        if self.directory.with_untracked(|d| d.get(room).is_none()) {
            self.timeline_or_new(room, true);
            self.touch(room, true, Activity::Ours);
        }
    }

    /// Closes and forgets a conversation (a room we left).
    pub fn close(&self, peer: &BareJid) {
        self.delete(peer);
    }

    fn mark(&self, peer: &BareJid, id: &str, state: MessageState) -> bool {
        self.timeline(peer)
            .and_then(|t| t.try_update(|t| t.mark_own(id, state)))
            .unwrap_or(false)
    }

    fn touch(&self, peer: &BareJid, contact: bool, activity: Activity) {
        // The conversation on screen is never the one to make room.
        let open = self.open.get_untracked();
        let evicted = self
            .directory
            .try_update(|d| d.touch(peer, contact, activity, open.as_ref()))
            .flatten();
        if let Some(old) = evicted {
            self.forget(&old);
        }
    }

    /// `peer` went offline: their indicator goes.
    pub fn stopped_typing(&self, peer: &BareJid) {
        if let Some(timeline) = self.timeline(peer) {
            if timeline.with_untracked(|t| t.typing) {
                timeline.update(|t| t.typing = false);
            }
        }
    }

    /// The connection ended: nobody is typing any more, as far as we can know.
    pub fn connection_ended(&self) {
        let timelines: Vec<RwSignal<Timeline>> = self
            .timelines
            .try_with_value(|t| t.values().copied().collect())
            .unwrap_or_default();
        for timeline in timelines {
            if timeline.with_untracked(|t| t.typing) {
                timeline.update(|t| t.typing = false);
            }
        }
    }

    /// Opens a conversation: an existing one is marked read; a new one (from the roster) joins
    /// the chat list. Opening a message request does not accept it.
    pub fn open(&self, peer: BareJid, contact: bool) {
        let exists = self.directory.with_untracked(|d| d.get(&peer).is_some());
        if exists {
            self.directory.update(|d| d.mark_read(&peer));
        } else {
            self.timeline_or_new(&peer, contact);
            self.touch(&peer, contact, Activity::Ours);
        }
        // Setting the same value again would remount the open conversation (and lose its draft).
        if self.open.get_untracked().as_ref() != Some(&peer) {
            self.open.set(Some(peer));
        }
    }

    /// The person accepted a message request: it moves to the chat list and keeps more history.
    pub fn accept(&self, peer: &BareJid) {
        self.directory.update(|d| d.accept(peer));
        self.keep_more(peer);
    }

    fn keep_more(&self, peer: &BareJid) {
        if let Some(timeline) = self.timeline(peer) {
            if timeline.with_untracked(|t| t.limits() != Limits::CONTACT) {
                timeline.update(|t| t.set_limits(Limits::CONTACT));
            }
        }
    }

    /// Someone became a contact (a roster push): a waiting conversation is a chat now, and one
    /// started before the push (adding a contact opens it) keeps a contact's history.
    pub fn became_contact(&self, peer: &BareJid) {
        let waiting = self
            .directory
            .with_untracked(|d| d.get(peer).is_some_and(|s| s.section == Section::Requests));
        if waiting {
            self.accept(peer);
        } else {
            self.keep_more(peer);
        }
    }

    /// Deletes a conversation (a message request the person does not want).
    pub fn delete(&self, peer: &BareJid) {
        if self.open.get_untracked().as_ref() == Some(peer) {
            self.open.set(None);
        }
        self.directory.update(|d| d.remove(peer));
        self.forget(peer);
    }

    /// Drops a conversation's messages. Its signal is emptied and kept for reuse, not disposed:
    /// a view or a timer still holding it must never touch a disposed value.
    fn forget(&self, peer: &BareJid) {
        if let Some(timeline) = self
            .timelines
            .try_update_value(|t| t.remove(peer))
            .flatten()
        {
            timeline.try_set(Timeline::new(Limits::STRANGER));
            self.free.update_value(|f| f.push(timeline));
        }
    }

    pub fn reset(&self) {
        self.open.set(None);
        self.directory.set(Directory::default());
        self.drafts.update_value(HashMap::clear);
        let timelines = self
            .timelines
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for timeline in timelines.into_values() {
            timeline.try_set(Timeline::new(Limits::STRANGER));
            self.free.update_value(|f| f.push(timeline));
        }
    }
}
