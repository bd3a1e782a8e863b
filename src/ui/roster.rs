//! The roster (RFC 6121 contacts) as a windowed list: rows have a fixed height, the list has the
//! full height, and only the rows in view (plus some overscan) are in the DOM, so 5,000 contacts
//! scroll smoothly. Rows are keyed by JID; `data-count` on the list gives the full number.

use super::contacts::AddContact;
use super::state::Contact;
use super::{tr, use_state};
use crate::i18n::Key;
use crate::xmpp::jid::BareJid;
use leptos::html;
use leptos::prelude::*;

/// Must match `.roster-item` height in the stylesheet.
pub const ROW_HEIGHT: i32 = 52;
/// Rows rendered above and below the visible ones, so fast scrolling shows no blank rows.
const OVERSCAN: usize = 8;
/// Viewport height assumed before the list has been measured.
const FALLBACK_VIEWPORT: i32 = 800;

#[derive(Debug, Clone, PartialEq, Eq)]
struct VisibleRow {
    index: usize,
    contact: Contact,
}

/// The rows to render for a scroll position: `[first, last)` of `total`, with overscan.
pub fn window_range(total: usize, scroll_top: i32, viewport: i32) -> (usize, usize) {
    let row = ROW_HEIGHT as usize;
    let first_visible = scroll_top.max(0) as usize / row;
    let visible = (viewport.max(0) as usize).div_ceil(row) + 1;
    let first = first_visible.saturating_sub(OVERSCAN).min(total);
    let last = (first_visible + visible + OVERSCAN).min(total);
    (first, last)
}

#[component]
pub fn Roster() -> impl IntoView {
    let state = use_state();
    let filter = RwSignal::new(String::new());
    let scroll_top = RwSignal::new(0);
    let viewport = RwSignal::new(0);
    let scroller = NodeRef::<html::Div>::new();

    let total = move || state.roster.with(|r| r.contacts.len());
    let sorted = Memo::new(move |_| filter.with(|f| state.roster.with(|r| r.sorted(f))));
    let visible = Memo::new(move |_| {
        let viewport = effective_viewport(viewport.get());
        sorted.with(|rows| {
            let (first, last) = window_range(rows.len(), scroll_top.get(), viewport);
            rows[first..last]
                .iter()
                .enumerate()
                .map(|(i, contact)| VisibleRow {
                    index: first + i,
                    contact: contact.clone(),
                })
                .collect::<Vec<_>>()
        })
    });

    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(el.scroll_top());
            viewport.set(el.client_height());
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let on_filter = move |ev: leptos::ev::Event| {
        filter.set(event_target_value(&ev));
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0);
    };

    view! {
        <section class="roster-section" aria-labelledby="roster-title">
            <div class="roster-head">
                <div class="roster-title-row">
                    <h2 id="roster-title" class="pane-title">{tr(Key::Contacts)}</h2>
                    <AddContact/>
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
            <div class="roster-scroll" node_ref=scroller on:scroll=move |_| measure()>
                <ul
                    data-testid="roster"
                    class="roster"
                    role="list"
                    aria-labelledby="roster-title"
                    data-count=move || total().to_string()
                    style:height=move || format!("{}px", sorted.with(Vec::len) as i32 * ROW_HEIGHT)
                >
                    <For
                        each=move || visible.get()
                        key=|row| row.contact.jid.clone()
                        children=move |row| view! { <RosterRow jid=row.contact.jid visible=visible/> }
                    />
                </ul>
                {move || {
                    (sorted.with(Vec::is_empty))
                        .then(|| {
                            let key = if total() == 0 { Key::NoContacts } else { Key::NoMatches };
                            view! { <p class="muted pad">{tr(key)}</p> }
                        })
                }}
            </div>
        </section>
    }
}

/// One row; reads its current data from the visible window, so a presence change updates it in place.
#[component]
fn RosterRow(jid: BareJid, visible: Memo<Vec<VisibleRow>>) -> impl IntoView {
    let state = use_state();
    let current = {
        let jid = jid.clone();
        Memo::new(move |_| visible.with(|rows| rows.iter().find(|r| r.contact.jid == jid).cloned()))
    };
    let field = move |f: fn(&VisibleRow) -> String| {
        move || current.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let presence = move || {
        current.with(|r| {
            r.as_ref()
                .map_or("unavailable", |r| r.contact.presence.as_str())
        })
    };
    let selected = {
        let jid = jid.clone();
        Memo::new(move |_| state.open.with(|o| o.as_ref() == Some(&jid)))
    };
    let open = {
        let jid = jid.clone();
        move |_| state.open_conversation(jid.clone())
    };
    let offset = move || {
        let index = current.with(|r| r.as_ref().map_or(0, |r| r.index));
        format!("translateY({}px)", index as i32 * ROW_HEIGHT)
    };
    let status = move || current.with(|r| r.as_ref().and_then(|r| r.contact.status.clone()));
    let jid_text = jid.to_string();
    view! {
        <li
            data-testid="roster-item"
            class="roster-item"
            class:selected=selected
            data-jid=jid.to_string()
            data-presence=presence
            data-subscription=field(|r| r.contact.subscription.as_str().to_owned())
            style:transform=offset
        >
            <button
                type="button"
                class="row-button"
                on:click=open
                aria-current=move || selected.get().then_some("true")
            >
                <span class="presence-dot" data-presence=presence></span>
                <span class="row-text">
                    <bdi data-testid="roster-item-name" class="row-name">
                        {field(|r| r.contact.name.clone())}
                    </bdi>
                    {move || match status() {
                        Some(status) => {
                            view! {
                                <bdi data-testid="roster-item-status" class="row-sub">
                                    {status}
                                </bdi>
                            }
                                .into_any()
                        }
                        None => view! { <bdi class="row-sub">{jid_text.clone()}</bdi> }.into_any(),
                    }}
                </span>
            </button>
        </li>
    }
}

/// The measured viewport, bounded by the window: before layout (or without the stylesheet, as in
/// tests) the scroller can report its full content height, which would render every row.
fn effective_viewport(measured: i32) -> i32 {
    let window_height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .map_or(FALLBACK_VIEWPORT, |h| h as i32);
    if measured <= 0 {
        window_height
    } else {
        measured.min(window_height)
    }
}
