//! The browser driver of RFC 7395: WebSockets (subprotocol `xmpp`) feeding one sans-IO
//! [`Client`], plus XEP-0156 discovery over `fetch`.
//!
//! The [`Account`] outlives its sockets: when one closes, the client keeps the roster and the kept
//! credentials, and [`Account::reconnect`] opens another. Each received text frame goes to
//! [`Client::handle_frame`] (its length checked before it is copied out of JavaScript); after every
//! input the driver drains [`Client::poll_transmit`] into the socket and [`Client::poll_event`]
//! into the application's sink, and re-arms one `setTimeout` for [`Client::poll_timeout`]. While
//! [`Client::frames_waiting`] (a large frame is parsed a slice at a time), each
//! [`Client::continue_frames`] runs in a task of its own, so the page paints and takes input in
//! between. The clock is `performance.now()` in milliseconds.
//!
//! `web_sys::WebSocket` is used directly rather than gloo-net's wrapper: the driver must read the
//! negotiated subprotocol (RFC 7395 §3.1) and the close frame's code and reason, which gloo-net
//! does not expose.
//!
//! A connection lost after the account was online is made again by itself: after a wait from
//! [`Backoff`], at once when the browser says the network is back (`online`) or the tab wakes
//! (`visibilitychange`, `resume`, `pageshow`; a tab that was awake only asks the server whether
//! the socket still works), and whenever the person asks. Only losses that a new try may
//! cure count ([`ConnectError::is_transient`]); refused credentials never retry.
//!
//! Every URL passes [`check_websocket_url`] before a socket exists, and [`connect_with`] refuses an
//! insecure page first; both checks return synchronously, so a refused URL never reaches web-sys.
//! A `see-other-uri` redirect (RFC 7395 §3.6.1) is followed once, only to `wss://` on the same host
//! or the account's domain ([`check_redirect`]), and never with PLAIN.

use super::backoff::Backoff;
use super::discovery::{host_meta_urls, websocket_from_host_meta, DiscoveryError};
use super::policy::{check_redirect, check_websocket_url, ContextError};
use super::ConnectError;
use crate::xmpp::entropy::Entropy;
use crate::xmpp::{
    Client, ClientConfig, CloseReason, ConnectionEvent, ConnectionState, Event, Instant,
    ReconnectError, Secret, SessionError,
};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, CloseEvent, EventTarget, MessageEvent, ReadableStreamDefaultReader,
    RequestCredentials, RequestInit, RequestMode, Response, VisibilityState, WebSocket,
};
use zeroize::Zeroizing;

/// The WebSocket subprotocol of RFC 7395 §3.1.
pub const SUBPROTOCOL: &str = "xmpp";
/// How long a host-meta or config.json fetch may take.
const FETCH_TIMEOUT_MS: i32 = 10_000;
/// Frames longer than this (UTF-16 units) have their updates applied in the next task.
const HOLD_FRAME_UNITS: usize = 64 * 1024;
/// The largest host-meta or config.json read; real ones are under 2 KB.
const FETCH_MAX_BYTES: usize = 64 * 1024;

/// What the driver reports to the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// A core event; never a connection's `Closed`, which becomes [`Update::Disconnected`].
    Event(Event),
    /// The connection is over; the account remains. `None` is the clean close we asked for.
    Disconnected(Option<ConnectError>),
    /// A new connection will be tried by itself at `at` (the clock of [`now`]).
    Retrying { at: Instant },
}

/// The account and its current connection. Cloning shares it.
#[derive(Clone)]
pub struct Account {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    client: Client,
    link: Option<Link>,
    sink: Rc<dyn Fn(Update)>,
    /// Where the next connection goes: the endpoint, or where a redirect pointed.
    url: String,
    redirected: bool,
    max_frame_bytes: usize,
    /// The account was online once: a loss now is reconnected, not a failed login.
    was_online: bool,
    backoff: Backoff,
    /// The timer of the next try, while one is planned.
    retry: Option<i32>,
    on_retry: Option<Closure<dyn FnMut()>>,
    /// The browser's hints that the network is back or the tab woke; removed with the account.
    _wake: Vec<Listener>,
    /// The last frame was large: its updates go to the page in a task of their own.
    hold_updates: bool,
    /// Updates waiting for that task, in order; later ones queue behind them.
    held: Option<Vec<Update>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        cancel_retry(self);
    }
}

/// One event listener, removed when dropped.
struct Listener {
    target: EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            self.event,
            self.callback.as_ref().unchecked_ref(),
        );
    }
}

/// One socket. Dropping it detaches the handlers and closes it.
struct Link {
    ws: WebSocket,
    timer: Option<i32>,
    /// The stream was opened on this socket (else a close means the server was unreachable).
    heard: bool,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
    on_timer: Closure<dyn FnMut()>,
    /// The next slice of a large frame, as a task of its own.
    slice: Option<i32>,
    on_slice: Closure<dyn FnMut()>,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        if let Some(window) = web_sys::window() {
            for timer in [self.timer, self.slice].into_iter().flatten() {
                window.clear_timeout_with_handle(timer);
            }
        }
        // Already closing or closed is fine; the browser sends queued frames before closing.
        let _ = self.ws.close();
    }
}

/// `performance.now()` as the core's clock.
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

/// Checks the page and the URL, then opens the socket and starts the account's first login,
/// proving `secret` (a password, kept SCRAM keys, or none for a guest). Every refusal is returned
/// before a `WebSocket` is constructed. `signed_in`: the person counts as signed in already (a
/// remembered device after a reload), so a failure is retried as a lost connection is.
pub fn connect_with(
    url: &str,
    config: ClientConfig,
    secret: Secret,
    signed_in: bool,
    sink: impl Fn(Update) + 'static,
) -> Result<Account, ConnectError> {
    open_account(url, config, Opening::SignIn(secret), signed_in, sink)
}

/// What the first connection of a new [`Account`] is for.
pub enum Opening {
    SignIn(Secret),
    /// XEP-0077: create the account with this password (and the person's answers to the
    /// server's fields), then sign in with it.
    Register {
        password: Zeroizing<String>,
        given: Vec<(String, String)>,
    },
    /// Only ask whether the server creates accounts; the stream closes after its features.
    AskRegistration,
}

/// [`connect_with`] for any [`Opening`].
pub fn open_account(
    url: &str,
    config: ClientConfig,
    opening: Opening,
    signed_in: bool,
    sink: impl Fn(Update) + 'static,
) -> Result<Account, ConnectError> {
    check_page_context()?;
    let url = check_websocket_url(url).map_err(ConnectError::Url)?;
    let entropy = Entropy::fresh().map_err(ConnectError::Entropy)?;
    let max_frame_bytes = config.max_frame_bytes;
    let client = match opening {
        Opening::SignIn(secret) => Client::with_secret(config, secret, entropy, now()),
        Opening::Register { password, given } => {
            Client::register(config, password, given, entropy, now())
        }
        Opening::AskRegistration => Client::ask_registration(config, entropy, now()),
    };
    let inner = Rc::new(RefCell::new(Inner {
        client,
        link: None,
        sink: Rc::new(sink),
        url: url.clone(),
        redirected: false,
        max_frame_bytes,
        was_online: signed_in,
        backoff: Backoff::default(),
        retry: None,
        on_retry: None,
        _wake: Vec::new(),
        hold_updates: false,
        held: None,
    }));
    let weak = Rc::downgrade(&inner);
    let on_retry = Closure::<dyn FnMut()>::new(move || {
        with_inner(&weak, |inner| {
            inner.borrow_mut().retry = None;
            try_again(inner);
        })
    });
    {
        let mut guard = inner.borrow_mut();
        guard.on_retry = Some(on_retry);
        guard._wake = wake_listeners(&inner);
    }
    open_link(&inner, &url)?;
    pump(&inner);
    Ok(Account { inner })
}

impl Account {
    /// Runs a command on the account (send a message, change the roster, ...), then sends what
    /// it queued. The clock is passed in.
    pub fn command<T>(&self, f: impl FnOnce(&mut Client, Instant) -> T) -> T {
        let result = f(&mut self.inner.borrow_mut().client, now());
        pump(&self.inner);
        result
    }

    pub fn state(&self) -> ConnectionState {
        self.inner.borrow().client.state()
    }

    /// Whether [`Account::reconnect`] can log in without asking for the password.
    pub fn can_reconnect(&self) -> bool {
        let inner = self.inner.borrow();
        inner.link.is_none() && inner.client.can_reconnect()
    }

    /// Opens a new connection after the last one ended, with the credentials the account kept;
    /// a planned try is not waited for.
    pub fn reconnect(&self) -> Result<(), ConnectError> {
        cancel_retry(&mut self.inner.borrow_mut());
        check_page_context()?;
        let entropy = Entropy::fresh().map_err(ConnectError::Entropy)?;
        let url = {
            let mut inner = self.inner.borrow_mut();
            let allow_plain = !inner.redirected;
            match inner.client.reconnect(entropy, now(), allow_plain) {
                Ok(()) => {}
                Err(ReconnectError::AlreadyConnected) => return Ok(()),
                Err(ReconnectError::NeedsPassword) => return Err(ConnectError::NeedsPassword),
            }
            inner.url.clone()
        };
        if let Err(e) = open_link(&self.inner, &url) {
            // The attempt never had a socket: the client's stream ends with it, unreported.
            self.inner
                .borrow_mut()
                .client
                .handle_transport_closed(None, now());
            drain_events(&self.inner);
            return Err(e);
        }
        pump(&self.inner);
        Ok(())
    }

    /// Signs out; [`Update::Disconnected`]`(None)` follows.
    pub fn close(&self) {
        cancel_retry(&mut self.inner.borrow_mut());
        self.command(|client, now| client.close(now));
    }
}

/// A planned try (or the person, or the browser) reconnects; a failure to even start is the
/// application's to show.
fn try_again(inner: &Rc<RefCell<Inner>>) {
    let account = Account {
        inner: inner.clone(),
    };
    if let Err(error) = account.reconnect() {
        let sink = inner.borrow().sink.clone();
        sink(Update::Disconnected(Some(error)));
    }
}

fn cancel_retry(inner: &mut Inner) {
    if let (Some(window), Some(timer)) = (web_sys::window(), inner.retry.take()) {
        window.clear_timeout_with_handle(timer);
    }
}

/// After a loss: plans the next try if the account was online and a try may help.
fn plan_retry(state: &mut Inner, error: Option<&ConnectError>) -> Option<Update> {
    let transient = error.is_some_and(ConnectError::is_transient);
    if !state.was_online || !transient || !state.client.can_reconnect() {
        return None;
    }
    let window = web_sys::window()?;
    let random = Entropy::fresh().map_or(u16::MAX / 2, |e| u16::from_le_bytes([e.0[0], e.0[1]]));
    let delay = state.backoff.next_delay_ms(random);
    cancel_retry(state);
    let callback = state.on_retry.as_ref()?;
    state.retry = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.as_ref().unchecked_ref(),
            delay.min(i32::MAX as u64) as i32,
        )
        .ok();
    state.retry.map(|_| Update::Retrying {
        at: now().plus_ms(delay),
    })
}

/// The network is back or the tab woke: try now if a try is planned; if connected, make sure
/// the connection still works.
fn wake(inner: &Rc<RefCell<Inner>>) {
    let (connected, planned) = {
        let guard = inner.borrow();
        (guard.link.is_some(), guard.retry.is_some())
    };
    if planned {
        try_again(inner);
    } else if connected {
        inner.borrow_mut().client.probe(now());
        pump(inner);
    }
}

fn wake_listeners(inner: &Rc<RefCell<Inner>>) -> Vec<Listener> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let document = window.document();
    let mut listeners = Vec::new();
    let mut listen = |target: EventTarget, event: &'static str, only_if_visible: bool| {
        let weak = Rc::downgrade(inner);
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            let visible = web_sys::window()
                .and_then(|w| w.document())
                .is_none_or(|d| d.visibility_state() == VisibilityState::Visible);
            if only_if_visible && !visible {
                return;
            }
            with_inner(&weak, wake);
        });
        if target
            .add_event_listener_with_callback(event, callback.as_ref().unchecked_ref())
            .is_ok()
        {
            listeners.push(Listener {
                target,
                event,
                callback,
            });
        }
    };
    listen(window.clone().into(), "online", false);
    listen(window.clone().into(), "pageshow", false);
    if let Some(document) = document {
        listen(document.clone().into(), "visibilitychange", true);
        // Page Lifecycle: a frozen tab is thawed.
        listen(document.into(), "resume", false);
    }
    // The tab is closed or navigated away (not put in the back-forward cache): the session ends
    // now, rather than staying online on the server for its resumption window.
    let weak = Rc::downgrade(inner);
    let on_pagehide = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let persisted = js_sys::Reflect::get(&event, &"persisted".into())
            .ok()
            .and_then(|p| p.as_bool())
            .unwrap_or(false);
        if !persisted {
            with_inner(&weak, |inner| {
                Account {
                    inner: inner.clone(),
                }
                .close()
            });
        }
    });
    let target: EventTarget = window.into();
    if target
        .add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref())
        .is_ok()
    {
        listeners.push(Listener {
            target,
            event: "pagehide",
            callback: on_pagehide,
        });
    }
    listeners
}

fn open_link(inner: &Rc<RefCell<Inner>>, url: &str) -> Result<(), ConnectError> {
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
                    drop_link(inner, Some(ConnectError::NotXmpp));
                }
            })
        })
    };
    let on_message = {
        let weak = weak.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            with_inner(&weak, |inner| received(inner, event.data()))
        })
    };
    let on_close = {
        let weak = weak.clone();
        Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            with_inner(&weak, |inner| socket_closed(inner, &event))
        })
    };
    let on_slice = {
        let weak = weak.clone();
        Closure::<dyn FnMut()>::new(move || {
            with_inner(&weak, |inner| {
                {
                    let mut guard = inner.borrow_mut();
                    if let Some(link) = guard.link.as_mut() {
                        link.slice = None;
                    }
                    guard.client.continue_frames(now());
                    // The slice that finishes a large frame was a long step: what it brought
                    // goes in the next task.
                    guard.hold_updates = true;
                }
                pump(inner);
            })
        })
    };
    let on_timer = Closure::<dyn FnMut()>::new(move || {
        with_inner(&weak, |inner| {
            {
                let mut guard = inner.borrow_mut();
                if let Some(link) = guard.link.as_mut() {
                    link.timer = None;
                }
                guard.client.handle_timeout(now());
            }
            pump(inner);
        })
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    inner.borrow_mut().link = Some(Link {
        ws,
        timer: None,
        heard: false,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
        on_timer,
        slice: None,
        on_slice,
    });
    Ok(())
}

/// RFC 7395 §3.2: frames are text; anything else is not XMPP and is ignored. A frame's length
/// is checked before it is copied into wasm memory: UTF-8 takes at least one byte per UTF-16
/// unit, so more units than the limit means more bytes than the limit.
fn received(inner: &Rc<RefCell<Inner>>, data: JsValue) {
    let Some(text) = data.dyn_ref::<js_sys::JsString>() else {
        return;
    };
    {
        let mut guard = inner.borrow_mut();
        let units = text.length() as usize;
        if let Some(link) = guard.link.as_mut() {
            link.heard = true;
        }
        if units > guard.max_frame_bytes {
            guard.client.handle_oversized_frame(units, now());
        } else {
            let frame = String::from(text);
            guard.client.handle_frame(&frame, now());
            guard.hold_updates = units > HOLD_FRAME_UNITS;
        }
    }
    pump(inner);
}

fn with_inner(weak: &Weak<RefCell<Inner>>, f: impl FnOnce(&Rc<RefCell<Inner>>)) {
    if let Some(inner) = weak.upgrade() {
        f(&inner);
    }
}

/// The socket closed (or never opened). Before the server said a word this means it could not be
/// reached or refused the socket; afterwards the client decides what it means.
fn socket_closed(inner: &Rc<RefCell<Inner>>, event: &CloseEvent) {
    let unreachable = {
        let mut guard = inner.borrow_mut();
        let Some(link) = guard.link.as_ref() else {
            return;
        };
        let heard = link.heard;
        // 1000 (normal) and 1005 (no status) without a reason tell the person nothing.
        let close =
            (!matches!(event.code(), 1000 | 1005) || !event.reason().is_empty()).then(|| {
                CloseReason {
                    code: event.code(),
                    reason: event.reason().chars().take(123).collect(),
                }
            });
        guard.client.handle_transport_closed(close, now());
        !heard
    };
    if unreachable {
        // Drain the client's own report of the loss first; the person hears "unreachable".
        drain_events(inner);
        drop_link(inner, Some(ConnectError::Unreachable));
    } else {
        pump(inner);
    }
}

/// Drops the socket and tells the application; for endings the client did not report itself.
fn drop_link(inner: &Rc<RefCell<Inner>>, error: Option<ConnectError>) {
    let sink = {
        let mut guard = inner.borrow_mut();
        guard.link = None;
        if guard.client.state() != ConnectionState::Closed {
            guard.client.handle_transport_closed(None, now());
        }
        guard.sink.clone()
    };
    drain_events(inner);
    let retry = plan_retry(&mut inner.borrow_mut(), error.as_ref());
    sink(Update::Disconnected(error));
    if let Some(retry) = retry {
        sink(retry);
    }
}

/// Discards the client's events; used when the transport reports the ending itself.
fn drain_events(inner: &Rc<RefCell<Inner>>) {
    let mut guard = inner.borrow_mut();
    while guard.client.poll_event().is_some() {}
}

/// Moves frames and events out of the client after any input. The sink runs after the borrow is
/// released, so it may call back into the [`Account`].
fn pump(inner: &Rc<RefCell<Inner>>) {
    let mut updates = Vec::new();
    let mut redirect = None;
    let sink = {
        let mut guard = inner.borrow_mut();
        let state = &mut *guard;
        if let Some(link) = state.link.as_ref() {
            if link.ws.ready_state() == WebSocket::OPEN {
                while let Some(frame) = state.client.poll_transmit() {
                    // A failed send surfaces as the socket's close event.
                    if link.ws.send_with_str(&frame).is_err() {
                        break;
                    }
                }
            }
        }
        let mut ended = false;
        while let Some(event) = state.client.poll_event() {
            if event == Event::Connection(ConnectionEvent::State(ConnectionState::Online)) {
                state.was_online = true;
                state.backoff.reset();
            }
            match event {
                Event::Connection(ConnectionEvent::Closed(Some(SessionError::SeeOtherUri(
                    uri,
                )))) => {
                    ended = true;
                    redirect = Some(uri);
                }
                Event::Connection(ConnectionEvent::Closed(error)) => {
                    ended = true;
                    updates.push(Update::Disconnected(error.map(ConnectError::Session)));
                }
                other => updates.push(Update::Event(other)),
            }
        }
        if ended {
            state.link = None;
            let error = updates.iter().rev().find_map(|u| match u {
                Update::Disconnected(error) => Some(error.clone()),
                _ => None,
            });
            if let Some(retry) = plan_retry(state, error.flatten().as_ref()) {
                updates.push(retry);
            }
        } else if let Some(link) = state.link.as_mut() {
            schedule_timeout(link, state.client.poll_timeout());
            if state.client.frames_waiting() {
                schedule_slice(link);
            }
        }
        if std::mem::take(&mut state.hold_updates) || state.held.is_some() {
            updates = hold(inner, state, updates);
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

/// Queues `updates` for the page's next task. Parsing a large frame (a roster of 10,000 is
/// over a megabyte) takes a task's worth of time already; applying it in the same task would make
/// one long task of both. Returns what must go now: nothing, unless no timer could be set.
fn hold(inner: &Rc<RefCell<Inner>>, state: &mut Inner, updates: Vec<Update>) -> Vec<Update> {
    if let Some(held) = state.held.as_mut() {
        held.extend(updates);
        return Vec::new();
    }
    let weak = Rc::downgrade(inner);
    let deliver = Closure::once_into_js(move || {
        with_inner(&weak, |inner| {
            let (held, sink) = {
                let mut guard = inner.borrow_mut();
                (guard.held.take().unwrap_or_default(), guard.sink.clone())
            };
            for update in held {
                sink(update);
            }
        })
    });
    let scheduled = web_sys::window().is_some_and(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(deliver.unchecked_ref(), 0)
            .is_ok()
    });
    if !scheduled {
        return updates;
    }
    state.held = Some(updates);
    Vec::new()
}

fn schedule_slice(link: &mut Link) {
    if link.slice.is_some() {
        return;
    }
    link.slice = web_sys::window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            link.on_slice.as_ref().unchecked_ref(),
            0,
        )
        .ok()
    });
}

fn schedule_timeout(link: &mut Link, deadline: Option<Instant>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(timer) = link.timer.take() {
        window.clear_timeout_with_handle(timer);
    }
    if let Some(deadline) = deadline {
        let delay = deadline.0.saturating_sub(now().0).min(i32::MAX as u64) as i32;
        link.timer = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                link.on_timer.as_ref().unchecked_ref(),
                delay,
            )
            .ok();
    }
}

/// RFC 7395 §3.6.1: reconnect once to where the server points, if the policy allows it.
fn follow_redirect(inner: &Rc<RefCell<Inner>>, uri: &str) {
    let attempt = (|| {
        let url = {
            let mut guard = inner.borrow_mut();
            if guard.redirected {
                return Err(ConnectError::TooManyRedirects);
            }
            let domain = guard.client.account_domain().to_owned();
            let url =
                check_redirect(&guard.url, uri, &domain).map_err(ConnectError::RedirectRefused)?;
            let entropy = Entropy::fresh().map_err(ConnectError::Entropy)?;
            guard.redirected = true;
            // PLAIN would hand the password to the new host.
            guard
                .client
                .reconnect(entropy, now(), false)
                .map_err(|_| ConnectError::Session(SessionError::SeeOtherUri(uri.into())))?;
            guard.url = url.clone();
            url
        };
        open_link(inner, &url)
    })();
    match attempt {
        Ok(()) => pump(inner),
        Err(error) => drop_link(inner, Some(error)),
    }
}

pub(crate) fn js_error_text(value: &JsValue) -> String {
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
    let mut answered = false;
    for url in host_meta_urls(domain) {
        let body = match fetch_text(&url, RequestCredentials::Omit).await {
            Ok(body) => body,
            // The server answered (a 404, say): discovery is not blocked, there is nothing.
            Err(FetchError::Status(_) | FetchError::TooLarge) => {
                answered = true;
                continue;
            }
            Err(FetchError::Network) => continue,
        };
        answered = true;
        match websocket_from_host_meta(&body) {
            Ok(endpoint) => return Ok(endpoint),
            // "Only ws://" explains more than "nothing usable", which explains more than "not found".
            Err(DiscoveryError::OnlyInsecure) => best = DiscoveryError::OnlyInsecure,
            Err(e) if best == DiscoveryError::NotFound => best = e,
            Err(_) => {}
        }
    }
    if !answered {
        best = DiscoveryError::Blocked {
            domain: domain.to_owned(),
        };
    }
    Err(ConnectError::Discovery(best))
}

/// Fetches a small document as text: `Err` for network errors, non-2xx answers, answers that take
/// longer than [`FETCH_TIMEOUT_MS`] and bodies over [`FETCH_MAX_BYTES`] (read no further).
/// `credentials`: `Omit` for other sites; `SameOrigin` for our own files, which is what a
/// `<link rel="preload" crossorigin>` fetches them with, so the preloaded copy is the one used.
pub async fn fetch_text(url: &str, credentials: RequestCredentials) -> Result<String, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let abort = AbortController::new().map_err(|_| FetchError::Network)?;
    let init = RequestInit::new();
    init.set_mode(RequestMode::Cors);
    init.set_credentials(credentials);
    init.set_signal(Some(&abort.signal()));
    let timeout = {
        let abort = abort.clone();
        Closure::once(move || abort.abort())
    };
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            timeout.as_ref().unchecked_ref(),
            FETCH_TIMEOUT_MS,
        )
        .ok();
    let result = read_capped(&window, url, &init).await;
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    if result.is_err() {
        abort.abort();
    }
    drop(timeout);
    result
}

async fn read_capped(
    window: &web_sys::Window,
    url: &str,
    init: &RequestInit,
) -> Result<String, FetchError> {
    let response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(|_| FetchError::Network)?;
    let response: Response = response.dyn_into().map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let body = response.body().ok_or(FetchError::Network)?;
    let reader: ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| FetchError::Network)?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| FetchError::Network)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let value =
            js_sys::Reflect::get(&chunk, &"value".into()).map_err(|_| FetchError::Network)?;
        let part = js_sys::Uint8Array::new(&value);
        if bytes.len() + part.length() as usize > FETCH_MAX_BYTES {
            let _ = reader.cancel();
            return Err(FetchError::TooLarge);
        }
        bytes.extend_from_slice(&part.to_vec());
    }
    String::from_utf8(bytes).map_err(|_| FetchError::Network)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchError {
    Network,
    Status(u16),
    TooLarge,
}
