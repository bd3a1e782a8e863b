//! Why connecting failed or a connection ended, as the transport sees it: everything the login
//! form may have to explain. Pure, so the i18n tests can cover it natively.

use super::discovery::DiscoveryError;
use super::policy::{ContextError, UrlError};
use crate::xmpp::entropy::EntropyUnavailable;
use crate::xmpp::SessionError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// The page itself is not a secure context.
    Context(ContextError),
    /// The endpoint (typed, configured or discovered) failed the wss-only policy.
    Url(UrlError),
    Discovery(DiscoveryError),
    Entropy(EntropyUnavailable),
    /// The WebSocket failed or closed before the server opened the stream.
    Unreachable,
    /// The server accepted the WebSocket without the `xmpp` subprotocol (RFC 7395 §3.1).
    NotXmpp,
    /// A `see-other-uri` redirect to an address the policy refuses (e.g. `ws://`).
    RedirectRefused(UrlError),
    /// A second redirect: followed once only, so a server cannot bounce the client around.
    TooManyRedirects,
    Session(SessionError),
    /// Reconnecting needs the password: nothing was kept (signed out, or the keys were refused).
    NeedsPassword,
    /// The browser threw while creating the WebSocket; its message, verbatim.
    Browser(String),
}

impl ConnectError {
    /// Trying again later may work: the network or the server was away, not the account refused.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable => true,
            Self::Session(e) => e.is_transient(),
            _ => false,
        }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Context(e) => e.fmt(f),
            Self::Url(e) => e.fmt(f),
            Self::Discovery(e) => e.fmt(f),
            Self::Entropy(e) => e.fmt(f),
            Self::Unreachable => f.write_str("the server is unreachable"),
            Self::NotXmpp => {
                f.write_str("the server did not agree to speak XMPP on this WebSocket")
            }
            Self::RedirectRefused(e) => write!(f, "refused the server's redirect: {e}"),
            Self::TooManyRedirects => f.write_str("the server redirected more than once"),
            Self::Session(e) => e.fmt(f),
            Self::NeedsPassword => f.write_str("sign in again with your password"),
            Self::Browser(e) => write!(f, "the browser refused the connection: {e}"),
        }
    }
}
