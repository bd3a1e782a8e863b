//! A contact's or a room's face: its initials on its XEP-0392 colour (§5.1 from the bare address,
//! so the colour is the same in every client that follows the XEP), with the presence dot on its
//! corner. `data-loaded` says whether an image is shown; until avatars are fetched it is the
//! initials.

use crate::linkify::neutralise_overrides;
use crate::store::roster_view::initials;
use leptos::prelude::*;

/// The face of `address` (a bare JID: its colour) named `name` (its initials), with the presence
/// dot. Decorative: the row beside it names the contact.
#[component]
pub fn Avatar(
    address: String,
    name: Signal<String>,
    presence: Signal<&'static str>,
) -> impl IntoView {
    let colour = crate::colour::css(&address, crate::colour::ON_LIGHT);
    view! {
        <span class="avatar-wrap" aria-hidden="true">
            <span data-testid="avatar" class="avatar" data-loaded="false" style:background-color=colour>
                {move || initials(&neutralise_overrides(&name.get()))}
            </span>
            <span class="presence-dot" data-presence=presence></span>
        </span>
    }
}
