//! Parley: a web XMPP client.
//!
//! [`xmpp`] is the sans-IO protocol core (native and wasm). [`config`], [`embed`], [`transport`] and [`i18n`]
//! hold the pure parts of the shell around it, tested natively; the browser-only parts (the
//! WebSocket, the Leptos UI) build for wasm32 only.

pub mod colour;
pub mod config;
pub mod embed;
pub mod i18n;
pub mod linkify;
pub mod route;
pub mod store;
pub mod styling;
pub mod transport;
pub mod xmpp;

/// The id of the sign-in page's root that the first module draws (src/first/page.rs) and the app
/// takes over (src/ui/handover.rs); the stylesheet and boot.js name it too.
pub const FIRST_PAGE_ID: &str = "first-page";

#[cfg(target_arch = "wasm32")]
pub mod indexeddb;
#[cfg(target_arch = "wasm32")]
pub mod preferences;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod ui;
