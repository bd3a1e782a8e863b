//! The sans-IO XMPP core.
//!
//! Everything here is plain Rust: frames (RFC 7395, one complete element each) and the clock go in
//! through [`Client::handle_frame`] and [`Client::handle_timeout`]; frames to send and events for the
//! application come out of [`Client::poll_transmit`] and [`Client::poll_event`]. Nothing here opens a
//! socket, reads the clock, sleeps or touches the DOM, so every behaviour is a plain unit test driven by
//! scripted server frames.
//!
//! The account ([`client`]) outlives connections; one connection's negotiation is a [`stream`].
//! Once bound, the client routes each stanza to the module of its protocol:
//! - [`xml`]: frame parsing on quick-xml with limits, and the escaping writer (RFC 6120 §11).
//! - [`stanza`]: typed stream and stanza values (RFC 6120 §4, §8; RFC 7395 §3).
//! - [`stream`]: open, features, SASL, restart, bind (RFC 6120 §4-§7, RFC 7395).
//! - [`sasl`]: SCRAM-SHA-1/256/512 (RFC 5802, RFC 7677) and PLAIN (RFC 4616);
//!   [`saslprep`]: RFC 4013.
//! - [`outbox`]: the send funnel and its frame limit; [`request`]: iq requests and their answers.
//! - [`roster`], [`presence`], [`subscription`]: RFC 6121 §2-§4.
//! - [`message`]: one-to-one chat (RFC 6121 §5, XEP-0359 ids, XEP-0085 chat states);
//!   [`delay`]: XEP-0203 stamps.
//! - [`muc`]: group chat (XEP-0045), with [`disco`] queries (XEP-0030) and [`rsm`] paging
//!   (XEP-0059); [`bookmarks`]: XEP-0402, or XEP-0048 where it is missing; [`mam`]: a room's
//!   archive (XEP-0313) on entering it.
//! - [`blocking`]: XEP-0191, the blocklist, and dropping what a blocked address sends.
//! - [`register`]: XEP-0077, creating the account before login, its password and its removal,
//!   with the server's [`data_form`] (XEP-0004).
//! - [`carbons`] (XEP-0280), [`forward`] (XEP-0297), [`ping`] (XEP-0199), [`disco`] (XEP-0030).
//! - [`context`]: what a module works with: the clock, the identity, its borrow of the client.
//! - [`event`]: what the application hears, by domain.

pub mod avatar;
pub mod blocking;
pub mod bookmarks;
pub mod caps;
pub mod carbons;
pub mod client;
pub mod confusables;
pub mod context;
pub mod correction;
pub mod data_form;
pub mod delay;
pub mod disco;
pub mod entropy;
pub mod error;
pub mod event;
pub mod forward;
pub mod jid;
pub mod mam;
pub mod message;
pub mod muc;
pub mod nick;
pub mod ns;
pub mod outbox;
mod pep;
pub mod ping;
pub mod presence;
pub mod receipts;
pub mod register;
pub mod request;
pub mod roster;
pub mod rsm;
pub mod sasl;
pub mod saslprep;
pub mod stanza;
pub mod stream;
pub mod stream_management;
pub mod subscription;
pub mod vcard;
pub mod xml;

pub use avatar::{AvatarEvent, PublishError, Refusal};
pub use blocking::BlockingEvent;
pub use caps::CapsEvent;
pub use client::{Client, ClientConfig};
pub use context::{Identity, Instant};
pub use error::{CloseReason, ReconnectError, SendError, SessionError};
pub use event::{ChatEvent, ConnectionEvent, ConnectionState, Event, RoomEvent, RosterEvent};
pub use mam::{ArchiveMark, ConversationMark};
pub use message::{ChatMessage, Direction};
pub use nick::NickEvent;
pub use presence::{Availability, ContactPresence, ResourceStatus};
pub use receipts::Receipt;
pub use register::{AccountEvent, RegisterError, RegistrationForm};
pub use roster::{RosterCache, RosterItem, Subscription};
pub use sasl::{Mechanism, ScramKeys, Secret};
pub use vcard::{VCardEvent, VCardField};
