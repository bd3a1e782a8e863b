//! "Remember this device" (off by default): only when the person ticks it at login does Parley
//! write anything, a [`Snapshot`] per account in IndexedDB ([`crate::indexeddb`]): the roster,
//! the latest messages of the recent conversations, where the archive was read to, and while
//! signed in, SCRAM's salted password (never the password). A reload then shows them at once,
//! signs in again with the keys and fetches only what is new. Logging out removes the keys
//! (and with "forget this device", everything); a login without the box ticked erases what an
//! earlier one kept of that account. Where IndexedDB refuses, the client works without it and
//! says so once.

use super::connection::{LinkState, Phase};
use super::notices::UiError;
use super::AppState;
use crate::indexeddb;
use crate::store::device::{Snapshot, MAX_CONVERSATIONS};
use crate::store::directory::Section;
use crate::transport::websocket::connect_with;
use crate::xmpp::jid::BareJid;
use crate::xmpp::{ArchiveMark, Client, RosterCache, RosterItem, Secret};
use leptos::prelude::*;
use std::time::Duration;

/// Changes are gathered this long before a write.
const SAVE_DELAY: Duration = Duration::from_secs(2);
/// The login form waits at most this long for the device's records at start.
const START_WAIT: Duration = Duration::from_millis(1_500);

#[derive(Clone, Copy)]
pub struct Device {
    /// The signed-in account is remembered here.
    pub remembered: RwSignal<bool>,
    /// Ticked next to "sign out": everything stored of the account goes with the logout.
    pub forget_on_logout: RwSignal<bool>,
    /// Accounts kept here while signed out: the login page offers to forget them.
    pub kept: RwSignal<Vec<BareJid>>,
    /// At start, the device's records are being read: a remembered account's shell comes
    /// first, without a glimpse of the login form.
    pub starting: RwSignal<bool>,
    /// The endpoint of the signed-in account, for the next reload.
    endpoint: StoredValue<String>,
    save_pending: StoredValue<bool>,
    said_unavailable: StoredValue<bool>,
}

impl Device {
    pub(super) fn new() -> Self {
        Self {
            remembered: RwSignal::new(false),
            forget_on_logout: RwSignal::new(false),
            kept: RwSignal::new(Vec::new()),
            starting: RwSignal::new(true),
            endpoint: StoredValue::new(String::new()),
            save_pending: StoredValue::new(false),
            said_unavailable: StoredValue::new(false),
        }
    }

    fn unavailable(&self, state: &AppState, error: indexeddb::StorageError) {
        leptos::logging::warn!("parley: IndexedDB: {}", error.0);
        if !self.said_unavailable.get_value() {
            self.said_unavailable.set_value(true);
            state.notices.push(UiError::StorageUnavailable);
        }
    }

    /// Something changed that a remembered device keeps: written a little later, once.
    pub fn changed(&self, state: &AppState) {
        if !self.remembered.get_untracked() || self.save_pending.get_value() {
            return;
        }
        self.save_pending.set_value(true);
        let (device, state) = (*self, *state);
        set_timeout(
            move || {
                if device.save_pending.try_set_value(false).is_none() {
                    device.save(&state, true);
                }
            },
            SAVE_DELAY,
        );
    }

    /// What the page shows of the signed-in account, with the keys if `keep_keys`.
    fn snapshot(&self, state: &AppState, keep_keys: bool) -> Option<Snapshot> {
        let jid = state.connection.own_jid.get_untracked()?;
        let account = state.account()?;
        let mut snapshot =
            Snapshot::new(&jid, &self.endpoint.get_value(), js_sys::Date::now() as i64);
        let has_keys = account.command(|client, _| {
            if keep_keys {
                snapshot.set_keys(client.scram_keys());
            }
            snapshot.set_roster(client.roster().items(), client.roster().version());
            snapshot.archive_newest = client.archive_newest().map(str::to_owned);
            client.scram_keys().is_some()
        });
        // Signed in without keys (the account is closing): a write now would sign the next
        // reload out. The next change writes again.
        if keep_keys && !has_keys {
            return None;
        }
        for (peer, unread, timeline) in state.chats.recent(MAX_CONVERSATIONS * 2) {
            if !state.rooms.is_room(&peer) {
                timeline.with_untracked(|t| {
                    snapshot.add_conversation(&peer, Section::Chats, unread, t)
                });
            }
        }
        Some(snapshot)
    }

    fn save(&self, state: &AppState, keep_keys: bool) {
        if !self.remembered.get_untracked() {
            return;
        }
        let Some(snapshot) = self.snapshot(state, keep_keys) else {
            return;
        };
        let (device, state) = (*self, *state);
        leptos::task::spawn_local(async move {
            if let Err(e) = indexeddb::save(&snapshot.account, &snapshot.to_json()).await {
                device.unavailable(&state, e);
            }
        });
    }

    /// A remembered device keeps the face each contact shows, so the next start shows it
    /// before any connection; a contact who shows none any more has theirs forgotten.
    pub fn avatar_seen(&self, state: &AppState, event: &crate::xmpp::AvatarEvent) {
        use crate::xmpp::AvatarEvent;
        if !self.remembered.get_untracked() {
            return;
        }
        let Some(own) = state.connection.own_jid.get_untracked() else {
            return;
        };
        let (device, state) = (*self, *state);
        match event {
            AvatarEvent::Loaded {
                jid,
                hash,
                mime,
                bytes,
            } => {
                let face = indexeddb::StoredFace {
                    contact: jid.to_string(),
                    hash: hash.clone(),
                    mime: (*mime).to_owned(),
                    bytes: bytes.clone(),
                };
                leptos::task::spawn_local(async move {
                    if let Err(e) = indexeddb::save_face(own.as_str(), face).await {
                        device.unavailable(&state, e);
                    }
                });
            }
            AvatarEvent::Changed { jid, hash: None } => {
                let contact = jid.to_string();
                leptos::task::spawn_local(async move {
                    if let Err(e) = indexeddb::forget_face(own.as_str(), &contact).await {
                        device.unavailable(&state, e);
                    }
                });
            }
            _ => {}
        }
    }

    /// The faces kept of `jid`'s contacts go on the page (after its roster).
    fn show_faces(state: &AppState, jid: &BareJid) {
        let (avatars, account) = (state.avatars, jid.to_string());
        leptos::task::spawn_local(async move {
            match indexeddb::load_faces(&account).await {
                Ok(faces) => avatars.restore(faces),
                Err(e) => leptos::logging::warn!("parley: IndexedDB: {}", e.0),
            }
        });
    }

    /// A login is starting. Remembered: the device's copy of the account is shown now and
    /// the archive mark returned for the client; not remembered: a copy kept earlier goes.
    pub async fn login(
        &self,
        state: &AppState,
        jid: &BareJid,
        endpoint: &str,
        remember: bool,
    ) -> Option<DeviceCopy> {
        self.remembered.set(remember);
        self.forget_on_logout.set(false);
        self.endpoint.set_value(endpoint.to_owned());
        let kept = self.kept.get_untracked().contains(jid);
        self.kept.update(|k| k.retain(|j| j != jid));
        if !remember {
            if kept {
                if let Err(e) = indexeddb::forget(jid.as_str()).await {
                    leptos::logging::warn!("parley: IndexedDB: {}", e.0);
                }
            }
            return None;
        }
        match stored(jid).await {
            Ok(snapshot) => {
                let copy = show(state, &snapshot?);
                Self::show_faces(state, jid);
                Some(copy)
            }
            Err(e) => {
                self.unavailable(state, e);
                None
            }
        }
    }

    /// At start: the most recent account still signed in here is shown and signs in again;
    /// the others (signed out, kept) are listed on the login page.
    pub async fn start(&self, state: &AppState, config: &crate::config::Config) {
        let starting = self.starting;
        // A storage that never answers must not keep the login form away.
        set_timeout(move || starting.set(false), START_WAIT);
        self.look(state, config).await;
        starting.set(false);
    }

    async fn look(&self, state: &AppState, config: &crate::config::Config) {
        // Nobody chose anything in this visit: a browser without storage is not news.
        let Ok(stored) = indexeddb::load_all().await else {
            return;
        };
        let mut snapshots: Vec<Snapshot> =
            stored.iter().filter_map(|j| Snapshot::parse(j)).collect();
        snapshots.sort_by_key(|s| std::cmp::Reverse(s.saved_at));
        let signed_in = snapshots.iter().position(|s| s.keys().is_some());
        // Reading a copy of 10,000 contacts is a long step, and showing them another: the page
        // gets its turn between the two.
        if signed_in.is_some() {
            next_task().await;
        }
        // The person may have started signing in meanwhile.
        if state.connection.phase.get_untracked() != Phase::LoggedOut {
            return;
        }
        let resumed = signed_in.map(|at| snapshots.remove(at));
        self.kept
            .set(snapshots.iter().filter_map(Snapshot::account).collect());
        if let Some(snapshot) = resumed {
            self.resume(state, snapshot, config);
        }
    }

    fn resume(&self, state: &AppState, snapshot: Snapshot, config: &crate::config::Config) {
        let (Some(jid), Some(keys)) = (snapshot.account(), snapshot.keys()) else {
            return;
        };
        self.remembered.set(true);
        self.endpoint.set_value(snapshot.endpoint.clone());
        let generation = state.connection.begin_login();
        state.connection.own_jid.set(Some(jid.clone()));
        state.connection.last_address.set(jid.to_string());
        state.connection.link.set(LinkState::Reconnecting);
        state.connection.phase.set(Phase::Shell);
        let client_config = config.client_config(jid.clone());
        let sink_state = *state;
        // The socket first: its TLS and WebSocket handshakes go on while the copy is put on
        // the page (at 10,000 contacts, tens of milliseconds), and its frames come in later
        // tasks, after the copy is shown.
        let (copy, items) = read_copy(&snapshot);
        let connected = connect_with(
            &snapshot.endpoint,
            client_config,
            Secret::Scram(keys),
            true,
            move |update| sink_state.apply(generation, update),
        );
        show_items(state, &snapshot, items);
        Self::show_faces(state, &jid);
        match connected {
            Ok(account) => {
                account.command(|client, _| copy.restore(client));
                state.connection.set_account(account);
            }
            Err(e) => {
                // The endpoint is refused now (a policy changed): the form, with the reason.
                self.credentials_refused(&jid);
                state.connection.signed_out();
                state.connection.last_address.set(jid.to_string());
                state.connection.login_error.set(Some(UiError::Connect(e)));
                state.reset();
            }
        }
    }

    /// Signing out: the keys go (and with "forget", everything of the account). What the page
    /// shows is written one last time first.
    pub fn logout(&self, state: &AppState) {
        if !self.remembered.get_untracked() {
            return;
        }
        self.remembered.set(false);
        let Some(jid) = state.connection.own_jid.get_untracked() else {
            return;
        };
        let forget = self.forget_on_logout.get_untracked();
        self.forget_on_logout.set(false);
        let last = if forget {
            None
        } else {
            self.keep(&jid);
            self.snapshot(state, false)
        };
        let (device, state) = (*self, *state);
        leptos::task::spawn_local(async move {
            let done = match last {
                Some(snapshot) => indexeddb::save(&snapshot.account, &snapshot.to_json()).await,
                None => indexeddb::forget(jid.as_str()).await,
            };
            if let Err(e) = done {
                device.unavailable(&state, e);
            }
        });
    }

    /// `jid` is kept here while signed out: the login page lists it.
    fn keep(&self, jid: &BareJid) {
        self.kept.update(|k| {
            if !k.contains(jid) {
                k.push(jid.clone());
            }
        });
    }

    /// The login page's "forget": everything kept of `jid` goes.
    pub fn forget(&self, state: &AppState, jid: BareJid) {
        self.kept.update(|k| k.retain(|j| *j != jid));
        let (device, state) = (*self, *state);
        leptos::task::spawn_local(async move {
            if let Err(e) = indexeddb::forget(jid.as_str()).await {
                device.unavailable(&state, e);
            }
        });
    }

    /// The server refused the kept keys (the password changed): they go; what the device shows
    /// stays for the next login.
    pub fn credentials_refused(&self, jid: &BareJid) {
        if !self.remembered.get_untracked() {
            return;
        }
        self.remembered.set(false);
        let (device, jid) = (*self, jid.clone());
        leptos::task::spawn_local(async move {
            if let Ok(Some(mut snapshot)) = stored(&jid).await {
                snapshot.credentials = None;
                device.keep(&jid);
                if let Err(e) = indexeddb::save(&snapshot.account, &snapshot.to_json()).await {
                    leptos::logging::warn!("parley: IndexedDB: {}", e.0);
                }
            }
        });
    }
}

/// The record kept of `jid`, if there is one that reads.
async fn stored(jid: &BareJid) -> Result<Option<Snapshot>, indexeddb::StorageError> {
    Ok(indexeddb::load_all()
        .await?
        .iter()
        .filter_map(|json| Snapshot::parse(json))
        .find(|s| s.account().as_ref() == Some(jid)))
}

/// What the client picks up from a remembered device: where the archive was read to, and the
/// roster with its version when the copy is whole.
pub struct DeviceCopy {
    archive: ArchiveMark,
    roster: Option<RosterCache>,
}

impl DeviceCopy {
    /// Call before the first login.
    pub fn restore(self, client: &mut Client) {
        client.restore_archive(self.archive);
        if let Some(roster) = self.roster {
            client.restore_roster(roster);
        }
    }
}

/// What the client takes of a snapshot, and its roster's items for the page.
fn read_copy(snapshot: &Snapshot) -> (DeviceCopy, Vec<RosterItem>) {
    let items = snapshot.roster_items();
    let copy = DeviceCopy {
        archive: snapshot.archive_mark(),
        roster: snapshot.roster_cache(&items),
    };
    (copy, items)
}

/// Puts a snapshot's roster and conversations on the page; returns what the client takes.
fn show(state: &AppState, snapshot: &Snapshot) -> DeviceCopy {
    let (copy, items) = read_copy(snapshot);
    show_items(state, snapshot, items);
    copy
}

/// Puts a snapshot's roster (`items`, read from it) and conversations on the page.
fn show_items(state: &AppState, snapshot: &Snapshot, items: Vec<RosterItem>) {
    state.contacts.roster.update(|r| {
        r.load(items);
    });
    state.chats.restore(snapshot.restored());
}

/// Resolves in a later task of the page (at once where no timer can be set).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
