import type { Page } from '@playwright/test';

// What a remembered device keeps, read straight from the page's IndexedDB (src/indexeddb.rs):
// database `parley`, stores `accounts` and `avatars`. Nothing here creates the database.

/** The names of this origin's IndexedDB databases. */
export async function databases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** The record kept for `account`, parsed, or null. */
export async function record(page: Page, account: string): Promise<Record<string, unknown> | null> {
  return page.evaluate(async (key) => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'parley')) return null;
    return new Promise((resolve, reject) => {
      const open = indexedDB.open('parley');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const get = db.transaction('accounts').objectStore('accounts').get(key);
        get.onsuccess = () => {
          db.close();
          resolve(typeof get.result === 'string' ? JSON.parse(get.result) : null);
        };
        get.onerror = () => reject(get.error);
      };
    });
  }, account);
}

/** How many faces are kept (every account's), or 0 without a database. */
export async function facesKept(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'parley')) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open('parley');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        // Faces are keyed "account\ncontact"; "account\t" is the order they were kept in.
        const keys = db.transaction('avatars').objectStore('avatars').getAllKeys();
        keys.onsuccess = () => {
          db.close();
          resolve(keys.result.filter((k) => String(k).includes('\n')).length);
        };
        keys.onerror = () => reject(keys.error);
      };
    });
  });
}
