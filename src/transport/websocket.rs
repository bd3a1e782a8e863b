//! The browser driver of RFC 7395: one `WebSocket` (subprotocol `xmpp`) feeding one sans-IO
//! [`Session`], plus XEP-0156 discovery over `fetch`.
//!
//! Each received text frame goes to [`Session::handle_frame`]; after every input the driver drains
//! [`Session::poll_transmit`] into the socket and [`Session::poll_event`] into the application's
//! sink, and re-arms one `setTimeout` for [`Session::poll_timeout`]. The clock is
//! `performance.now()` in milliseconds.
//!
//! Every URL passes [`check_websocket_url`] before a socket exists, and [`connect`] refuses an
//! insecure page first; both checks return synchronously, so a refused URL never reaches web-sys.
//! A `see-other-uri` redirect (RFC 7395 §3.6.1) to a `wss://` URL is followed once, with a fresh
//! session; anything else ends the connection with an error.

use super::discovery::{host_meta_urls, websocket_from_host_meta, DiscoveryError};
use super::policy::{check_websocket_url, ContextError};
use super::ConnectError;
use crate::xmpp::entropy::Entropy;
use crate::xmpp::jid::BareJid;
use crate::xmpp::message::SendError;
use crate::xmpp::{
    Availability, ChatMessage, ConnectionState, Event, Instant, Session, SessionConfig,
    SessionError,
};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CloseEvent, MessageEvent, RequestCredentials, RequestInit, RequestMode, Response, WebSocket,
};
use zeroize::Zeroizing;

/// The WebSocket subprotocol of RFC 7395 §3.1.
pub const SUBPROTOCOL: &str = "xmpp";

/// What the driver reports to the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// A session event; never [`Event::Closed`], which becomes [`Update::Ended`].
    Event(Event),
    /// The connection is over; `None` is the clean close we asked for.
    Ended(Option<ConnectError>),
}

/// A handle on the running connection. Cloning shares it.
#[derive(Clone)]
pub struct Connection {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    link: Option<Link>,
    sink: Rc<dyn Fn(Update)>,
    account: BareJid,
    resource: Option<String>,
    max_frame_bytes: usize,
    timeout_ms: u64,
    /// Kept only until the session is online, to log in again after a redirect; then wiped.
    redirect_password: Option<Zeroizing<String>>,
    redirected: bool,
    online: bool,
}

/// One socket and the session speaking over it. Dropping it detaches the handlers.
struct Link {
    ws: WebSocket,
    session: Session,
    timer: Option<i32>,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    on_timer: Closure<dyn FnMut()>,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        if let (Some(window), Some(timer)) = (web_sys::window(), self.timer) {
            window.clear_timeout_with_handle(timer);
        }
        // Already closing or closed is fine; the browser sends queued frames before closing.
        let _ = self.ws.close();
    }
}

/// `performance.now()` as the session's clock.
pub fn now() -> Instant {
    let ms = web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0);
    Instant(ms.max(0.0) as u64)
}

/// Refuses to go on from a page that is not a secure context: the password would be exposed.
pub fn check_page_context() -> Result<(), ConnectError> {
    match web_sys::window() {
        Some(window) if window.is_secure_context() => Ok(()),
        _ => Err(ConnectError::Context(ContextError::InsecurePage)),
    }
}

/// Checks the page and the URL, then opens the socket and starts the session. Every refusal is
/// returned before a `WebSocket` is constructed.
pub fn connect(
    url: &str,
    config: SessionConfig,
    sink: impl Fn(Update) + 'static,
) -> Result<Connection, ConnectError> {
    check_page_context()?;
    let url = check_websocket_url(url).map_err(ConnectError::Url)?;
    let entropy = Entropy::fresh().map_err(ConnectError::Entropy)?;
    let SessionConfig {
        account,
        password,
        resource,
        max_frame_bytes,
        timeout_ms,
    } = config;
    let inner = Rc::new(RefCell::new(Inner {
        link: None,
        sink: Rc::new(sink),
        account,
        resource,
        max_frame_bytes,
        timeout_ms,
        redirect_password: Some(password.clone()),
        redirected: false,
        online: false,
    }));
    open_link(&inner, &url, password, entropy)?;
    Ok(Connection { inner })
}

impl Connection {
    pub fn send_chat(&self, to: &BareJid, body: &str) -> Result<ChatMessage, SendError> {
        let result = self
            .with_session(|s| s.send_chat(to, body))
            .unwrap_or(Err(SendError::NotOnline));
        pump(&self.inner);
        result
    }

    pub fn send_chat_state(&self, to: &BareJid, composing: bool) {
        self.with_session(|s| s.send_chat_state(to, composing));
        pump(&self.inner);
    }

    pub fn set_presence(
        &self,
        availability: Availability,
        status: Option<&str>,
    ) -> Result<(), SendError> {
        let result = self
            .with_session(|s| s.set_presence(availability, status))
            .unwrap_or(Err(SendError::NotOnline));
        pump(&self.inner);
        result
    }

    pub fn add_contact(&self, jid: &BareJid, name: Option<&str>) -> Result<(), SendError> {
        let result = self
            .with_session(|s| s.add_contact(jid, name, now()))
            .unwrap_or(Err(SendError::NotOnline));
        pump(&self.inner);
        result
    }

    pub fn rename_contact(
        &self,
        jid: &BareJid,
        name: Option<&str>,
        groups: &[String],
    ) -> Result<(), SendError> {
        let result = self
            .with_session(|s| s.rename_contact(jid, name, groups, now()))
            .unwrap_or(Err(SendError::NotOnline));
        pump(&self.inner);
        result
    }

    pub fn remove_contact(&self, jid: &BareJid) -> Result<(), SendError> {
        let result = self
            .with_session(|s| s.remove_contact(jid, now()))
            .unwrap_or(Err(SendError::NotOnline));
        pump(&self.inner);
        result
    }

    pub fn ask_subscription(&self, jid: &BareJid) {
        self.with_session(|s| s.ask_subscription(jid));
        pump(&self.inner);
    }

    pub fn answer_subscription(&self, jid: &BareJid, approve: bool) {
        self.with_session(|s| s.answer_subscription(jid, approve));
        pump(&self.inner);
    }

    /// Starts the clean close; [`Update::Ended`]`(None)` follows.
    pub fn close(&self) {
        self.with_session(|s| s.close(now()));
        pump(&self.inner);
    }

    fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        self.inner
            .borrow_mut()
            .link
            .as_mut()
            .map(|link| f(&mut link.session))
    }
}

fn open_link(
    inner: &Rc<RefCell<Inner>>,
    url: &str,
    password: Zeroizing<String>,
    entropy: Entropy,
) -> Result<(), ConnectError> {
    let ws = WebSocket::new_with_str(url, SUBPROTOCOL)
        .map_err(|e| ConnectError::Browser(js_error_text(&e)))?;
    let weak = Rc::downgrade(inner);
    let on_open = {
        let weak = weak.clone();
        Closure::<dyn FnMut()>::new(move || {
            with_inner(&weak, |inner| {
                // RFC 7395 §3.1: without the "xmpp" subprotocol this is not an XMPP endpoint.
                let protocol = inner.borrow().link.as_ref().map(|l| l.ws.protocol());
                if protocol.as_deref() == Some(SUBPROTOCOL) {
                    pump(inner);
                } else {
                    end(inner, Some(ConnectError::NotXmpp));
                }
            })
        })
    };
    let on_message = {
        let weak = weak.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            // RFC 7395 §3.2: frames are text; anything else is not XMPP and is ignored.
            let Some(frame) = event.data().as_string() else {
                return;
            };
            with_inner(&weak, |inner| {
                if let Some(link) = inner.borrow_mut().link.as_mut() {
                    link.session.handle_frame(&frame, now());
                }
                pump(inner);
            });
        })
    };
    let on_close = {
        let weak = weak.clone();
        Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| with_inner(&weak, socket_closed))
    };
    let on_timer = Closure::<dyn FnMut()>::new(move || {
        with_inner(&weak, |inner| {
            if let Some(link) = inner.borrow_mut().link.as_mut() {
                link.timer = None;
                link.session.handle_timeout(now());
            }
            pump(inner);
        })
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));

    let mut guard = inner.borrow_mut();
    let mut config = SessionConfig::new(guard.account.clone(), password);
    config.resource = guard.resource.clone();
    config.max_frame_bytes = guard.max_frame_bytes;
    config.timeout_ms = guard.timeout_ms;
    let session = Session::new(config, entropy, now());
    guard.link = Some(Link {
        ws,
        session,
        timer: None,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
        on_timer,
    });
    drop(guard);
    pump(inner);
    Ok(())
}

fn with_inner(weak: &Weak<RefCell<Inner>>, f: impl FnOnce(&Rc<RefCell<Inner>>)) {
    if let Some(inner) = weak.upgrade() {
        f(&inner);
    }
}

/// The socket closed (or never opened). Before the session was online this means the server could
/// not be reached or refused the socket; afterwards the session decides what it means.
fn socket_closed(inner: &Rc<RefCell<Inner>>) {
    let unreachable = {
        let mut guard = inner.borrow_mut();
        let online = guard.online;
        let Some(link) = guard.link.as_mut() else {
            return;
        };
        if link.session.state() == ConnectionState::Closed {
            false
        } else if !online && link.session.state() == ConnectionState::Connecting {
            // Closed before the stream was open: nothing XMPP happened, the server is unreachable.
            // Later (during login) the session reports what it was doing.
            true
        } else {
            link.session.handle_transport_closed();
            false
        }
    };
    if unreachable {
        end(inner, Some(ConnectError::Unreachable));
    } else {
        pump(inner);
    }
}

/// Drops the link and tells the application; used for endings the session did not report itself.
fn end(inner: &Rc<RefCell<Inner>>, error: Option<ConnectError>) {
    let sink = {
        let mut guard = inner.borrow_mut();
        guard.link = None;
        guard.redirect_password = None;
        guard.sink.clone()
    };
    sink(Update::Ended(error));
}

/// Moves frames and events out of the session after any input. The sink runs after the borrow is
/// released, so it may call back into the [`Connection`].
fn pump(inner: &Rc<RefCell<Inner>>) {
    let mut updates = Vec::new();
    let mut redirect = None;
    let sink = {
        let mut guard = inner.borrow_mut();
        let state = &mut *guard;
        let Some(link) = state.link.as_mut() else {
            return;
        };
        if link.ws.ready_state() == WebSocket::OPEN {
            while let Some(frame) = link.session.poll_transmit() {
                // A failed send surfaces as the socket's close event.
                if link.ws.send_with_str(&frame).is_err() {
                    break;
                }
            }
        }
        let mut ended = false;
        while let Some(event) = link.session.poll_event() {
            match event {
                Event::State(ConnectionState::Online) => {
                    state.online = true;
                    state.redirect_password = None;
                    updates.push(Update::Event(event));
                }
                Event::Closed(Some(SessionError::SeeOtherUri(uri))) => {
                    ended = true;
                    redirect = Some(uri);
                }
                Event::Closed(error) => {
                    ended = true;
                    updates.push(Update::Ended(error.map(ConnectError::Session)));
                }
                other => updates.push(Update::Event(other)),
            }
        }
        if ended {
            state.link = None;
            if redirect.is_none() {
                state.redirect_password = None;
            }
        } else {
            schedule_timeout(link);
        }
        state.sink.clone()
    };
    for update in updates {
        sink(update);
    }
    if let Some(uri) = redirect {
        follow_redirect(inner, &uri);
    }
}

fn schedule_timeout(link: &mut Link) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(timer) = link.timer.take() {
        window.clear_timeout_with_handle(timer);
    }
    if let Some(deadline) = link.session.poll_timeout() {
        let delay = deadline.0.saturating_sub(now().0).min(i32::MAX as u64) as i32;
        link.timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                link.on_timer.as_ref().unchecked_ref(),
                delay,
            )
            .ok();
    }
}

/// RFC 7395 §3.6.1: reconnect once to a `wss://` URI the server names, with a fresh session.
fn follow_redirect(inner: &Rc<RefCell<Inner>>, uri: &str) {
    let attempt = (|| {
        let password = {
            let mut guard = inner.borrow_mut();
            if guard.redirected {
                return Err(ConnectError::TooManyRedirects);
            }
            guard.redirected = true;
            // After login the password is gone; a redirect then cannot be followed silently.
            guard
                .redirect_password
                .take()
                .ok_or_else(|| ConnectError::Session(SessionError::SeeOtherUri(uri.into())))?
        };
        let url = check_websocket_url(uri).map_err(ConnectError::RedirectRefused)?;
        let entropy = Entropy::fresh().map_err(ConnectError::Entropy)?;
        inner.borrow_mut().redirect_password = Some(password.clone());
        open_link(inner, &url, password, entropy)
    })();
    if let Err(error) = attempt {
        end(inner, Some(error));
    }
}

fn js_error_text(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

/// XEP-0156: looks up the WebSocket endpoint of `domain` from its host-meta documents (https only,
/// no credentials). The result has passed the wss policy.
pub async fn discover(domain: &str) -> Result<String, ConnectError> {
    let mut best = DiscoveryError::NotFound;
    for url in host_meta_urls(domain) {
        let Ok(body) = fetch_text(&url).await else {
            continue;
        };
        match websocket_from_host_meta(&body) {
            Ok(endpoint) => return Ok(endpoint),
            // "Only ws://" explains more than "nothing usable", which explains more than "not found".
            Err(DiscoveryError::OnlyInsecure) => best = DiscoveryError::OnlyInsecure,
            Err(e) if best == DiscoveryError::NotFound => best = e,
            Err(_) => {}
        }
    }
    Err(ConnectError::Discovery(best))
}

/// Fetches a document as text; `Err` for network errors and non-2xx answers.
pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let init = RequestInit::new();
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| FetchError::Network)?;
    let response: Response = response.dyn_into().map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let text = response.text().map_err(|_| FetchError::Network)?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or(FetchError::Network)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchError {
    Network,
    Status(u16),
}
