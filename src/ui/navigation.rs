//! The open place in the page's address ([`crate::route`]): opening a conversation, a room or
//! the room browser pushes a history entry, so Back and Forward move between them instead of
//! leaving the app; Back, Forward or an edited fragment open what the address names. A link's
//! place (or the place before a reload) waits until the session is online, then opens. Leaving
//! or reloading while a message of ours is still pending asks first.

use super::state::{AppState, Phase};
use crate::route::Route;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;

#[derive(Clone, Copy)]
pub struct Navigation {
    /// The place the address named when the page opened, until the first session opens it.
    pending: StoredValue<Option<Route>>,
}

impl Navigation {
    pub fn new() -> Self {
        Self {
            pending: StoredValue::new(None),
        }
    }
}

impl Default for Navigation {
    fn default() -> Self {
        Self::new()
    }
}

/// Guards against leaving with unsent messages, and follows the address (not in an embed that
/// shows one conversation alone).
pub fn start(state: AppState) {
    // Leaving or reloading while a message still waits for the server, or with text typed and
    // not sent (drafts are not stored): the browser asks first.
    let unsent = window_event_listener(leptos::ev::beforeunload, move |event| {
        if state.chats.has_pending() || state.chats.has_draft() {
            event.prevent_default();
            // Older browsers ask only when a return value is set.
            event.set_return_value("");
        }
    });
    std::mem::forget(unsent);

    if state.embed.only().is_some() {
        return;
    }
    let initial = Route::parse(&hash());
    state
        .navigation
        .pending
        .set_value((initial != Route::Lists).then_some(initial));

    Effect::new(move |_| {
        let signed_in = state.connection.phase.get() == Phase::Shell;
        let route = place(state);
        if !signed_in || state.navigation.pending.with_value(Option::is_some) {
            return;
        }
        let wanted = route.to_hash();
        if Route::parse(&hash()) != route {
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&wanted));
            }
        }
    });

    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        if state.connection.phase.get_untracked() == Phase::Shell {
            follow(state, Route::parse(&hash()));
        }
    });
    // The app lives as long as the page: the listener too.
    std::mem::forget(listener);
}

/// The first session is online: the address's place opens now.
pub fn online(state: AppState) {
    if let Some(route) = state
        .navigation
        .pending
        .try_update_value(Option::take)
        .flatten()
    {
        follow(state, route);
    }
}

/// What is on screen, as a place (tracked).
fn place(state: AppState) -> Route {
    if state.rooms.browser_open.get() {
        return Route::RoomBrowser;
    }
    match state.chats.open.get() {
        Some(jid) if state.rooms.is_room(&jid) => Route::Room(jid),
        Some(jid) => Route::Chat(jid),
        None => Route::Lists,
    }
}

fn follow(state: AppState, route: Route) {
    match route {
        Route::Lists => {
            state.rooms.browser_open.set(false);
            state.chats.open.set(None);
        }
        Route::RoomBrowser => state.open_rooms(),
        Route::Chat(peer) => state.open_conversation(peer),
        Route::Room(room) => {
            let nick = state.default_nick();
            state.join(&room, &nick, None, true);
        }
    }
}

fn hash() -> String {
    window().location().hash().unwrap_or_default()
}
