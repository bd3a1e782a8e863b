//! Managing the roster: the add-contact form (RFC 6121 §2.3 roster set plus §3.1 subscribe), the
//! list of incoming subscription requests with accept and decline (§3.1.3-§3.1.5), and renaming
//! (§2.4) and removing (§2.5) a contact from its conversation's header.

use super::list::{row_offset, windowed_list, ListShape};
use super::lookalike::LookalikeWarning;
use super::state::UiError;
use super::{tr, use_state};
use crate::i18n::Key;
use crate::linkify::neutralise_overrides;
use crate::xmpp::jid::BareJid;
use leptos::html;
use leptos::prelude::*;

/// Must match `.request` height in the stylesheet.
const REQUEST_HEIGHT: i32 = 104;

/// The "add contact" button and, when open, its form.
#[component]
pub fn AddContact() -> impl IntoView {
    let state = use_state();
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<UiError>);
    let jid_input = NodeRef::<html::Input>::new();
    let name_input = NodeRef::<html::Input>::new();

    let close = move || {
        open.set(false);
        error.set(None);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(jid), Some(name)) = (jid_input.get_untracked(), name_input.get_untracked())
        else {
            return;
        };
        let jid = match BareJid::new(jid.value().trim()) {
            Ok(jid) if jid.node().is_some() => jid,
            Ok(_) => {
                error.set(Some(UiError::Address(
                    crate::xmpp::jid::AddressError::MissingLocalpart,
                )));
                return;
            }
            Err(e) => {
                error.set(Some(UiError::Address(
                    crate::xmpp::jid::AddressError::Invalid(e),
                )));
                return;
            }
        };
        let name = name.value();
        match state.add_contact(jid, Some(name.as_str())) {
            Ok(()) => close(),
            Err(e) => error.set(Some(e)),
        }
    };
    // Focus the address field when the form opens.
    Effect::new(move |_| {
        if open.get() {
            if let Some(input) = jid_input.get() {
                let _ = input.focus();
            }
        }
    });

    view! {
        <button
            data-testid="roster-add"
            type="button"
            class="button small"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| if open.get_untracked() { close() } else { open.set(true) }
        >
            {tr(Key::AddContact)}
        </button>
        <Show when=move || open.get()>
            <form class="add-contact" on:submit=on_submit novalidate>
                <label for="roster-add-jid">{tr(Key::ContactAddress)}</label>
                <input
                    id="roster-add-jid"
                    data-testid="roster-add-jid"
                    class="input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    placeholder="user@example.org"
                    node_ref=jid_input
                />
                <label for="roster-add-name">{tr(Key::ContactName)}</label>
                <input
                    id="roster-add-name"
                    data-testid="roster-add-name"
                    class="input"
                    type="text"
                    autocomplete="off"
                    node_ref=name_input
                />
                {move || {
                    error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="form-error" role="alert">
                                    {move || e.describe(state.lang.get())}
                                </p>
                            }
                        })
                }}
                <div class="form-actions">
                    <button type="button" class="button" on:click=move |_| close()>
                        {tr(Key::Cancel)}
                    </button>
                    <button data-testid="roster-add-submit" type="submit" class="button primary">
                        {tr(Key::AddContactSubmit)}
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// Incoming subscription requests, each with accept and decline: a windowed list of its own,
/// so any number of them leaves the rest of the sidebar in reach.
#[component]
pub fn SubscriptionRequests() -> impl IntoView {
    let state = use_state();
    let requests = state.contacts.requests;
    let total = Signal::derive(move || requests.with(|r| r.len()));
    let shape = ListShape {
        testid: "subscription-requests",
        class: "request-list",
        labelled_by: "requests-title",
        row_height: REQUEST_HEIGHT,
    };
    view! {
        <Show when=move || { total.get() > 0 }>
            <section class="requests" aria-labelledby="requests-title">
                <h2 id="requests-title" class="pane-title">
                    {tr(Key::SubscriptionRequests)}
                    <span class="count">{move || total.get()}</span>
                </h2>
                {windowed_list(
                    shape,
                    total,
                    Signal::derive(|| 0),
                    move |first, last| requests.with(|r| r.rows(first, last)),
                    move |index, (jid, nick)| view! { <RequestRow index jid nick/> },
                )}
            </section>
        </Show>
    }
}

/// `nick`: what they call themselves (XEP-0172 §4.1), shown beside the address, never instead.
#[component]
fn RequestRow(index: Signal<usize>, jid: BareJid, nick: Option<String>) -> impl IntoView {
    let state = use_state();
    let approve = jid.clone();
    let deny = jid.clone();
    let block = jid.clone();
    view! {
        <li
            data-testid="subscription-request"
            data-jid=jid.to_string()
            class="request"
            style:transform=row_offset(index, REQUEST_HEIGHT)
        >
            <p class="request-text">
                {match nick {
                    Some(nick) => view! {
                        <bdi data-testid="subscription-request-nick" class="request-nick">
                            {neutralise_overrides(&nick).into_owned()}
                        </bdi>
                        " ("
                        <bdi class="request-jid">{jid.to_string()}</bdi>
                        ")"
                    }
                    .into_any(),
                    None => view! { <bdi class="request-jid">{jid.to_string()}</bdi> }.into_any(),
                }}
                " "
                {tr(Key::SubscriptionRequestText)}
            </p>
            {
                let jid = jid.clone();
                move || {
                    state.contacts.roster.with(|r| r.lookalike_of(&jid)).map(|lookalike| {
                        view! { <p class="request-warning"><LookalikeWarning lookalike/></p> }
                    })
                }
            }
            <div class="form-actions">
                <button
                    data-testid="subscription-deny"
                    type="button"
                    class="button small"
                    on:click=move |_| state.answer_request(&deny, false)
                >
                    {tr(Key::Deny)}
                </button>
                <Show when=move || state.contacts.blocking_offered.get()>
                    <button
                        data-testid="subscription-block"
                        type="button"
                        class="button small danger"
                        on:click={
                            let block = block.clone();
                            move |_| {
                                // Declined first, so the request leaves the list here and on
                                // our other devices; then nothing more comes from them.
                                state.answer_request(&block, false);
                                state.set_blocked(&block.clone().into(), true);
                            }
                        }
                    >
                        {tr(Key::Block)}
                    </button>
                </Show>
                <button
                    data-testid="subscription-approve"
                    type="button"
                    class="button small primary"
                    on:click=move |_| state.answer_request(&approve, true)
                >
                    {tr(Key::Approve)}
                </button>
            </div>
        </li>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActionMode {
    Idle,
    Renaming,
    ConfirmingRemove,
}

/// Rename and remove, for a conversation whose peer is in the roster.
#[component]
pub fn ContactActions(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let mode = RwSignal::new(ActionMode::Idle);
    let name_input = NodeRef::<html::Input>::new();
    // Copy handles, so every closure below is Copy and can be re-created by the views.
    let peer = StoredValue::new(peer);
    let roster = state.contacts.roster;
    let in_roster = move || roster.with(|r| peer.with_value(|p| r.contains(p)));
    let current_name = move || {
        roster
            .with_untracked(|r| peer.with_value(|p| r.get(p).and_then(|c| c.roster_name.clone())))
            .unwrap_or_default()
    };
    let on_rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = name_input.get_untracked() else {
            return;
        };
        match state.rename_contact(&peer.get_value(), &input.value()) {
            Ok(()) => mode.set(ActionMode::Idle),
            Err(e) => state.notices.push(e),
        }
    };
    let on_remove = move |_| {
        if let Err(e) = state.remove_contact(&peer.get_value()) {
            state.notices.push(e);
        }
        mode.set(ActionMode::Idle);
    };
    Effect::new(move |_| {
        if mode.get() == ActionMode::Renaming {
            if let Some(input) = name_input.get() {
                let _ = input.focus();
            }
        }
    });

    view! {
        <Show when=in_roster>
            <div class="contact-actions">
                {move || match mode.get() {
                    ActionMode::Idle => {
                        view! {
                            <button
                                data-testid="roster-rename"
                                type="button"
                                class="button small"
                                on:click=move |_| mode.set(ActionMode::Renaming)
                            >
                                {tr(Key::RenameContact)}
                            </button>
                            <button
                                data-testid="roster-remove"
                                type="button"
                                class="button small"
                                on:click=move |_| mode.set(ActionMode::ConfirmingRemove)
                            >
                                {tr(Key::RemoveContact)}
                            </button>
                        }
                            .into_any()
                    }
                    ActionMode::Renaming => {
                        view! {
                            <form class="inline-form" on:submit=on_rename>
                                <label for="roster-rename-input" class="visually-hidden">
                                    {tr(Key::ContactNewName)}
                                </label>
                                <input
                                    id="roster-rename-input"
                                    data-testid="roster-rename-input"
                                    class="input"
                                    type="text"
                                    autocomplete="off"
                                    node_ref=name_input
                                    value=current_name()
                                />
                                <button data-testid="roster-rename-submit" type="submit" class="button small primary">
                                    {tr(Key::Save)}
                                </button>
                                <button type="button" class="button small" on:click=move |_| mode.set(ActionMode::Idle)>
                                    {tr(Key::Cancel)}
                                </button>
                            </form>
                        }
                            .into_any()
                    }
                    ActionMode::ConfirmingRemove => {
                        view! {
                            <div class="inline-form" role="alertdialog" aria-labelledby="remove-question">
                                <p id="remove-question" class="confirm-text">{tr(Key::ConfirmRemoveContact)}</p>
                                <button
                                    data-testid="roster-remove-confirm"
                                    type="button"
                                    class="button small danger"
                                    on:click=on_remove
                                >
                                    {tr(Key::RemoveContact)}
                                </button>
                                <button type="button" class="button small" on:click=move |_| mode.set(ActionMode::Idle)>
                                    {tr(Key::Cancel)}
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </div>
        </Show>
    }
}
