//! In-browser tests (wasm-bindgen-test in headless Chromium): the wss-only policy in the real
//! connect path, text-only rendering of hostile bodies and names, and the windowed roster.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use parley::i18n::Lang;
use parley::transport::policy::UrlError;
use parley::transport::websocket::{connect, Update};
use parley::transport::ConnectError;
use parley::ui::chat::MessageRow;
use parley::ui::roster::{window_range, Roster, ROW_HEIGHT};
use parley::ui::state::{AppState, Message, MessageState};
use parley::xmpp::jid::BareJid;
use parley::xmpp::{Direction, Event, RosterItem, SessionConfig, Subscription};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use zeroize::Zeroizing;

wasm_bindgen_test_configure!(run_in_browser);

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser page has a document")
}

fn test_root() -> HtmlElement {
    let div = document()
        .create_element("div")
        .expect("div")
        .unchecked_into::<HtmlElement>();
    document()
        .body()
        .expect("body")
        .append_child(&div)
        .expect("append");
    div
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("timer");
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("selector")
        .length()
}

fn session_config() -> SessionConfig {
    SessionConfig::new(
        BareJid::new("alice@localhost").expect("valid jid"),
        Zeroizing::new("secret".into()),
    )
}

/// Replaces `window.WebSocket` with a constructor that counts calls and throws.
fn patch_websocket() -> JsValue {
    let global = js_sys::global();
    let original = js_sys::Reflect::get(&global, &"WebSocket".into()).expect("WebSocket exists");
    let fake = js_sys::Function::new_no_args(
        "globalThis.__parleyWsCount = (globalThis.__parleyWsCount || 0) + 1; throw new Error('blocked by test');",
    );
    js_sys::Reflect::set(&global, &"WebSocket".into(), &fake).expect("patch");
    js_sys::Reflect::set(&global, &"__parleyWsCount".into(), &JsValue::from(0)).expect("reset");
    original
}

fn websockets_constructed() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"__parleyWsCount".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

#[wasm_bindgen_test]
fn ws_urls_are_refused_before_any_websocket_exists() {
    let original = patch_websocket();
    let updates = Rc::new(Cell::new(0));
    let sink = {
        let updates = updates.clone();
        move |_: Update| updates.set(updates.get() + 1)
    };
    for url in [
        "ws://localhost:5280/xmpp-websocket",
        "WS://localhost/ws",
        " ws://example.org/ ",
    ] {
        let result = connect(url, session_config(), sink.clone());
        assert!(
            matches!(result, Err(ConnectError::Url(UrlError::Insecure))),
            "{url}"
        );
    }
    assert!(matches!(
        connect("https://localhost/", session_config(), sink.clone()),
        Err(ConnectError::Url(_))
    ));
    assert_eq!(
        websockets_constructed(),
        0.0,
        "no WebSocket may be constructed for a refused URL"
    );
    // The patch is effective: a wss:// URL does reach the constructor.
    let result = connect(
        "wss://localhost:1/xmpp-websocket",
        session_config(),
        sink.clone(),
    );
    assert!(matches!(result, Err(ConnectError::Browser(ref e)) if e.contains("blocked by test")));
    assert_eq!(websockets_constructed(), 1.0);
    assert_eq!(
        updates.get(),
        0,
        "a refused connection reports nothing asynchronously"
    );
    js_sys::Reflect::set(&js_sys::global(), &"WebSocket".into(), &original).expect("restore");
}

/// Mounts one incoming message row, as mallory sent it, in a fresh test root.
async fn mount_incoming(body: &str) -> (HtmlElement, impl Drop) {
    let root = test_root();
    let message = Message {
        id: "m1".into(),
        from: "mallory@localhost".into(),
        direction: Direction::In,
        body: body.into(),
        state: MessageState::Received,
        time: 1_031_699_305_000,
    };
    let handle = leptos::mount::mount_to(
        root.clone(),
        move || view! { <MessageRow message=message.clone()/> },
    );
    sleep(0).await;
    (root, handle)
}

#[wasm_bindgen_test]
async fn hostile_message_bodies_render_as_text() {
    let (root, handle) = mount_incoming(HOSTILE).await;
    let body = root
        .query_selector("[data-testid=message-body]")
        .expect("selector")
        .expect("body rendered");
    assert_eq!(body.text_content().as_deref().map(str::trim), Some(HOSTILE));
    assert_eq!(count(&root, "img"), 0);
    assert_eq!(
        count(
            &root,
            "[data-testid=message][data-direction=in][data-state=received]"
        ),
        1
    );
    let time = root
        .query_selector("[data-testid=message-time]")
        .expect("selector")
        .expect("time rendered");
    assert_eq!(
        time.get_attribute("datetime").as_deref(),
        Some("2002-09-10T23:08:25.000Z")
    );
    assert!(time
        .text_content()
        .is_some_and(|t| t.contains("2002") || t.contains(':')));
    drop(handle);
}

#[wasm_bindgen_test]
async fn only_web_links_become_anchors() {
    let body =
        format!("see https://example.org/{HOSTILE} and javascript:alert(1) or data:text/html,x");
    let (root, handle) = mount_incoming(&body).await;
    let text = root
        .query_selector("[data-testid=message-body]")
        .expect("selector")
        .expect("body")
        .text_content();
    assert_eq!(text.as_deref().map(str::trim), Some(body.as_str()));
    assert_eq!(count(&root, "img"), 0);
    assert_eq!(count(&root, "a"), 1);
    let link = root.query_selector("a").expect("selector").expect("link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://example.org/")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    drop(handle);
}

fn contacts(n: usize) -> Vec<RosterItem> {
    (0..n)
        .map(|i| RosterItem {
            jid: BareJid::new(&format!("user{i:05}@localhost")).expect("valid jid"),
            // One hostile name among them: it must stay text.
            name: Some(if i == 3 {
                format!("Contact 00003 {HOSTILE}")
            } else {
                format!("Contact {i:05}")
            }),
            subscription: Subscription::Both,
            ask_pending: false,
            groups: Vec::new(),
        })
        .collect()
}

#[wasm_bindgen_test]
async fn roster_of_5000_renders_only_visible_rows() {
    let root = test_root();
    let style = document().create_element("style").expect("style");
    style.set_text_content(Some(
        ".roster-scroll{height:400px;overflow-y:auto}.roster{position:relative;margin:0;padding:0}\
         .roster-item{position:absolute;left:0;right:0;height:52px}",
    ));
    root.append_child(&style).expect("style");
    let state = AppState::new(Lang::En);
    state.apply(0, Update::Event(Event::Roster(contacts(5000))));
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(state);
        view! { <Roster/> }
    });
    sleep(50).await;

    let list = root
        .query_selector("[data-testid=roster]")
        .expect("selector")
        .expect("roster rendered");
    assert_eq!(list.get_attribute("data-count").as_deref(), Some("5000"));
    let rendered = count(&root, "[data-testid=roster-item]");
    assert!(rendered > 0 && rendered < 100, "{rendered} rows in the DOM");
    assert_eq!(count(&root, "img"), 0);
    assert!(root.text_content().unwrap_or_default().contains(HOSTILE));

    // Scrolling a row into view renders it.
    let scroller = root
        .query_selector(".roster-scroll")
        .expect("selector")
        .expect("scroller");
    scroller.set_scroll_top(2500 * ROW_HEIGHT);
    scroller
        .dispatch_event(&web_sys::Event::new("scroll").expect("event"))
        .expect("dispatch");
    sleep(50).await;
    assert_eq!(
        count(
            &root,
            "[data-testid=roster-item][data-jid='user02500@localhost']"
        ),
        1
    );
    assert!(count(&root, "[data-testid=roster-item]") < 100);
    assert_eq!(
        count(
            &root,
            "[data-testid=roster-item][data-jid='user00000@localhost']"
        ),
        0
    );
    drop(handle);
}

#[wasm_bindgen_test]
fn window_range_covers_viewport_and_clamps() {
    assert_eq!(window_range(0, 0, 800), (0, 0));
    let (first, last) = window_range(5000, ROW_HEIGHT * 1000, 520);
    assert!((990..=1000).contains(&first), "{first}");
    assert!((1010..=1030).contains(&last), "{last}");
    assert_eq!(window_range(10, ROW_HEIGHT * 1000, 520), (10, 10));
}
