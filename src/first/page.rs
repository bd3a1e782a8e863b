//! The sign-in page as the app's `ui::login::Login` draws it for a plain deployment (the same
//! elements, classes, ids, test ids and texts: e2e `first.spec.ts` compares the two), built
//! with web-sys alone so that no UI framework is in this module.
//!
//! What the person does before the app is there is left in the page for the app to take over
//! (`ui::handover`): the fields' values, the focus, an open "Advanced", and on the root
//! element `data-submitted` (the form was sent), `data-clicked` (the test id of a button
//! pressed) and `data-composing` (an input method is composing text in a field, so the app
//! waits for it to finish). A language picked here is remembered at once, so the app starts in it.

use super::glance::Glance;
use parley::i18n::{t, Key, Lang};
use parley::preferences::{initial_lang, remember_lang, remembered_theme, Theme};
use parley::FIRST_PAGE_ID;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

/// The texts this page shows, in every language, taken from the catalogs at compile time: only
/// these strings are in this module (all of the catalogs would be about 90 KB).
macro_rules! page_texts {
    ($($key:ident),+ $(,)?) => {
        #[derive(Clone, Copy)]
        enum Text {
            $($key),+
        }

        const KEYS: [Key; [$(Key::$key),+].len()] = [$(Key::$key),+];

        const TEXTS: [[&str; KEYS.len()]; Lang::ALL.len()] = {
            let mut out = [[""; KEYS.len()]; Lang::ALL.len()];
            let mut l = 0;
            while l < Lang::ALL.len() {
                let mut k = 0;
                while k < KEYS.len() {
                    out[l][k] = t(Lang::ALL[l], KEYS[k]);
                    k += 1;
                }
                l += 1;
            }
            out
        };

        fn text(lang: Lang, text: Text) -> &'static str {
            let l = Lang::ALL.iter().position(|x| *x == lang).unwrap_or(0);
            TEXTS[l][text as usize]
        }
    };
}

page_texts! {
    Tagline, SignInTitle, Address, AddressPlaceholderUser, AddressPlaceholderFull, Password,
    RememberDevice, RememberDeviceHint, Advanced, WebSocketUrl, WebSocketUrlHint, SignIn,
    NoAccountYet, CreateAccount, Theme, ThemeSystem, ThemeLight, ThemeDark, Language,
}

/// Draws the page into `<body>`; `start_app` is called at the first touch of it.
pub fn draw(config: &Glance, start_app: js_sys::Function) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let lang = initial_lang(&config.languages, config.default_language);
    let theme = remembered_theme();
    set_up_root(&document, config, lang, theme)?;
    let b = Builder { document, lang };

    let root = b.el("main", &[("id", FIRST_PAGE_ID), ("class", "login-page")])?;
    let card = b.el("div", &[("class", "login-card")])?;
    card.append_child(&*brand(&b, config)?)?;
    card.append_child(&*b.text_el("p", &[("class", "tagline")], Text::Tagline)?)?;
    let sign_in = b.el("div", &[("class", "sign-in")])?;
    let form = form(&b, config)?;
    sign_in.append_child(&form)?;
    if config.registration {
        let p = b.el("p", &[("class", "register-open hint")])?;
        p.append_with_str_1(&format!("{} ", text(lang, Text::NoAccountYet)))?;
        p.append_child(&*b.text_el(
            "button",
            &[
                ("type", "button"),
                ("data-testid", "register-open"),
                ("class", "link-button"),
            ],
            Text::CreateAccount,
        )?)?;
        sign_in.append_child(&p)?;
    }
    card.append_child(&sign_in)?;
    card.append_child(&*footer(&b, config, theme)?)?;
    root.append_child(&card)?;

    listen(&root, &form, config, start_app)?;
    b.document.body().ok_or("no body")?.append_child(&root)?;
    Ok(())
}

/// What the app's `App` sets on `<html>` and the title, set before anything is drawn.
fn set_up_root(
    document: &Document,
    config: &Glance,
    lang: Lang,
    theme: Theme,
) -> Result<(), JsValue> {
    document.set_title(&config.product_name);
    let html: HtmlElement = document.document_element().ok_or("no root")?.dyn_into()?;
    html.set_attribute("lang", lang.code())?;
    if theme != Theme::System {
        html.set_attribute("data-theme", theme.as_str())?;
    }
    if let Some(accent) = &config.accent_color {
        html.style().set_property("--accent", accent)?;
    }
    Ok(())
}

fn brand(b: &Builder, config: &Glance) -> Result<Element, JsValue> {
    let name = config.product_name.as_str();
    let brand = b.el("div", &[("class", "brand")])?;
    let logo = b.el("span", &[("class", "logo"), ("aria-hidden", "true")])?;
    let initial: String = name
        .chars()
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    logo.set_text_content(Some(&initial));
    brand.append_child(&logo)?;
    let heading = b.el("h1", &[("data-testid", "brand-name")])?;
    heading.set_text_content(Some(name));
    brand.append_child(&heading)?;
    Ok(brand)
}

fn form(b: &Builder, config: &Glance) -> Result<Element, JsValue> {
    let form = b.el(
        "form",
        &[
            ("data-testid", "login-form"),
            ("class", "login-form"),
            ("novalidate", ""),
        ],
    )?;
    form.append_child(&*b.text_el("h2", &[("class", "visually-hidden")], Text::SignInTitle)?)?;
    form.append_child(&*address(b, config)?)?;

    let password = b.el("div", &[("class", "field")])?;
    password.append_child(&*b.text_el("label", &[("for", "login-password")], Text::Password)?)?;
    password.append_child(&*b.el(
        "input",
        &[
            ("id", "login-password"),
            ("data-testid", "login-password"),
            ("class", "input"),
            ("type", "password"),
            ("autocomplete", "current-password"),
        ],
    )?)?;
    form.append_child(&password)?;

    let remember = b.el("div", &[("class", "field checkbox-field")])?;
    remember.append_child(&*b.el(
        "input",
        &[
            ("id", "login-remember"),
            ("data-testid", "login-remember"),
            ("type", "checkbox"),
            ("aria-describedby", "login-remember-hint"),
        ],
    )?)?;
    remember.append_child(&*b.text_el(
        "label",
        &[("for", "login-remember")],
        Text::RememberDevice,
    )?)?;
    remember.append_child(&*b.text_el(
        "p",
        &[("id", "login-remember-hint"), ("class", "hint")],
        Text::RememberDeviceHint,
    )?)?;
    form.append_child(&remember)?;

    let advanced = b.el("details", &[("class", "advanced")])?;
    advanced.append_child(&*b.text_el("summary", &[], Text::Advanced)?)?;
    let url = b.el("div", &[("class", "field")])?;
    url.append_child(&*b.text_el("label", &[("for", "login-ws-url")], Text::WebSocketUrl)?)?;
    url.append_child(&*b.el(
        "input",
        &[
            ("id", "login-ws-url"),
            ("data-testid", "login-ws-url"),
            ("class", "input"),
            ("type", "text"),
            ("inputmode", "url"),
            ("autocapitalize", "none"),
            ("spellcheck", "false"),
            ("placeholder", "wss://example.org/xmpp-websocket"),
            ("aria-describedby", "login-ws-url-hint"),
        ],
    )?)?;
    url.append_child(&*b.text_el(
        "p",
        &[("id", "login-ws-url-hint"), ("class", "hint")],
        Text::WebSocketUrlHint,
    )?)?;
    advanced.append_child(&url)?;
    form.append_child(&advanced)?;

    form.append_child(&*b.text_el(
        "button",
        &[
            ("type", "submit"),
            ("data-testid", "login-submit"),
            ("class", "button primary"),
        ],
        Text::SignIn,
    )?)?;
    Ok(form)
}

/// The address, with the deployment's domain after it while only a user name is typed.
fn address(b: &Builder, config: &Glance) -> Result<Element, JsValue> {
    let fixed = config.fixed_domain.as_ref();
    let field = b.el("div", &[("class", "field")])?;
    field.append_child(&*b.text_el("label", &[("for", "login-jid")], Text::Address)?)?;
    let wrap = b.el("div", &[("class", "input-with-suffix")])?;
    let placeholder = text(
        b.lang,
        if fixed.is_some() {
            Text::AddressPlaceholderUser
        } else {
            Text::AddressPlaceholderFull
        },
    );
    let input = b.el(
        "input",
        &[
            ("id", "login-jid"),
            ("data-testid", "login-jid"),
            ("class", "input"),
            ("type", "text"),
            ("autocomplete", "username"),
            ("autocapitalize", "none"),
            ("spellcheck", "false"),
            ("placeholder", placeholder),
            ("value", ""),
        ],
    )?;
    wrap.append_child(&input)?;
    if let Some(domain) = fixed {
        let suffix = b.el("span", &[("class", "suffix"), ("aria-hidden", "true")])?;
        suffix.set_text_content(Some(&format!("@{domain}")));
        wrap.append_child(&suffix)?;
        // Taken out and put back, as the app does (the stylesheet's display would beat `hidden`).
        let parent = wrap.clone();
        let on_input = Closure::<dyn Fn(Event)>::new(move |e: Event| {
            let typed = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|i| i.value().contains('@'));
            if typed {
                suffix.remove();
            } else if !suffix.is_connected() {
                let _ = parent.append_child(&suffix);
            }
        });
        input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
        // Lives as long as the page; the app's takeover removes the page, and this with it.
        on_input.forget();
    }
    field.append_child(&wrap)?;
    Ok(field)
}

fn footer(b: &Builder, config: &Glance, theme: Theme) -> Result<Element, JsValue> {
    let footer = b.el("div", &[("class", "login-footer")])?;
    let label = format!(
        "{}: {}",
        text(b.lang, Text::Theme),
        text(
            b.lang,
            match theme {
                Theme::System => Text::ThemeSystem,
                Theme::Light => Text::ThemeLight,
                Theme::Dark => Text::ThemeDark,
            },
        )
    );
    let toggle = b.el(
        "button",
        &[
            ("type", "button"),
            ("data-testid", "theme-toggle"),
            ("class", "icon-button theme-toggle"),
            ("data-theme", theme.as_str()),
            ("title", &label),
            ("aria-label", &label),
        ],
    )?;
    let glyph = b.el("span", &[("aria-hidden", "true")])?;
    glyph.set_text_content(Some(theme.glyph()));
    toggle.append_child(&glyph)?;
    footer.append_child(&toggle)?;
    if config.languages.len() > 1 {
        let picker = b.el("div", &[("class", "language")])?;
        picker.append_child(&*b.text_el(
            "label",
            &[("for", "login-language"), ("class", "visually-hidden")],
            Text::Language,
        )?)?;
        let select = b.el("select", &[("id", "login-language"), ("class", "select")])?;
        for lang in &config.languages {
            let option = b.el("option", &[("value", lang.code())])?;
            if *lang == b.lang {
                option.set_attribute("selected", "")?;
            }
            option.set_text_content(Some(lang.native_name()));
            select.append_child(&option)?;
        }
        picker.append_child(&select)?;
        footer.append_child(&picker)?;
    }
    Ok(footer)
}

/// Starts the app at the first touch, and leaves what was done for it to take over.
fn listen(
    root: &Element,
    form: &Element,
    config: &Glance,
    start_app: js_sys::Function,
) -> Result<(), JsValue> {
    let started = Rc::new(Cell::new(false));
    let start = move || {
        if !started.replace(true) {
            let _ = start_app.call0(&JsValue::NULL);
        }
    };

    let touch = {
        let start = start.clone();
        Closure::<dyn Fn()>::new(start)
    };
    for kind in ["focusin", "pointerdown", "keydown"] {
        root.add_event_listener_with_callback(kind, touch.as_ref().unchecked_ref())?;
    }

    let on_submit = {
        let start = start.clone();
        let root = root.clone();
        Closure::<dyn Fn(Event)>::new(move |e: Event| {
            e.prevent_default();
            let _ = root.set_attribute("data-submitted", "");
            start();
        })
    };
    form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;

    let on_click = {
        let start = start.clone();
        let root = root.clone();
        Closure::<dyn Fn(Event)>::new(move |e: Event| {
            let pressed = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("button[type=button]").ok().flatten())
                .and_then(|b| b.get_attribute("data-testid"));
            if let Some(testid) = pressed {
                let _ = root.set_attribute("data-clicked", &testid);
                start();
            }
        })
    };
    root.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;

    // Composition events bubble; the page is removed only between compositions (ui::handover).
    let on_composition = {
        let root = root.clone();
        Closure::<dyn Fn(Event)>::new(move |e: Event| {
            let _ =
                root.toggle_attribute_with_force("data-composing", e.type_() == "compositionstart");
        })
    };
    for kind in ["compositionstart", "compositionend"] {
        root.add_event_listener_with_callback(kind, on_composition.as_ref().unchecked_ref())?;
    }

    let offered = config.languages.clone();
    let on_change = Closure::<dyn Fn(Event)>::new(move |e: Event| {
        let picked = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .and_then(|s| Lang::from_tag(&s.value()))
            .filter(|lang| offered.contains(lang));
        if let Some(lang) = picked {
            remember_lang(lang);
            start();
        }
    });
    root.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;

    // All live as long as the page; the app's takeover removes the page.
    touch.forget();
    on_submit.forget();
    on_click.forget();
    on_change.forget();
    on_composition.forget();
    Ok(())
}

struct Builder {
    document: Document,
    lang: Lang,
}

impl Builder {
    fn el(&self, tag: &str, attrs: &[(&str, &str)]) -> Result<Element, JsValue> {
        let el = self.document.create_element(tag)?;
        for (name, value) in attrs {
            el.set_attribute(name, value)?;
        }
        Ok(el)
    }

    fn text_el(&self, tag: &str, attrs: &[(&str, &str)], key: Text) -> Result<Element, JsValue> {
        let el = self.el(tag, attrs)?;
        el.set_text_content(Some(text(self.lang, key)));
        Ok(el)
    }
}
