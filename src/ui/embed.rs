//! The iframe API in the browser (`docs/embedding.md`; the shapes are [`crate::embed`]'s).
//!
//! Heard: only messages whose origin is one of `config.json`'s `embed.allowed_origins` and whose
//! sender is this frame's parent; anything else is counted and dropped. Spoken: to the parent,
//! addressed to each allowed origin in turn, so the browser delivers it only if the parent is one
//! of them. Without allowed origins, or outside a frame, there is no API at all.

use super::state::{AppState, LinkState, UiError};
use crate::embed::{HostCommand, Notice};
use leptos::prelude::*;

/// Starts the API once `config.json` is read.
pub fn start(state: AppState) {
    let allowed = state.with_config_untracked(|c| c.embed.allowed_origins.clone());
    let window = window();
    let Some(parent) = window.parent().ok().flatten() else {
        return;
    };
    if allowed.is_empty() || js_sys::Object::is(&parent, &window) {
        return;
    }
    let bodies = state.with_config_untracked(|c| c.embed.message_bodies);
    let tell = {
        let parent = parent.clone();
        let allowed = allowed.clone();
        move |notice: Notice| {
            let Ok(message) = js_sys::JSON::parse(&notice.to_json()) else {
                return;
            };
            for origin in &allowed {
                // A parent of another origin than this one does not get it (no error either).
                let _ = parent.post_message(&message, origin);
            }
        }
    };

    let listener = window_event_listener(leptos::ev::message, move |event| {
        let from_parent = event
            .source()
            .is_some_and(|source| js_sys::Object::is(&source, &parent));
        if !from_parent || !allowed.contains(&event.origin()) {
            return ignore(state, "a message from another page");
        }
        let json = js_sys::JSON::stringify(&event.data())
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        match HostCommand::parse(&json) {
            Ok(command) => perform(state, command),
            Err(refused) => ignore(state, &format!("{refused:?}")),
        }
    });
    // The app lives as long as the page: the listener too.
    std::mem::forget(listener);

    // Where a test (or the operator, in the inspector) can see how many were dropped.
    Effect::new(move |_| {
        let ignored = state.embed.ignored.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-api-ignored", &ignored.to_string());
        }
    });
    tell(Notice::Ready);
    let link = state.connection.link;
    let own = state.connection.own_jid;
    Effect::new({
        let tell = tell.clone();
        move |was_online: Option<bool>| {
            let online = link.get() == LinkState::Online;
            if was_online.is_some_and(|was| was != online) || (was_online.is_none() && online) {
                tell(if online {
                    Notice::Connected {
                        jid: own
                            .get_untracked()
                            .map(|j| j.to_string())
                            .unwrap_or_default(),
                    }
                } else {
                    Notice::Disconnected
                });
            }
            online
        }
    });
    Effect::new({
        let tell = tell.clone();
        move |previous: Option<u32>| {
            let count = state.chats.directory.with(|d| d.unread());
            if previous.is_some_and(|p| p != count) || (previous.is_none() && count > 0) {
                tell(Notice::Unread { count });
            }
            count
        }
    });
    Effect::new(move |_| {
        if let Some(arrival) = state.chats.arrived.get() {
            tell(Notice::Message {
                conversation: arrival.conversation.to_string(),
                from: arrival.from,
                room: arrival.room,
                body: bodies.then_some(arrival.body),
            });
        }
    });
}

fn ignore(state: AppState, why: &str) {
    state.embed.ignored.update(|n| *n += 1);
    leptos::logging::warn!("parley: iframe API message ignored: {why}");
}

fn perform(state: AppState, command: HostCommand) {
    if state.account().is_none() && command != HostCommand::Logout {
        return state.notices.push(UiError::NotOnline);
    }
    match command {
        HostCommand::OpenChat(peer) => state.open_conversation(peer),
        HostCommand::OpenRoom { room, nick } => {
            let nick = nick.unwrap_or_else(|| state.default_nick());
            state.join(&room, &nick, None, true);
        }
        HostCommand::SetPresence { show, status } => state.set_own_presence(show, status),
        HostCommand::Logout => {
            if state.account().is_some() {
                state.logout();
            }
        }
    }
}

/// The page's query, decoded by the browser.
pub fn request() -> crate::embed::EmbedRequest {
    let search = window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    crate::embed::EmbedRequest::from_query(|key| params.as_ref().and_then(|p| p.get(key)))
}
