//! Received frames, handled in the order they came, a large one a slice at a time.
//!
//! Parsing a roster of 10,000 (over a megabyte) took one task of 60-90 ms in the browser, past
//! the 50 ms after which a page feels stuck. A frame longer than
//! [`ClientConfig::sliced_frame_bytes`](super::ClientConfig::sliced_frame_bytes) is parsed
//! [`SLICE_ELEMENTS`] elements per call instead: [`Client::handle_frame`] only takes it in, and
//! each [`Client::continue_frames`] parses the next slice, the caller giving the page its turn
//! in between. Frames that arrive meanwhile wait behind it, so stanzas are still handled in stream
//! order (RFC 6120 §10.1). The stream ending drops what is waiting with it.

use super::Client;
use crate::xmpp::context::Instant;
use crate::xmpp::error::SessionError;
use crate::xmpp::event::Event;
use crate::xmpp::stanza::{self, Frame, FrameError};
use crate::xmpp::xml::{Slice, SlicedFrame};
use std::collections::VecDeque;

/// Elements one slice closes: a roster item and its group are two. About 10 ms in the browser.
pub const SLICE_ELEMENTS: usize = 5_000;

#[derive(Default)]
pub(super) struct Intake {
    parsing: Option<SlicedFrame>,
    waiting: VecDeque<String>,
}

impl Client {
    /// Feeds one received WebSocket text frame.
    pub fn handle_frame(&mut self, frame: &str, now: Instant) {
        if self.stream.is_none() {
            return;
        }
        if frame.len() > self.config.max_frame_bytes {
            return self.handle_oversized_frame(frame.len(), now);
        }
        self.ping.heard(now);
        if self.frames_waiting() {
            self.intake.waiting.push_back(frame.to_owned());
        } else if frame.len() > self.config.sliced_frame_bytes {
            // Not a slice yet: this task already copied a megabyte out of the socket.
            self.intake.parsing = Some(SlicedFrame::new(frame.to_owned()));
        } else {
            self.handle_parsed(stanza::parse(frame), now);
        }
    }

    /// Whether received frames wait for [`Client::continue_frames`].
    pub fn frames_waiting(&self) -> bool {
        self.intake.parsing.is_some() || !self.intake.waiting.is_empty()
    }

    /// Parses the next slice of the large frame in hand. Once it is whole it is handled, with
    /// the frames that waited behind it up to the next large one, which the next call starts.
    pub fn continue_frames(&mut self, now: Instant) {
        if let Some(parse) = self.intake.parsing.as_mut() {
            let parsed = match parse.step(SLICE_ELEMENTS) {
                Ok(Slice::More) => return,
                Ok(Slice::Done(element)) => element.map(Frame::try_from).transpose(),
                Err(e) => Err(FrameError::from(e)),
            };
            self.intake.parsing = None;
            self.handle_parsed(parsed, now);
        }
        while self.intake.parsing.is_none() {
            let Some(frame) = self.intake.waiting.pop_front() else {
                break;
            };
            if frame.len() > self.config.sliced_frame_bytes {
                self.intake.parsing = Some(SlicedFrame::new(frame));
            } else {
                self.handle_parsed(stanza::parse(&frame), now);
            }
        }
    }

    /// The stream is over: what it sent and was not handled goes with it.
    pub(super) fn drop_waiting_frames(&mut self) {
        self.intake = Intake::default();
    }

    fn handle_parsed(&mut self, parsed: Result<Option<Frame>, FrameError>, now: Instant) {
        if self.stream.is_none() {
            return;
        }
        let frame = match parsed {
            Ok(Some(frame)) => frame,
            Ok(None) => return,
            Err(e) => {
                // RFC 6120 says a malformed stream is fatal, but one bad frame from a buggy server or
                // a hostile peer's relayed stanza must not end a person's session: drop it, say so.
                // Dropped is handled, for stream management's count (a bad counter of its own is
                // no stanza).
                let own = matches!(
                    e,
                    FrameError::BadAttribute { element: "sm", .. }
                        | FrameError::MissingAttribute { element: "sm", .. }
                );
                if !own {
                    self.sm.handled_one();
                }
                self.events
                    .push_back(Event::Warning(format!("dropped a frame: {e}")));
                return;
            }
        };
        match frame {
            Frame::StreamError(e) => self.fail(
                SessionError::StreamError {
                    condition: e.condition,
                    text: e.text,
                },
                now,
            ),
            Frame::Close(close) => self.handle_close(close.see_other_uri, now),
            frame => self.handle_in_stream(frame, now),
        }
    }
}
