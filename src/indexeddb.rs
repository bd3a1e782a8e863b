//! The remembered devices' database in IndexedDB: one database (`parley`) with two object
//! stores: `accounts`, whose records are a [`Snapshot`]'s JSON keyed by the account's bare
//! address, and `avatars`, the face each contact last showed (`[hash, type, bytes]`) keyed by
//! the account and the contact's address, so a reload shows faces before any connection (with
//! one record more per account: the order they were kept in, to let the oldest go).
//! Nothing else of Parley's is stored here; forgetting an account deletes both kinds of its
//! records, and forgetting the last one deletes the database itself, so a forgotten device
//! holds no Parley database at all.
//!
//! Written on web-sys rather than a crate for a measured reason: with the `idb` crate (and the
//! tokio channels it pulls into the wasm) the release bundle was 382.5 KB with brotli, with these
//! few calls 376.6 KB.
//!
//! [`Snapshot`]: crate::store::device::Snapshot

use crate::transport::websocket::js_error_text;
use js_sys::{Array, Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    EventTarget, IdbDatabase, IdbFactory, IdbObjectStore, IdbOpenDbRequest, IdbRequest,
    IdbTransactionMode,
};

const DATABASE: &str = "parley";
const VERSION: u32 = 2;
const ACCOUNTS: &str = "accounts";
const AVATARS: &str = "avatars";
/// Faces kept per account: the rows someone scrolled past, not a whole 20,000-contact roster.
/// Past it, the one saved longest ago goes (the order is one more record of the account's).
pub const MAX_AVATARS: u32 = 500;

/// IndexedDB could not be used: a private window, storage partitioned or refused in an iframe,
/// a full disk. The client goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

fn failed(e: JsValue) -> StorageError {
    StorageError(js_error_text(&e))
}

type Handler = Closure<dyn FnMut(web_sys::Event)>;

/// One outcome of an IndexedDB request or transaction: its `ok` event, or `error`/`abort`.
/// The listeners are attached when it is made (before anything can fire) and removed when it
/// is dropped.
struct Outcome {
    target: EventTarget,
    ok: &'static str,
    promise: Promise,
    handlers: Option<(Handler, Handler)>,
}

impl Outcome {
    fn of(target: &EventTarget, ok: &'static str) -> Self {
        let mut handlers = None;
        let promise = Promise::new(&mut |resolve: Function, reject: Function| {
            let on_ok = Handler::new(move |_| {
                let _ = resolve.call0(&JsValue::NULL);
            });
            let on_fail = Handler::new(move |_| {
                let _ = reject.call0(&JsValue::NULL);
            });
            let _ = target.add_event_listener_with_callback(ok, on_ok.as_ref().unchecked_ref());
            for event in ["error", "abort"] {
                let _ = target
                    .add_event_listener_with_callback(event, on_fail.as_ref().unchecked_ref());
            }
            handlers = Some((on_ok, on_fail));
        });
        Self {
            target: target.clone(),
            ok,
            promise,
            handlers,
        }
    }

    async fn wait(self, what: &str) -> Result<(), StorageError> {
        JsFuture::from(self.promise.clone())
            .await
            .map(|_| ())
            .map_err(|_| StorageError(format!("{what} failed")))
    }
}

impl Drop for Outcome {
    fn drop(&mut self) {
        if let Some((on_ok, on_fail)) = &self.handlers {
            let _ = self
                .target
                .remove_event_listener_with_callback(self.ok, on_ok.as_ref().unchecked_ref());
            for event in ["error", "abort"] {
                let _ = self
                    .target
                    .remove_event_listener_with_callback(event, on_fail.as_ref().unchecked_ref());
            }
        }
    }
}

fn factory() -> Result<IdbFactory, StorageError> {
    web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| StorageError("IndexedDB is not available".to_owned()))
}

/// Whether the database exists, asked without creating it (`open` would). Browsers without
/// `indexedDB.databases()` are answered "maybe", and opened.
async fn exists(factory: &IdbFactory) -> Result<bool, StorageError> {
    let Some(databases) = js_sys::Reflect::get(factory, &"databases".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return Ok(true);
    };
    let promise: Promise = databases
        .call0(factory)
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    let list = JsFuture::from(promise).await.map_err(failed)?;
    Ok(Array::from(&list).iter().any(|info| {
        js_sys::Reflect::get(&info, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == DATABASE)
    }))
}

async fn open(factory: &IdbFactory) -> Result<IdbDatabase, StorageError> {
    let request: IdbOpenDbRequest = factory.open_with_u32(DATABASE, VERSION).map_err(failed)?;
    // Version 2 adds the avatars beside version 1's accounts: whatever is missing is made.
    let upgrade = {
        let request = request.clone();
        Handler::new(move |_| {
            if let Ok(database) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                for store in [ACCOUNTS, AVATARS] {
                    if !database.object_store_names().contains(store) {
                        let _ = database.create_object_store(store);
                    }
                }
            }
        })
    };
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = Outcome::of(&request, "success")
        .wait("opening the database")
        .await;
    request.set_onupgradeneeded(None);
    opened?;
    request.result().map_err(failed)?.dyn_into().map_err(failed)
}

/// Whether this browser may keep a remembered device ("maybe" counts as yes), asked without
/// making the database: the first page (src/first) leaves such a visit to the app.
pub async fn may_keep_anything() -> bool {
    match factory() {
        Ok(factory) => exists(&factory).await.unwrap_or(true),
        Err(_) => false,
    }
}

/// Every stored record, as stored; none (and no database made) where there is no database.
pub async fn load_all() -> Result<Vec<String>, StorageError> {
    let factory = factory()?;
    if !exists(&factory).await? {
        return Ok(Vec::new());
    }
    let database = open(&factory).await?;
    let result = async {
        let transaction = database.transaction_with_str(ACCOUNTS).map_err(failed)?;
        let request = transaction
            .object_store(ACCOUNTS)
            .map_err(failed)?
            .get_all()
            .map_err(failed)?;
        Outcome::of(&request, "success").wait("reading").await?;
        let values = Array::from(&request.result().map_err(failed)?);
        Ok(values.iter().filter_map(|v| v.as_string()).collect())
    }
    .await;
    database.close();
    result
}

/// `use_it` with the database open; it is closed after, whatever happened.
async fn with_database<T>(
    use_it: impl AsyncFnOnce(&IdbDatabase) -> Result<T, StorageError>,
) -> Result<T, StorageError> {
    let database = open(&factory()?).await?;
    let result = use_it(&database).await;
    database.close();
    result
}

/// One read-write transaction on `store` in which `change` makes its requests; resolves once
/// it is committed.
async fn write(
    store: &str,
    change: impl FnOnce(&IdbObjectStore) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    with_database(async |database| {
        let transaction = database
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readwrite)
            .map_err(failed)?;
        let complete = Outcome::of(&transaction, "complete");
        change(&transaction.object_store(store).map_err(failed)?)?;
        complete.wait("writing").await
    })
    .await
}

/// Writes `account`'s record.
pub async fn save(account: &str, json: &str) -> Result<(), StorageError> {
    write(ACCOUNTS, |store| {
        store
            .put_with_key(&JsValue::from_str(json), &JsValue::from_str(account))
            .map(drop)
            .map_err(failed)
    })
    .await
}

/// Deletes `account`'s record, and the database once no record is left.
pub async fn forget(account: &str) -> Result<(), StorageError> {
    let factory = factory()?;
    let database = open(&factory).await?;
    let left = async {
        let transaction = database
            .transaction_with_str_sequence_and_mode(&both(), IdbTransactionMode::Readwrite)
            .map_err(failed)?;
        let complete = Outcome::of(&transaction, "complete");
        let store = transaction.object_store(ACCOUNTS).map_err(failed)?;
        store.delete(&JsValue::from_str(account)).map_err(failed)?;
        transaction
            .object_store(AVATARS)
            .map_err(failed)?
            .delete(&faces_of(account)?)
            .map_err(failed)?;
        transaction
            .object_store(AVATARS)
            .map_err(failed)?
            .delete(&order_key(account))
            .map_err(failed)?;
        let count = store.count().map_err(failed)?;
        complete.wait("deleting").await?;
        Ok::<_, StorageError>(count.result().map_err(failed)?.as_f64().unwrap_or(1.0))
    }
    .await;
    database.close();
    if left? == 0.0 {
        let request = factory.delete_database(DATABASE).map_err(failed)?;
        Outcome::of(&request, "success")
            .wait("deleting the database")
            .await?;
    }
    Ok(())
}

fn both() -> JsValue {
    Array::of2(&ACCOUNTS.into(), &AVATARS.into()).into()
}

/// The key of `contact`'s face for `account`; the separator cannot be in an address.
fn face_key(account: &str, contact: &str) -> JsValue {
    JsValue::from_str(&format!("{account}\n{contact}"))
}

/// Every face key of `account` (keys compare by UTF-16 code unit: U+FFFF is above any that can
/// follow the separator in an address).
fn faces_of(account: &str) -> Result<JsValue, StorageError> {
    web_sys::IdbKeyRange::bound(
        &JsValue::from_str(&format!("{account}\n")),
        &JsValue::from_str(&format!("{account}\n\u{ffff}")),
    )
    .map(JsValue::from)
    .map_err(failed)
}

/// One face as kept: the contact, the image's hash and type, and its bytes.
pub struct StoredFace {
    pub contact: String,
    pub hash: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// The key of the order in which `account`'s faces were kept, oldest first: outside
/// [`faces_of`]'s range (a tab sorts before the separator, and cannot be in an address).
fn order_key(account: &str) -> JsValue {
    JsValue::from_str(&format!("{account}\t"))
}

/// What `request` gave, once it succeeded.
async fn result_of(request: &IdbRequest, what: &str) -> Result<JsValue, StorageError> {
    Outcome::of(request, "success").wait(what).await?;
    request.result().map_err(failed)
}

/// `account`'s contacts whose faces are kept, the least recently saved first. Faces kept before
/// there was an order come in the order of their keys.
async fn read_order(store: &IdbObjectStore, account: &str) -> Result<Vec<String>, StorageError> {
    let order = result_of(&store.get(&order_key(account)).map_err(failed)?, "reading").await?;
    if !order.is_undefined() {
        return Ok(Array::from(&order)
            .iter()
            .filter_map(|c| c.as_string())
            .collect());
    }
    let keys = store
        .get_all_keys_with_key(&faces_of(account)?)
        .map_err(failed)?;
    let keys = Array::from(&result_of(&keys, "reading").await?);
    let prefix = format!("{account}\n");
    Ok(keys
        .iter()
        .filter_map(|k| Some(k.as_string()?.strip_prefix(&prefix)?.to_owned()))
        .collect())
}

fn write_order(
    store: &IdbObjectStore,
    account: &str,
    order: &[String],
) -> Result<(), StorageError> {
    let list: Array = order.iter().map(|c| JsValue::from_str(c)).collect();
    store
        .put_with_key(&list, &order_key(account))
        .map(drop)
        .map_err(failed)
}

/// One read-write transaction on `account`'s faces: `change` makes its requests and edits the
/// order of the faces kept, which is written back with them.
async fn change_faces(
    account: &str,
    change: impl FnOnce(&IdbObjectStore, &mut Vec<String>) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    with_database(async |database| {
        let transaction = database
            .transaction_with_str_and_mode(AVATARS, IdbTransactionMode::Readwrite)
            .map_err(failed)?;
        let complete = Outcome::of(&transaction, "complete");
        let store = transaction.object_store(AVATARS).map_err(failed)?;
        let mut order = read_order(&store, account).await?;
        change(&store, &mut order)?;
        write_order(&store, account, &order)?;
        complete.wait("writing").await
    })
    .await
}

/// Keeps `face` as `account`'s contact's; past [`MAX_AVATARS`], the face saved longest ago
/// makes room (it is fetched again if it shows again).
pub async fn save_face(account: &str, face: StoredFace) -> Result<(), StorageError> {
    change_faces(account, |store, order| {
        order.retain(|c| *c != face.contact);
        order.push(face.contact.clone());
        let over = order.len().saturating_sub(MAX_AVATARS as usize);
        for oldest in order.drain(..over) {
            store.delete(&face_key(account, &oldest)).map_err(failed)?;
        }
        let value = Array::of3(
            &JsValue::from_str(&face.hash),
            &JsValue::from_str(&face.mime),
            &js_sys::Uint8Array::from(face.bytes.as_slice()),
        );
        store
            .put_with_key(&value, &face_key(account, &face.contact))
            .map(drop)
            .map_err(failed)
    })
    .await
}

/// `account`'s contact shows no face any more.
pub async fn forget_face(account: &str, contact: &str) -> Result<(), StorageError> {
    change_faces(account, |store, order| {
        order.retain(|c| c != contact);
        store
            .delete(&face_key(account, contact))
            .map(drop)
            .map_err(failed)
    })
    .await
}

/// Every face kept of `account`'s contacts; a record that does not read is skipped.
pub async fn load_faces(account: &str) -> Result<Vec<StoredFace>, StorageError> {
    with_database(async |database| {
        let transaction = database.transaction_with_str(AVATARS).map_err(failed)?;
        let store = transaction.object_store(AVATARS).map_err(failed)?;
        let range = faces_of(account)?;
        let keys = store.get_all_keys_with_key(&range).map_err(failed)?;
        let values = store.get_all_with_key(&range).map_err(failed)?;
        Outcome::of(&values, "success").wait("reading").await?;
        let keys = Array::from(&keys.result().map_err(failed)?);
        let values = Array::from(&values.result().map_err(failed)?);
        let prefix = format!("{account}\n");
        Ok(keys
            .iter()
            .zip(values.iter())
            .filter_map(|(key, value)| {
                let contact = key.as_string()?.strip_prefix(&prefix)?.to_owned();
                let value = Array::from(&value);
                Some(StoredFace {
                    contact,
                    hash: value.get(0).as_string()?,
                    mime: value.get(1).as_string()?,
                    bytes: value.get(2).dyn_into::<js_sys::Uint8Array>().ok()?.to_vec(),
                })
            })
            .collect())
    })
    .await
}
