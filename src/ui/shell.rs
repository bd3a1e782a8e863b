//! The signed-in screen: header (own address, connection state, own presence, language, sign
//! out), the banner of a lost connection with a way back, the left pane (subscription requests,
//! message requests, chats, contacts; each a windowed list with a bounded height, so none can push
//! another out of reach) and the open conversation. At phone width one pane shows at a time; the
//! chat header's back button returns to the list.

use super::alerts::AlertsMenu;
use super::avatar::Avatar;
use super::chat::ChatView;
use super::contact_details::Blocklist;
use super::contacts::SubscriptionRequests;
use super::list::{keyed_windowed_list, row_offset, ListShape};
use super::lookalike::LookalikeWarning;
use super::quick_switch::{QuickSwitch, QuickSwitchButton};
use super::room::RoomView;
use super::rooms::{Invitations, OfferedRooms, RoomBrowser};
use super::roster::Roster;
use super::{tr, tr_counted, use_state, Brand, ErrorDetail, LanguageSelect, ThemeToggle};
use crate::i18n::{Counted, Key};
use crate::linkify::neutralise_overrides;
use crate::store::directory::{Section, Summary};
use crate::transport::websocket::now;
use crate::xmpp::jid::BareJid;
use crate::xmpp::{Availability, Instant};
use leptos::leptos_dom::helpers::set_interval_with_handle;
use leptos::prelude::*;
use std::time::Duration;

const SHOWS: [(Availability, Key); 4] = [
    (Availability::Available, Key::ShowAvailable),
    (Availability::Away, Key::ShowAway),
    (Availability::Dnd, Key::ShowDnd),
    (Availability::Xa, Key::ShowXa),
];

/// Must match `.chat-list-item` height in the stylesheet.
const CHAT_ROW_HEIGHT: i32 = 48;

#[component]
pub fn Shell() -> impl IntoView {
    let state = use_state();
    let open = state.chats.open;
    let browser = state.rooms.browser_open;
    // An embed showing one conversation has nothing beside it: no lists, no way back to them.
    let only = state.embed.only().is_some();
    let chat_open = move || only || browser.get() || open.with(Option::is_some);
    let switcher = RwSignal::new(0u64);
    view! {
        <div
            data-testid="app-shell"
            class="app-shell"
            class:chat-open=chat_open
            class:embed=move || state.embed.compact.get()
            class:only=only
        >
            <Header/>
            <ConnectionLost/>
            <div class="panes">
                <nav class="sidebar" aria-label=tr(Key::Contacts)>
                    <div class="sidebar-actions">
                        <Show when=move || state.with_config(|c| c.features.room_browser)>
                            <button
                                type="button"
                                data-testid="rooms-open"
                                class="button small"
                                aria-pressed=move || browser.get().to_string()
                                on:click=move |_| state.open_rooms()
                            >
                                {tr(Key::BrowseRooms)}
                            </button>
                        </Show>
                        <QuickSwitchButton asked=switcher/>
                        <AlertsMenu/>
                    </div>
                    <OfferedRooms/>
                    <Invitations/>
                    <SubscriptionRequests/>
                    <Conversations section=Section::Requests/>
                    <Conversations section=Section::Chats/>
                    <Roster/>
                    <Blocklist/>
                </nav>
                <main class="conversation-pane">
                    {move || match (browser.get(), open.get()) {
                        (true, _) => view! { <RoomBrowser/> }.into_any(),
                        (false, Some(room)) if state.rooms.is_room(&room) => {
                            view! { <RoomView room/> }.into_any()
                        }
                        (false, Some(peer)) => view! { <ChatView peer=peer/> }.into_any(),
                        (false, None) => {
                            view! {
                                <div class="empty-conversation">
                                    <p>{tr(Key::PickConversation)}</p>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </main>
            </div>
            // One conversation alone has nothing to switch to.
            {(!only).then(|| view! { <QuickSwitch asked=switcher/> })}
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    let state = use_state();
    let connection = state.connection;
    let own = move || {
        connection
            .own_jid
            .get()
            .map(|j| j.to_string())
            .unwrap_or_default()
    };
    let link = move || connection.link.get();
    let on_show = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let Some((availability, _)) = SHOWS.iter().find(|(a, _)| a.as_str() == value) else {
            return;
        };
        state.set_own_presence(*availability, None);
    };
    // Sent when the person is done with it (Enter or leaving the field), not on each keystroke.
    let on_status = move |ev: leptos::ev::Event| {
        state.set_own_presence(
            connection.own_show.get_untracked(),
            Some(event_target_value(&ev)),
        );
    };
    // On phones the actions fold into a menu under one button (the stylesheet shows the
    // button and hides the actions until it is open); Esc, a press outside or the focus leaving
    // closes it.
    let menu_open = RwSignal::new(false);
    let header = NodeRef::<leptos::html::Header>::new();
    let menu_button = NodeRef::<leptos::html::Button>::new();
    // Whether an event's target (a press, the focus's next place) is inside the header.
    let in_header = move |target: Option<web_sys::EventTarget>| {
        use leptos::wasm_bindgen::JsCast;
        let node = target.and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        header
            .get_untracked()
            .is_some_and(|h| node.is_some_and(|n| h.contains(Some(&n))))
    };
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        if !in_header(ev.target()) {
            menu_open.try_set(false);
        }
    });
    on_cleanup(move || outside.remove());
    let on_menu_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            ev.stop_propagation();
            menu_open.set(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    // Tabbing out of the header closes the menu too, so it never hangs over what has focus.
    // (Focus going nowhere, a tap on the panel's background, leaves it open.)
    let on_focus_out = move |ev: leptos::ev::FocusEvent| {
        let next = ev.related_target();
        if next.is_some() && !in_header(next) {
            menu_open.set(false);
        }
    };
    view! {
        <header class="topbar" node_ref=header on:keydown=on_menu_key on:focusout=on_focus_out>
            <Brand heading=false/>
            <div class="me">
                <bdi class="own-jid" title=own>{own}</bdi>
                <span
                    data-testid="connection-status"
                    class="connection-status"
                    data-state=move || link().as_str()
                    role="status"
                >
                    <span class="dot" aria-hidden="true"></span>
                    {move || tr(link().label())()}
                </span>
            </div>
            <button
                type="button"
                data-testid="header-menu"
                class="icon-button topbar-menu-button"
                aria-controls="topbar-actions"
                aria-expanded=move || menu_open.get().to_string()
                aria-label=tr(Key::Menu)
                title=tr(Key::Menu)
                node_ref=menu_button
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                <span aria-hidden="true">"☰"</span>
            </button>
            <div id="topbar-actions" class="topbar-actions" class:open=move || menu_open.get()>
                <label for="own-presence" class="visually-hidden">{tr(Key::MyStatus)}</label>
                <select
                    id="own-presence"
                    data-testid="own-presence"
                    class="select"
                    data-show=move || connection.own_show.get().as_str()
                    on:change=on_show
                >
                    {SHOWS
                        .into_iter()
                        .map(|(availability, key)| {
                            view! {
                                <option
                                    value=availability.as_str()
                                    selected=move || connection.own_show.get() == availability
                                >
                                    {tr(key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <label for="status-text" class="visually-hidden">{tr(Key::StatusText)}</label>
                <input
                    id="status-text"
                    data-testid="status-text"
                    class="input status-text"
                    type="text"
                    maxlength="200"
                    autocomplete="off"
                    placeholder=tr(Key::StatusTextPlaceholder)
                    prop:value=move || connection.own_status.get()
                    on:change=on_status
                />
                <LanguageSelect id="shell-language"/>
                <ThemeToggle/>
                {move || state.device.remembered.get().then(|| {
                    let forget = state.device.forget_on_logout;
                    view! {
                        <label class="forget-device">
                            <input
                                type="checkbox"
                                data-testid="logout-forget"
                                prop:checked=move || forget.get()
                                on:change=move |ev| forget.set(event_target_checked(&ev))
                            />
                            {tr(Key::ForgetDevice)}
                        </label>
                    }
                })}
                {move || state.connection.guest_nick.get().is_none().then(|| view! { <super::account::AccountDialog/> })}
                <button data-testid="logout" class="button" type="button" on:click=move |_| state.logout()>
                    {tr(Key::Logout)}
                </button>
            </div>
        </header>
    }
}

/// Why the connection was lost, in Parley's words, and the way back: the account reconnects by
/// itself (when it tries next, and a button to try now), or sign in again when nothing was kept.
/// Everything on the page stays meanwhile.
#[component]
fn ConnectionLost() -> impl IntoView {
    let state = use_state();
    let connection = state.connection;
    view! {
        {move || {
            connection
                .lost
                .get()
                .map(|error| {
                    let reason = error.reason();
                    let detail = error.detail();
                    view! {
                        <div data-testid="connection-lost" class="connection-lost" role="alert" data-reason=reason>
                            <p>
                                {move || error.describe(state.lang.get())}
                                {move || connection.retry_at.get().map(|at| view! { " " <RetryCountdown at/> })}
                            </p>
                            <ErrorDetail detail/>
                            {move || if connection.can_reconnect.get() {
                                view! {
                                    <button data-testid="reconnect-now" type="button" class="button small primary" on:click=move |_| state.reconnect()>
                                        {tr(Key::Reconnect)}
                                    </button>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button data-testid="sign-in-again" type="button" class="button small primary" on:click=move |_| state.sign_in_again()>
                                        {tr(Key::SignInAgain)}
                                    </button>
                                }
                                    .into_any()
                            }}
                        </div>
                    }
                })
        }}
    }
}

/// The seconds until the next try, counting down.
#[component]
fn RetryCountdown(at: Instant) -> impl IntoView {
    let clock = RwSignal::new(now());
    if let Ok(handle) =
        set_interval_with_handle(move || clock.set(now()), Duration::from_millis(500))
    {
        on_cleanup(move || handle.clear());
    }
    let seconds = move || at.0.saturating_sub(clock.get().0).div_ceil(1000);
    let label = tr(Key::RetryingIn);
    view! {
        <span data-testid="reconnect-countdown" class="countdown" data-seconds=seconds>
            {move || format!("{} {} s", label(), seconds())}
        </span>
    }
}

/// The chat list, or the message requests: conversations most recent first, windowed.
#[component]
fn Conversations(section: Section) -> impl IntoView {
    let state = use_state();
    let directory = state.chats.directory;
    let total = Signal::derive(move || directory.with(|d| d.len(section)));
    let (testid, title_id, title, empty) = match section {
        Section::Chats => (
            "chat-list",
            "chat-list-title",
            Key::Chats,
            Some(Key::NoChats),
        ),
        Section::Requests => (
            "message-requests",
            "message-requests-title",
            Key::MessageRequests,
            None,
        ),
    };
    let shape = ListShape {
        testid,
        class: "chat-list",
        labelled_by: title_id,
        row_height: CHAT_ROW_HEIGHT,
    };
    let list = keyed_windowed_list(
        shape,
        total,
        total,
        Signal::derive(|| 0),
        move |first, last| directory.with(|d| d.rows(section, first, last)),
        |summary: &Summary| summary.jid.clone(),
        move |index, summary| view! { <ChatRow index summary section/> },
    );
    let visible = move || section == Section::Chats || total.get() > 0;
    view! {
        <section
            class="chat-list-section"
            class:message-requests=section == Section::Requests
            aria-labelledby=title_id
            style:display=move || (!visible()).then_some("none")
        >
            <h2 id=title_id class="pane-title">
                {tr(title)}
                {(section == Section::Requests).then(|| view! { <span class="count">{move || total.get()}</span> })}
            </h2>
            {list}
            {move || {
                empty
                    .filter(|_| total.get() == 0)
                    .map(|key| view! { <p class="muted pad">{tr(key)}</p> })
            }}
        </section>
    }
}

#[component]
fn ChatRow(index: Signal<usize>, summary: Signal<Summary>, section: Section) -> impl IntoView {
    let state = use_state();
    let roster = state.contacts.roster;
    // The address is the row's identity: it never changes under the row.
    let jid = summary.with_untracked(|s| s.jid.clone());
    let is_room = state.rooms.is_room(&jid);
    let name = {
        let jid = jid.clone();
        move || {
            let name = if is_room {
                state.room_name(&jid)
            } else {
                roster.with(|r| r.name_of(&jid))
            };
            neutralise_overrides(&name).into_owned()
        }
    };
    let presence = {
        let jid = jid.clone();
        Signal::derive(move || {
            if is_room {
                "room"
            } else {
                roster.with(|r| r.presence_of(&jid).as_str())
            }
        })
    };
    let lookalike = {
        let jid = jid.clone();
        Memo::new(move |_| {
            (!is_room)
                .then(|| roster.with(|r| r.lookalike_of(&jid)))
                .flatten()
        })
    };
    let selected = is_open(jid.clone());
    let testid = match section {
        Section::Chats => "chat-list-item",
        Section::Requests => "message-request",
    };
    let unread = Memo::new(move |_| summary.with(|s| s.unread));
    view! {
        <li
            data-testid=testid
            data-jid=jid.to_string()
            data-unread=move || unread.get().to_string()
            class="chat-list-item"
            class:selected=selected
            style:transform=row_offset(index, CHAT_ROW_HEIGHT)
        >
            <OpenChatButton jid=jid.clone() name=Signal::derive(name.clone()) presence selected>
                <bdi class="row-name">{name}</bdi>
                {move || lookalike.get().map(|lookalike| view! { <LookalikeWarning lookalike compact=true/> })}
                {move || {
                    let unread = unread.get();
                    (unread > 0)
                        .then(|| {
                            view! {
                                <span class="badge">
                                    <span aria-hidden="true">{unread}</span>
                                    <span class="visually-hidden">
                                        {move || tr_counted(Counted::Unread, u64::from(unread))}
                                    </span>
                                </span>
                            }
                        })
                }}
            </OpenChatButton>
        </li>
    }
}

/// Whether the conversation with `jid` is the one on screen.
pub fn is_open(jid: BareJid) -> Memo<bool> {
    let open = use_state().chats.open;
    Memo::new(move |_| open.with(|o| o.as_ref() == Some(&jid)))
}

/// The button of a contact's or a chat's row: opens the conversation with `jid` (marked current
/// while it is open), with its avatar (`name`'s initials) and presence first and the row's own
/// text after it.
#[component]
pub fn OpenChatButton(
    jid: BareJid,
    name: Signal<String>,
    presence: Signal<&'static str>,
    selected: Memo<bool>,
    children: Children,
) -> impl IntoView {
    let state = use_state();
    view! {
        <button
            type="button"
            class="row-button"
            on:click=move |_| state.open_conversation(jid.clone())
            aria-current=move || selected.get().then_some("true")
        >
            <Avatar address=jid.to_string() name presence/>
            {children()}
        </button>
    }
}

/// Transient notices, e.g. a message that bounced. At most three, none repeated.
#[component]
pub fn Toasts() -> impl IntoView {
    let state = use_state();
    let toasts = state.notices.toasts;
    view! {
        <div class="toasts" role="status" aria-live="polite" aria-label=tr(Key::Notifications)>
            <For
                each=move || toasts.with(|t| t.shown())
                key=|toast| toast.id
                children=move |toast| {
                    let id = toast.id;
                    let error = toast.notice.clone();
                    let reason = error.reason();
                    view! {
                        <div data-testid="toast" class="toast" data-kind="error" data-reason=reason>
                            <div class="toast-text">
                                <p>{move || error.describe(state.lang.get())}</p>
                                <ErrorDetail detail=toast.notice.detail()/>
                            </div>
                            <button
                                type="button"
                                class="icon-button"
                                aria-label=tr(Key::Dismiss)
                                on:click=move |_| state.notices.dismiss(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
