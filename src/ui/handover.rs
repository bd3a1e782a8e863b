//! Taking over the sign-in page the first module drew (src/first): the app starts while the
//! person may be typing in it, and carries on from where they are.
//!
//! The first page stays in the document, and the app's own pages stay hidden behind it (the
//! stylesheet's `#first-page ~ main`), until the app's login form is drawn. Then, in one task,
//! what the person did is copied into it: the fields' values, the checkbox, an open "Advanced",
//! the focus and the caret; the first page is removed; and a button pressed or a form sent
//! before the app was there is pressed or sent again, now by the app. While an input method is
//! composing text in a field, the takeover waits for the composition to end: removing the field
//! under it would commit the half-converted text and leave the rest converting elsewhere.
//!
//! Should the app come up signed in instead (a device remembered meanwhile in another tab), the
//! first page is dismissed: it must never cover the app.

use leptos::prelude::*;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlFormElement, HtmlInputElement};
use zeroize::Zeroizing;

/// The fields copied across, by id: the same in both pages.
const TEXT_FIELDS: [&str; 3] = ["login-jid", "login-password", "login-ws-url"];

/// The first page, while it is up.
pub struct Handover {
    root: Element,
}

impl Handover {
    pub fn find() -> Option<Self> {
        document()
            .get_element_by_id(crate::FIRST_PAGE_ID)
            .map(|root| Self { root })
    }

    /// The address typed so far, for the app's form to start with.
    pub fn address(&self) -> String {
        self.input("login-jid")
            .map(|i| i.value())
            .unwrap_or_default()
    }

    /// Copies what was done into the app's login form (drawn by now) and removes the first
    /// page, now or once the composition in progress ends.
    pub fn finish(self) {
        if self.root.has_attribute("data-composing") {
            let root = self.root.clone();
            // Runs once: taking over removes the page it listens on.
            let later = Closure::once_into_js(move || self.take_over());
            let _ = root.add_event_listener_with_callback("compositionend", later.unchecked_ref());
            return;
        }
        self.take_over()
    }

    /// Removes the first page without carrying anything over, for an app that came up signed in.
    pub fn dismiss(self) {
        self.root.remove();
    }

    fn take_over(self) {
        let focused = document()
            .active_element()
            .filter(|e| self.root.contains(Some(e)))
            .map(|e| e.id());
        let caret = focused
            .as_deref()
            .and_then(|id| self.input(id))
            .and_then(|i| Some((i.selection_start().ok()??, i.selection_end().ok()??)));
        let values: Vec<(&str, Zeroizing<String>)> = TEXT_FIELDS
            .into_iter()
            .filter_map(|id| Some((id, Zeroizing::new(self.input(id)?.value()))))
            .collect();
        let remember = self.input("login-remember").is_some_and(|i| i.checked());
        let advanced = self
            .root
            .query_selector("details.advanced[open]")
            .ok()
            .flatten()
            .is_some();
        let clicked = self.root.get_attribute("data-clicked");
        let submitted = self.root.has_attribute("data-submitted");
        self.root.remove();

        for (id, value) in &values {
            if let Some(input) = by_id::<HtmlInputElement>(id) {
                if input.value() != **value {
                    input.set_value(value);
                    // The app's handlers (the domain shown after a user name) see it as typed.
                    if let Ok(event) = web_sys::Event::new("input") {
                        let _ = input.dispatch_event(&event);
                    }
                }
            }
        }
        if let Some(input) = by_id::<HtmlInputElement>("login-remember") {
            input.set_checked(remember);
        }
        if advanced {
            if let Ok(Some(details)) = document().query_selector("details.advanced") {
                let _ = details.set_attribute("open", "");
            }
        }
        if let Some(element) = focused.as_deref().and_then(by_id::<HtmlElement>) {
            let _ = element.focus();
            if let (Some((start, end)), Ok(input)) = (caret, element.dyn_into::<HtmlInputElement>())
            {
                let _ = input.set_selection_range(start, end);
            }
        }
        if let Some(testid) = clicked {
            let selector = format!("[data-testid=\"{testid}\"]");
            if let Some(button) = document()
                .query_selector(&selector)
                .ok()
                .flatten()
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            {
                button.click();
            }
        }
        if submitted {
            if let Ok(Some(form)) = document().query_selector("[data-testid=\"login-form\"]") {
                if let Ok(form) = form.dyn_into::<HtmlFormElement>() {
                    let _ = form.request_submit();
                }
            }
        }
    }

    fn input(&self, id: &str) -> Option<HtmlInputElement> {
        self.root
            .query_selector(&format!("#{id}"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into().ok())
    }
}

fn by_id<T: JsCast>(id: &str) -> Option<T> {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into().ok())
}
