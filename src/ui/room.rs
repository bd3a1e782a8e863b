//! A room we are in (XEP-0045): header with the subject (changeable), the actions (invite,
//! bookmark, nickname, leave), the messages with each occupant's nick in its XEP-0392 colour and
//! mentions of our nick marked, the composer, and the occupant list, windowed for rooms of
//! thousands. When we are out of the room (kicked, banned, the room destroyed), the view says so
//! and stays readable; the composer is disabled, except after a lost connection: what is
//! written then waits in the core until the room is entered again.

use super::chat::{BackButton, Composer, ConversationKind, MessageList};
use super::list::{keyed_windowed_list, row_offset, ListShape};
use super::lookalike::LookalikeWarning;
use super::message::nick_colours;
use super::{tr, use_state};
use crate::i18n::{self, Key};
use crate::linkify::neutralise_overrides;
use crate::store::room::{RoomPhase, RoomStatus};
use crate::store::timeline::Timeline;
use crate::xmpp::jid::BareJid;
use crate::xmpp::muc::{Occupant, Role};
use leptos::prelude::*;

/// Must match `.occupant` height in the stylesheet.
const OCCUPANT_ROW_HEIGHT: i32 = 32;

#[component]
pub fn RoomView(room: BareJid) -> impl IntoView {
    let state = use_state();
    let (Some(timeline), Some(status)) = (state.chats.timeline(&room), state.rooms.status(&room))
    else {
        return ().into_any();
    };
    let room_text = room.to_string();
    let name = {
        let room = room.clone();
        move || state.room_name(&room)
    };
    let count = move || timeline.with(Timeline::len).to_string();
    let ended = Memo::new(move |_| status.with(|s| s.phase.ended_reason()));
    let disabled = Signal::derive(move || status.with(|s| !s.accepts_messages()));
    // At phone width the occupants are a panel of their own, opened from the header.
    let show_occupants = RwSignal::new(false);
    // The occupant the composer writes to privately, if any.
    let private_to = RwSignal::new(None::<String>);
    view! {
        <section
            data-testid="chat-view"
            class="chat-view room-view"
            class:show-occupants=move || show_occupants.get()
            data-jid=room_text.clone()
            data-kind="groupchat"
            data-count=count
            aria-labelledby="chat-title"
        >
            <header class="chat-header">
                <BackButton on_back=Callback::new(move |_| state.chats.open.set(None))/>
                <span class="room-mark" aria-hidden="true">"#"</span>
                <div class="chat-title">
                    <h2 id="chat-title">
                        <bdi>{name}</bdi>
                    </h2>
                    <Subject room=room.clone() status/>
                </div>
                <RoomActions room=room.clone() status/>
                <button
                    type="button"
                    class="button small occupants-toggle"
                    aria-expanded=move || show_occupants.get().to_string()
                    on:click=move |_| show_occupants.update(|s| *s = !*s)
                >
                    {tr(Key::Occupants)}
                    " "
                    {move || status.with(RoomStatus::occupant_count)}
                </button>
            </header>
            {move || {
                status
                    .with(|s| s.created)
                    .then(|| view! { <p data-testid="room-created" class="room-note" role="status">{tr(Key::RoomCreated)}</p> })
            }}
            {move || {
                ended
                    .get()
                    .map(|reason| {
                        let text = move || {
                            status.with(|s| match &s.phase {
                                RoomPhase::Ended(departure) => {
                                    i18n::describe_departure(state.lang.get(), departure).to_owned()
                                }
                                RoomPhase::Refused(error) => {
                                    i18n::describe_join_error(state.lang.get(), error)
                                }
                                _ => String::new(),
                            })
                        };
                        view! {
                            <p data-testid="room-ended" class="room-note ended" role="alert" data-reason=reason>
                                {text}
                            </p>
                        }
                    })
            }}
            <div class="room-body">
                <div class="room-main">
                    <MessageList peer=room.clone() timeline older={
                        let room = room.clone();
                        Callback::new(move |_| state.load_room_history(&room))
                    }/>
                    <Composer peer=room.clone() kind=ConversationKind::Room disabled private_to/>
                </div>
                <Occupants status private_to/>
            </div>
        </section>
    }
    .into_any()
}

/// The subject, as text; moderators (and rooms that allow it) can change it, and the room
/// refuses otherwise.
#[component]
fn Subject(room: BareJid, status: RwSignal<RoomStatus>) -> impl IntoView {
    let state = use_state();
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let subject = move || status.with(|s| neutralise_overrides(&s.subject).into_owned());
    let may_change = move || {
        status.with(|s| s.is_joined() && s.own().is_some_and(|o| o.role == Role::Moderator))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(e) = state.set_subject(&room, &draft.get_untracked()) {
            state.notices.push(e);
        }
        editing.set(false);
    };
    view! {
        <p class="chat-subtitle room-subject-line">
            <bdi data-testid="room-subject" class="room-subject">{subject}</bdi>
            {move || {
                status
                    .with(|s| s.subject.is_empty())
                    .then(|| view! { <span class="muted">{tr(Key::NoSubject)}</span> })
            }}
            <Show when=move || may_change() && !editing.get()>
                <button
                    type="button"
                    class="link-button"
                    data-testid="room-subject-change"
                    on:click=move |_| {
                        draft.set(status.with_untracked(|s| s.subject.clone()));
                        editing.set(true);
                    }
                >
                    {tr(Key::ChangeSubject)}
                </button>
            </Show>
        </p>
        <Show when=move || editing.get()>
            <form class="inline-form" on:submit=submit.clone()>
                <label for="room-subject-input" class="visually-hidden">{tr(Key::ChangeSubject)}</label>
                <input
                    id="room-subject-input"
                    data-testid="room-subject-input"
                    class="input small"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
                <button type="submit" class="button small">{tr(Key::Save)}</button>
            </form>
        </Show>
    }
}

/// Which inline form of the header is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    None,
    Nick,
    Invite,
    BookmarkName,
}

#[component]
fn RoomActions(room: BareJid, status: RwSignal<RoomStatus>) -> impl IntoView {
    let state = use_state();
    let form = RwSignal::new(Form::None);
    let value = RwSignal::new(String::new());
    let room_for_name = StoredValue::new(room.clone());
    let joined = move || status.with(RoomStatus::is_joined);
    let toggle = move |which: Form| {
        move |_| {
            let next = if form.get_untracked() == which {
                Form::None
            } else {
                which
            };
            value.set(match next {
                Form::Nick => status.with_untracked(|s| s.nick.clone()),
                Form::BookmarkName => room_for_name.with_value(|r| state.room_name(r)),
                _ => String::new(),
            });
            form.set(next);
        }
    };
    let submit = {
        let room = room.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = value.get_untracked();
            let done = match form.get_untracked() {
                Form::Nick => state.change_nick(&room, &text),
                Form::Invite => state.invite(&room, &text),
                Form::BookmarkName => state.rename_bookmark(&room, &text),
                Form::None => Ok(()),
            };
            match done {
                Ok(()) => form.set(Form::None),
                Err(e) => state.notices.push(e),
            }
        }
    };
    let bookmarked = {
        let room = room.clone();
        Memo::new(move |_| state.rooms.bookmarks.with(|b| b.contains_key(&room)))
    };
    let toggle_bookmark = {
        let room = room.clone();
        move |_| state.toggle_bookmark(&room)
    };
    let leave = move |_| state.leave_room(&room);
    view! {
        <div class="chat-actions room-actions">
            <button
                type="button"
                class="button small"
                data-testid="room-invite"
                disabled=move || !joined()
                aria-expanded=move || (form.get() == Form::Invite).to_string()
                on:click=toggle(Form::Invite)
            >
                {tr(Key::Invite)}
            </button>
            <button
                type="button"
                class="button small"
                data-testid="bookmark-toggle"
                data-bookmarked=move || bookmarked.get().to_string()
                aria-pressed=move || bookmarked.get().to_string()
                on:click=toggle_bookmark
            >
                {move || if bookmarked.get() { tr(Key::Bookmarked)() } else { tr(Key::Bookmark)() }}
            </button>
            <Show when=move || bookmarked.get()>
                <button
                    type="button"
                    class="button small"
                    data-testid="bookmark-rename"
                    aria-expanded=move || (form.get() == Form::BookmarkName).to_string()
                    on:click=toggle(Form::BookmarkName)
                >
                    {tr(Key::RenameBookmark)}
                </button>
            </Show>
            <button
                type="button"
                class="button small"
                data-testid="room-nick-change"
                disabled=move || !joined()
                aria-expanded=move || (form.get() == Form::Nick).to_string()
                on:click=toggle(Form::Nick)
            >
                {tr(Key::ChangeNick)}
            </button>
            <button type="button" class="button small" data-testid="room-leave" on:click=leave>
                {tr(Key::LeaveRoom)}
            </button>
            <Show when=move || form.get() != Form::None>
                <form class="inline-form" on:submit=submit.clone()>
                    {move || {
                        let (testid, submit_id, label) = match form.get() {
                            Form::Invite => ("room-invite-jid", "room-invite-submit", Key::InviteAddress),
                            Form::BookmarkName => ("bookmark-name-input", "bookmark-name-submit", Key::BookmarkName),
                            _ => ("room-nick-input", "room-nick-submit", Key::NewNick),
                        };
                        view! {
                            <label for=testid class="visually-hidden">{tr(label)}</label>
                            <input
                                id=testid
                                data-testid=testid
                                class="input small"
                                placeholder=tr(label)
                                prop:value=move || value.get()
                                on:input=move |ev| value.set(event_target_value(&ev))
                            />
                            <button type="submit" class="button small primary" data-testid=submit_id>
                                {if submit_id == "room-invite-submit" { tr(Key::SendInvite)() } else { tr(Key::Save)() }}
                            </button>
                        }
                    }}
                </form>
            </Show>
        </div>
    }
}

#[component]
fn Occupants(status: RwSignal<RoomStatus>, private_to: RwSignal<Option<String>>) -> impl IntoView {
    let total = Signal::derive(move || status.with(RoomStatus::occupant_count));
    let shape = ListShape {
        testid: "occupants",
        class: "occupants",
        labelled_by: "occupants-title",
        row_height: OCCUPANT_ROW_HEIGHT,
    };
    let list = keyed_windowed_list(
        shape,
        total,
        total,
        Signal::derive(|| 0),
        move |first, last| status.with(|s| s.occupants(first, last)),
        |occupant: &Occupant| occupant.nick.clone(),
        move |index, occupant: Signal<Occupant>| {
            // The nick is the row's identity: it never changes under the row.
            let nick = occupant.with_untracked(|o| o.nick.clone());
            let own = status.with_untracked(|s| s.nick == nick);
            view! { <OccupantRow index nick occupant own private_to/> }
        },
    );
    view! {
        <aside class="occupants-pane" aria-labelledby="occupants-title">
            <h3 id="occupants-title" class="pane-title">
                {tr(Key::Occupants)}
                <span class="count">{move || total.get()}</span>
            </h3>
            {list}
        </aside>
    }
}

#[component]
fn OccupantRow(
    index: Signal<usize>,
    nick: String,
    occupant: Signal<Occupant>,
    own: bool,
    private_to: RwSignal<Option<String>>,
) -> impl IntoView {
    let roster = use_state().contacts.roster;
    let role = Memo::new(move |_| occupant.with(|o| o.role));
    // The account behind the nick, where the room shows it, judged as any address is.
    let lookalike = Memo::new(move |_| {
        occupant.with(|o| {
            o.jid
                .as_ref()
                .and_then(|jid| roster.with_untracked(|r| r.lookalike_of(jid)))
        })
    });
    let role_key = move || match role.get() {
        Role::Moderator => Some(Key::RoleModerator),
        Role::Visitor => Some(Key::RoleVisitor),
        _ => None,
    };
    let (on_light, on_dark) = nick_colours(&nick);
    view! {
        <li
            data-testid="occupant"
            class="occupant"
            data-nick=nick.clone()
            data-role=move || role.get().as_str()
            data-affiliation=move || occupant.with(|o| o.affiliation.as_str())
            style:transform=row_offset(index, OCCUPANT_ROW_HEIGHT)
            title=move || occupant.with(|o| o.status.as_deref().map(|s| neutralise_overrides(s).into_owned()))
        >
            <span class="presence-dot" data-presence=move || occupant.with(|o| o.availability.as_str())></span>
            <bdi class="row-name nick-colour" style:--nick-on-light=on_light style:--nick-on-dark=on_dark>{neutralise_overrides(&nick).into_owned()}</bdi>
            {move || lookalike.get().map(|lookalike| view! { <LookalikeWarning lookalike compact=true/> })}
            {move || role_key().map(|key| view! { <span class="role-tag">{tr(key)}</span> })}
            {(!own).then(|| {
                let nick = nick.clone();
                view! {
                    // A sign, not words: the row has room for the nick first.
                    <button
                        type="button"
                        class="icon-button occupant-private"
                        data-testid="occupant-private"
                        title=tr(Key::SendPrivately)
                        on:click=move |_| private_to.set(Some(nick.clone()))
                    >
                        <span aria-hidden="true">"✉"</span>
                        <span class="visually-hidden">{tr(Key::SendPrivately)}</span>
                    </button>
                }
            })}
        </li>
    }
}
