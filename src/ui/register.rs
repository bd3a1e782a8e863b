//! Creating an account from the login page (XEP-0077 in-band registration).
//!
//! "Create an account" shows where the server offers registration: with a fixed domain the page
//! asks that domain's server once in the background ([`AccountState::ask_registration`]); without
//! one it shows, and the form says so if the server typed does not. The form asks for an address
//! and a new password; the server's further fields (an XEP-0004 form: e-mail, a name, a choice,
//! its instructions) appear below them when it asks, all shown as text. Created, the account
//! signs in on the same connection. Refusals land in `register-error` in the interface language.
//!
//! [`AccountState::ask_registration`]: super::state::account::AccountState::ask_registration

use super::login::{begin, read_password, AddressField};
use super::state::{AppState, ConfigStatus, Phase, UiError};
use super::{tr, use_state};
use crate::config::Config;
use crate::i18n::Key;
use crate::transport::websocket::{discover, Opening};
use crate::xmpp::data_form::{Field, FieldKind};
use crate::xmpp::jid::BareJid;
use crate::xmpp::register::RegisterError;
use crate::xmpp::SessionError;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

/// "New here? Create an account", under the sign-in form.
#[component]
pub fn RegisterOpen() -> impl IntoView {
    let state = use_state();
    let account = state.own_account;
    // Ask once the deployment's configuration names the domain.
    Effect::new(move |_| {
        if let ConfigStatus::Ready(config) = state.config.get() {
            ask_registration(state, config);
        }
    });
    let shown = move || {
        state.with_config(|c| c.features.registration)
            && account.registration_offered.get() != Some(false)
    };
    let open = move |_| {
        state.connection.login_error.set(None);
        account.registering.set(true);
        focus_by_id("register-jid");
    };
    view! {
        <Show when=shown>
            <p class="register-open hint">
                {tr(Key::NoAccountYet)}
                " "
                <button type="button" data-testid="register-open" class="link-button" on:click=open>
                    {tr(Key::CreateAccount)}
                </button>
            </p>
        </Show>
    }
}

/// With a fixed domain, whether its server creates accounts; without one there is nothing to
/// ask until the person types an address.
fn ask_registration(state: AppState, config: Config) {
    if !config.features.registration {
        return;
    }
    let Some(domain) = config
        .locked_domain
        .clone()
        .or(config.default_domain.clone())
        .and_then(|d| BareJid::new(&d).ok())
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        let url = match config.websocket_url.clone() {
            Some(url) => url,
            None => match discover(domain.domain()).await {
                Ok(url) => url,
                Err(_) => return,
            },
        };
        state
            .own_account
            .ask_registration(&url, config.client_config(domain));
    });
}

fn focus_by_id(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}

#[component]
pub fn RegisterForm() -> impl IntoView {
    let state = use_state();
    let account = state.own_account;
    let jid_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();
    // The person's answers to the server's own fields, kept for a second try.
    let given = RwSignal::new(Vec::<(String, String)>::new());
    let busy = move || {
        state.connection.phase.get() == Phase::SigningIn && account.fields.with(Option::is_none)
    };
    let loading = move || matches!(state.config.get(), ConfigStatus::Loading);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy() {
            return;
        }
        let answers = given.get_untracked();
        // The server is waiting for its fields on the open connection.
        if let Some(form) = account.fields.get_untracked() {
            // A required field left empty is asked for here rather than refused by the server.
            if let Some((index, field)) = form.first_unanswered(&answers) {
                state
                    .connection
                    .login_error
                    .set(Some(UiError::MissingField {
                        label: field.label.unwrap_or(field.var),
                    }));
                if let Some(input) = document()
                    .get_element_by_id(&field_id(index))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = input.focus();
                }
                return;
            }
            state.connection.login_error.set(None);
            if let Some(session) = state.account() {
                if session.command(|client, now| client.submit_registration(answers, now)) {
                    account.fields.set(None);
                }
            }
            return;
        }
        let (Some(jid), Some(password)) = (jid_input.get(), password_input.get()) else {
            return;
        };
        let password = read_password(&password);
        state.connection.last_address.set(jid.value());
        leptos::task::spawn_local(register(state, jid.value(), password, answers));
    };
    let back = move |_| {
        state.connection.login_error.set(None);
        if state.connection.phase.get_untracked() == Phase::SigningIn {
            state.logout();
        }
        account.registering.set(false);
        account.fields.set(None);
    };
    let error = move || {
        state
            .connection
            .login_error
            .get()
            .map(|e| (e.reason(), e.describe(state.lang.get()), website(&e)))
    };

    view! {
        <form data-testid="register-form" class="login-form" novalidate on:submit=on_submit>
            <h2 class="form-title">{tr(Key::RegisterTitle)}</h2>
            <AddressField id="register-jid" node_ref=jid_input/>
            <div class="field">
                <label for="register-password">{tr(Key::Password)}</label>
                <input
                    id="register-password"
                    data-testid="register-password"
                    class="input"
                    type="password"
                    autocomplete="new-password"
                    node_ref=password_input
                />
            </div>
            {move || account.fields.get().map(|form| view! { <ServerFields form given/> })}
            {move || {
                error()
                    .map(|(reason, text, url)| {
                        view! {
                            <div data-testid="register-error" class="form-error" role="alert" data-reason=reason>
                                <p>{text}</p>
                                {url.map(|url| view! {
                                    <a href=url rel="noopener noreferrer" target="_blank">{tr(Key::RegisterWebsite)}</a>
                                })}
                            </div>
                        }
                    })
            }}
            <button
                type="submit"
                data-testid="register-submit"
                class="button primary"
                disabled=move || busy() || loading()
            >
                {move || if busy() { tr(Key::Registering)() } else { tr(Key::RegisterSubmit)() }}
            </button>
            <button type="button" data-testid="register-back" class="link-button" on:click=back>
                {tr(Key::BackToSignIn)}
            </button>
        </form>
    }
}

/// The web page a server registers on, when it named one over https.
fn website(error: &UiError) -> Option<String> {
    match error {
        UiError::Connect(crate::transport::ConnectError::Session(SessionError::Registration(
            RegisterError::Elsewhere { url: Some(url) },
        ))) if url.starts_with("https://") => Some(url.clone()),
        _ => None,
    }
}

/// The server's instructions and the fields it asks for beyond the address and password.
#[component]
fn ServerFields(
    form: crate::xmpp::RegistrationForm,
    given: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let instructions = form.instructions.clone();
    let fields = form.extra_fields();
    view! {
        <fieldset class="server-fields" data-testid="register-fields">
            <legend>{tr(Key::RegisterMoreFields)}</legend>
            {instructions.map(|text| view! { <p class="hint">{text}</p> })}
            {fields.into_iter().enumerate().map(|(i, field)| view! { <ServerField field given index=i/> }).collect_view()}
        </fieldset>
    }
}

/// The id of the input of the server's field at `index` among its extra fields.
fn field_id(index: usize) -> String {
    format!("register-field-{index}")
}

#[component]
fn ServerField(
    field: Field,
    given: RwSignal<Vec<(String, String)>>,
    index: usize,
) -> impl IntoView {
    let id = field_id(index);
    let var = field.var.clone();
    let set = move |value: String| {
        given.update(|g| {
            g.retain(|(v, _)| *v != var);
            g.push((var.clone(), value));
        })
    };
    let label = field.label.clone().unwrap_or_else(|| field.var.clone());
    let initial = given
        .with_untracked(|g| {
            g.iter()
                .find(|(v, _)| *v == field.var)
                .map(|(_, v)| v.clone())
        })
        .or_else(|| field.value().map(str::to_owned))
        .unwrap_or_default();
    let required = field.required;
    let description = field.description.clone();
    let input = match field.kind {
        FieldKind::Fixed => {
            return view! { <p class="hint">{field.values.join("\n")}</p> }.into_any();
        }
        FieldKind::Boolean => {
            let set = set.clone();
            view! {
                <input
                    id=id.clone()
                    type="checkbox"
                    checked=matches!(initial.as_str(), "1" | "true")
                    on:change=move |ev| set(if event_target_checked(&ev) { "1" } else { "0" }.to_owned())
                />
            }
            .into_any()
        }
        FieldKind::ListSingle => {
            let set = set.clone();
            view! {
                <select id=id.clone() class="select" required=required on:change=move |ev| set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {field.options.iter().map(|o| {
                        let selected = o.value == initial;
                        view! {
                            <option value=o.value.clone() selected=selected>
                                {o.label.clone().unwrap_or_else(|| o.value.clone())}
                            </option>
                        }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::TextMulti => {
            let set = set.clone();
            view! {
                <textarea id=id.clone() class="input" required=required on:input=move |ev| set(event_target_value(&ev))>
                    {initial}
                </textarea>
            }
            .into_any()
        }
        kind => {
            let set = set.clone();
            let kind = if kind == FieldKind::TextPrivate {
                "password"
            } else {
                "text"
            };
            view! {
                <input
                    id=id.clone()
                    class="input"
                    type=kind
                    required=required
                    value=initial
                    on:input=move |ev| set(event_target_value(&ev))
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" data-testid="register-field" data-var=field.var.clone()>
            <label for=id>
                {label}
                {required.then(|| view! { <span class="muted">" (" {tr(Key::RequiredField)} ")"</span> })}
            </label>
            {input}
            {description.map(|d| view! { <p class="hint">{d}</p> })}
        </div>
    }
    .into_any()
}

/// Creates the account, then signs in with it; errors land in `register-error`.
async fn register(
    state: AppState,
    typed_jid: String,
    password: Zeroizing<String>,
    given: Vec<(String, String)>,
) {
    let Some(login) = begin(state, &typed_jid, &password, String::new()).await else {
        return;
    };
    // Not remembered: the account did not exist, so the device holds nothing of it.
    login
        .connect(state, false, Opening::Register { password, given })
        .await;
}
