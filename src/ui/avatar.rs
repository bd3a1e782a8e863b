//! A contact's or a room's face: its image once fetched (XEP-0084, or XEP-0153), else its
//! initials on its XEP-0392 colour (§5.1 from the bare address, so the colour is the same in every
//! client that follows the XEP), with the presence dot on its corner. `data-loaded` says whether
//! the image is shown. Mounting one asks for the image of its address (see
//! [`Avatars`](super::state::avatars::Avatars)): only faces on screen are fetched.

use super::use_state;
use crate::linkify::neutralise_overrides;
use crate::store::roster_view::initials;
use crate::xmpp::jid::BareJid;
use leptos::prelude::*;

/// The face of `address` (a bare JID: its colour and image) named `name` (its initials), with
/// the presence dot. Decorative: the row beside it names the contact.
#[component]
pub fn Avatar(
    address: String,
    name: Signal<String>,
    presence: Signal<&'static str>,
) -> impl IntoView {
    let state = use_state();
    let colour = crate::colour::css(&address, crate::colour::ON_LIGHT);
    let face = BareJid::new(&address).ok().map(|jid| {
        let face = state.avatars.face(&jid);
        let watched = face.clone();
        Effect::new(move |_| {
            let current = watched.get();
            state.avatars.wanted(&jid, &current, state.account());
        });
        face
    });
    let url = move || face.as_ref().and_then(|f| f.get().url);
    let shown = url.clone();
    view! {
        <span class="avatar-wrap" aria-hidden="true">
            <span
                data-testid="avatar"
                class="avatar"
                data-loaded=move || url().is_some().to_string()
                style:background-color=colour
            >
                {move || match shown() {
                    Some(src) => view! { <img class="avatar-image" src=src alt="" decoding="async"/> }.into_any(),
                    None => initials(&neutralise_overrides(&name.get())).into_any(),
                }}
            </span>
            <span class="presence-dot" data-presence=presence></span>
        </span>
    }
}
