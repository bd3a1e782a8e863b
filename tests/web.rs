//! In-browser tests (wasm-bindgen-test in headless Chromium): the wss-only policy in the real
//! connect path and in redirects (against a scripted `WebSocket`), text-only rendering of hostile
//! bodies and names, checked links, message rows keyed locally, the windowed roster, and the
//! avatar store's limit.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use parley::embed::EmbedRequest;
use parley::i18n::Lang;
use parley::store::timeline::{Entry, MessageState};
use parley::transport::policy::UrlError;
use parley::transport::websocket::{connect_with, Account, Update};
use parley::transport::ConnectError;
use parley::ui::chat::ChatView;
use parley::ui::message::MessageRow;
use parley::ui::roster::{Roster, ROW_HEIGHT};
use parley::ui::state::AppState;
use parley::xmpp::jid::BareJid;
use parley::xmpp::sasl::Secret;
use parley::xmpp::{
    ChatEvent, ChatMessage, ClientConfig, Direction, Event, RosterEvent, RosterItem, SessionError,
    Subscription,
};
use std::cell::{Cell, RefCell};
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

fn client_config() -> ClientConfig {
    ClientConfig::new(BareJid::new("alice@localhost").expect("valid jid"))
}

fn password() -> Secret {
    Secret::Password(Zeroizing::new("secret".into()))
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
async fn ws_urls_are_refused_before_any_websocket_exists() {
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
        let result = connect_with(url, client_config(), password(), false, sink.clone());
        assert!(
            matches!(result, Err(ConnectError::Url(UrlError::Insecure))),
            "{url}"
        );
    }
    assert!(matches!(
        connect_with(
            "https://localhost/",
            client_config(),
            password(),
            false,
            sink.clone()
        ),
        Err(ConnectError::Url(_))
    ));
    assert_eq!(
        websockets_constructed(),
        0.0,
        "no WebSocket may be constructed for a refused URL"
    );
    // The patch is effective: a wss:// URL does reach the constructor.
    let result = connect_with(
        "wss://localhost:1/xmpp-websocket",
        client_config(),
        password(),
        false,
        sink.clone(),
    );
    assert!(matches!(result, Err(ConnectError::Browser(ref e)) if e.contains("blocked by test")));
    assert_eq!(websockets_constructed(), 1.0);
    restore_websocket(&original);
    // Refusals are returned, not reported later: nothing arrives once the event loop has run.
    sleep(50).await;
    assert_eq!(
        updates.get(),
        0,
        "a refused connection reports nothing asynchronously"
    );
}

/// Mounts one incoming message row, as mallory sent it, in a fresh test root.
async fn mount_incoming(body: &str) -> (HtmlElement, impl Drop) {
    let root = test_root();
    let entry = Entry {
        seq: 1,
        id: "m1".into(),
        direction: Direction::In,
        body: body.into(),
        state: MessageState::Received,
        time: 1_031_699_305_000,
        nick: None,
        mention: false,
        private: false,
        markable: false,
        archive_id: None,
        original_body: None,
        correction_id: None,
        replaces: None,
    };
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <MessageRow
                entry=entry.clone()
                from="mallory@localhost".to_owned()
                peer="mallory@localhost".to_owned()
            />
        }
    });
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
    // An old message shows its day and month as well as the time (in English here), and a
    // message of an earlier year its year.
    let label = time.text_content().unwrap_or_default();
    assert!(
        label.contains("Sep") && (label.contains("10") || label.contains("11")),
        "{label:?}"
    );
    assert!(label.contains(":08"), "{label:?}");
    assert!(label.contains("2002"), "{label:?}");
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
    let state = AppState::new(Lang::En, EmbedRequest::default());
    state.apply(
        0,
        Update::Event(Event::Roster(RosterEvent::Loaded(contacts(5000)))),
    );
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
async fn links_show_where_they_go_or_are_not_links() {
    // A Cyrillic "а" in the host: the anchor shows the punycode the browser will visit.
    let (root, handle) = mount_incoming("pay at https://b\u{430}nk.example/login now").await;
    let link = root.query_selector("a").expect("selector").expect("a link");
    let href = link.get_attribute("href").unwrap_or_default();
    assert!(href.starts_with("https://xn--"), "{href}");
    assert_eq!(link.text_content().as_deref(), Some(href.as_str()));
    drop(handle);

    // Credentials make "bank.example" look like the host: not a link at all.
    let (root, handle) = mount_incoming("https://bank.example@evil.example/").await;
    assert_eq!(count(&root, "a"), 0);
    drop(handle);

    // A right-to-left override cannot reverse the text after it.
    let (root, handle) = mount_incoming("invoice\u{202E}fdp.exe").await;
    let text = root
        .query_selector("[data-testid=message-body]")
        .expect("selector")
        .expect("body")
        .text_content()
        .unwrap_or_default();
    assert!(!text.contains('\u{202E}'), "{text:?}");
    assert!(text.contains("\u{2067}fdp.exe"), "{text:?}");
    drop(handle);
}

fn chat(id: &str, body: &str) -> Update {
    Update::Event(Event::Chat(ChatEvent::Message(ChatMessage {
        id: id.into(),
        peer: BareJid::new("bob@localhost").expect("valid jid"),
        direction: Direction::In,
        body: body.into(),
        sent_at: None,
        markable: false,
        archive_id: None,
        replaces: None,
    })))
}

#[wasm_bindgen_test]
async fn rows_are_keyed_locally_so_repeated_ids_lose_nothing() {
    let root = test_root();
    let state = AppState::new(Lang::En, EmbedRequest::default());
    let bob = BareJid::new("bob@localhost").expect("valid jid");
    state.apply(
        0,
        Update::Event(Event::Roster(RosterEvent::Loaded(vec![RosterItem {
            jid: bob.clone(),
            name: Some("Bob".into()),
            subscription: Subscription::Both,
            ask_pending: false,
            groups: Vec::new(),
        }]))),
    );
    // A sloppy (or hostile) sender reuses one id for different messages.
    state.apply(0, chat("same", "first"));
    state.apply(0, chat("same", "second"));
    state.apply(0, chat("other", "third"));
    state.chats.sent(
        ChatMessage {
            id: "same".into(),
            peer: bob.clone(),
            direction: Direction::Out,
            body: "mine".into(),
            sent_at: None,
            markable: false,
            archive_id: None,
            replaces: None,
        },
        true,
    );
    state.chats.open.set(Some(bob.clone()));
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(state);
        view! { <ChatView peer=bob.clone()/> }
    });
    sleep(50).await;
    let bodies: Vec<String> = {
        let nodes = root
            .query_selector_all("[data-testid=message-body]")
            .expect("selector");
        (0..nodes.length())
            .filter_map(|i| nodes.item(i).and_then(|n| n.text_content()))
            .map(|t| t.trim().to_owned())
            .collect()
    };
    assert_eq!(bodies, ["first", "second", "third", "mine"]);
    assert_eq!(
        count(&root, "[data-testid=message][data-state=pending]"),
        1,
        "ours waits for the server"
    );
    drop(handle);
}

/// Installs a scripted `WebSocket`: each socket is recorded, opens with the `xmpp` subprotocol,
/// and answers each frame from `script(url, frame)` (a JS function returning a frame or null).
fn script_websocket(script: &str) -> JsValue {
    let global = js_sys::global();
    let original = js_sys::Reflect::get(&global, &"WebSocket".into()).expect("WebSocket exists");
    let install = js_sys::Function::new_no_args(&format!(
        "const script = {script};
         globalThis.__parleySockets = [];
         globalThis.WebSocket = class {{
           constructor(url, protocol) {{
             this.url = url; this.protocol = ''; this.readyState = 0; this.sent = [];
             globalThis.__parleySockets.push(this);
             setTimeout(() => {{ this.readyState = 1; this.protocol = 'xmpp'; this.onopen && this.onopen(); }}, 0);
           }}
           send(frame) {{
             this.sent.push(frame);
             const answer = script(this.url, frame);
             if (answer) setTimeout(() => this.onmessage && this.onmessage({{ data: answer }}), 0);
           }}
           close() {{ this.readyState = 3; }}
         }};"
    ));
    install
        .call0(&JsValue::NULL)
        .expect("install the scripted WebSocket");
    original
}

fn sockets() -> Vec<(String, Vec<String>)> {
    let list = js_sys::Reflect::get(&js_sys::global(), &"__parleySockets".into())
        .expect("sockets")
        .unchecked_into::<js_sys::Array>();
    list.iter()
        .map(|socket| {
            let url = js_sys::Reflect::get(&socket, &"url".into())
                .ok()
                .and_then(|u| u.as_string())
                .unwrap_or_default();
            let sent = js_sys::Reflect::get(&socket, &"sent".into())
                .expect("sent")
                .unchecked_into::<js_sys::Array>()
                .iter()
                .filter_map(|f| f.as_string())
                .collect();
            (url, sent)
        })
        .collect()
}

/// Connects to the scripted server; what the driver reports collects in the returned list.
fn connect_scripted(script: &str) -> (Account, Rc<RefCell<Vec<Update>>>, JsValue) {
    let original = script_websocket(script);
    let updates = Rc::new(RefCell::new(Vec::new()));
    let sink = {
        let updates = updates.clone();
        move |u: Update| updates.borrow_mut().push(u)
    };
    let account = connect_with(
        "wss://localhost:5444/xmpp-websocket",
        client_config(),
        password(),
        false,
        sink,
    )
    .expect("connect");
    (account, updates, original)
}

fn restore_websocket(original: &JsValue) {
    js_sys::Reflect::set(&js_sys::global(), &"WebSocket".into(), original).expect("restore");
}

const REDIRECT_TO: &str =
    "(target) => (url, frame) => frame.startsWith('<open') && url.endsWith(':5444/xmpp-websocket')
    ? `<close xmlns='urn:ietf:params:xml:ns:xmpp-framing' see-other-uri='${target}'/>`
    : frame.startsWith('<open')
      ? `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='s2' version='1.0'/>`
      : null";

#[wasm_bindgen_test]
async fn a_redirect_to_another_host_is_refused() {
    let script = format!("({REDIRECT_TO})('wss://evil.example/xmpp')");
    let (account, updates, original) = connect_scripted(&script);
    sleep(200).await;
    drop(account);
    restore_websocket(&original);
    let (sockets, updates) = (sockets(), updates.borrow().clone());
    assert_eq!(sockets.len(), 1, "no socket to evil.example: {sockets:?}");
    assert!(
        updates.iter().any(|u| matches!(
            u,
            Update::Disconnected(Some(ConnectError::RedirectRefused(UrlError::ForeignHost(h)))) if h == "evil.example"
        )),
        "{updates:?}"
    );
}

#[wasm_bindgen_test]
async fn a_redirect_on_the_same_host_is_followed_once_without_plain() {
    // The second endpoint opens a stream and offers PLAIN only.
    let script = format!(
        "(() => {{ const redirect = ({REDIRECT_TO})('wss://localhost:5445/other');
           return (url, frame) => url.endsWith('/other') && frame.startsWith('<open')
             ? `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='s2' version='1.0'/>`
             : redirect(url, frame); }})()"
    );
    let (account, updates, original) = connect_scripted(&script);
    sleep(100).await;
    // Now the second server's features: PLAIN only.
    let list = js_sys::Reflect::get(&js_sys::global(), &"__parleySockets".into())
        .expect("sockets")
        .unchecked_into::<js_sys::Array>();
    assert_eq!(list.length(), 2, "the redirect was followed");
    let second = list.get(1);
    let onmessage = js_sys::Reflect::get(&second, &"onmessage".into())
        .expect("handler")
        .unchecked_into::<js_sys::Function>();
    let features = js_sys::Object::new();
    js_sys::Reflect::set(
        &features,
        &"data".into(),
        &"<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms \
          xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"
            .into(),
    )
    .expect("data");
    onmessage.call1(&second, &features).expect("deliver");
    sleep(50).await;
    drop(account);
    restore_websocket(&original);
    let sockets = sockets();
    assert_eq!(sockets[1].0, "wss://localhost:5445/other");
    assert!(
        !sockets[1].1.iter().any(|f| f.contains("PLAIN")),
        "PLAIN never goes to a host we were sent to: {:?}",
        sockets[1].1
    );
    assert!(
        updates.borrow().iter().any(|u| matches!(
            u,
            Update::Disconnected(Some(ConnectError::Session(
                SessionError::NoSupportedMechanism { .. }
            )))
        )),
        "{:?}",
        updates.borrow()
    );
}

#[wasm_bindgen_test]
async fn the_avatar_store_lets_the_face_saved_longest_ago_go() {
    use parley::indexeddb::{forget, load_faces, save_face, StoredFace, MAX_AVATARS};
    const ACCOUNT: &str = "faces@test.example";
    let face = |n: u32| StoredFace {
        contact: format!("c{n}@test.example"),
        hash: format!("h{n}"),
        mime: "image/png".into(),
        bytes: vec![n as u8; 4],
    };
    for n in 0..MAX_AVATARS {
        save_face(ACCOUNT, face(n)).await.expect("saved");
    }
    // c0 shows a new face: it is the newest now, and c1 the oldest.
    save_face(ACCOUNT, face(0)).await.expect("saved");
    save_face(ACCOUNT, face(MAX_AVATARS)).await.expect("saved");
    let kept: Vec<String> = load_faces(ACCOUNT)
        .await
        .expect("read")
        .into_iter()
        .map(|f| f.contact)
        .collect();
    assert_eq!(kept.len(), MAX_AVATARS as usize);
    assert!(kept.contains(&"c0@test.example".to_owned()));
    assert!(kept.contains(&format!("c{MAX_AVATARS}@test.example")));
    assert!(!kept.contains(&"c1@test.example".to_owned()));
    forget(ACCOUNT).await.expect("forgotten");
}
