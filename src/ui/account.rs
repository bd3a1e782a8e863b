//! The signed-in account: the profile picture ([`profile`](super::profile)), and (XEP-0077) a new password (§3.3) and deleting the account (§3.2),
//! in a modal `<dialog>` opened from the header. Deleting asks first, naming the account; once
//! the server confirms, the session ends and nothing of the account stays on this device.

use super::login::read_password;
use super::state::account::Request;
use super::{tr, use_state, ErrorDetail};
use crate::i18n::{self, Key};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn AccountDialog() -> impl IntoView {
    let state = use_state();
    let dialog = NodeRef::<html::Dialog>::new();
    let returns_to = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let open = move |_| {
        returns_to.set_value(
            document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()),
        );
        state.own_account.password_change.set(Request::Idle);
        state.own_account.removal.set(Request::Idle);
        state.own_account.vcard_change.set(Default::default());
        state.fetch_own_vcard();
        if let Some(dialog) = dialog.get_untracked() {
            let _ = dialog.show_modal();
        }
    };
    let close = move |_| {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let on_close = move |_| {
        if let Some(el) = returns_to.get_value() {
            let _ = el.focus();
        }
    };
    let own = move || {
        state
            .connection
            .own_jid
            .get()
            .map(|j| j.to_string())
            .unwrap_or_default()
    };
    view! {
        <button data-testid="account-open" class="button" type="button" aria-haspopup="dialog" on:click=open>
            {tr(Key::AccountSettings)}
        </button>
        <dialog
            data-testid="account-dialog"
            class="account-dialog"
            aria-labelledby="account-title"
            node_ref=dialog
            on:close=on_close
        >
            <h2 id="account-title">{tr(Key::AccountSettings)}</h2>
            <p><bdi class="account-address">{own}</bdi></p>
            <super::profile::ProfilePicture/>
            <super::profile::Nickname/>
            <super::profile::OwnVCard/>
            <PasswordChange/>
            <AccountRemoval own/>
            <div class="dialog-actions">
                <button type="button" data-testid="account-close" class="button" on:click=close>
                    {tr(Key::CloseDialog)}
                </button>
            </div>
        </dialog>
    }
}

#[component]
fn PasswordChange() -> impl IntoView {
    let state = use_state();
    let request = state.own_account.password_change;
    let input = NodeRef::<html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(field) = input.get() else {
            return;
        };
        let password = read_password(&field);
        if password.is_empty() {
            error.set(Some(tr(Key::MissingPassword)().to_owned()));
            return;
        }
        error.set(None);
        match state.change_password(password) {
            Ok(()) => field.set_value(""),
            Err(e) => error.set(Some(e.describe(state.lang.get_untracked()))),
        }
    };
    let status = move || {
        let lang = state.lang.get();
        match request.get() {
            Request::Done => Some(i18n::t(lang, Key::PasswordChanged).to_owned()),
            Request::Failed(e) => Some(format!(
                "{} {}",
                i18n::t(lang, Key::PasswordNotChanged),
                i18n::describe_register_error(lang, &e)
            )),
            Request::Idle | Request::Pending => error.get(),
        }
    };
    view! {
        <form data-testid="password-change-form" class="account-section" novalidate on:submit=on_submit>
            <h3>{tr(Key::ChangePassword)}</h3>
            <div class="field">
                <label for="password-new">{tr(Key::NewPassword)}</label>
                <input
                    id="password-new"
                    data-testid="password-new"
                    class="input"
                    type="password"
                    autocomplete="new-password"
                    node_ref=input
                />
            </div>
            <p data-testid="password-change-status" class="hint" role="status" data-state=move || request.get().as_str()>
                {status}
            </p>
            {move || {
                let detail = match request.get() {
                    Request::Failed(e) => i18n::register_error_detail(&e),
                    _ => None,
                };
                view! { <ErrorDetail detail/> }
            }}
            <button
                type="submit"
                data-testid="password-change-submit"
                class="button primary"
                disabled=move || request.get() == Request::Pending
            >
                {tr(Key::ChangePassword)}
            </button>
        </form>
    }
}

#[component]
fn AccountRemoval(own: impl Fn() -> String + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = use_state();
    let request = state.own_account.removal;
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let confirm = move |_| {
        error.set(None);
        if let Err(e) = state.remove_account() {
            error.set(Some(e.describe(state.lang.get_untracked())));
        }
    };
    let status = move || {
        let lang = state.lang.get();
        match request.get() {
            Request::Failed(e) => Some(format!(
                "{} {}",
                i18n::t(lang, Key::AccountNotDeleted),
                i18n::describe_register_error(lang, &e)
            )),
            _ => error.get(),
        }
    };
    let confirm_label = move || tr(Key::DeleteAccountConfirm)().replace("{jid}", &own());
    view! {
        <section class="account-section danger-zone" aria-labelledby="account-delete-title">
            <h3 id="account-delete-title">{tr(Key::DeleteAccount)}</h3>
            <p class="hint">{tr(Key::DeleteAccountWarning)}</p>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" data-testid="account-delete" class="button danger" on:click=move |_| confirming.set(true)>
                        {tr(Key::DeleteAccount)}
                    </button>
                }
            >
                <div class="dialog-actions">
                    <button
                        type="button"
                        data-testid="account-delete-confirm"
                        class="button danger"
                        disabled=move || request.get() == Request::Pending
                        on:click=confirm
                    >
                        {confirm_label}
                    </button>
                    <button type="button" data-testid="account-delete-cancel" class="button" on:click=move |_| confirming.set(false)>
                        {tr(Key::Cancel)}
                    </button>
                </div>
            </Show>
            <p data-testid="account-delete-status" class="form-error" role="status" data-state=move || request.get().as_str()>
                {status}
            </p>
            {move || {
                let detail = match request.get() {
                    Request::Failed(e) => i18n::register_error_detail(&e),
                    _ => None,
                };
                view! { <ErrorDetail detail/> }
            }}
        </section>
    }
}
