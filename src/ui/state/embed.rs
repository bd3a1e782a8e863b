//! Embed mode's state: what the page's address asked for (read once at start) and how many
//! messages from parent pages were ignored.

use crate::embed::{EmbedRequest, Only};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Embedding {
    request: StoredValue<EmbedRequest>,
    /// The compact layout: the address asked for it, or `config.json` did.
    pub compact: RwSignal<bool>,
    /// Messages to the iframe API that were not heard: a foreign origin, another sender than the
    /// parent, or a malformed shape.
    pub ignored: RwSignal<u32>,
    /// The asked-for conversation was opened in this login.
    pub(super) opened: StoredValue<bool>,
}

impl Embedding {
    pub(super) fn new(request: EmbedRequest) -> Self {
        Self {
            compact: RwSignal::new(request.embed),
            request: StoredValue::new(request),
            ignored: RwSignal::new(0),
            opened: StoredValue::new(false),
        }
    }

    /// The one conversation the address asked to show, alone.
    pub fn only(&self) -> Option<Only> {
        self.request.with_value(|r| r.only.clone())
    }
}
