//! The quick switcher: Ctrl+K (⌘K on a Mac), or the header's button, opens a modal dialog that
//! finds a conversation, a room or a contact by name or address ([`crate::store::quick_switch`]
//! ranks them). It is a combobox over a listbox (WAI-ARIA APG): the text field keeps focus, Up
//! and Down move the active option, Enter opens it, Esc closes. The native `<dialog>` traps
//! focus while open; closing returns focus where it was, or to the composer of what was opened.

use super::{tr, use_state};
use crate::i18n::Key;
use crate::linkify::neutralise_overrides;
use crate::store::directory::Section;
use crate::store::quick_switch::{self, Candidate, Kind};
use crate::xmpp::Availability;
use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// How many chats count as "recent" for an empty query and for ranking ties.
const RECENT: usize = 50;

/// The button that opens the switcher (for a mouse, a touch screen, or who does not know the
/// shortcut): it counts up `asked`, which [`QuickSwitch`] watches.
#[component]
pub fn QuickSwitchButton(asked: RwSignal<u64>) -> impl IntoView {
    view! {
        <button
            type="button"
            data-testid="quick-switch-open"
            class="button small quick-switch-open"
            aria-keyshortcuts="Control+K Meta+K"
            on:click=move |_| asked.update(|n| *n += 1)
        >
            <span class="quick-switch-glyph" aria-hidden="true">"⌕"</span>
            <span class="quick-switch-label">{tr(Key::QuickSwitchShort)}</span>
            <kbd aria-hidden="true">"Ctrl K"</kbd>
        </button>
    }
}

/// The dialog, mounted where it is always rendered (a modal inside a hidden pane would trap
/// focus unseen). Opens on Ctrl+K or when `asked` changes.
#[component]
pub fn QuickSwitch(asked: RwSignal<u64>) -> impl IntoView {
    let state = use_state();
    let dialog = NodeRef::<html::Dialog>::new();
    let input = NodeRef::<html::Input>::new();
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let returns_to = StoredValue::new_local(None::<web_sys::HtmlElement>);

    let candidates = move || -> Vec<Candidate> {
        let roster = state.contacts.roster;
        let mut all: Vec<Candidate> = state.chats.directory.with(|d| {
            d.rows(Section::Chats, 0, RECENT)
                .into_iter()
                .enumerate()
                .map(|(i, summary)| {
                    let room = state.rooms.is_room(&summary.jid);
                    let name = if room {
                        state.room_name(&summary.jid)
                    } else {
                        roster.with(|r| r.name_of(&summary.jid))
                    };
                    let online =
                        roster.with(|r| r.presence_of(&summary.jid) != Availability::Unavailable);
                    Candidate {
                        jid: summary.jid,
                        name,
                        kind: if room { Kind::Room } else { Kind::Chat },
                        recent: Some(i),
                        online,
                    }
                })
                .collect()
        });
        roster.with(|r| {
            all.extend(r.sorted("").into_iter().map(|c| Candidate {
                online: c.presence != Availability::Unavailable,
                jid: c.jid.clone(),
                name: c.name.clone(),
                kind: Kind::Contact,
                recent: None,
            }))
        });
        all
    };
    let results = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        quick_switch::matches(&candidates(), &query.get())
    });

    let show = move || {
        if open.get_untracked() {
            return;
        }
        returns_to.set_value(
            document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
        );
        query.set(String::new());
        active.set(0);
        open.set(true);
        if let Some(dialog) = dialog.get_untracked() {
            // Only fails if it is already open, which `open` rules out.
            let _ = dialog.show_modal();
        }
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    };
    // Closing by Esc, by choosing, or by clicking outside all end here (the dialog's close event).
    let on_close = move |_| {
        open.set(false);
        if let Some(el) = returns_to.get_value() {
            let _ = el.focus();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let choose = move |candidate: Candidate| {
        // Focus goes to what was opened, not back to where the switcher was called from.
        returns_to.set_value(None);
        close();
        state.open_conversation(candidate.jid);
        request_animation_frame(|| {
            if let Some(el) = document()
                .get_element_by_id("composer-input")
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    };

    Effect::new(move |previous: Option<u64>| {
        let now = asked.get();
        if previous.is_some_and(|p| p != now) {
            show();
        }
        now
    });
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        let modifier = ev.ctrl_key() || ev.meta_key();
        if modifier && !ev.alt_key() && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            show();
        }
    });
    on_cleanup(move || shortcut.remove());

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = results.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(candidate) =
                    results.with_untracked(|r| r.get(active.get_untracked()).cloned())
                {
                    choose(candidate);
                }
            }
            _ => {}
        }
    };
    // A click on the backdrop (the dialog element itself, outside its box) closes it.
    let on_backdrop = move |ev: leptos::ev::MouseEvent| {
        let on_dialog = ev
            .target()
            .zip(dialog.get_untracked())
            .is_some_and(|(target, dialog)| {
                let dialog: &web_sys::EventTarget = dialog.as_ref();
                &target == dialog
            });
        if on_dialog {
            close();
        }
    };
    let option_id = |i: usize| format!("quick-switch-option-{i}");

    view! {
        <dialog
            data-testid="quick-switch"
            class="quick-switch"
            aria-labelledby="quick-switch-title"
            node_ref=dialog
            on:close=on_close
            on:click=on_backdrop
        >
            // The box fills the dialog, so a click that lands on the dialog itself is outside it.
            <div class="quick-switch-box">
            <h2 id="quick-switch-title" class="visually-hidden">{tr(Key::QuickSwitch)}</h2>
            <input
                data-testid="quick-switch-input"
                class="input"
                type="text"
                role="combobox"
                aria-autocomplete="list"
                aria-expanded=move || (!results.with(Vec::is_empty)).to_string()
                aria-controls="quick-switch-results"
                aria-activedescendant=move || (!results.with(Vec::is_empty)).then(|| option_id(active.get()))
                aria-describedby="quick-switch-help"
                aria-label=tr(Key::QuickSwitch)
                placeholder=tr(Key::QuickSwitchPlaceholder)
                autocomplete="off"
                spellcheck="false"
                node_ref=input
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                }
                on:keydown=on_keydown
            />
            <p id="quick-switch-help" class="muted quick-switch-help">{tr(Key::QuickSwitchHelp)}</p>
            <ul id="quick-switch-results" class="quick-switch-results" role="listbox" aria-label=tr(Key::QuickSwitch)>
                {move || {
                    results
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, candidate)| {
                            let selected = move || active.get() == i;
                            let kind = match candidate.kind {
                                Kind::Chat => Key::KindChat,
                                Kind::Room => Key::KindRoom,
                                Kind::Contact => Key::KindContact,
                            };
                            let jid = candidate.jid.to_string();
                            let name = neutralise_overrides(&candidate.name).into_owned();
                            view! {
                                <li
                                    id=option_id(i)
                                    data-testid="quick-switch-item"
                                    data-jid=jid.clone()
                                    data-kind=match candidate.kind { Kind::Chat => "chat", Kind::Room => "room", Kind::Contact => "contact" }
                                    class="quick-switch-item"
                                    class:active=selected
                                    role="option"
                                    aria-selected=move || selected().to_string()
                                    on:mousemove=move |_| active.set(i)
                                    on:click=move |_| choose(candidate.clone())
                                >
                                    <bdi class="row-name">{name}</bdi>
                                    <bdi class="muted quick-switch-address">{jid.clone()}</bdi>
                                    <span class="quick-switch-kind muted">{tr(kind)}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || open.get() && results.with(Vec::is_empty) && !query.with(|q| q.trim().is_empty())>
                <p data-testid="quick-switch-empty" class="muted quick-switch-help" role="status">{tr(Key::QuickSwitchNothing)}</p>
            </Show>
            </div>
        </dialog>
    }
}
