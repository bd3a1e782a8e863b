//! A contact's details, opened from the conversation's header: the address, the nickname they
//! gave themselves (XEP-0172), their vCard (XEP-0054, read when the details open), who sees whose
//! status (RFC 6121 §3 subscription states), each online resource with its own show and status
//! text (§4.7), the groups the contact is in with a way to change them (§2.1.2.4), and blocking
//! (XEP-0191). Also the blocklist, a windowed list of its own in the sidebar. Every untrusted
//! string (resource names, status texts, group names) renders as text.

use super::list::{row_offset, windowed_list, ListShape};
use super::{tr, use_state};
use crate::i18n::{self, Key};
use crate::linkify::neutralise_overrides;
use crate::xmpp::jid::{BareJid, Jid};
use crate::xmpp::{Availability, ResourceStatus, Subscription, VCardField};
use leptos::html;
use leptos::prelude::*;

/// Must match `.blocklist-item` height in the stylesheet.
const BLOCKED_ROW_HEIGHT: i32 = 44;

pub fn show_key(availability: Availability) -> Key {
    match availability {
        Availability::Available => Key::ShowAvailable,
        Availability::Away => Key::ShowAway,
        Availability::Dnd => Key::ShowDnd,
        Availability::Xa => Key::ShowXa,
        Availability::Unavailable => Key::ShowUnavailable,
    }
}

pub(super) fn vcard_key(field: VCardField) -> Key {
    match field {
        VCardField::FullName => Key::VCardFullName,
        VCardField::Nickname => Key::Nickname,
        VCardField::Organisation => Key::VCardOrg,
        VCardField::Title => Key::VCardTitle,
        VCardField::Email => Key::VCardEmail,
        VCardField::Phone => Key::VCardPhone,
        VCardField::Url => Key::VCardUrl,
        VCardField::Birthday => Key::VCardBirthday,
        VCardField::Locality => Key::VCardLocality,
        VCardField::Country => Key::VCardCountry,
        VCardField::Description => Key::VCardAbout,
    }
}

fn sharing_key(subscription: Subscription) -> Key {
    match subscription {
        Subscription::Both => Key::SharingBoth,
        Subscription::To => Key::SharingTo,
        Subscription::From => Key::SharingFrom,
        Subscription::None | Subscription::Remove => Key::SharingNone,
    }
}

#[component]
pub fn ContactDetails(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let roster = state.contacts.roster;
    let peer = StoredValue::new(peer);
    let contact = Memo::new(move |_| roster.with(|r| peer.with_value(|p| r.get(p).cloned())));
    let blocked = Memo::new(move |_| peer.with_value(|p| state.contacts.is_blocked(p)));
    let offered = state.contacts.blocking_offered;
    let manage = move || state.with_config(|c| c.features.contact_management);

    let sharing = move || {
        contact.get().map(|c| {
            view! {
                <dt>{tr(Key::SharingLabel)}</dt>
                <dd data-testid="contact-sharing" data-subscription=c.subscription.as_str()>
                    {tr(sharing_key(c.subscription))}
                </dd>
            }
        })
    };
    // XEP-0172: the name they gave themselves, even where the roster names them otherwise.
    let nick = move || {
        contact.get().and_then(|c| c.nick).map(|nick| {
            view! {
                <dt>{tr(Key::Nickname)}</dt>
                <dd data-testid="contact-nick"><bdi>{neutralise_overrides(&nick).into_owned()}</bdi></dd>
            }
        })
    };
    state.fetch_vcard(&peer.get_value());
    let vcard = move || {
        let lang = state.lang.get();
        let loaded = state.contacts.vcard.with(|v| {
            v.as_ref()
                .filter(|(jid, _)| peer.with_value(|p| p == jid))
                .map(|(_, f)| f.clone())
        });
        match loaded {
            None => view! { <p class="muted" data-testid="contact-vcard" data-state="loading">{i18n::t(lang, Key::VCardLoading)}</p> }.into_any(),
            Some(None) => view! { <p class="muted" data-testid="contact-vcard" data-state="unavailable">{i18n::t(lang, Key::VCardEmpty)}</p> }.into_any(),
            Some(Some(fields)) if fields.is_empty() => view! { <p class="muted" data-testid="contact-vcard" data-state="empty">{i18n::t(lang, Key::VCardEmpty)}</p> }.into_any(),
            Some(Some(fields)) => view! {
                <dl class="details-list" data-testid="contact-vcard" data-state="loaded">
                    {fields.into_iter().map(|(field, value)| view! {
                        <dt>{i18n::t(lang, vcard_key(field))}</dt>
                        <dd data-testid="contact-vcard-field" data-field=field.as_str()>
                            <bdi>{neutralise_overrides(&value).into_owned()}</bdi>
                        </dd>
                    }).collect_view()}
                </dl>
            }.into_any(),
        }
    };
    let resources = move || {
        let resources = contact.get().map(|c| c.resources).unwrap_or_default();
        if resources.is_empty() {
            return view! { <p class="muted">{tr(Key::ShowUnavailable)}</p> }.into_any();
        }
        view! {
            <ul data-testid="contact-resources" class="contact-resources" role="list">
                {resources.into_iter().map(|r| {
                    let full = peer.with_value(|p| format!("{p}/{}", r.resource));
                    let client = state.contacts.clients.with(|c| c.get(&full).and_then(|s| s.name.clone()));
                    view! { <ResourceRow resource=r client/> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let block = move |_| {
        let jid: Jid = peer.get_value().into();
        state.set_blocked(&jid, !blocked.get_untracked());
    };

    view! {
        <section
            id="contact-details"
            data-testid="contact-details"
            class="contact-details"
            data-jid=peer.get_value().to_string()
            aria-label=tr(Key::Details)
        >
            <dl class="details-list">
                <dt>{tr(Key::ContactAddress)}</dt>
                <dd><bdi>{peer.get_value().to_string()}</bdi></dd>
                {nick}
                {sharing}
            </dl>
            <h3 class="details-heading">{tr(Key::VCardHeading)}</h3>
            {vcard}
            <h3 class="details-heading">{tr(Key::Devices)}</h3>
            {resources}
            <Show when=move || manage() && contact.with(Option::is_some)>
                <GroupEditor peer=peer.get_value()/>
            </Show>
            <Show when=move || offered.get()>
                <div class="details-block">
                    {move || if blocked.get() {
                        view! {
                            <button data-testid="contact-unblock" type="button" class="button small" on:click=block>
                                {tr(Key::Unblock)}
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p class="muted">{tr(Key::BlockExplained)}</p>
                            <button data-testid="contact-block" type="button" class="button small danger" on:click=block>
                                {tr(Key::Block)}
                            </button>
                        }
                            .into_any()
                    }}
                </div>
            </Show>
        </section>
    }
}

#[component]
/// `client`: the software it runs (XEP-0115), where known.
fn ResourceRow(resource: ResourceStatus, client: Option<String>) -> impl IntoView {
    let name = if resource.resource.is_empty() {
        None
    } else {
        Some(neutralise_overrides(&resource.resource).into_owned())
    };
    let status = resource
        .status
        .map(|s| neutralise_overrides(&s).into_owned());
    view! {
        <li
            data-testid="contact-resource"
            class="contact-resource"
            data-resource=resource.resource.clone()
            data-presence=resource.availability.as_str()
        >
            <span class="presence-dot" data-presence=resource.availability.as_str() aria-hidden="true"></span>
            <span class="resource-text">
                <span class="resource-line">
                    {match name {
                        Some(name) => view! { <bdi class="resource-name">{name}</bdi> }.into_any(),
                        None => view! { <span class="resource-name muted">{tr(Key::UnnamedDevice)}</span> }.into_any(),
                    }}
                    " · "
                    <span class="resource-show">{tr(show_key(resource.availability))}</span>
                    {client.map(|c| view! {
                        " · "
                        <bdi data-testid="contact-resource-client" class="resource-client">
                            {neutralise_overrides(&c).into_owned()}
                        </bdi>
                    })}
                </span>
                {status.map(|s| view! {
                    <bdi data-testid="contact-resource-status" class="resource-status">{s}</bdi>
                })}
            </span>
        </li>
    }
}

/// The contact's groups, each removable, and a field to add one (suggesting the roster's
/// groups). Each change is one roster set; the server's push redraws the list.
#[component]
fn GroupEditor(peer: BareJid) -> impl IntoView {
    let state = use_state();
    let roster = state.contacts.roster;
    let peer = StoredValue::new(peer);
    let input = NodeRef::<html::Input>::new();
    let groups = Memo::new(move |_| {
        roster.with(|r| {
            peer.with_value(|p| r.get(p).map(|c| c.groups.clone()))
                .unwrap_or_default()
        })
    });
    let all_groups = Memo::new(move |_| roster.with(|r| r.group_names()));
    let set = move |groups: Vec<String>| {
        if let Err(e) = state.set_contact_groups(&peer.get_value(), &groups) {
            state.notices.push(e);
        }
    };
    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(field) = input.get_untracked() else {
            return;
        };
        let group = field.value().trim().to_owned();
        if group.is_empty() {
            return;
        }
        let mut next = groups.get_untracked();
        if !next.contains(&group) {
            next.push(group);
            set(next);
        }
        field.set_value("");
    };

    view! {
        <h3 class="details-heading" id="contact-groups-title">{tr(Key::Groups)}</h3>
        {move || {
            let current = groups.get();
            if current.is_empty() {
                return view! { <p class="muted">{tr(Key::NoGroups)}</p> }.into_any();
            }
            view! {
                <ul class="group-chips" role="list" aria-labelledby="contact-groups-title">
                    {current
                        .into_iter()
                        .map(|group| {
                            let shown = neutralise_overrides(&group).into_owned();
                            let removed = group.clone();
                            view! {
                                <li data-testid="contact-group" class="group-chip" data-group=group.clone()>
                                    <bdi>{shown}</bdi>
                                    <button
                                        data-testid="contact-group-remove"
                                        type="button"
                                        class="icon-button chip-remove"
                                        aria-label=tr(Key::RemoveFromGroup)
                                        title=tr(Key::RemoveFromGroup)
                                        on:click=move |_| {
                                            let next = groups
                                                .get_untracked()
                                                .into_iter()
                                                .filter(|g| *g != removed)
                                                .collect();
                                            set(next);
                                        }
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
        <form class="inline-form group-add" on:submit=on_add>
            <label for="contact-group-input" class="visually-hidden">{tr(Key::AddToGroup)}</label>
            <input
                id="contact-group-input"
                data-testid="contact-group-input"
                class="input"
                type="text"
                autocomplete="off"
                list="contact-group-names"
                placeholder=tr(Key::AddToGroup)
                node_ref=input
            />
            <datalist id="contact-group-names">
                {move || all_groups.get().into_iter().map(|g| view! { <option value=g></option> }).collect_view()}
            </datalist>
            <button data-testid="contact-group-add" type="submit" class="button small">
                {tr(Key::AddGroupSubmit)}
            </button>
        </form>
    }
}

/// The blocked addresses, each with a way to unblock it; shown once there is one.
#[component]
pub fn Blocklist() -> impl IntoView {
    let state = use_state();
    let blocked = state.contacts.blocked;
    let total = Signal::derive(move || blocked.with(Vec::len));
    let open = RwSignal::new(true);
    let shape = ListShape {
        testid: "blocklist",
        class: "blocklist",
        labelled_by: "blocklist-title",
        row_height: BLOCKED_ROW_HEIGHT,
    };
    view! {
        <Show when=move || { total.get() > 0 }>
            <section class="blocklist-section" aria-labelledby="blocklist-title">
                <h2 id="blocklist-title" class="pane-title">
                    <button
                        type="button"
                        class="group-button"
                        aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        <span class="group-chevron" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                        {tr(Key::BlockedAddresses)}
                        <span class="count">{move || total.get()}</span>
                    </button>
                </h2>
                <Show when=move || open.get()>
                    {windowed_list(
                        shape,
                        total,
                        Signal::derive(|| 0),
                        move |first, last| {
                            blocked.with(|b| b[first.min(b.len())..last.min(b.len())].to_vec())
                        },
                        move |index, jid| view! { <BlockedRow index jid/> },
                    )}
                </Show>
            </section>
        </Show>
    }
}

#[component]
fn BlockedRow(index: Signal<usize>, jid: Jid) -> impl IntoView {
    let state = use_state();
    let text = jid.to_string();
    view! {
        <li
            data-testid="blocklist-item"
            class="blocklist-item"
            data-jid=text.clone()
            style:transform=row_offset(index, BLOCKED_ROW_HEIGHT)
        >
            <bdi class="row-name">{neutralise_overrides(&text).into_owned()}</bdi>
            <button
                data-testid="blocklist-unblock"
                type="button"
                class="button small"
                on:click=move |_| state.set_blocked(&jid, false)
            >
                {tr(Key::Unblock)}
            </button>
        </li>
    }
}
