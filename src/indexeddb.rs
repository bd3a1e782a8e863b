//! The remembered devices' database in IndexedDB, through the `idb` crate: one database
//! (`parley`), one object store (`accounts`) whose records are a [`Snapshot`]'s JSON, keyed by
//! the account's bare address. Nothing else of Parley's is stored here, and forgetting the last
//! account deletes the database itself, so a forgotten device holds no Parley database at all.
//!
//! [`Snapshot`]: crate::store::device::Snapshot

use idb::{DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};

const DATABASE: &str = "parley";
const VERSION: u32 = 1;
const ACCOUNTS: &str = "accounts";

/// IndexedDB could not be used: a private window, storage partitioned or refused in an iframe,
/// a full disk. The client goes on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl From<idb::Error> for StorageError {
    fn from(e: idb::Error) -> Self {
        Self(e.to_string())
    }
}

async fn open() -> Result<idb::Database, StorageError> {
    let factory = Factory::new()?;
    let mut request = factory.open(DATABASE, Some(VERSION))?;
    request.on_upgrade_needed(|event| {
        // Version 1 has one store; nothing older exists to migrate.
        if let Ok(database) = event.database() {
            if !database.store_names().iter().any(|n| n == ACCOUNTS) {
                let _ = database.create_object_store(ACCOUNTS, ObjectStoreParams::new());
            }
        }
    });
    Ok(request.await?)
}

/// Whether the database exists, asked without creating it (`open` would). Browsers without
/// `indexedDB.databases()` are answered "maybe", and opened.
async fn exists() -> Result<bool, StorageError> {
    let unavailable = || StorageError("IndexedDB is not available".to_owned());
    let factory = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"indexedDB".into()).ok())
        .filter(|f| f.is_object())
        .ok_or_else(unavailable)?;
    let Some(databases) = js_sys::Reflect::get(&factory, &"databases".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return Ok(true);
    };
    let promise = databases
        .call0(&factory)
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or_else(unavailable)?;
    let list = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| unavailable())?;
    Ok(js_sys::Array::from(&list).iter().any(|info| {
        js_sys::Reflect::get(&info, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == DATABASE)
    }))
}

/// Every stored record, as stored; none (and no database made) where there is no database.
pub async fn load_all() -> Result<Vec<String>, StorageError> {
    if !exists().await? {
        return Ok(Vec::new());
    }
    let database = open().await?;
    let result = async {
        let transaction = database.transaction(&[ACCOUNTS], TransactionMode::ReadOnly)?;
        let store = transaction.object_store(ACCOUNTS)?;
        let values = store.get_all(None, None)?.await?;
        Ok::<_, StorageError>(values.iter().filter_map(JsValue::as_string).collect())
    }
    .await;
    database.close();
    result
}

/// Writes `account`'s record.
pub async fn save(account: &str, json: &str) -> Result<(), StorageError> {
    let database = open().await?;
    let result = async {
        let transaction = database.transaction(&[ACCOUNTS], TransactionMode::ReadWrite)?;
        let store = transaction.object_store(ACCOUNTS)?;
        store
            .put(&JsValue::from_str(json), Some(&JsValue::from_str(account)))?
            .await?;
        transaction.commit()?.await?;
        Ok::<_, StorageError>(())
    }
    .await;
    database.close();
    result
}

/// Deletes `account`'s record, and the database once no record is left.
pub async fn forget(account: &str) -> Result<(), StorageError> {
    let database = open().await?;
    let left = async {
        let transaction = database.transaction(&[ACCOUNTS], TransactionMode::ReadWrite)?;
        let store = transaction.object_store(ACCOUNTS)?;
        store.delete(JsValue::from_str(account))?.await?;
        let left = store.count(None)?.await?;
        transaction.commit()?.await?;
        Ok::<_, StorageError>(left)
    }
    .await;
    database.close();
    if left? == 0 {
        Factory::new()?.delete(DATABASE)?.await?;
    }
    Ok(())
}
