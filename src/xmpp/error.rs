//! Why a session ended. Each variant's message tells the person what happened and what to do.

use super::outbox::OutboxError;
use super::register::RegisterError;
use super::sasl::SaslError;
use super::xml::XmlError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// SASL `not-authorized` (RFC 6120 §6.5.10).
    WrongCredentials,
    /// Any other SASL failure condition, e.g. `account-disabled`.
    AuthFailed {
        condition: String,
        text: Option<String>,
    },
    /// Our side of SASL refused the server's messages (bad nonce, bad signature, unsafe rounds).
    Sasl(SaslError),
    NoSupportedMechanism {
        offered: Vec<String>,
    },
    /// The server ended the stream with an error (RFC 6120 §4.9).
    StreamError {
        condition: String,
        text: Option<String>,
    },
    FrameTooLarge {
        size: usize,
        limit: usize,
    },
    /// The server did not answer in time during `stage`.
    Timeout {
        stage: &'static str,
    },
    BindFailed {
        condition: String,
    },
    /// The server broke the protocol in a way that makes going on impossible.
    Protocol(String),
    /// The WebSocket closed without the stream being closed, with the close frame's code and
    /// reason when the server sent one (RFC 6455 §7.1.5, §7.1.6).
    ConnectionLost(Option<CloseReason>),
    /// The server stopped answering (XEP-0199 ping): the socket may look open, but it is dead.
    NoResponse,
    /// RFC 7395 §3.6.1: the server asked us to reconnect to another URI. The transport decides
    /// whether that URI is acceptable (wss only).
    SeeOtherUri(String),
    /// XEP-0077: the account could not be created.
    Registration(RegisterError),
}

/// What the server said when it closed the WebSocket. The reason is the server's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseReason {
    pub code: u16,
    pub reason: String,
}

impl SessionError {
    /// The credentials were refused, or cannot be used with what the server offers: keeping them
    /// for a later login is pointless.
    pub fn refuses_credentials(&self) -> bool {
        matches!(
            self,
            Self::WrongCredentials
                | Self::AuthFailed { .. }
                | Self::Sasl(_)
                | Self::NoSupportedMechanism { .. }
                | Self::Registration(_)
        )
    }
}

impl SessionError {
    /// The connection went, not the account: a new one may work. A stream error counts only
    /// when it says the server or the network failed (RFC 6120 §4.9.3); `conflict` (another
    /// login took our place) or a policy violation would only repeat.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::ConnectionLost(_) | Self::NoResponse | Self::Timeout { .. } => true,
            Self::StreamError { condition, .. } => matches!(
                condition.as_str(),
                "connection-timeout"
                    | "internal-server-error"
                    | "remote-connection-failed"
                    | "reset"
                    | "resource-constraint"
                    | "system-shutdown"
            ),
            _ => false,
        }
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongCredentials => f.write_str("wrong address or password"),
            Self::AuthFailed { condition, text } => {
                write!(f, "the server refused the login ({condition})")?;
                if let Some(t) = text {
                    write!(f, ": {t}")?;
                }
                Ok(())
            }
            Self::Sasl(e) => e.fmt(f),
            Self::NoSupportedMechanism { offered } => write!(
                f,
                "the server offers no login method Parley can use safely (it offers: {})",
                if offered.is_empty() { "none".to_owned() } else { offered.join(", ") }
            ),
            Self::StreamError { condition, text } => {
                write!(f, "the server closed the connection ({condition})")?;
                if let Some(t) = text {
                    write!(f, ": {t}")?;
                }
                Ok(())
            }
            Self::FrameTooLarge { size, limit } => write!(
                f,
                "the server sent a message of {size} bytes, more than the {limit} bytes allowed; disconnected"
            ),
            Self::Timeout { stage } => write!(f, "the server did not answer in time ({stage}); try again"),
            Self::BindFailed { condition } => write!(f, "the server refused to start the session ({condition})"),
            Self::Protocol(what) => write!(f, "the server broke the protocol: {what}"),
            Self::ConnectionLost(None) => f.write_str("the connection to the server was lost"),
            Self::ConnectionLost(Some(CloseReason { code, reason })) if reason.is_empty() => {
                write!(f, "the server closed the connection (code {code})")
            }
            Self::ConnectionLost(Some(CloseReason { code, reason })) => {
                write!(f, "the server closed the connection (code {code}): {reason}")
            }
            Self::NoResponse => f.write_str("the server stopped answering; the connection is lost"),
            Self::SeeOtherUri(uri) => write!(f, "the server redirected to {uri}"),
            Self::Registration(e) => write!(f, "the account was not created: {e}"),
        }
    }
}

/// Why a command sent nothing. Nothing is put on the wire in that case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    Empty,
    NotOnline,
    /// What this changes has not been read from the server yet (bookmarks at login): changing
    /// it now would overwrite what is stored.
    NotLoaded,
    InvalidText(XmlError),
    /// The stanza would be larger than one WebSocket frame servers accept.
    TooLong {
        size: usize,
        limit: usize,
    },
}

impl From<OutboxError> for SendError {
    fn from(e: OutboxError) -> Self {
        match e {
            OutboxError::InvalidXml(e) => Self::InvalidText(e),
            OutboxError::TooLarge { size, limit } => Self::TooLong { size, limit },
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the message is empty"),
            Self::NotOnline => f.write_str("not connected: the message was not sent"),
            Self::NotLoaded => f.write_str("not loaded from the server yet"),
            Self::InvalidText(e) => write!(f, "the message cannot be sent: {e}"),
            Self::TooLong { size, limit } => write!(
                f,
                "the message is too long to send ({} KB; at most {} KB): shorten or split it",
                size.div_ceil(1024),
                limit / 1024
            ),
        }
    }
}

/// Why [`Client::reconnect`](super::Client::reconnect) did not start a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconnectError {
    AlreadyConnected,
    /// Nothing kept to log in with (signed out, or the server refused the credentials).
    NeedsPassword,
}
