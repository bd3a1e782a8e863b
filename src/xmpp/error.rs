//! Why a session ended. Each variant's message tells the person what happened and what to do.

use super::sasl::SaslError;
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
    /// The WebSocket closed without the stream being closed.
    ConnectionLost,
    /// RFC 7395 §3.6.1: the server asked us to reconnect to another URI. The transport decides
    /// whether that URI is acceptable (wss only).
    SeeOtherUri(String),
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
            Self::ConnectionLost => f.write_str("the connection to the server was lost"),
            Self::SeeOtherUri(uri) => write!(f, "the server redirected to {uri}"),
        }
    }
}
