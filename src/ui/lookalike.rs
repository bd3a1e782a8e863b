//! The warning shown where an address that could pass for another appears (UTS #39, judged by
//! [`confusables`](crate::xmpp::confusables)): which contact it reads like, by the name the
//! person knows and its real address, or that it mixes alphabets. All of it renders as text.

use super::{tr, use_state};
use crate::i18n::Key;
use crate::linkify::neutralise_overrides;
use crate::xmpp::confusables::Lookalike;
use leptos::prelude::*;

/// `lookalike` said in words. `explain` adds what to do (where there is room for a sentence);
/// `compact` shows a sign only, the words going to screen readers and the tooltip.
#[component]
pub fn LookalikeWarning(
    lookalike: Lookalike,
    #[prop(optional)] explain: bool,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let state = use_state();
    let (kind, resembles, shown) = match &lookalike {
        Lookalike::Resembles(other) => {
            let name = state.contacts.roster.with_untracked(|r| r.name_of(other));
            let shown = if name == other.as_str() {
                name
            } else {
                format!("{name} ({other})")
            };
            let shown = neutralise_overrides(&shown).into_owned();
            ("resembles", Some(other.to_string()), Some(shown))
        }
        Lookalike::MixedScripts => ("mixed", None, None),
    };
    let key = if shown.is_some() {
        Key::LooksLike
    } else {
        Key::LookalikeMixed
    };
    let words = {
        let shown = shown.clone();
        move || match &shown {
            Some(shown) => format!("{} {shown}", tr(key)()),
            None => tr(key)().to_owned(),
        }
    };
    if compact {
        let title = words.clone();
        return view! {
            <span
                data-testid="lookalike-warning"
                class="lookalike-warning compact"
                data-lookalike=kind
                data-resembles=resembles
                title=title
            >
                <span aria-hidden="true">"⚠"</span>
                <span class="visually-hidden">{words}</span>
            </span>
        }
        .into_any();
    }
    view! {
        <span
            data-testid="lookalike-warning"
            class="lookalike-warning"
            data-lookalike=kind
            data-resembles=resembles
        >
            <span aria-hidden="true">"⚠ "</span>
            {tr(key)}
            {shown.map(|shown| view! { " " <bdi class="lookalike-of">{shown}</bdi> })}
            {explain.then(|| view! { ". " {tr(Key::LookalikeCheck)} })}
        </span>
    }
    .into_any()
}
