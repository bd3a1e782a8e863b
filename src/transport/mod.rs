//! Getting frames to and from the server: RFC 7395 over WebSocket, wss:// only.
//!
//! [`policy`], [`discovery`], [`backoff`] and [`error`] are pure and tested natively; the browser WebSocket
//! driver lives in the wasm-only [`websocket`] module.

pub mod backoff;
pub mod discovery;
pub mod error;
pub mod policy;
#[cfg(target_arch = "wasm32")]
pub mod websocket;

pub use error::ConnectError;
