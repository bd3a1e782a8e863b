//! The one send funnel: every frame the client writes is serialised here, given its stanza id
//! and checked against the size servers accept.
//!
//! RFC 7395 §3.2 puts one XML element in one WebSocket message, and browsers split a long
//! message into several WebSocket frames, which some servers refuse (Prosody 0.12 closes with
//! 1003). A frame over [`Outbox::max_frame_bytes`] is therefore refused before it is queued, with
//! an error the caller can explain; nothing half-sent ends the session.
//!
//! Once XEP-0198 stream management is enabled, every stanza written here is also numbered in the
//! [`Ledger`] until the server acknowledges it, and an `<r/>` follows each batch (see
//! [`stream_management`]).
//!
//! Frames are handed out as [`Zeroizing`] strings: the SASL frames carry the password (PLAIN) or a
//! proof, and every copy the core makes of them is wiped once the transport has sent it.

use super::context::Instant;
use super::ns;
use super::stream_management::{self, Ledger, Tracked};
use super::xml::{Element, XmlError};
use std::collections::VecDeque;
use zeroize::Zeroizing;

/// Why a frame was not queued. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxError {
    InvalidXml(XmlError),
    TooLarge { size: usize, limit: usize },
}

pub struct Outbox {
    id_prefix: String,
    next_id: u64,
    frames: VecDeque<Zeroizing<String>>,
    max_frame_bytes: usize,
    /// Set while stream management counts our stanzas.
    ledger: Option<Ledger>,
    /// The client's clock at its latest input: when an `<r/>` was asked.
    pub(crate) clock: Instant,
}

impl Outbox {
    /// Stays below the 64 KiB at which browsers start splitting messages into frames.
    pub const DEFAULT_MAX_FRAME_BYTES: usize = 60 * 1024;

    pub fn new(id_prefix: String, max_frame_bytes: usize) -> Self {
        Self {
            id_prefix,
            next_id: 0,
            frames: VecDeque::new(),
            max_frame_bytes,
            ledger: None,
            clock: Instant(0),
        }
    }

    /// A stanza id unique in this account's lifetime: a random prefix and a counter.
    pub fn next_id(&mut self) -> String {
        self.next_id += 1;
        format!("{}-{}", self.id_prefix, self.next_id)
    }

    /// Serialises and queues one element.
    pub fn send(&mut self, element: &Element) -> Result<(), OutboxError> {
        self.write(element)
    }

    fn write(&mut self, element: &Element) -> Result<(), OutboxError> {
        let xml = self.serialise(element)?;
        // XEP-0198 §4: stanzas are counted; the stream's own elements are not.
        let stanza = element.ns == ns::CLIENT
            && matches!(element.name.as_str(), "message" | "presence" | "iq");
        if stanza {
            self.send_stanza(xml, None);
        } else {
            self.frames.push_back(xml);
        }
        Ok(())
    }

    /// Serialises an element and checks its size, queueing nothing: for a message kept to be
    /// sent later.
    pub(crate) fn serialise(&self, element: &Element) -> Result<Zeroizing<String>, OutboxError> {
        let xml = Zeroizing::new(element.to_xml().map_err(OutboxError::InvalidXml)?);
        self.check_size(xml.len())?;
        Ok(xml)
    }

    /// Queues a stanza [`Outbox::serialise`] wrote earlier.
    pub(crate) fn send_stanza(&mut self, xml: Zeroizing<String>, tracked: Option<Tracked>) {
        if let Some(ledger) = self.ledger.as_mut() {
            ledger.record(xml.clone(), tracked);
        }
        self.frames.push_back(xml);
    }

    /// XEP-0198 §3: `<enable/>` went out; from now on every stanza is counted.
    pub(crate) fn start_counting(&mut self) {
        self.ledger = Some(Ledger::default());
    }

    /// The stream under the ledger is gone: nothing written from now on is counted.
    pub(crate) fn stop_counting(&mut self) -> Option<Ledger> {
        self.ledger.take()
    }

    pub(crate) fn ledger(&self) -> Option<&Ledger> {
        self.ledger.as_ref()
    }

    pub(crate) fn ledger_mut(&mut self) -> Option<&mut Ledger> {
        self.ledger.as_mut()
    }

    /// XEP-0198 §5: the stream resumed; what the server did not handle goes again, numbered
    /// as before.
    pub(crate) fn resume_counting(&mut self, mut ledger: Ledger) {
        self.frames.extend(ledger.unacked_frames().cloned());
        ledger.resent();
        self.ledger = Some(ledger);
    }

    /// Queues a frame already written into a wiped buffer (SASL).
    pub fn send_secret(&mut self, frame: Zeroizing<String>) -> Result<(), OutboxError> {
        self.push(frame)
    }

    fn check_size(&self, size: usize) -> Result<(), OutboxError> {
        if size > self.max_frame_bytes {
            Err(OutboxError::TooLarge {
                size,
                limit: self.max_frame_bytes,
            })
        } else {
            Ok(())
        }
    }

    fn push(&mut self, frame: Zeroizing<String>) -> Result<(), OutboxError> {
        self.check_size(frame.len())?;
        self.frames.push_back(frame);
        Ok(())
    }

    /// The next frame to send; an `<r/>` follows stanzas not asked about yet.
    pub fn poll(&mut self) -> Option<Zeroizing<String>> {
        if let Some(ledger) = self.ledger.as_mut() {
            if ledger.take_ask(self.clock) {
                if let Ok(xml) = stream_management::request().to_xml() {
                    self.frames.push_back(Zeroizing::new(xml));
                }
            }
        }
        self.frames.pop_front()
    }

    /// Drops what the last connection did not get to send.
    pub fn clear(&mut self) {
        self.frames.clear();
    }
}
