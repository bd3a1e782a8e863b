//! The first module: the sign-in page of a visit that starts at the form, drawn by a few
//! kilobytes of wasm before the app (about 500 KB with brotli) is asked for.
//!
//! `public/boot.js` loads this module and gives [`show`] a way to start the app. The app is
//! started at once when the visit may not begin at a plain form: a remembered device (the
//! `parley` database exists), an embedded or single-conversation page, a guest sign-in or a logo
//! in `config.json`, or a `config.json` that is not valid (the app says why). Otherwise this
//! page is drawn with the app's own markup and texts ([`page`]), and the app is started once the
//! page has loaded and the browser is idle, or at the first touch of it (a focus, a key, a pointer) if
//! that comes first. Typing an address and a password takes longer than loading the rest, so a
//! person rarely waits for it; a form sent before the app is there is sent by the app once it is
//! (`ui::handover`).
//!
//! Measured reason for a module of its own: with it, a first visit transfers about 60 KiB before
//! the form can be typed in, instead of about 510 KiB (README, the side-by-side table).

#[cfg(target_arch = "wasm32")]
mod glance;
#[cfg(target_arch = "wasm32")]
mod page;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::glance::Glance;
    use super::page;
    use parley::transport::websocket::{fetch_text, FetchError};
    use wasm_bindgen::prelude::*;

    /// Draws the sign-in page, or starts the app (`start_app`, which boot.js makes safe to call
    /// more than once) when the visit needs more than the form.
    #[wasm_bindgen]
    pub fn show(start_app: js_sys::Function) {
        wasm_bindgen_futures::spawn_local(async move {
            match plain_config().await {
                Some(glance) if page::draw(&glance, start_app.clone()).is_ok() => {
                    when_idle(start_app.clone());
                }
                _ => {
                    let _ = start_app.call0(&JsValue::NULL);
                }
            }
        });
    }

    /// Starts the app once the page has loaded and the browser has nothing else to do: the form
    /// is usable without it, the tab stops showing the page as loading, and the app is usually
    /// there before the person has finished typing.
    fn when_idle(start_app: js_sys::Function) {
        let Some(window) = web_sys::window() else {
            let _ = start_app.call0(&JsValue::NULL);
            return;
        };
        if window
            .document()
            .is_some_and(|d| d.ready_state() == "complete")
        {
            idle(&window, &start_app);
            return;
        }
        let later = start_app.clone();
        let on_load = Closure::once_into_js(move || {
            if let Some(window) = web_sys::window() {
                idle(&window, &later);
            }
        });
        if window
            .add_event_listener_with_callback("load", on_load.unchecked_ref())
            .is_err()
        {
            let _ = start_app.call0(&JsValue::NULL);
        }
    }

    /// Safari has no `requestIdleCallback`; a zero timeout comes after the paint as well.
    fn idle(window: &web_sys::Window, start_app: &js_sys::Function) {
        if window.request_idle_callback(start_app).is_err()
            && window
                .set_timeout_with_callback_and_timeout_and_arguments_0(start_app, 0)
                .is_err()
        {
            let _ = start_app.call0(&JsValue::NULL);
        }
    }

    /// The deployment's configuration when the visit begins at the plain form; `None` when the
    /// app must take it from the start.
    async fn plain_config() -> Option<Glance> {
        // The keys `parley::embed::EmbedRequest` reads (its address checks would be 20 KB here).
        let search = web_sys::window()?.location().search().ok()?;
        let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
        if ["embed", "room", "chat"].iter().any(|key| params.has(key)) {
            return None;
        }
        // Asked now and answered while config.json is read: one wait instead of two.
        let remembered = wasm_bindgen_futures::future_to_promise(async {
            Ok(JsValue::from_bool(
                parley::indexeddb::may_keep_anything().await,
            ))
        });
        // Preloaded by index.html; the app reads the same copy.
        let glance = match fetch_text("config.json", web_sys::RequestCredentials::SameOrigin).await
        {
            Ok(json) => Glance::read(&json)?,
            Err(FetchError::Status(404)) => Glance::defaults(),
            Err(_) => return None,
        };
        let remembered =
            wasm_bindgen_futures::JsFuture::from(within(remembered, STORAGE_WAIT_MS)).await;
        // No answer in time counts as nothing kept, as the app counts it: the form is drawn,
        // and should the answer be a remembered account after all, the app comes up signed in
        // and dismisses this page (ui::handover).
        (remembered.ok()?.as_bool() != Some(true)).then_some(glance)
    }

    /// How long IndexedDB may take to say whether this device keeps anything: the app's own
    /// wait (`ui::state::device`). It answers in tens of milliseconds; a browser whose storage
    /// never answers must not be left with a blank page.
    const STORAGE_WAIT_MS: i32 = 1_500;

    /// `promise`, or `undefined` once `ms` have passed without its answer.
    fn within(promise: js_sys::Promise, ms: i32) -> js_sys::Promise {
        let timer = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        js_sys::Promise::race(&js_sys::Array::of2(&promise, &timer))
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    console_error_panic_hook::set_once();
}
