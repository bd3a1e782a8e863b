//! The Leptos (client-side rendered) user interface.
//!
//! [`state`] owns the signals, by domain; [`login`], [`shell`], [`roster`], [`contacts`],
//! [`chat`], [`rooms`] (the room browser) and [`room`] are the views that read them, and [`list`] is the windowed list they share. Every
//! untrusted string (names, addresses, bodies, status and server error text) is rendered as a text
//! node, never as markup, and the page needs no inline script or style (CSP).

pub mod account;
pub mod alerts;
pub mod avatar;
pub mod chat;
pub mod contact_details;
pub mod contacts;
pub mod embed;
pub mod handover;
pub mod list;
pub mod login;
pub mod lookalike;
pub mod message;
pub mod navigation;
pub mod profile;
pub mod quick_switch;
pub mod register;
pub mod room;
pub mod rooms;
pub mod roster;
pub mod service_worker;
pub mod shell;
pub mod state;

use crate::config::Config;
use crate::i18n::{self, Key, Lang};
use crate::transport::websocket::{fetch_text, FetchError};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use state::{AppState, ConfigStatus, Phase, UiError};

pub use crate::preferences::{initial_lang, remember, remember_lang, remembered, Theme};
use crate::preferences::{remember_theme, remembered_theme};

/// Mounts the app on `<body>` and loads `config.json`.
pub fn mount() {
    let state = AppState::new(initial_lang(&Lang::ALL, Lang::En), embed::request());
    state.theme.set(remembered_theme());
    // The first module's sign-in page, when the person may be typing in it already.
    let handover = handover::Handover::find();
    if let Some(first) = &handover {
        state.connection.last_address.set(first.address());
    }
    let handover = StoredValue::new_local(handover);
    mount_to_body(move || {
        provide_context(state);
        provide_context(handover);
        view! { <App/> }
    });
    navigation::start(state);
    service_worker::start(state.installation);
    alerts::start(state);
    // After mounting: that is where Leptos sets up the task executor.
    leptos::task::spawn_local(load_config(state));
}

/// The state provided by [`mount`] (or by a test that mounts a single view).
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

/// A reactive translation of `key`.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_state().lang;
    move || i18n::t(lang.get(), key)
}

/// `n` things, in the interface language with its plural rules, e.g. "3 unread messages".
pub fn tr_counted(what: i18n::Counted, n: u64) -> String {
    i18n::counted(use_state().lang.get(), what, n)
}

/// Which page is up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    Shell,
    /// A remembered device is being read before the login form can show.
    Starting,
    Login,
}

#[component]
fn App() -> impl IntoView {
    let state = use_state();
    let tab_visible = move || document().visibility_state() == web_sys::VisibilityState::Visible;
    state.tab_visible.set(tab_visible());
    // Bubbles from the document to the window.
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        state.tab_visible.set(tab_visible());
    });
    on_cleanup(move || visibility.remove());
    // The stylesheet reads `data-theme`; without it, `prefers-color-scheme` decides.
    Effect::new(move |_| {
        let theme = state.theme.get();
        if let Some(root) = document().document_element() {
            let _ = match theme {
                Theme::System => root.remove_attribute("data-theme"),
                theme => root.set_attribute("data-theme", theme.as_str()),
            };
        }
    });
    Effect::new(move |_| {
        let code = state.lang.get().code();
        if let Some(root) = document().document_element() {
            // Lets screen readers and hyphenation use the right language.
            let _ = root.set_attribute("lang", code);
        }
    });
    // Unread messages show in the tab's title, where a person looks when the tab is in the background.
    Effect::new(move |_| {
        let unread = state.chats.directory.with(|d| d.unread());
        let name = state.with_config(|c| c.product_name().to_owned());
        let title = if unread == 0 {
            name
        } else {
            format!("({unread}) {name}")
        };
        document().set_title(&title);
    });
    // The deployment's accent colour; the stylesheet derives its shades from it. Through the
    // CSSOM, which the CSP allows (a style attribute it would not).
    Effect::new(move |_| {
        let accent = state.with_config(|c| c.branding.accent_color.clone());
        if let (Some(colour), Some(root)) = (accent, document().document_element()) {
            if let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() {
                let _ = root.style().set_property("--accent", &colour);
            }
        }
    });
    // A memo of the page, not the phase: a sign-in attempt (LoggedOut, SigningIn, LoggedOut
    // again) and a phase set to what it already was keep the same login page, with what the
    // person typed and opened in it.
    let page = Memo::new(move |_| match state.connection.phase.get() {
        Phase::Shell => Page::Shell,
        Phase::LoggedOut if state.device.starting.get() => Page::Starting,
        Phase::LoggedOut | Phase::SigningIn => Page::Login,
    });
    // The first page stands in for the login form only: an account that comes up instead (one
    // remembered meanwhile in another tab) must not stay behind it.
    if let Some(first) = use_context::<StoredValue<Option<handover::Handover>, LocalStorage>>() {
        Effect::new(move |_| {
            if page.get() == Page::Shell {
                if let Some(first) = first.try_update_value(Option::take).flatten() {
                    first.dismiss();
                }
            }
        });
    }
    view! {
        // Built untracked: only a change of page builds the page again, never a signal that
        // building it happened to read.
        {move || {
            let page = page.get();
            untrack(move || match page {
                Page::Shell => view! { <shell::Shell/> }.into_any(),
                Page::Starting => view! { <main class="login-page" aria-busy="true"></main> }.into_any(),
                Page::Login => view! { <login::Login/> }.into_any(),
            })
        }}
        <service_worker::UpdateReady/>
        <shell::Toasts/>
    }
}

/// The product's logo and name (`config.json` branding, else Parley's): the page's heading on
/// the login page, a small mark in the shell's header.
#[component]
pub fn Brand(heading: bool) -> impl IntoView {
    let state = use_state();
    let name = move || state.with_config(|c| c.product_name().to_owned());
    let logo = move || state.with_config(|c| c.branding.logo.clone());
    let initial = move || name().chars().next().map(|c| c.to_uppercase().to_string());
    view! {
        <div class="brand" class:small=!heading>
            {move || match logo() {
                Some(src) => {
                    view! { <img data-testid="brand-logo" class="logo-image" src=src alt=""/> }
                        .into_any()
                }
                None => view! { <span class="logo" aria-hidden="true">{initial}</span> }.into_any(),
            }}
            {if heading {
                view! { <h1 data-testid="brand-name">{name}</h1> }.into_any()
            } else {
                view! { <span data-testid="brand-name" class="brand-name">{name}</span> }.into_any()
            }}
        </div>
    }
}

/// The technical side of an error (a protocol condition, the server's own text), closed by
/// default below the sentence that says what happened: there for an administrator, out of the
/// way of everyone else. Rendered as text.
#[component]
pub fn ErrorDetail(detail: Option<String>) -> impl IntoView {
    detail.map(|detail| {
        view! {
            <details class="error-detail" data-testid="error-detail">
                <summary>{tr(Key::TechnicalDetails)}</summary>
                <code>{detail}</code>
            </details>
        }
    })
}

/// The language picker used on the login page and in the shell: the languages `config.json`
/// offers, none when it offers one.
#[component]
pub fn LanguageSelect(id: &'static str) -> impl IntoView {
    let state = use_state();
    let offered = move || state.with_config(|c| c.languages.clone());
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            state.lang.set(lang);
            remember_lang(lang);
        }
    };
    view! {
        <Show when=move || { offered().len() > 1 }>
        <div class="language">
            <label for=id class="visually-hidden">{tr(Key::Language)}</label>
            <select id=id class="select" on:change=on_change>
                {move || offered()
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <option value=lang.code() selected=move || state.lang.get() == lang>
                                {lang.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
        </Show>
    }
}

/// Switches the theme (system, light, dark in turn) and remembers the choice on this device.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let state = use_state();
    let theme = state.theme;
    let on_click = move |_| {
        let next = theme.get_untracked().next();
        theme.set(next);
        remember_theme(next);
    };
    let label = move || format!("{}: {}", tr(Key::Theme)(), tr(theme.get().label())());
    view! {
        <button
            type="button"
            data-testid="theme-toggle"
            class="icon-button theme-toggle"
            data-theme=move || theme.get().as_str()
            title=label
            aria-label=label
            on:click=on_click
        >
            <span aria-hidden="true">{move || theme.get().glyph()}</span>
        </button>
    }
}

/// `config.json` beside the page: missing means defaults, invalid is shown on the login form.
async fn load_config(state: AppState) {
    // Preloaded by index.html while the app downloads.
    let status = match fetch_text("config.json", web_sys::RequestCredentials::SameOrigin).await {
        Ok(json) => match Config::parse(&json) {
            Ok(config) => ConfigStatus::Ready(config),
            Err(e) => ConfigStatus::Invalid(e),
        },
        Err(FetchError::Status(404)) => ConfigStatus::Ready(Config::default()),
        Err(e) => {
            leptos::logging::warn!(
                "parley: config.json could not be loaded ({e:?}); using defaults"
            );
            ConfigStatus::Ready(Config::default())
        }
    };
    if let ConfigStatus::Invalid(e) = &status {
        state
            .connection
            .login_error
            .set(Some(UiError::Config(e.clone())));
    }
    if let ConfigStatus::Ready(config) = &status {
        let lang = initial_lang(&config.languages, config.default_language);
        if state.lang.get_untracked() != lang {
            state.lang.set(lang);
        }
    }
    state.config.set(status.clone());
    match status {
        ConfigStatus::Ready(config) => {
            if config.embed.enabled {
                state.embed.compact.set(true);
            }
            embed::start(state);
            state.device.start(&state, &config).await
        }
        _ => state.device.starting.set(false),
    }
}
