//! One conversation: header, the message history, the typing indicator (XEP-0085) and the
//! composer. A stranger's conversation (a message request) carries a bar to accept or delete it.
//!
//! The history is windowed ([`HistoryWindow`]): at most 150 messages are in the DOM. While the
//! person is at the bottom the window follows the newest messages, so a flood never piles up rows
//! or drags the view away; scrolling up pages older ones in (and newer ones out), scrolling down
//! the reverse, the view staying on what it showed either way, and "jump to the
//! latest" is always one click away. Rows are keyed by local sequence numbers, never stanza ids;
//! each row is a [`MessageRow`].

use super::avatar::Avatar;
use super::contact_details::{show_key, ContactDetails};
use super::contacts::ContactActions;
use super::lookalike::LookalikeWarning;
use super::message::{local_day, MessageRow};
use super::state::AppState;
use super::{tr, tr_counted, use_state};
use crate::i18n::{self, Counted, Key};
use crate::linkify::neutralise_overrides;
use crate::store::directory::Section;
use crate::store::grouping::{self, Placed};
use crate::store::timeline::{Entry, Timeline};
use crate::store::window::HistoryWindow;
use crate::styling;
use crate::xmpp::jid::BareJid;
use crate::xmpp::{Direction, SendError};
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Closer than this to an edge counts as being at it.
const EDGE_SLACK: i32 = 48;
/// XEP-0085 §5.2: after this long without typing, `composing` becomes `paused`.
const PAUSE_AFTER: Duration = Duration::from_secs(5);

/// The header's way back to the lists (shown at phone width, where one pane shows at a time).
#[component]
pub fn BackButton(on_back: Callback<()>) -> impl IntoView {
    view! {
        <button
            type="button"
            data-testid="chat-back"
            class="icon-button back"
            aria-label=tr(Key::Back)
            on:click=move |_| on_back.run(())
        >
            "←"
        </button>
    }
}

#[component]
pub fn ChatView(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let roster = state.contacts.roster;
    let Some(timeline) = state.chats.timeline(&peer) else {
        // Opening always creates the conversation; nothing to show otherwise.
        return ().into_any();
    };
    let peer_text = peer.to_string();
    let name = {
        let peer = peer.clone();
        move || neutralise_overrides(&roster.with(|r| r.name_of(&peer))).into_owned()
    };
    let presence = {
        let peer = peer.clone();
        Memo::new(move |_| roster.with(|r| r.presence_of(&peer)))
    };
    let is_request = {
        let peer = peer.clone();
        Memo::new(move |_| {
            state
                .chats
                .directory
                .with(|d| d.get(&peer).is_some_and(|s| s.section == Section::Requests))
        })
    };
    let count = move || timeline.with(Timeline::len).to_string();
    let typing = move || timeline.with(|t| t.typing);
    let presence_label = move || tr(show_key(presence.get()))();
    let details_open = RwSignal::new(false);
    let blocked = {
        let peer = peer.clone();
        Memo::new(move |_| state.contacts.is_blocked(&peer))
    };
    let lookalike = {
        let peer = peer.clone();
        Memo::new(move |_| roster.with(|r| r.lookalike_of(&peer)))
    };
    let peer_value = StoredValue::new(peer.clone());
    let unblock = move |_| state.set_blocked(&peer_value.get_value().into(), false);
    let block_request = move |_| state.set_blocked(&peer_value.get_value().into(), true);
    let accept = {
        let peer = peer.clone();
        move |_| state.chats.accept(&peer)
    };
    let delete = {
        let peer = peer.clone();
        move |_| state.chats.delete(&peer)
    };

    view! {
        <section
            data-testid="chat-view"
            class="chat-view"
            data-jid=peer_text.clone()
            data-kind="chat"
            data-count=count
            aria-labelledby="chat-title"
        >
            <header class="chat-header">
                <BackButton on_back=Callback::new(move |_| state.chats.open.set(None))/>
                <Avatar
                    address=peer_text.clone()
                    name=Signal::derive(name.clone())
                    presence=Signal::derive(move || presence.get().as_str())
                />
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
                {
                    let peer = peer.clone();
                    view! {
                        <Show when=move || state.with_config(|c| c.features.contact_management)>
                            <ContactActions peer=peer.clone()/>
                        </Show>
                    }
                }
                <button
                    data-testid="contact-details-open"
                    type="button"
                    class="button small"
                    aria-expanded=move || details_open.get().to_string()
                    aria-controls="contact-details"
                    on:click=move |_| details_open.update(|o| *o = !*o)
                >
                    {tr(Key::Details)}
                </button>
            </header>
            {
                let peer = peer.clone();
                move || details_open.get().then(|| view! { <ContactDetails peer=peer.clone()/> })
            }
            {move || lookalike.get().map(|lookalike| view! {
                <div class="request-bar lookalike-bar" role="note">
                    <p><LookalikeWarning lookalike explain=true/></p>
                </div>
            })}
            <Show when=move || blocked.get()>
                <div data-testid="blocked-bar" class="request-bar" role="status">
                    <p>{tr(Key::BlockedBar)}</p>
                    <div class="form-actions">
                        <button data-testid="blocked-unblock" type="button" class="button small" on:click=unblock>
                            {tr(Key::Unblock)}
                        </button>
                    </div>
                </div>
            </Show>
            <Show when=move || is_request.get()>
                <div data-testid="message-request-bar" class="request-bar" role="region" aria-label=tr(Key::MessageRequests)>
                    <p>{tr(Key::MessageRequestExplained)}</p>
                    <div class="form-actions">
                        <button data-testid="message-request-delete" type="button" class="button small" on:click=delete.clone()>
                            {tr(Key::DeleteRequest)}
                        </button>
                        <Show when=move || state.contacts.blocking_offered.get() && !blocked.get()>
                            <button data-testid="message-request-block" type="button" class="button small danger" on:click=block_request>
                                {tr(Key::Block)}
                            </button>
                        </Show>
                        <button data-testid="message-request-accept" type="button" class="button small primary" on:click=accept.clone()>
                            {tr(Key::AcceptRequest)}
                        </button>
                    </div>
                </div>
            </Show>
            <MessageList peer=peer.clone() timeline older={
                let peer = peer.clone();
                Callback::new(move |_| state.load_history(&peer))
            }/>
            <div class="typing-slot" aria-live="polite">
                <Show when=typing>
                    <p data-testid="typing-indicator" class="typing-indicator">
                        <bdi>{name.clone()}</bdi>
                        " "
                        {tr(Key::Typing)}
                    </p>
                </Show>
            </div>
            <Composer peer=peer kind=ConversationKind::Chat disabled=blocked.into()/>
        </section>
    }
    .into_any()
}

/// Which kind of conversation a list or composer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationKind {
    Chat,
    Room,
}

/// `older`: asks for the archive's page before the oldest message here (XEP-0313), when the
/// person reaches it.
#[component]
pub fn MessageList(
    peer: BareJid,
    timeline: RwSignal<Timeline>,
    #[prop(optional)] older: Option<Callback<()>>,
) -> impl IntoView {
    let state = use_state();
    let history = older.is_some();
    let load_older = move || {
        if let Some(older) = older {
            older.run(());
        }
    };
    // A conversation opened for the first time this session starts with its latest page.
    if timeline.with_untracked(|t| !t.history.started) {
        load_older();
    }
    let loading = move || timeline.with(|t| t.history.loading);
    let at_start = move || history && timeline.with(|t| t.history.complete);
    let window = RwSignal::new(HistoryWindow::latest(
        timeline.with_untracked(Timeline::len),
    ));
    let scroller = NodeRef::<html::Div>::new();
    let peer_for_news = peer.clone();
    // Distance from the bottom before older messages were added, to keep the view where it was.
    let anchor = StoredValue::new(None::<i32>);
    // Where the first row that stays was on screen before newer messages came in below and the
    // oldest left above: without it the view would jump ahead by the rows that left.
    let kept_row_top = StoredValue::new(None::<f64>);
    let sizes = Memo::new(move |_| timeline.with(|t| (t.len(), t.dropped(), t.prepended())));
    // How many of the oldest had been dropped, and older ones put before them, at the last
    // update: a full conversation drops one for each new message, history pages come in at
    // the top, and a window the person is reading must not slide with either.
    let ends_before =
        StoredValue::new(timeline.with_untracked(|t| (t.len(), t.dropped(), t.prepended())));
    // What a screen reader says of new messages: each incoming one once, as "sender: text".
    let spoken = RwSignal::new(VecDeque::<(u64, String)>::new());
    Effect::new(move |_| {
        let (len, dropped, prepended) = sizes.get();
        let (len_was, dropped_was, prepended_was) = ends_before.get_value();
        ends_before.set_value((len, dropped, prepended));
        let dropped = dropped - dropped_was.min(dropped);
        let prepended = prepended - prepended_was.min(prepended);
        let appended = (len + dropped).saturating_sub(len_was + prepended);
        if appended > 0 {
            announce(state, spoken, &peer_for_news, timeline, len, appended);
        }
        let waiting_at_top = window.with_untracked(|w| w.at_oldest() && !w.is_following());
        window.update(|w| w.update(len, dropped, prepended));
        // The person is at the top waiting for the page: show it, keeping the view in place.
        if prepended > 0 && waiting_at_top {
            if let Some(el) = scroller.get_untracked() {
                anchor.set_value(Some(el.scroll_height() - el.scroll_top()));
            }
            window.update(|w| {
                w.older();
            });
        }
    });
    let len = Memo::new(move |_| sizes.get().0);
    let load_more = load_older;
    // Each row knows whether it starts a day and whether it continues the sender's group, from
    // the message before it (the one above the window included).
    let rows = Memo::new(move |_| {
        let (start, end) = window.get().range();
        timeline.with(|t| {
            let before = start.checked_sub(1).and_then(|i| t.slice(i, start).pop());
            grouping::place(before.as_ref(), t.slice(start, end), local_day)
        })
    });
    // XEP-0308: our last message, the one the Up arrow and its "Edit" button correct, unless
    // the contact's software would show a correction as a new message.
    let editable = {
        let peer = peer.clone();
        Memo::new(move |_| {
            timeline
                .with(|t| t.last_own().map(|e| e.seq))
                .filter(|_| state.contacts.corrections_reach(&peer))
        })
    };
    let below = move || window.with(|w| w.below(len.get()));
    let following = move || window.with(HistoryWindow::is_following);

    let own = move || {
        state
            .connection
            .own_jid
            .get_untracked()
            .map(|j| j.to_string())
            .unwrap_or_default()
    };
    let peer_text = peer.to_string();

    // Where we last put the scroll position to follow the newest message: a scroll event that
    // does not go above it is the content changing, not the person scrolling away.
    let pinned_top = StoredValue::new(None::<i32>);
    let on_scroll = move |_| {
        // The rows moved and the view is not put back yet (scroll events come before the next
        // frame): this position is not the person's.
        if kept_row_top.with_value(Option::is_some) {
            return;
        }
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let top = el.scroll_top();
        let from_bottom = el.scroll_height() - top - el.client_height();
        let total = len.get_untracked();
        let (start, following, below) =
            window.with_untracked(|w| (w.range().0, w.is_following(), w.below(total)));
        if top < EDGE_SLACK && start == 0 {
            load_more();
        }
        if top < EDGE_SLACK && start > 0 {
            anchor.set_value(Some(el.scroll_height() - top));
            window.update(|w| {
                w.older();
            });
        } else if from_bottom <= EDGE_SLACK {
            if below > 0 {
                let mut next = window.get_untracked();
                next.newer(total);
                let leaving = next.range().0 - start;
                kept_row_top.set_value((leaving > 0).then(|| row_top(&el, leaving)).flatten());
                window.set(next);
            } else if !following {
                window.update(|w| w.set_following(true, total));
            }
        } else if following
            && pinned_top
                .get_value()
                .is_some_and(|p| top >= p - EDGE_SLACK)
        {
            // The rows changed under a view that follows the latest: keep following.
        } else if following {
            window.update(|w| w.set_following(false, total));
        }
    };
    let jump = move |_| {
        window.update(|w| w.jump_to_latest(len.get_untracked()));
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
            pinned_top.set_value(Some(el.scroll_top()));
        }
    };

    // XEP-0333: their newest message is on screen (the view shows the latest, in a visible
    // tab): say so, once for each.
    let marked = StoredValue::new(None::<String>);
    Effect::new({
        let peer = peer.clone();
        move |_| {
            let seen = state.tab_visible.get() && following();
            let tip = timeline.with(|t| t.markable_tip().map(str::to_owned));
            if let (true, Some(id)) = (seen, tip) {
                if marked.get_value().as_ref() != Some(&id) {
                    state.mark_displayed(&peer, &id);
                    marked.set_value(Some(id));
                }
            }
        }
    });

    // After the rows change, keep the view at the bottom, or where older messages were added.
    // A history too short to scroll asks for the next page at once: nothing else would.
    Effect::new(move |_| {
        rows.track();
        request_animation_frame(move || {
            // The view may be gone by the next frame (conversation closed, signed out).
            let Some(el) = scroller.try_get_untracked().flatten() else {
                return;
            };
            if let Some(from_bottom) = anchor.try_update_value(Option::take).flatten() {
                el.set_scroll_top(el.scroll_height() - from_bottom);
            } else if let Some(before) = kept_row_top.try_update_value(Option::take).flatten() {
                if let Some(now) = row_top(&el, 0) {
                    el.set_scroll_top(el.scroll_top() + (now - before).round() as i32);
                }
            } else if window.try_with_untracked(HistoryWindow::is_following) == Some(true) {
                el.set_scroll_top(el.scroll_height());
                pinned_top.try_set_value(Some(el.scroll_top()));
            }
            let short = el.scroll_height() <= el.client_height() + EDGE_SLACK;
            let started = timeline.try_with_untracked(|t| t.history.started) == Some(true);
            if short && started {
                load_older();
            }
        });
    });

    view! {
        <div class="messages-wrap">
            // A log, but not a live one: re-rendered rows (a window that moves, a message whose
            // state changes) would be read out again. The announcer below speaks instead.
            <div
                class="messages"
                role="log"
                aria-live="off"
                aria-label=tr(Key::MessagesLog)
                tabindex="0"
                node_ref=scroller
                on:scroll=on_scroll
            >
                <Show when=loading>
                    <p data-testid="history-loading" class="history-note" role="status">{tr(Key::LoadingHistory)}</p>
                </Show>
                <Show when=move || { at_start() && !loading() && len.get() > 0 && window.with(HistoryWindow::at_oldest) }>
                    <p data-testid="history-start" class="history-note">{tr(Key::HistoryStart)}</p>
                </Show>
                <Show
                    when=move || { len.get() > 0 }
                    fallback=move || view! { <p class="muted empty-messages">{tr(Key::NoMessages)}</p> }
                >
                    <ul class="message-list" role="list">
                        <For
                            each=move || {
                                let editable = editable.get();
                                rows.get()
                                    .into_iter()
                                    .map(|placed| {
                                        let edit = editable == Some(placed.entry.seq);
                                        (placed, edit)
                                    })
                                    .collect::<Vec<_>>()
                            }
                            key=|(placed, edit)| {
                                // A correction changes the text under the same row; the last of
                                // ours has the edit button.
                                let e = &placed.entry;
                                (e.seq, e.state.clone(), e.correction_id.clone(), placed.new_day, placed.continued, *edit)
                            }
                            children={
                                let peer_text = peer_text.clone();
                                let peer = peer.clone();
                                move |(Placed { entry, new_day, continued }, edit)| {
                                    // In a room, the occupant's nick as the room stamped it.
                                    let from = match (&entry.nick, entry.direction) {
                                        (Some(nick), _) => nick.clone(),
                                        (None, Direction::In) => peer_text.clone(),
                                        (None, Direction::Out) => own(),
                                    };
                                    let on_edit = edit.then(|| {
                                        let request = (peer.clone(), entry.id.clone());
                                        Callback::new(move |_| state.chats.edit_request.set(Some(request.clone())))
                                    });
                                    view! { <MessageRow entry from peer=peer_text.clone() new_day continued on_edit/> }
                                }
                            }
                        />
                    </ul>
                </Show>
            </div>
            <div data-testid="message-announcer" class="visually-hidden" aria-live="polite" aria-relevant="additions">
                <For each=move || spoken.get() key=|(seq, _)| *seq let:said>
                    <p>{said.1}</p>
                </For>
            </div>
            <Show when=move || { !following() || below() > 0 }>
                <button data-testid="history-jump-latest" type="button" class="button jump-latest" on:click=jump>
                    {tr(Key::JumpToLatest)}
                    {move || {
                        (below() > 0).then(|| view! {
                            <span class="badge">
                                <span aria-hidden="true">{below()}</span>
                                <span class="visually-hidden">{move || tr_counted(Counted::NewMessages, below() as u64)}</span>
                            </span>
                        })
                    }}
                </button>
            </Show>
        </div>
    }
}

/// The top of the list's `index`th row, from the top of the scroller's box.
fn row_top(scroller: &web_sys::HtmlDivElement, index: usize) -> Option<f64> {
    let rows = scroller.query_selector_all(".message-list > li").ok()?;
    let row = rows
        .item(index as u32)?
        .dyn_into::<web_sys::Element>()
        .ok()?;
    Some(row.get_bounding_client_rect().top() - scroller.get_bounding_client_rect().top())
}

/// At most this many announcements stay in the live region (older ones have been read).
const SPOKEN_KEPT: usize = 3;
/// More new messages at once than this (a catch-up after reconnecting) are announced as a count.
const SPOKEN_ONE_BY_ONE: usize = 3;
/// An announcement reads at most this much of a body.
const SPOKEN_CHARS: usize = 300;

/// Announces the `appended` newest of `len` messages that are incoming: each with its sender, or
/// their count when many came at once. Ours are not announced: the person just wrote them.
fn announce(
    state: AppState,
    spoken: RwSignal<VecDeque<(u64, String)>>,
    peer: &BareJid,
    timeline: RwSignal<Timeline>,
    len: usize,
    appended: usize,
) {
    let incoming: Vec<Entry> = timeline.with_untracked(|t| {
        t.slice(len.saturating_sub(appended), len)
            .into_iter()
            .filter(|e| e.direction == Direction::In)
            .collect()
    });
    let Some(last) = incoming.last() else {
        return;
    };
    let lang = state.lang.get_untracked();
    let texts: Vec<(u64, String)> = if incoming.len() > SPOKEN_ONE_BY_ONE {
        vec![(
            last.seq,
            i18n::counted(lang, Counted::NewMessages, incoming.len() as u64),
        )]
    } else {
        incoming
            .iter()
            .map(|e| {
                let sender = e
                    .nick
                    .clone()
                    .unwrap_or_else(|| state.contacts.roster.with_untracked(|r| r.name_of(peer)));
                let body: String = e.body.chars().take(SPOKEN_CHARS).collect();
                let text = match styling::me_action(&body) {
                    Some(action) => format!("{sender} {action}"),
                    None => format!("{sender}: {body}"),
                };
                (e.seq, neutralise_overrides(&text).into_owned())
            })
            .collect()
    };
    spoken.update(|s| {
        s.extend(texts);
        while s.len() > SPOKEN_KEPT {
            s.pop_front();
        }
    });
}

/// The message composer. In a room, `private_to` holds the occupant a private message goes to
/// (none: to the whole room).
#[component]
pub fn Composer(
    peer: BareJid,
    kind: ConversationKind,
    disabled: Signal<bool>,
    #[prop(optional)] private_to: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let state = use_state();
    // What was typed here before switching away comes back.
    let draft = RwSignal::new(state.chats.draft(&peer));
    // XEP-0308: the id of our message being corrected, while the composer holds its text. That
    // text is not a draft: leaving drops the edit, and the (empty) draft stays as it was.
    let editing = RwSignal::new(None::<String>);
    {
        let peer = peer.clone();
        Effect::new(move |_| {
            if editing.get().is_none() {
                draft.with(|text| state.chats.set_draft(&peer, text));
            }
        });
    }
    let input = NodeRef::<html::Textarea>::new();
    let set_text = move |text: &str| {
        draft.set(text.to_owned());
        if let Some(el) = input.get_untracked() {
            el.set_value(text);
            let end = text.encode_utf16().count() as u32;
            let _ = el.set_selection_range(end, end);
        }
    };
    let stop_editing = move || {
        editing.set(None);
        set_text("");
    };
    let timeline = state.chats.timeline(&peer);
    // "Edit" on our last message's row: the same as Up in the composer.
    {
        let peer = peer.clone();
        Effect::new(move |_| {
            let Some((conversation, id)) = state.chats.edit_request.get() else {
                return;
            };
            if conversation != peer {
                return;
            }
            state.chats.edit_request.set(None);
            let body = timeline.and_then(|t| {
                t.with_untracked(|t| t.last_own().filter(|e| e.id == id).map(|e| e.body.clone()))
            });
            if let Some(body) = body {
                editing.set(Some(id));
                set_text(&body);
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                }
            }
        });
    }
    // Whether we told the peer we are composing, and the timer that turns it into `paused`.
    // Atomic rather than a stored value: it is read once more as the composer goes away.
    let composing = Arc::new(AtomicBool::new(false));
    let pause_timer = StoredValue::new(None::<TimeoutHandle>);

    let cancel_pause = move || {
        if let Some(handle) = pause_timer.try_get_value().flatten() {
            handle.clear();
        }
        pause_timer.try_set_value(None);
    };
    let set_composing = {
        let peer = peer.clone();
        let composing = composing.clone();
        move |on: bool| {
            if kind == ConversationKind::Chat && composing.swap(on, Ordering::Relaxed) != on {
                if let Some(account) = state.account() {
                    account.command(|client, _| client.send_chat_state(&peer, on));
                }
            }
        }
    };

    let send = {
        let peer = peer.clone();
        let set_composing = set_composing.clone();
        move || {
            let body = draft.get_untracked();
            let private = private_to.and_then(|p| p.get_untracked());
            let correcting = editing.get_untracked();
            // Sent again unchanged: nothing to correct.
            let unchanged = correcting.as_ref().is_some_and(|original| {
                timeline.is_some_and(|t| {
                    t.with_untracked(|t| {
                        t.last_own()
                            .is_some_and(|e| e.id == *original && e.body == body)
                    })
                })
            });
            if unchanged {
                stop_editing();
                return;
            }
            let sent = match (kind, private, &correcting) {
                (ConversationKind::Chat, _, Some(original)) => {
                    state.correct_message(&peer, original, &body)
                }
                (ConversationKind::Chat, _, None) => state.send_message(&peer, &body),
                (ConversationKind::Room, Some(nick), _) => state.send_private(&peer, &nick, &body),
                (ConversationKind::Room, None, Some(original)) => {
                    state.correct_room_message(&peer, original, &body)
                }
                (ConversationKind::Room, None, None) => state.send_room_message(&peer, &body),
            };
            match sent {
                Ok(()) => {
                    // The message carries <active/>, which ends "composing" for the peer.
                    composing.store(false, Ordering::Relaxed);
                    cancel_pause();
                    editing.set(None);
                    draft.set(String::new());
                }
                Err(super::state::UiError::Send(SendError::Empty)) => {}
                // The draft stays, so nothing typed is lost.
                Err(e) => {
                    set_composing(false);
                    state.notices.push(e);
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
        let peer = peer.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.is_composing() {
                return;
            }
            match ev.key().as_str() {
                // Enter sends; Shift+Enter is a new line.
                "Enter" if !ev.shift_key() => {
                    ev.prevent_default();
                    send();
                }
                // Up in an empty composer edits our last message (XEP-0308), as in most
                // messengers, where the contact's software shows corrections; elsewhere it
                // moves the caret as usual.
                // Not while writing privately to an occupant: a private message is not
                // corrected in the room.
                "ArrowUp"
                    if private_to.is_none_or(|p| p.get_untracked().is_none())
                        && editing.get_untracked().is_none()
                        && draft.with_untracked(|d| d.is_empty())
                        && untrack(|| state.contacts.corrections_reach(&peer)) =>
                {
                    let last = timeline.and_then(|t| {
                        t.with_untracked(|t| t.last_own().map(|e| (e.id.clone(), e.body.clone())))
                    });
                    if let Some((id, body)) = last {
                        ev.prevent_default();
                        editing.set(Some(id));
                        set_text(&body);
                    }
                }
                // Esc leaves the edit (and only the edit: a dialog around is not closed).
                "Escape" if editing.get_untracked().is_some() => {
                    ev.prevent_default();
                    ev.stop_propagation();
                    stop_editing();
                }
                _ => {}
            }
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    // Switching to another conversation or away from the tab while typing: `paused`, so the
    // peer's "is typing" does not stay.
    Effect::new({
        let set_composing = set_composing.clone();
        move |_| {
            if !state.tab_visible.get() {
                cancel_pause();
                set_composing(false);
            }
        }
    });
    on_cleanup(move || {
        if let Some(handle) = pause_timer.try_get_value().flatten() {
            handle.clear();
        }
        set_composing(false);
    });

    let private_chip = move || {
        let target = private_to?;
        let nick = target.get()?;
        Some(view! {
            <p data-testid="composer-private" class="composer-private" data-nick=nick.clone()>
                {tr(Key::PrivateTo)} " " <bdi class="strong">{neutralise_overrides(&nick).into_owned()}</bdi>
                <button
                    type="button"
                    class="link-button"
                    data-testid="composer-private-cancel"
                    on:click=move |_| target.set(None)
                >
                    {tr(Key::BackToRoom)}
                </button>
            </p>
        })
    };
    let editing_chip = move || {
        editing.get().map(|_| {
            view! {
                <p data-testid="composer-editing" class="composer-private">
                    {tr(Key::EditingMessage)}
                    <button
                        type="button"
                        class="link-button"
                        data-testid="composer-editing-cancel"
                        on:click=move |_| {
                            stop_editing();
                            if let Some(el) = input.get_untracked() {
                                let _ = el.focus();
                            }
                        }
                    >
                        {tr(Key::CancelEdit)}
                    </button>
                </p>
            }
        })
    };
    view! {
        {private_chip}
        {editing_chip}
        <form class="composer" class:editing=move || editing.get().is_some() on:submit=on_submit>
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
                disabled=move || disabled.get()
            ></textarea>
            <button type="submit" data-testid="composer-send" class="button primary" disabled=move || disabled.get()>
                {tr(Key::Send)}
            </button>
        </form>
    }
}
