//! The installable app (Web App Manifest, Service Workers): registers `sw.js`, which keeps this
//! release's app shell so the app starts at once and opens offline, and tells the person when a
//! new release has been installed beside it. The new release takes over only when they choose to
//! reload (one switched under a running page could mix old and new files).

use super::{tr, use_state};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// What the page knows of its service worker.
#[derive(Clone, Copy)]
pub struct Installation {
    /// A new release is installed and waiting to take over.
    pub update_ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    /// The person asked for the new release: reload once it controls the page.
    asked: StoredValue<bool>,
}

impl Installation {
    pub fn new() -> Self {
        Self {
            update_ready: RwSignal::new(false),
            registration: StoredValue::new_local(None),
            asked: StoredValue::new(false),
        }
    }

    /// Asks the waiting release to take over; the page reloads into it once it has.
    pub fn update_now(&self) {
        let waiting = self
            .registration
            .with_value(|r| r.as_ref().and_then(ServiceWorkerRegistration::waiting));
        let Some(waiting) = waiting else {
            return;
        };
        self.asked.set_value(true);
        let message = js_sys::Object::new();
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&message, &"parley".into(), &"take-over".into());
        let _ = waiting.post_message(&message);
    }
}

impl Default for Installation {
    fn default() -> Self {
        Self::new()
    }
}

/// Registers the service worker where the browser has them (a secure context, not blocked by a
/// policy or a test); where it cannot, the app works as before, only without the offline shell.
pub fn start(installation: Installation) {
    let Some(container) = container() else {
        return;
    };
    let reload = Closure::<dyn Fn()>::new(move || {
        if installation.asked.get_value() {
            let _ = window().location().reload();
        }
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    // The page lives as long as the app: so do its listeners.
    reload.forget();

    let registering = container.register("sw.js");
    spawn_local(async move {
        // Where service workers are blocked (a policy, a test) registering may give nothing.
        let Some(registration) = JsFuture::from(registering)
            .await
            .ok()
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
        else {
            return;
        };
        installation
            .registration
            .set_value(Some(registration.clone()));
        // An update only when an older release controls this page; the first install is none.
        let controlled = move || container.controller().is_some();
        if registration.waiting().is_some() && controlled() {
            installation.update_ready.set(true);
        }
        let found = {
            let registration = registration.clone();
            let controlled = controlled.clone();
            Closure::<dyn Fn()>::new(move || {
                let Some(worker) = registration.installing() else {
                    return;
                };
                let watched = worker.clone();
                let controlled = controlled.clone();
                let changed = Closure::<dyn Fn()>::new(move || {
                    if watched.state() == ServiceWorkerState::Installed && controlled() {
                        installation.update_ready.set(true);
                    }
                });
                worker.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                changed.forget();
            })
        };
        registration.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
    });
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    // Absent outside a secure context and in some embedded browsers.
    let present =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    present.then(|| navigator.service_worker())
}

/// Says a new release is ready, with the way to load it; stays until then.
#[component]
pub fn UpdateReady() -> impl IntoView {
    let installation = use_state().installation;
    view! {
        <Show when=move || installation.update_ready.get()>
            <div data-testid="update-ready" class="update-ready" role="status">
                <p>{tr(Key::UpdateReady)}</p>
                <button
                    data-testid="update-reload"
                    type="button"
                    class="button small primary"
                    on:click=move |_| installation.update_now()
                >
                    {tr(Key::UpdateReload)}
                </button>
            </div>
        </Show>
    }
}
