//! The one send funnel: every frame the client writes is serialised here, given its stanza id
//! and checked against the size servers accept.
//!
//! RFC 7395 §3.2 puts one XML element in one WebSocket message, and browsers split a long
//! message into several WebSocket frames, which some servers refuse (Prosody 0.12 closes with
//! 1003). A frame over [`Outbox::max_frame_bytes`] is therefore refused before it is queued, with
//! an error the caller can explain; nothing half-sent ends the session.
//!
//! Frames are handed out as [`Zeroizing`] strings: the SASL frames carry the password (PLAIN) or a
//! proof, and every copy the core makes of them is wiped once the transport has sent it.

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
        }
    }

    /// A stanza id unique in this account's lifetime: a random prefix and a counter.
    pub fn next_id(&mut self) -> String {
        self.next_id += 1;
        format!("{}-{}", self.id_prefix, self.next_id)
    }

    /// Serialises and queues one element.
    pub fn send(&mut self, element: &Element) -> Result<(), OutboxError> {
        let xml = element.to_xml().map_err(OutboxError::InvalidXml)?;
        self.push(Zeroizing::new(xml))
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

    pub fn poll(&mut self) -> Option<Zeroizing<String>> {
        self.frames.pop_front()
    }

    /// Drops what the last connection did not get to send.
    pub fn clear(&mut self) {
        self.frames.clear();
    }
}
