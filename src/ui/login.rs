//! The login page: address, password, an optional WebSocket URL, and the sign-in flow.
//!
//! The endpoint comes from the form's Advanced field, else `config.json`, else XEP-0156 discovery;
//! whichever it is, [`open_account`] applies the wss-only policy before any socket exists. The password
//! is read from the input once and moved into the account, never kept in a signal. The input's
//! own value and the NFKC copy are JavaScript strings, which nothing can wipe: the README says so.

use super::handover::Handover;
use super::register::{RegisterForm, RegisterOpen};
use super::state::device::DeviceCopy;
use super::state::{AppState, ConfigStatus, Phase, UiError};
use super::{tr, use_state, Brand, ErrorDetail, LanguageSelect, ThemeToggle};
use crate::config::Config;
use crate::i18n::Key;
use crate::transport::websocket::{check_page_context, discover, open_account, Opening};
use crate::xmpp::jid::{parse_account, BareJid};
use crate::xmpp::sasl::Secret;
use crate::xmpp::ClientConfig;
use leptos::html;
use leptos::prelude::*;
use zeroize::Zeroizing;

#[component]
pub fn Login() -> impl IntoView {
    let state = use_state();
    let jid_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();
    let url_input = NodeRef::<html::Input>::new();
    let remember_input = NodeRef::<html::Input>::new();
    let busy = move || state.connection.phase.get() == Phase::SigningIn;
    // Until config.json is read, a login would ignore the deployment's endpoint and locked domain.
    let loading = move || matches!(state.config.get(), ConfigStatus::Loading);
    // Once this form is in the document, it takes over from the first module's.
    if let Some(first) = use_context::<StoredValue<Option<Handover>, LocalStorage>>() {
        Effect::new(move |_| {
            if let Some(handover) = first.try_update_value(Option::take).flatten() {
                handover.finish();
            }
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.connection.phase.get_untracked() == Phase::SigningIn {
            return;
        }
        let (Some(jid), Some(password), Some(url), Some(remember)) = (
            jid_input.get(),
            password_input.get(),
            url_input.get(),
            remember_input.get(),
        ) else {
            return;
        };
        let password = read_password(&password);
        state.connection.last_address.set(jid.value());
        let remember = remember.checked();
        leptos::task::spawn_local(sign_in(state, jid.value(), password, url.value(), remember));
    };

    let error = move || {
        state
            .connection
            .login_error
            .get()
            .map(|e| (e.reason(), e.describe(state.lang.get()), e.detail()))
    };

    view! {
        <main class="login-page" class:embed=move || state.embed.compact.get()>
            <div class="login-card">
                <Brand heading=true/>
                <p class="tagline">{tr(Key::Tagline)}</p>
                <AccountDeleted/>
                // The sign-in form stays mounted (hidden) while registering, so going back finds it
                // as it was; the registration form is built once per opening, untracked.
                {move || state.own_account.registering.get().then(|| untrack(|| view! { <RegisterForm/> }))}
                <div class="sign-in" hidden=move || state.own_account.registering.get()>
                <form data-testid="login-form" class="login-form" novalidate on:submit=on_submit>
                    <h2 class="visually-hidden">{tr(Key::SignInTitle)}</h2>
                    <AddressField id="login-jid" node_ref=jid_input/>
                    <div class="field">
                        <label for="login-password">{tr(Key::Password)}</label>
                        <input
                            id="login-password"
                            data-testid="login-password"
                            class="input"
                            type="password"
                            autocomplete="current-password"
                            node_ref=password_input
                        />
                    </div>
                    <div class="field checkbox-field">
                        <input
                            id="login-remember"
                            data-testid="login-remember"
                            type="checkbox"
                            aria-describedby="login-remember-hint"
                            node_ref=remember_input
                        />
                        <label for="login-remember">{tr(Key::RememberDevice)}</label>
                        <p id="login-remember-hint" class="hint">{tr(Key::RememberDeviceHint)}</p>
                    </div>
                    <details class="advanced">
                        <summary>{tr(Key::Advanced)}</summary>
                        <div class="field">
                            <label for="login-ws-url">{tr(Key::WebSocketUrl)}</label>
                            <input
                                id="login-ws-url"
                                data-testid="login-ws-url"
                                class="input"
                                type="text"
                                inputmode="url"
                                autocapitalize="none"
                                spellcheck="false"
                                placeholder="wss://example.org/xmpp-websocket"
                                aria-describedby="login-ws-url-hint"
                                node_ref=url_input
                            />
                            <p id="login-ws-url-hint" class="hint">{tr(Key::WebSocketUrlHint)}</p>
                        </div>
                    </details>
                    {move || {
                        error()
                            .map(|(reason, text, detail)| {
                                view! {
                                    <div data-testid="login-error" class="form-error" role="alert" data-reason=reason>
                                        <p>{text}</p>
                                        <ErrorDetail detail/>
                                    </div>
                                }
                            })
                    }}
                    <button
                        type="submit"
                        data-testid="login-submit"
                        class="button primary"
                        disabled=move || busy() || loading()
                    >
                        {move || if busy() { tr(Key::SigningIn)() } else { tr(Key::SignIn)() }}
                    </button>
                </form>
                <RegisterOpen/>
                <GuestSignIn/>
                <KeptAccounts/>
                </div>
                <div class="login-footer">
                    <ThemeToggle/>
                    <LanguageSelect id="login-language"/>
                </div>
            </div>
        </main>
    }
}

/// The address input: the deployment's domain shown after it while the person types a user
/// name alone.
#[component]
pub(super) fn AddressField(id: &'static str, node_ref: NodeRef<html::Input>) -> impl IntoView {
    let state = use_state();
    let fixed_domain = move || {
        state.with_config(|config| {
            config
                .locked_domain
                .clone()
                .or(config.default_domain.clone())
        })
    };
    let placeholder = move || {
        if fixed_domain().is_some() {
            tr(Key::AddressPlaceholderUser)()
        } else {
            tr(Key::AddressPlaceholderFull)()
        }
    };
    // Someone typing a full address does not need the default domain shown after it.
    let typed_domain = RwSignal::new(state.connection.last_address.get_untracked().contains('@'));
    view! {
        <div class="field">
            <label for=id>{tr(Key::Address)}</label>
            <div class="input-with-suffix">
                <input
                    id=id
                    data-testid=id
                    class="input"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    placeholder=placeholder
                    value=state.connection.last_address.get_untracked()
                    node_ref=node_ref
                    on:input=move |ev| typed_domain.set(event_target_value(&ev).contains('@'))
                />
                {move || {
                    fixed_domain()
                        .filter(|_| !typed_domain.get())
                        .map(|domain| {
                            view! {
                                <span class="suffix" aria-hidden="true">
                                    "@"
                                    {domain}
                                </span>
                            }
                        })
                }}
            </div>
        </div>
    }
}

/// The password as typed, through SASLprep's NFKC step (RFC 4013 §2.2), which is the browser's:
/// see xmpp::saslprep.
pub(super) fn read_password(input: &web_sys::HtmlInputElement) -> Zeroizing<String> {
    Zeroizing::new(String::from(
        js_sys::JsString::from(input.value()).normalize("NFKC"),
    ))
}

/// After the server removed the account: said once on the login page.
#[component]
fn AccountDeleted() -> impl IntoView {
    let state = use_state();
    view! {
        <Show when=move || state.own_account.removed.get()>
            <p data-testid="account-deleted" class="form-notice" role="status">{tr(Key::AccountDeleted)}</p>
        </Show>
    }
}

/// Accounts this browser keeps while signed out ("remember this device" earlier), each with a
/// way to erase it.
#[component]
fn KeptAccounts() -> impl IntoView {
    let state = use_state();
    let kept = state.device.kept;
    move || {
        let accounts = kept.get();
        (!accounts.is_empty()).then(|| {
            view! {
                <section class="kept-accounts" aria-labelledby="kept-title">
                    <p id="kept-title" class="hint">{tr(Key::KeptOnDevice)}</p>
                    <ul>
                        {accounts
                            .into_iter()
                            .map(|jid| {
                                let address = jid.to_string();
                                let data_jid = address.clone();
                                let forget = jid;
                                view! {
                                    <li data-testid="kept-account" class="kept-account" data-jid=data_jid>
                                        <span>{address}</span>
                                        <button
                                            type="button"
                                            data-testid="logout-forget"
                                            class="button small"
                                            on:click=move |_| state.device.forget(&state, forget.clone())
                                        >
                                            {tr(Key::ForgetAccount)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// Checks the form, finds the endpoint and starts the connection; errors land in `login-error`.
async fn sign_in(
    state: AppState,
    typed_jid: String,
    password: Zeroizing<String>,
    typed_url: String,
    remember: bool,
) {
    let Some(login) = begin(state, &typed_jid, &password, typed_url).await else {
        return;
    };
    login
        .connect(state, remember, Opening::SignIn(Secret::Password(password)))
        .await;
}

/// A login (or registration) whose address and endpoint are known.
pub(super) struct Begun {
    pub generation: u64,
    pub url: String,
    pub config: Config,
    pub account: BareJid,
}

impl Begun {
    /// Opens the connection. Remembered, the device's copy shows as soon as the shell does;
    /// otherwise a copy kept earlier goes.
    pub(super) async fn connect(self, state: AppState, remember: bool, opening: Opening) {
        let copy = state
            .device
            .login(&state, &self.account, &self.url, remember)
            .await;
        if !state.connection.is_current(self.generation) {
            return;
        }
        let client_config = self.config.client_config(self.account);
        open_session(
            state,
            self.generation,
            &self.url,
            client_config,
            opening,
            copy,
        );
    }
}

/// The steps before any socket: the configuration, the address, the password, the page, then
/// the endpoint (typed, configured or discovered). `None` when one failed; it is in `login-error`.
pub(super) async fn begin(
    state: AppState,
    typed_jid: &str,
    password: &str,
    typed_url: String,
) -> Option<Begun> {
    state.connection.login_error.set(None);
    state.own_account.removed.set(false);
    let typed_url = typed_url.trim().to_owned();
    let config = match state.config.get_untracked() {
        ConfigStatus::Ready(config) => config,
        // A URL typed under Advanced is a way around a broken config.json; nothing else is.
        ConfigStatus::Invalid(e) if typed_url.is_empty() => {
            state.connection.login_error.set(Some(UiError::Config(e)));
            return None;
        }
        ConfigStatus::Invalid(_) => Config::default(),
        // The submit button is disabled until then; a submit that slips through does nothing.
        ConfigStatus::Loading => return None,
    };
    let account = match parse_account(
        typed_jid,
        config.default_domain.as_deref(),
        config.locked_domain.as_deref(),
    ) {
        Ok(account) => account,
        Err(e) => {
            state.connection.login_error.set(Some(UiError::Address(e)));
            return None;
        }
    };
    if password.is_empty() {
        state
            .connection
            .login_error
            .set(Some(UiError::MissingPassword));
        return None;
    }
    if let Err(e) = check_page_context() {
        state.connection.login_error.set(Some(UiError::Connect(e)));
        return None;
    }
    let generation = state.connection.begin_login();
    state.connection.phase.set(Phase::SigningIn);
    let url = if !typed_url.is_empty() {
        Ok(typed_url)
    } else if let Some(url) = config.websocket_url.clone() {
        Ok(url)
    } else {
        discover(account.domain()).await
    };
    match url {
        Ok(url) => Some(Begun {
            generation,
            url,
            config,
            account,
        }),
        Err(e) => {
            state.connection.phase.set(Phase::LoggedOut);
            state.connection.login_error.set(Some(UiError::Connect(e)));
            None
        }
    }
}

/// Connects a login whose endpoint is known; the account's updates go to `state`.
fn open_session(
    state: AppState,
    generation: u64,
    url: &str,
    client_config: ClientConfig,
    opening: Opening,
    copy: Option<DeviceCopy>,
) {
    match open_account(url, client_config, opening, false, move |update| {
        state.apply(generation, update)
    }) {
        Ok(account) => {
            if let Some(copy) = copy {
                account.command(|client, _| copy.restore(client));
            }
            state.connection.set_account(account)
        }
        Err(e) => {
            state.reset();
            state.connection.phase.set(Phase::LoggedOut);
            state.connection.login_error.set(Some(UiError::Connect(e)));
        }
    }
}

/// Guest access (`config.json` `guest`): a nickname, no account. The server gives a temporary
/// address (SASL ANONYMOUS, RFC 4505); nothing is remembered on the device.
#[component]
fn GuestSignIn() -> impl IntoView {
    let state = use_state();
    let nick_input = NodeRef::<html::Input>::new();
    let domain = move || state.with_config(|c| c.guest_domain.clone());
    let busy = move || state.connection.phase.get() == Phase::SigningIn;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(domain), Some(nick)) = (domain(), nick_input.get()) else {
            return;
        };
        if busy() {
            return;
        }
        let nick = nick.value().trim().to_owned();
        if nick.is_empty() {
            state.connection.login_error.set(Some(UiError::MissingNick));
            return;
        }
        leptos::task::spawn_local(sign_in_as_guest(state, domain, nick));
    };
    view! {
        <Show when=move || domain().is_some()>
            <form data-testid="guest-form" class="guest-form" novalidate on:submit=on_submit>
                <h2 class="hint">{tr(Key::GuestTitle)}</h2>
                <div class="field">
                    <label for="guest-nick">{tr(Key::GuestNick)}</label>
                    <input
                        id="guest-nick"
                        data-testid="guest-nick"
                        class="input"
                        maxlength="64"
                        autocomplete="nickname"
                        node_ref=nick_input
                    />
                </div>
                <button type="submit" data-testid="guest-submit" class="button" disabled=busy>
                    {tr(Key::GuestSubmit)}
                </button>
            </form>
        </Show>
    }
}

async fn sign_in_as_guest(state: AppState, domain: BareJid, nick: String) {
    state.connection.login_error.set(None);
    let config = state.with_config_untracked(Clone::clone);
    let generation = state.connection.begin_login();
    state.connection.phase.set(Phase::SigningIn);
    state.connection.guest_nick.set(Some(nick));
    let url = match config.websocket_url.clone() {
        Some(url) => Ok(url),
        None => discover(domain.domain()).await,
    };
    if !state.connection.is_current(generation) {
        return;
    }
    match url {
        Ok(url) => {
            let client_config = config.client_config(domain);
            open_session(
                state,
                generation,
                &url,
                client_config,
                Opening::SignIn(Secret::Anonymous),
                None,
            );
        }
        Err(e) => {
            state.connection.phase.set(Phase::LoggedOut);
            state.connection.login_error.set(Some(UiError::Connect(e)));
        }
    }
}
