//! The application's state, as plain Rust: what the UI shows, kept in stores that know nothing of
//! Leptos or the DOM, so each is tested natively. The UI wraps them in signals (one per store, one
//! per conversation) and feeds them the core's events; they never parse XML.
//!
//! - [`timeline`]: one conversation's messages, keyed by local sequence numbers.
//! - [`grouping`]: day separators and messages grouped by sender.
//! - [`directory`]: the chat list and the message requests from strangers.
//! - [`quick_switch`]: what the Ctrl+K switcher finds for what was typed.
//! - [`roster_view`]: contacts with their presence, sorted and filtered.
//! - [`requests`]: subscription requests waiting for an answer.
//! - [`room_list`]: a room service's rooms in the browser, and which details to ask for.
//! - [`room`]: a room we are in: its phase, subject and occupants.
//! - [`device`]: what a remembered device keeps of an account, as stored.
//! - [`toasts`]: transient notices, bounded.
//! - [`window`]: which rows of a long list are rendered.

pub mod device;
pub mod directory;
pub mod grouping;
pub mod quick_switch;
pub mod requests;
pub mod room;
pub mod room_list;
pub mod roster_view;
pub mod timeline;
pub mod toasts;
pub mod window;
