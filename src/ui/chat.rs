//! One conversation: header, the message history (windowed: the newest [`PAGE`] messages, more
//! when scrolling up), the typing indicator (XEP-0085) and the composer.
//!
//! Bodies are text nodes inside a bidi-isolated element, so markup in a body stays text and an RTL
//! override cannot reorder the UI around it.

use super::contacts::ContactActions;
use super::state::{AppState, Message, MessageState, ToastKind, UiError};
use super::{tr, use_state};
use crate::i18n::{Key, Lang};
use crate::linkify::{linkify, Segment};
use crate::xmpp::delay::UnixMillis;
use crate::xmpp::jid::BareJid;
use crate::xmpp::message::SendError;
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;
use std::time::Duration;

/// Messages rendered at first, and added each time the person scrolls to the top.
pub const PAGE: usize = 200;
/// Closer than this to the bottom counts as "at the bottom": new messages keep it scrolled there.
const BOTTOM_SLACK: i32 = 48;
/// XEP-0085 §5.2: after this long without typing, `composing` becomes `paused`.
const PAUSE_AFTER: Duration = Duration::from_secs(5);

#[component]
pub fn ChatView(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let peer_text = peer.to_string();
    let name = {
        let peer = peer.clone();
        move || state.roster.with(|r| r.name_of(&peer))
    };
    let presence = {
        let peer = peer.clone();
        Memo::new(move |_| state.roster.with(|r| r.presence_of(&peer)))
    };
    let count = {
        let peer = peer.clone();
        move || {
            state
                .conversations
                .with(|c| c.by_peer.get(&peer).map_or(0, |c| c.messages.len()))
        }
    };
    let typing = {
        let peer = peer.clone();
        move || {
            state
                .conversations
                .with(|c| c.by_peer.get(&peer).is_some_and(|c| c.typing))
        }
    };
    let presence_label = move || {
        let key = match presence.get() {
            crate::xmpp::Availability::Available => Key::ShowAvailable,
            crate::xmpp::Availability::Away => Key::ShowAway,
            crate::xmpp::Availability::Dnd => Key::ShowDnd,
            crate::xmpp::Availability::Xa => Key::ShowXa,
            crate::xmpp::Availability::Unavailable => Key::ShowUnavailable,
        };
        tr(key)()
    };

    view! {
        <section
            data-testid="chat-view"
            class="chat-view"
            data-jid=peer_text.clone()
            data-kind="chat"
            data-count=move || count().to_string()
            aria-labelledby="chat-title"
        >
            <header class="chat-header">
                <button
                    type="button"
                    class="icon-button back"
                    aria-label=tr(Key::Back)
                    on:click=move |_| state.open.set(None)
                >
                    "←"
                </button>
                <span class="presence-dot" data-presence=move || presence.get().as_str()></span>
                <div class="chat-title">
                    <h2 id="chat-title">
                        <bdi>{name.clone()}</bdi>
                    </h2>
                    <p class="chat-subtitle">
                        <bdi>{peer_text.clone()}</bdi>
                        " · "
                        {presence_label}
                    </p>
                </div>
                <ContactActions peer=peer.clone()/>
            </header>
            <MessageList peer=peer.clone()/>
            <div class="typing-slot" aria-live="polite">
                <Show when=typing.clone()>
                    <p data-testid="typing-indicator" class="typing-indicator">
                        <bdi>{name.clone()}</bdi>
                        " "
                        {tr(Key::Typing)}
                    </p>
                </Show>
            </div>
            <Composer peer=peer/>
        </section>
    }
}

#[component]
fn MessageList(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let shown = RwSignal::new(PAGE);
    let scroller = NodeRef::<html::Div>::new();
    let at_bottom = StoredValue::new(true);
    // Height of the content before older messages were added, to keep the view where it was.
    let anchor = StoredValue::new(None::<i32>);

    let messages = {
        let peer = peer.clone();
        Memo::new(move |_| {
            let shown = shown.get();
            state.conversations.with(|c| {
                c.by_peer.get(&peer).map_or_else(Vec::new, |c| {
                    let start = c.messages.len().saturating_sub(shown);
                    c.messages[start..].to_vec()
                })
            })
        })
    };
    let total = {
        let peer = peer.clone();
        move || {
            state
                .conversations
                .with(|c| c.by_peer.get(&peer).map_or(0, |c| c.messages.len()))
        }
    };

    let on_scroll = move |_| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        at_bottom
            .set_value(el.scroll_height() - el.scroll_top() - el.client_height() <= BOTTOM_SLACK);
        if el.scroll_top() < BOTTOM_SLACK && shown.get_untracked() < total() {
            anchor.set_value(Some(el.scroll_height() - el.scroll_top()));
            shown.update(|n| *n += PAGE);
        }
    };

    // After the list changes, keep it pinned to the bottom or where older messages were added.
    Effect::new(move |_| {
        messages.track();
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else {
                return;
            };
            if let Some(from_bottom) = anchor.get_value() {
                anchor.set_value(None);
                el.set_scroll_top(el.scroll_height() - from_bottom);
            } else if at_bottom.get_value() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    });

    view! {
        <div class="messages" node_ref=scroller on:scroll=on_scroll>
            <Show
                when=move || messages.with(|m| !m.is_empty())
                fallback=move || view! { <p class="muted empty-messages">{tr(Key::NoMessages)}</p> }
            >
                <ul class="message-list" role="list">
                    <For
                        each=move || messages.get()
                        key=|m| (m.id.clone(), m.state)
                        children=|m| view! { <MessageRow message=m/> }
                    />
                </ul>
            </Show>
        </div>
    }
}

/// One message. Public so tests can mount it with hostile bodies.
#[component]
pub fn MessageRow(message: Message) -> impl IntoView {
    let Message {
        id,
        from,
        direction,
        body,
        state,
        time,
    } = message;
    // Mounted alone in tests, without the app around it: then English.
    let lang = use_context::<AppState>().map(|s| s.lang);
    let label = move || time_label(time, lang.map_or(Lang::En, |l| l.get()));
    let iso = String::from(js_sys::Date::new(&JsValue::from_f64(time as f64)).to_iso_string());
    view! {
        <li
            data-testid="message"
            class="message"
            class:error=state == MessageState::Error
            data-id=id
            data-from=from
            data-direction=direction.as_str()
            data-state=state.as_str()
        >
            <div data-testid="message-body" class="message-body" dir="auto">
                {body_view(&body)}
            </div>
            <time data-testid="message-time" class="message-time" datetime=iso>
                {label}
            </time>
        </li>
    }
}

/// A message's time as the interface language writes it: the hour and minute for today's
/// messages, with the day and month for older ones.
fn time_label(ms: UnixMillis, lang: Lang) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    let today = js_sys::Date::new_0().to_date_string() == date.to_date_string();
    let options = js_sys::Object::new();
    let mut fields = vec![("hour", "2-digit"), ("minute", "2-digit")];
    if !today {
        fields.extend([("day", "numeric"), ("month", "short")]);
    }
    for (key, value) in fields {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string(lang.code(), &options).into()
}

/// The body as text nodes, with `https:`, `http:` and `xmpp:` links as anchors whose text is the
/// URL itself (see [`linkify`]); everything else, markup included, stays text.
fn body_view(body: &str) -> impl IntoView {
    linkify(body)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.to_owned().into_any(),
            Segment::Link(url) => view! {
                <a href=url.to_owned() target="_blank" rel="noopener noreferrer">
                    {url.to_owned()}
                </a>
            }
            .into_any(),
        })
        .collect_view()
}

#[component]
fn Composer(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let draft = RwSignal::new(String::new());
    let input = NodeRef::<html::Textarea>::new();
    // Whether we told the peer we are composing, and the timer that turns it into `paused`.
    let composing = StoredValue::new(false);
    let pause_timer = StoredValue::new(None::<TimeoutHandle>);

    let cancel_pause = move || {
        if let Some(handle) = pause_timer.get_value() {
            handle.clear();
        }
        pause_timer.set_value(None);
    };
    let set_composing = {
        let peer = peer.clone();
        move |on: bool| {
            if composing.get_value() != on {
                composing.set_value(on);
                if let Some(connection) = state.connection() {
                    connection.send_chat_state(&peer, on);
                }
            }
        }
    };

    let send = {
        let peer = peer.clone();
        let set_composing = set_composing.clone();
        move || {
            let body = draft.get_untracked();
            let Some(connection) = state.connection() else {
                state.toast(ToastKind::Error, UiError::Send(SendError::NotOnline));
                return;
            };
            match connection.send_chat(&peer, &body) {
                Ok(message) => {
                    // The message carries <active/>, which ends "composing" for the peer.
                    composing.set_value(false);
                    cancel_pause();
                    draft.set(String::new());
                    state.add_sent(message);
                }
                Err(SendError::Empty) => {}
                Err(e) => {
                    set_composing(false);
                    state.toast(ToastKind::Error, UiError::Send(e));
                }
            }
            if let Some(el) = input.get_untracked() {
                let _ = el.focus();
            }
        }
    };

    let on_input = {
        let set_composing = set_composing.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            let empty = value.trim().is_empty();
            draft.set(value);
            cancel_pause();
            set_composing(!empty);
            if !empty {
                let set_composing = set_composing.clone();
                let handle =
                    set_timeout_with_handle(move || set_composing(false), PAUSE_AFTER).ok();
                pause_timer.set_value(handle);
            }
        }
    };
    let on_keydown = {
        let send = send.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            // Enter sends; Shift+Enter is a new line; Enter while an IME is composing is the IME's.
            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                ev.prevent_default();
                send();
            }
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    on_cleanup(move || {
        if let Some(handle) = pause_timer.try_get_value().flatten() {
            handle.clear();
        }
    });

    view! {
        <form class="composer" on:submit=on_submit>
            <label for="composer-input" class="visually-hidden">{tr(Key::MessageInput)}</label>
            <textarea
                id="composer-input"
                data-testid="composer-input"
                class="input composer-input"
                rows="1"
                placeholder=tr(Key::MessagePlaceholder)
                node_ref=input
                prop:value=move || draft.get()
                on:input=on_input
                on:keydown=on_keydown
            ></textarea>
            <button type="submit" data-testid="composer-send" class="button primary">
                {tr(Key::Send)}
            </button>
        </form>
    }
}
