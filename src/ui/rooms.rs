//! The room browser (XEP-0045 §6): the service field (the discovered one by default, any other
//! typed), the join form desktop clients have (room, nick, password, or one full address) with
//! every refusal explained and a way forward, and the service's rooms in a windowed list, filtered
//! as the person types and sorted by name or occupants. Each row's details load when it comes
//! into view, a few at a time, and stay cached; a row that scrolls away before its turn is not
//! asked about. Incoming invitations are listed in the sidebar: joining is the person's choice.

use super::chat::BackButton;
use super::list::{row_offset, windowed_list, ListShape};
use super::lookalike::LookalikeWarning;
use super::{tr, tr_counted, use_state};
use crate::i18n::{self, Counted, Key};
use crate::linkify::neutralise_overrides;
use crate::store::room_list::{Progress, RoomOrder, RoomRow};
use crate::xmpp::muc::room::JoinError;
use crate::xmpp::muc::RoomInfo;
use leptos::prelude::*;

/// Must match `.room-item` height in the stylesheet.
const ROOM_ROW_HEIGHT: i32 = 64;

#[component]
pub fn RoomBrowser() -> impl IntoView {
    let state = use_state();
    let rooms = state.rooms;
    let list = rooms.list;
    // Details change the view only when the order is by occupants.
    let view_rows = Memo::new(move |_| {
        let filter = rooms.filter.get();
        let order = rooms.order.get();
        let view = |d: &_| list.with(|l| l.view(&filter, order, d));
        match order {
            RoomOrder::Occupants => rooms.known.with(view),
            RoomOrder::Name => rooms.known.with_untracked(view),
        }
    });
    let total = Signal::derive(move || view_rows.with(Vec::len));
    let reset = Signal::derive(move || {
        rooms.filter.track();
        rooms.order.track();
        0u64
    });
    let loaded = move || list.with(|l| l.len());
    let complete = move || list.with(|l| l.progress == Progress::Complete);
    let failed = move || list.with(|l| l.progress == Progress::Failed);
    let on_service = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.list_rooms();
    };
    let shape = ListShape {
        testid: "room-list",
        class: "room-list",
        labelled_by: "rooms-title",
        row_height: ROOM_ROW_HEIGHT,
    };
    let rows = windowed_list(
        shape,
        total,
        reset,
        move |first, last| {
            view_rows.with(|v| {
                rooms
                    .known
                    .with(|d| list.with(|l| l.rows(v, first, last, d)))
            })
        },
        move |index, row| view! { <RoomItem index row/> },
    );
    view! {
        <section data-testid="rooms-browser" class="rooms-browser" aria-labelledby="rooms-title">
            <header class="chat-header">
                <BackButton on_back=Callback::new(move |_| rooms.browser_open.set(false))/>
                <h2 id="rooms-title">{tr(Key::Rooms)}</h2>
            </header>
            <div class="rooms-body">
                <BookmarkList/>
                <JoinForm/>
                <form class="rooms-service" on:submit=on_service>
                    <label for="rooms-service">{tr(Key::RoomService)}</label>
                    <div class="inline-row">
                        <input
                            id="rooms-service"
                            data-testid="rooms-service"
                            class="input"
                            list="rooms-services"
                            autocomplete="off"
                            prop:value=move || rooms.service.get()
                            on:input=move |ev| rooms.service.set(event_target_value(&ev))
                        />
                        <datalist id="rooms-services">
                            {move || {
                                rooms
                                    .services
                                    .get()
                                    .into_iter()
                                    .map(|s| view! { <option value=s.to_string()></option> })
                                    .collect_view()
                            }}
                        </datalist>
                        <button type="submit" class="button">{tr(Key::ListRooms)}</button>
                    </div>
                    {move || {
                        (rooms.services.with(Vec::is_empty) && rooms.service.with(String::is_empty))
                            .then(|| view! { <p class="muted">{tr(Key::NoRoomService)}</p> })
                    }}
                </form>
                <div class="rooms-tools">
                    <label for="rooms-filter" class="visually-hidden">{tr(Key::FilterRooms)}</label>
                    <input
                        id="rooms-filter"
                        data-testid="rooms-filter"
                        class="input"
                        type="search"
                        placeholder=tr(Key::FilterRooms)
                        prop:value=move || rooms.filter.get()
                        on:input=move |ev| rooms.filter.set(event_target_value(&ev))
                    />
                    <label for="rooms-sort" class="visually-hidden">{tr(Key::SortRooms)}</label>
                    <select
                        id="rooms-sort"
                        data-testid="rooms-sort"
                        class="select"
                        on:change=move |ev| rooms.order.set(RoomOrder::parse(&event_target_value(&ev)))
                    >
                        <option value=RoomOrder::Name.as_str() selected=move || rooms.order.get() == RoomOrder::Name>
                            {tr(Key::SortByName)}
                        </option>
                        <option value=RoomOrder::Occupants.as_str() selected=move || rooms.order.get() == RoomOrder::Occupants>
                            {tr(Key::SortByOccupants)}
                        </option>
                    </select>
                    <span
                        data-testid="rooms-count"
                        class="rooms-count muted"
                        role="status"
                        data-count=move || loaded().to_string()
                        data-complete=move || complete().to_string()
                    >
                        {move || {
                            let what = if complete() { Counted::Rooms } else { Counted::RoomsSoFar };
                            tr_counted(what, loaded() as u64)
                        }}
                    </span>
                </div>
                {move || failed().then(|| view! { <p data-testid="rooms-failed" class="muted pad" role="alert">{tr(Key::RoomsFailed)}</p> })}
                {rows}
                {move || {
                    (total.get() == 0 && complete())
                        .then(|| view! { <p class="muted pad">{tr(Key::NoRooms)}</p> })
                }}
            </div>
        </section>
    }
}

#[component]
fn RoomItem(index: Signal<usize>, row: RoomRow) -> impl IntoView {
    let state = use_state();
    let RoomRow { jid, name, info } = row;
    if info.is_none() {
        state.want_details(jid.clone());
        let jid = jid.clone();
        on_cleanup(move || state.unwant_details(&jid));
    }
    let occupants = info.as_ref().and_then(|i| i.occupants);
    let details = info.is_some().then_some("loaded");
    let open = {
        let jid = jid.clone();
        move |_| {
            let nick = state.default_nick();
            state.join(&jid, &nick, None, true);
        }
    };
    let description = info
        .as_ref()
        .and_then(|i| i.description.clone())
        .map(|d| neutralise_overrides(&d).into_owned());
    view! {
        <li
            data-testid="room-item"
            class="room-item"
            data-jid=jid.to_string()
            data-occupants=occupants.map(|n| n.to_string())
            data-details=details
            style:transform=row_offset(index, ROOM_ROW_HEIGHT)
        >
            <button type="button" data-testid="room-item-open" class="row-button room-row" on:click=open>
                <span class="room-line">
                    <bdi class="row-name">{neutralise_overrides(&name).into_owned()}</bdi>
                    {occupants.map(|n| {
                        let words = move || tr_counted(Counted::Occupants, u64::from(n));
                        view! {
                            <span class="badge muted-badge" title=words>
                                <span aria-hidden="true">{n}</span>
                                <span class="visually-hidden">{words}</span>
                            </span>
                        }
                    })}
                    {info.as_ref().map(features)}
                </span>
                <span class="room-line small muted">
                    <bdi class="room-address">{jid.to_string()}</bdi>
                    {description.map(|d| view! { " · " <bdi class="room-description">{d}</bdi> })}
                </span>
            </button>
        </li>
    }
}

fn features(info: &RoomInfo) -> impl IntoView {
    [
        (info.password_protected, "password", Key::FeaturePassword),
        (info.members_only, "members-only", Key::FeatureMembersOnly),
        (info.moderated, "moderated", Key::FeatureModerated),
        (info.persistent, "persistent", Key::FeaturePersistent),
        (info.logged, "logged", Key::FeatureLogged),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, code, key)| view! { <span data-testid="room-feature" class="room-feature" data-feature=code>{tr(key)}</span> })
    .collect_view()
}

/// The bookmarked rooms, each one click from being joined with its own nick and password.
#[component]
fn BookmarkList() -> impl IntoView {
    let state = use_state();
    let bookmarks = state.rooms.bookmarks;
    view! {
        <Show when=move || bookmarks.with(|b| !b.is_empty())>
            <section class="bookmarks" aria-labelledby="bookmarks-title">
                <h3 id="bookmarks-title" class="pane-title">{tr(Key::Bookmarks)}</h3>
                <ul role="list" class="bookmark-list">
                    <For
                        each=move || bookmarks.with(|b| b.values().cloned().collect::<Vec<_>>())
                        key=|b| b.clone()
                        children=move |bookmark| {
                            let label = bookmark
                                .name
                                .clone()
                                .unwrap_or_else(|| bookmark.room.to_string());
                            let join = move |_| {
                                let nick = bookmark.nick.clone().unwrap_or_else(|| state.default_nick());
                                state.join(&bookmark.room, &nick, bookmark.password.as_deref(), true);
                            };
                            view! {
                                <li>
                                    <button type="button" class="button small" data-testid="bookmark-join" on:click=join>
                                        <bdi>{neutralise_overrides(&label).into_owned()}</bdi>
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
    }
}

/// Join by name at the service, or by full address; refusals below it, each with its way forward.
#[component]
fn JoinForm() -> impl IntoView {
    let state = use_state();
    let rooms = state.rooms;
    let address = RwSignal::new(String::new());
    let nick = RwSignal::new(state.default_nick());
    let password = RwSignal::new(String::new());
    // A refused join fills the form with what was tried, so a retry is one change away.
    Effect::new(move |_| {
        if let Some(failure) = rooms.join_error.get() {
            address.set(failure.room.to_string());
            nick.set(failure.nick.clone());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pw = password.get_untracked();
        state.join_room(
            &address.get_untracked(),
            &nick.get_untracked(),
            (!pw.is_empty()).then_some(pw.as_str()),
        );
    };
    let joining = move || rooms.joining.with(Option::is_some);
    view! {
        <form class="join-form" on:submit=submit aria-labelledby="join-title">
            <h3 id="join-title" class="pane-title">{tr(Key::JoinRoomTitle)}</h3>
            <div class="inline-row">
                <div class="field wide">
                    <label for="room-join-jid">{tr(Key::RoomAddress)}</label>
                    <input
                        id="room-join-jid"
                        data-testid="room-join-jid"
                        class="input"
                        autocomplete="off"
                        required
                        prop:value=move || address.get()
                        on:input=move |ev| address.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="room-join-nick">{tr(Key::Nickname)}</label>
                    <input
                        id="room-join-nick"
                        data-testid="room-join-nick"
                        class="input"
                        autocomplete="nickname"
                        required
                        prop:value=move || nick.get()
                        on:input=move |ev| nick.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="room-join-password">{tr(Key::RoomPassword)}</label>
                    <input
                        id="room-join-password"
                        data-testid="room-join-password"
                        class="input"
                        type="password"
                        autocomplete="off"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" data-testid="room-join-submit" class="button primary" disabled=joining>
                    {move || if joining() { tr(Key::Joining)() } else { tr(Key::Join)() }}
                </button>
            </div>
            <JoinError password/>
        </form>
    }
}

#[component]
fn JoinError(password: RwSignal<String>) -> impl IntoView {
    let state = use_state();
    let rooms = state.rooms;
    move || {
        rooms.join_error.get().map(|failure| {
            let reason = failure.error.code();
            let text = {
                let error = failure.error.clone();
                move || i18n::describe_join_error(state.lang.get(), &error)
            };
            let way_forward = match failure.error.clone() {
                JoinError::NotARoomService {
                    suggestion: Some(suggestion),
                } => {
                    let nick = failure.nick.clone();
                    let label = suggestion.to_string();
                    view! {
                        <button
                            type="button"
                            class="button small primary"
                            data-testid="room-join-suggestion"
                            data-jid=label.clone()
                            on:click=move |_| state.join(&suggestion, &nick, None, true)
                        >
                            {tr(Key::JoinSuggestion)} " " <bdi>{label.clone()}</bdi>
                        </button>
                    }
                    .into_any()
                }
                JoinError::NickConflict { suggestion } => {
                    let room = failure.room.clone();
                    let shown = suggestion.clone();
                    view! {
                        <button
                            type="button"
                            class="button small primary"
                            data-testid="room-join-nick-suggestion"
                            data-nick=suggestion.clone()
                            on:click=move |_| {
                                let pw = password.get_untracked();
                                state.join(&room, &suggestion, (!pw.is_empty()).then_some(pw.as_str()), true)
                            }
                        >
                            {tr(Key::JoinAs)} " " <bdi>{neutralise_overrides(&shown).into_owned()}</bdi>
                        </button>
                    }
                    .into_any()
                }
                _ => ().into_any(),
            };
            view! {
                <div data-testid="room-join-error" class="form-error" role="alert" data-reason=reason>
                    <p>{text}</p>
                    {way_forward}
                </div>
            }
        })
    }
}

/// Invitations waiting for an answer; joining is the person's choice, never automatic.
#[component]
pub fn Invitations() -> impl IntoView {
    let state = use_state();
    let invitations = state.rooms.invitations;
    view! {
        <Show when=move || invitations.with(|i| !i.is_empty())>
            <section class="invitations" aria-labelledby="invitations-title">
                <h2 id="invitations-title" class="pane-title">{tr(Key::Invitations)}</h2>
                <ul role="list" class="invitation-list">
                    <For
                        each=move || invitations.get()
                        key=|i| i.room.clone()
                        children=move |invitation| {
                            let accept = invitation.clone();
                            let decline = invitation.room.clone();
                            view! {
                                <li
                                    data-testid="invitation"
                                    class="invitation"
                                    data-room=invitation.room.to_string()
                                    data-from=invitation.from.to_string()
                                >
                                    <p>
                                        // An occupant address (a room hiding accounts) shows as the nick.
                                        <bdi>{invitation.from.resource().map_or_else(|| invitation.from.to_string(), |nick| neutralise_overrides(nick).into_owned())}</bdi>
                                        " " {tr(Key::InvitesYou)} " "
                                        <bdi class="strong">{invitation.room.to_string()}</bdi>
                                    </p>
                                    {
                                        // An inviting account, or the room, that imitates an address the person
                                        // knows (or mixes scripts) says so, as a request from one does.
                                        let inviter = invitation.from.resource().is_none().then(|| invitation.from.to_bare());
                                        let lookalike = state.contacts.roster.with_untracked(|r| {
                                            inviter.and_then(|i| r.lookalike_of(&i)).or_else(|| r.lookalike_of(&invitation.room))
                                        });
                                        lookalike.map(|lookalike| view! { <p class="request-warning"><LookalikeWarning lookalike/></p> })
                                    }
                                    {invitation.reason.clone().map(|r| view! { <p class="muted"><bdi>{neutralise_overrides(&r).into_owned()}</bdi></p> })}
                                    <div class="form-actions">
                                        <button type="button" class="button small" data-testid="invitation-decline" on:click=move |_| state.decline_invitation(&decline)>
                                            {tr(Key::DeclineInvitation)}
                                        </button>
                                        <button type="button" class="button small primary" data-testid="invitation-accept" on:click=move |_| state.accept_invitation(&accept)>
                                            {tr(Key::AcceptInvitation)}
                                        </button>
                                    </div>
                                </li>
                            }
                        }
                    />
                </ul>
            </section>
        </Show>
    }
}

/// The rooms `config.json` offers to everyone: one button each, entering the room (or opening
/// it when we are in it already).
#[component]
pub fn OfferedRooms() -> impl IntoView {
    let state = use_state();
    let offered = move || state.with_config(|c| c.rooms.clone());
    view! {
        <Show when=move || !offered().is_empty()>
            <section class="offered-rooms" aria-labelledby="offered-rooms-title">
                <h2 id="offered-rooms-title" class="pane-title">{tr(Key::OfferedRooms)}</h2>
                <ul role="list" class="offered-room-list">
                    {move || {
                        offered()
                            .into_iter()
                            .map(|room| {
                                let address = room.room.to_string();
                                let label = room.name.clone().unwrap_or_else(|| address.clone());
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="button small offered-room"
                                            data-testid="offered-room"
                                            data-room=address
                                            on:click=move |_| state.join_configured_room(&room)
                                        >
                                            <bdi>{label}</bdi>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}
