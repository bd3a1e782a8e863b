//! The sans-IO XMPP core.
//!
//! Everything here is plain Rust: frames (RFC 7395, one complete element each) and the clock go in
//! through [`Session::handle_frame`] and [`Session::handle_timeout`]; frames to send and events for the
//! application come out of [`Session::poll_transmit`] and [`Session::poll_event`]. Nothing here opens a
//! socket, reads the clock, sleeps or touches the DOM, so every behaviour is a plain unit test driven by
//! scripted server frames.
//!
//! One module per protocol concern:
//! - [`xml`]: frame parsing on quick-xml with limits, and the escaping writer (RFC 6120 §11).
//! - [`stanza`]: typed stream and stanza values (RFC 6120 §4, §8; RFC 7395 §3).
//! - [`sasl`]: SCRAM-SHA-1/256/512 (RFC 5802, RFC 7677) and PLAIN (RFC 4616);
//!   [`saslprep`]: RFC 4013.
//! - [`roster`], [`presence`], [`message`]: RFC 6121, XEP-0359, XEP-0085.
//! - [`delay`]: XEP-0203 stamps of messages that arrive late.
//! - [`session`]: the connection state machine tying them together.

pub mod delay;
pub mod entropy;
pub mod error;
pub mod jid;
pub mod message;
pub mod ns;
pub mod presence;
pub mod roster;
pub mod sasl;
pub mod saslprep;
pub mod session;
pub mod stanza;
pub mod xml;

pub use error::SessionError;
pub use message::{ChatMessage, Direction};
pub use presence::{Availability, ContactPresence};
pub use roster::{RosterItem, Subscription};
pub use session::{ConnectionState, Event, Instant, Session, SessionConfig};
