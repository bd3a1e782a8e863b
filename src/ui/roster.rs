//! The roster (RFC 6121 contacts) as a windowed list (see [`super::list`]) under collapsible
//! group headings: 10,000 contacts scroll smoothly with a few dozen rows in the DOM; `data-count`
//! gives the number of contacts listed (a contact in two groups counts once).

use super::contacts::AddContact;
use super::list::{keyed_windowed_list, row_offset, ListShape};
use super::lookalike::LookalikeWarning;
use super::shell::{is_open, OpenChatButton};
use super::{tr, use_state};
use crate::i18n::Key;
use crate::linkify::neutralise_overrides;
use crate::store::roster_view::{Contact, RosterLayout, RosterRow};
use crate::xmpp::confusables::Lookalike;
use crate::xmpp::jid::BareJid;
use leptos::prelude::*;
use std::sync::Arc;

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
    let collapsed = state.contacts.collapsed_groups;
    // The shell around the roster is built in one task; laying out and drawing 10,000 contacts
    // in the same one made it a long task (55-70 ms). The rows come in the next.
    let drawn = RwSignal::new(false);
    set_timeout(
        move || {
            drawn.try_set(true);
        },
        std::time::Duration::ZERO,
    );
    let layout = Memo::new(move |_| {
        if !drawn.get() {
            return RosterLayout::default();
        }
        filter.with(|f| collapsed.with(|c| roster.with(|r| r.layout(f, c))))
    });
    let total = Signal::derive(move || layout.with(|l| l.rows.len()));
    let count = Signal::derive(move || layout.with(|l| l.contacts));

    let on_filter = move |ev: leptos::ev::Event| {
        filter.set(event_target_value(&ev));
        filter_changes.update(|n| *n += 1);
    };
    let list = keyed_windowed_list(
        SHAPE,
        total,
        count,
        filter_changes.into(),
        move |first, last| {
            layout.with(|RosterLayout { rows, .. }| {
                rows[first.min(rows.len())..last.min(rows.len())].to_vec()
            })
        },
        RowId::of,
        move |index, row: Signal<RosterRow>| match row.get_untracked() {
            // A row's identity fixes its kind: only what it shows changes.
            RosterRow::Group { name, .. } => view! { <GroupHeading index name row/> }.into_any(),
            RosterRow::Contact(contact) => {
                let contact = Signal::derive(move || match row.get() {
                    RosterRow::Contact(now) => now,
                    RosterRow::Group { .. } => contact.clone(),
                });
                view! { <RosterRow index contact/> }.into_any()
            }
        },
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
            // Before the list, which fills the rest of the pane: under the filter, where it is read.
            {move || {
                (drawn.get() && count.get() == 0 && total.get() == 0)
                    .then(|| {
                        let key = if roster.with(|r| r.is_empty()) {
                            Key::NoContacts
                        } else {
                            Key::NoMatches
                        };
                        view! { <p class="muted pad">{tr(key)}</p> }
                    })
            }}
            {list}
        </section>
    }
}

/// What a roster row is, whatever it shows: a group's heading or a contact.
#[derive(Clone, PartialEq, Eq, Hash)]
enum RowId {
    Group(String),
    Contact(BareJid),
}

impl RowId {
    fn of(row: &RosterRow) -> Self {
        match row {
            RosterRow::Group { name, .. } => Self::Group(name.clone()),
            RosterRow::Contact(contact) => Self::Contact(contact.jid.clone()),
        }
    }
}

/// A group's heading: its name ("No group" for the contacts in none), how many are online of
/// how many, and a button that folds it.
#[component]
fn GroupHeading(index: Signal<usize>, name: String, row: Signal<RosterRow>) -> impl IntoView {
    let state = use_state();
    let label = if name.is_empty() {
        tr(Key::NoGroup)().to_owned()
    } else {
        neutralise_overrides(&name).into_owned()
    };
    let counts = Memo::new(move |_| match row.get() {
        RosterRow::Group {
            count,
            online,
            collapsed,
            ..
        } => (count, online, collapsed),
        RosterRow::Contact(_) => (0, 0, false),
    });
    let collapsed = move || counts.get().2;
    let group = name.clone();
    view! {
        <li
            data-testid="roster-group"
            class="roster-group"
            data-group=name
            data-collapsed=move || collapsed().to_string()
            data-count=move || counts.get().0.to_string()
            style:transform=row_offset(index, ROW_HEIGHT)
        >
            <button
                type="button"
                class="group-button"
                aria-expanded=move || (!collapsed()).to_string()
                on:click=move |_| state.contacts.toggle_group(&group)
            >
                <span class="group-chevron" aria-hidden="true">{move || if collapsed() { "▸" } else { "▾" }}</span>
                <bdi class="group-name">{label}</bdi>
                <span class="group-count">{move || { let (count, online, _) = counts.get(); format!("{online}/{count}") }}</span>
            </button>
        </li>
    }
}

#[component]
fn RosterRow(index: Signal<usize>, contact: Signal<Arc<Contact>>) -> impl IntoView {
    let state = use_state();
    // The address is the row's identity: it never changes under the row.
    let jid = contact.with_untracked(|c| c.jid.clone());
    let selected = is_open(jid.clone());
    let presence = Memo::new(move |_| contact.with(|c| c.presence.as_str()));
    let name = Memo::new(move |_| contact.with(|c| c.name.clone()));
    let lookalike = Memo::new(move |_| contact.with(|c| c.lookalike.clone()));
    let status = Memo::new(move |_| {
        contact.with(|c| {
            c.status
                .as_deref()
                .map(|s| neutralise_overrides(s).into_owned())
        })
    });
    let blocked = {
        let jid = jid.clone();
        Memo::new(move |_| state.contacts.is_blocked(&jid))
    };
    let address = jid.to_string();
    let flagged = move || match lookalike.get() {
        Some(Lookalike::Resembles(_)) => "resembles",
        Some(Lookalike::MixedScripts) => "mixed",
        None => "false",
    };
    let sub = move || match (blocked.get(), lookalike.get(), status.get()) {
        (true, _, _) => view! { <span class="row-sub">{tr(Key::Blocked)}</span> }.into_any(),
        // The address is what a look-alike fakes: the row says so where the status would be.
        (false, Some(lookalike), _) => view! {
            <span class="row-sub"><LookalikeWarning lookalike/></span>
        }
        .into_any(),
        (false, None, Some(status)) => view! {
            <bdi data-testid="roster-item-status" class="row-sub">{status}</bdi>
        }
        .into_any(),
        (false, None, None) => view! { <bdi class="row-sub">{address.clone()}</bdi> }.into_any(),
    };
    view! {
        <li
            data-testid="roster-item"
            class="roster-item"
            class:selected=selected
            data-jid=jid.to_string()
            data-presence=presence
            data-subscription=move || contact.with(|c| c.subscription.as_str())
            data-blocked=move || blocked.get().to_string()
            data-lookalike=flagged
            style:transform=row_offset(index, ROW_HEIGHT)
        >
            <OpenChatButton jid=jid.clone() name=name.into() presence=presence.into() selected>
                <span class="row-text">
                    <bdi data-testid="roster-item-name" class="row-name">
                        {move || name.with(|n| neutralise_overrides(n).into_owned())}
                    </bdi>
                    {sub}
                </span>
            </OpenChatButton>
        </li>
    }
}
