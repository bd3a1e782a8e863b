//! The logged-in screen: header (own address, connection state, own presence, language, sign out),
//! the left pane (open conversations, then the roster) and the open conversation on the right.
//! At phone width one pane shows at a time; the chat header's back button returns to the list.

use super::chat::ChatView;
use super::contacts::SubscriptionRequests;
use super::roster::Roster;
use super::state::UiError;
use super::{tr, use_state, LanguageSelect};
use crate::i18n::Key;
use crate::xmpp::Availability;
use leptos::prelude::*;

const SHOWS: [(Availability, Key); 4] = [
    (Availability::Available, Key::ShowAvailable),
    (Availability::Away, Key::ShowAway),
    (Availability::Dnd, Key::ShowDnd),
    (Availability::Xa, Key::ShowXa),
];

#[component]
pub fn Shell() -> impl IntoView {
    let state = use_state();
    let chat_open = move || state.open.with(Option::is_some);
    view! {
        <div data-testid="app-shell" class="app-shell" class:chat-open=chat_open>
            <Header/>
            <div class="panes">
                <nav class="sidebar" aria-label=tr(Key::Contacts)>
                    <SubscriptionRequests/>
                    <ChatList/>
                    <Roster/>
                </nav>
                <main class="conversation-pane">
                    {move || match state.open.get() {
                        Some(peer) => view! { <ChatView peer=peer/> }.into_any(),
                        None => {
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
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    let state = use_state();
    let own = move || {
        state
            .own_jid
            .get()
            .map(|j| j.to_string())
            .unwrap_or_default()
    };
    let link = move || state.link.get();
    let on_show = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let Some((availability, _)) = SHOWS.iter().find(|(a, _)| a.as_str() == value) else {
            return;
        };
        state.own_show.set(*availability);
        if let Some(connection) = state.connection() {
            if let Err(e) = connection.set_presence(*availability, None) {
                state.toast(super::state::ToastKind::Error, UiError::Send(e));
            }
        }
    };
    view! {
        <header class="topbar">
            <div class="brand small">
                <span class="logo" aria-hidden="true">"P"</span>
                <span class="brand-name">"Parley"</span>
            </div>
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
            <div class="topbar-actions">
                <label for="own-presence" class="visually-hidden">{tr(Key::MyStatus)}</label>
                <select
                    id="own-presence"
                    data-testid="own-presence"
                    class="select"
                    data-show=move || state.own_show.get().as_str()
                    on:change=on_show
                >
                    {SHOWS
                        .into_iter()
                        .map(|(availability, key)| {
                            view! {
                                <option
                                    value=availability.as_str()
                                    selected=move || state.own_show.get() == availability
                                >
                                    {tr(key)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <LanguageSelect id="shell-language"/>
                <button data-testid="logout" class="button" type="button" on:click=move |_| state.logout()>
                    {tr(Key::Logout)}
                </button>
            </div>
        </header>
    }
}

/// Open conversations, most recent first. Few enough that windowing is not needed.
#[component]
fn ChatList() -> impl IntoView {
    let state = use_state();
    let rows = Memo::new(move |_| state.conversations.with(|c| c.list()));
    view! {
        <section class="chat-list-section" aria-labelledby="chat-list-title">
            <h2 id="chat-list-title" class="pane-title">{tr(Key::Chats)}</h2>
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=move || view! { <p class="muted pad">{tr(Key::NoChats)}</p> }
            >
                <ul data-testid="chat-list" class="chat-list" role="list">
                    <For
                        each=move || rows.get()
                        key=|(jid, unread)| (jid.clone(), *unread)
                        children=move |(jid, unread)| {
                            let name = {
                                let jid = jid.clone();
                                move || state.roster.with(|r| r.name_of(&jid))
                            };
                            let presence = {
                                let jid = jid.clone();
                                move || state.roster.with(|r| r.presence_of(&jid).as_str())
                            };
                            let selected = {
                                let jid = jid.clone();
                                Memo::new(move |_| state.open.with(|o| o.as_ref() == Some(&jid)))
                            };
                            let open = {
                                let jid = jid.clone();
                                move |_| state.open_conversation(jid.clone())
                            };
                            view! {
                                <li
                                    data-testid="chat-list-item"
                                    data-jid=jid.to_string()
                                    data-unread=unread.to_string()
                                    class="chat-list-item"
                                    class:selected=selected
                                >
                                    <button
                                        type="button"
                                        class="row-button"
                                        on:click=open
                                        aria-current=move || selected.get().then_some("true")
                                    >
                                        <span class="presence-dot" data-presence=presence></span>
                                        <bdi class="row-name">{name}</bdi>
                                        {(unread > 0)
                                            .then(|| {
                                                view! {
                                                    <span class="badge">
                                                        {unread}
                                                        <span class="visually-hidden">
                                                            " " {tr(Key::Unread)}
                                                        </span>
                                                    </span>
                                                }
                                            })}
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// Transient notices, e.g. a message that bounced or a lost connection.
#[component]
pub fn Toasts() -> impl IntoView {
    let state = use_state();
    view! {
        <div class="toasts" role="status" aria-live="polite" aria-label=tr(Key::Notifications)>
            <For
                each=move || state.toasts.get()
                key=|toast| toast.id
                children=move |toast| {
                    let id = toast.id;
                    let error = toast.error.clone();
                    view! {
                        <div data-testid="toast" class="toast" data-kind=toast.kind.as_str()>
                            <span class="toast-text">{move || error.describe(state.lang.get())}</span>
                            <button
                                type="button"
                                class="icon-button"
                                aria-label=tr(Key::Dismiss)
                                on:click=move |_| state.dismiss_toast(id)
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
