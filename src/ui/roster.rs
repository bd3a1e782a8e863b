//! The roster (RFC 6121 contacts) as a windowed list (see [`super::list`]): 5,000 contacts
//! scroll smoothly with a few dozen rows in the DOM; `data-count` gives the full number.

use super::contacts::AddContact;
use super::list::{row_offset, windowed_list, ListShape};
use super::shell::{is_open, OpenChatButton};
use super::{tr, use_state};
use crate::i18n::Key;
use crate::linkify::neutralise_overrides;
use crate::store::roster_view::Contact;
use leptos::prelude::*;

/// Must match `.roster-item` height in the stylesheet.
pub const ROW_HEIGHT: i32 = 52;

const SHAPE: ListShape = ListShape {
    testid: "roster",
    class: "roster",
    labelled_by: "roster-title",
    row_height: ROW_HEIGHT,
};

#[component]
pub fn Roster() -> impl IntoView {
    let state = use_state();
    let roster = state.contacts.roster;
    let filter = RwSignal::new(String::new());
    let filter_changes = RwSignal::new(0u64);
    let sorted = Memo::new(move |_| filter.with(|f| roster.with(|r| r.sorted(f))));
    let total = Signal::derive(move || sorted.with(Vec::len));

    let on_filter = move |ev: leptos::ev::Event| {
        filter.set(event_target_value(&ev));
        filter_changes.update(|n| *n += 1);
    };
    let list = windowed_list(
        SHAPE,
        total,
        filter_changes.into(),
        move |first, last| {
            sorted.with(|rows| rows[first.min(rows.len())..last.min(rows.len())].to_vec())
        },
        move |index, contact| view! { <RosterRow index contact/> },
    );

    view! {
        <section class="roster-section" aria-labelledby="roster-title">
            <div class="roster-head">
                <div class="roster-title-row">
                    <h2 id="roster-title" class="pane-title">{tr(Key::Contacts)}</h2>
                    <Show when=move || state.with_config(|c| c.features.contact_management)>
                        <AddContact/>
                    </Show>
                </div>
                <label for="roster-filter" class="visually-hidden">{tr(Key::FilterContacts)}</label>
                <input
                    id="roster-filter"
                    data-testid="roster-filter"
                    class="input filter"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=tr(Key::FilterContacts)
                    on:input=on_filter
                />
            </div>
            {list}
            {move || {
                (total.get() == 0)
                    .then(|| {
                        let key = if roster.with(|r| r.is_empty()) {
                            Key::NoContacts
                        } else {
                            Key::NoMatches
                        };
                        view! { <p class="muted pad">{tr(key)}</p> }
                    })
            }}
        </section>
    }
}

#[component]
fn RosterRow(index: usize, contact: Contact) -> impl IntoView {
    let jid = contact.jid.clone();
    let selected = is_open(jid.clone());
    let presence = contact.presence.as_str();
    let sub = match contact.status {
        Some(status) => view! {
            <bdi data-testid="roster-item-status" class="row-sub">
                {neutralise_overrides(&status).into_owned()}
            </bdi>
        }
        .into_any(),
        None => view! { <bdi class="row-sub">{jid.to_string()}</bdi> }.into_any(),
    };
    view! {
        <li
            data-testid="roster-item"
            class="roster-item"
            class:selected=selected
            data-jid=jid.to_string()
            data-presence=presence
            data-subscription=contact.subscription.as_str()
            style:transform=row_offset(index, ROW_HEIGHT)
        >
            <OpenChatButton jid=jid.clone() presence=Signal::stored(presence) selected>
                <span class="row-text">
                    <bdi data-testid="roster-item-name" class="row-name">
                        {neutralise_overrides(&contact.name).into_owned()}
                    </bdi>
                    {sub}
                </span>
            </OpenChatButton>
        </li>
    }
}
