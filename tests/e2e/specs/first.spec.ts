import type { Page, Route } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { tid, users, expectOnline } from '../lib/app';
import { record } from '../lib/device';

// The first page (src/first): the sign-in form drawn by a few kilobytes of wasm before the app's
// half megabyte, then taken over by the app (src/ui/handover.rs) without the person noticing.
// The app's wasm is held back here, so each test decides when it arrives.

const APP_WASM = /\/app_bg-[0-9a-f]+\.wasm$/;
const FIRST = '#first-page';

/** Holds the app's wasm until `release` is called; `requested` says whether it was asked for. */
async function holdApp(page: Page): Promise<{ release: () => void; requested: () => boolean }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked = false;
  await page.route(APP_WASM, async (route: Route) => {
    asked = true;
    await released;
    await route.continue();
  });
  return { release, requested: () => asked };
}

/** The login page's elements as a person's browser has them: tags, attributes and texts, in
 * order (comments and blank text left out: Leptos leaves markers, the first page none). */
async function shape(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluate((main) => {
    const out: string[] = [];
    const walk = (element: Element, depth: number) => {
      const attributes = [...element.attributes]
        // The root's own id and class differ by design; a field's `value` attribute is its
        // first value (what is typed is the property, checked with toHaveValue).
        .filter((a) => !(element === main && (a.name === 'id' || a.name === 'class')) && a.name !== 'value')
        .map((a) => `${a.name}="${a.value}"`)
        .sort()
        .join(' ');
      const text = [...element.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      out.push(`${'  '.repeat(depth)}<${element.tagName.toLowerCase()} ${attributes}>${text}`);
      for (const child of element.children) walk(child, depth + 1);
    };
    walk(main, 0);
    return out;
  });
}

/** From the next navigation on, records whether a first page was ever in the document. */
async function watchFirstPage(page: Page): Promise<() => Promise<boolean>> {
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.getElementById('first-page')) (window as unknown as { __sawFirst: boolean }).__sawFirst = true;
    }).observe(document, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { __sawFirst?: boolean }).__sawFirst ?? false);
}

/** Signs in at the login form with "Remember this device", until the device keeps the account. */
async function signInRemembered(page: Page, user: { jid: string; password: string }): Promise<void> {
  await page.locator(tid('login-jid')).fill(user.jid);
  await page.locator(tid('login-password')).fill(user.password);
  await page.locator(tid('login-remember')).check();
  await page.locator(tid('login-submit')).click();
  await expectOnline(page);
  await expect.poll(async () => (await record(page, user.jid))?.credentials ?? null, { timeout: 10_000 }).not.toBeNull();
}

async function withConfig(page: Page, fields: Record<string, unknown>): Promise<void> {
  await page.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...served, ...fields }) });
  });
}

for (const [locale, title] of [
  ['en-GB', 'Sign in'],
  ['ru-RU', 'Войти'],
  ['fr-FR', 'Se connecter'],
] as const) {
  test(`in ${locale}, the first page is the app's sign-in page, element for element, before the app's wasm arrives`, async ({ openPage }) => {
    const page = await openPage({ locale });
    const app = await holdApp(page);
    await page.goto('/');
    await expect(page.locator(`${FIRST} ${tid('login-form')}`)).toBeVisible();
    await expect(page.locator(`${FIRST} ${tid('login-submit')}`)).toContainText(title);
    const first = await shape(page, FIRST);

    app.release();
    await expect(page.locator(FIRST)).toHaveCount(0);
    await expect(page.locator(tid('login-form'))).toBeVisible();
    expect(await shape(page, 'main.login-page')).toEqual(first);
  });
}

test('with a default domain and a product name, the first page shows them as the app does', async ({ page }) => {
  await withConfig(page, { default_domain: 'localhost', branding: { product_name: 'Acme Chat' } });
  const app = await holdApp(page);
  await page.goto('/');
  await expect(page.locator(`${FIRST} ${tid('brand-name')}`)).toHaveText('Acme Chat');
  // The domain follows a user name, and goes while a whole address is typed.
  const suffix = page.locator(`${FIRST} .suffix`);
  await expect(suffix).toHaveText('@localhost');
  await page.locator(tid('login-jid')).fill('carol@localhost');
  await expect(suffix).toHaveCount(0);
  await page.locator(tid('login-jid')).fill('carol');
  await expect(suffix).toBeVisible();
  const first = await shape(page, FIRST);

  app.release();
  await expect(page.locator(FIRST)).toHaveCount(0);
  await expect(page.locator(tid('login-jid'))).toHaveValue('carol');
  expect(await shape(page, 'main.login-page')).toEqual(first);
});

test('the form can be typed in before the app arrives: values, the box and focus carry over, and typing goes on', async ({ page }) => {
  const app = await holdApp(page);
  await page.goto('/');
  const jid = page.locator(tid('login-jid'));
  const password = page.locator(tid('login-password'));
  await jid.fill(users.carol.jid);
  await page.locator(tid('login-remember')).check();
  await password.pressSequentially('chris');
  // Touching the page asked for the app, which is still on its way.
  await expect.poll(app.requested).toBe(true);
  await expect(page.locator(FIRST)).toHaveCount(1);

  app.release();
  await expect(page.locator(FIRST)).toHaveCount(0);
  await expect(jid).toHaveValue(users.carol.jid);
  await expect(password).toHaveValue('chris');
  await expect(page.locator(tid('login-remember'))).toBeChecked();
  await expect(password).toBeFocused();
  // Typing goes on where it stopped, into the app's own field.
  await page.keyboard.type('tmas');
  await expect(password).toHaveValue('christmas');
  await page.locator(tid('login-remember')).uncheck();
  await page.keyboard.press('Enter');
  await expectOnline(page);
});

test('a form sent before the app arrives is sent by the app, once', async ({ page }) => {
  const app = await holdApp(page);
  // Sign-in attempts, counted by the SASL <auth/> each one sends.
  let opened = 0;
  let auths = 0;
  page.on('websocket', (socket) => {
    opened += 1;
    socket.on('framesent', (frame) => {
      if (/<auth[\s>]/.test(String(frame.payload))) auths += 1;
    });
  });
  await page.goto('/');
  await page.locator(tid('login-jid')).fill(users.carol.jid);
  await page.locator(tid('login-password')).fill(users.carol.password);
  await page.locator(tid('login-submit')).click();
  await expect(page.locator(FIRST)).toHaveCount(1);
  expect(opened).toBe(0);

  app.release();
  await expectOnline(page);
  await expect(page.locator('.own-jid')).toHaveText(users.carol.jid);
  expect(auths).toBe(1);
});

test('a conversation link and a remembered device start the app without a first page', async ({ page }) => {
  const sawFirst = await watchFirstPage(page);

  await page.goto(`/?chat=${encodeURIComponent(users.dave.jid)}`);
  await expect(page.locator(tid('login-form'))).toBeVisible();
  expect(await sawFirst()).toBe(false);

  // A device that remembers an account keeps it in IndexedDB, which only the app can read.
  await page.goto('/');
  await expect(page.locator(tid('login-form'))).toBeVisible();
  expect(await sawFirst()).toBe(true);
  await signInRemembered(page, users.dave);
  await page.reload();
  await expect(page.locator(tid('app-shell'))).toBeVisible();
  expect(await sawFirst()).toBe(false);
});

test('a word being composed when the app arrives is finished in the same field, then taken over', async ({ page }) => {
  const app = await holdApp(page);
  await page.goto('/');
  const jid = page.locator(tid('login-jid'));
  await jid.click();
  await page.keyboard.type('carol');
  // An input method (Japanese, say) has "か" underlined, not yet converted.
  const ime = await page.context().newCDPSession(page);
  await ime.send('Input.imeSetComposition', { text: 'か', selectionStart: 1, selectionEnd: 1 });
  await expect.poll(app.requested).toBe(true);

  app.release();
  // The app is there, behind the page, until the word is done.
  await expect(page.locator(`main.login-page:not(${FIRST})`)).toHaveCount(1);
  await expect(page.locator(FIRST)).toHaveCount(1);
  await ime.send('Input.imeSetComposition', { text: 'かな', selectionStart: 2, selectionEnd: 2 });
  await ime.send('Input.insertText', { text: '仮名' });
  await expect(page.locator(FIRST)).toHaveCount(0);
  await expect(jid).toHaveValue('carol仮名');
  await expect(jid).toBeFocused();
  await page.keyboard.type('@localhost');
  await expect(jid).toHaveValue('carol仮名@localhost');
});

test('an account remembered in another tab meanwhile comes up instead of the first page', async ({ page, context }) => {
  const app = await holdApp(page);
  await page.goto('/');
  await expect(page.locator(`${FIRST} ${tid('login-form')}`)).toBeVisible();

  const other = await context.newPage();
  await other.goto('/');
  await signInRemembered(other, users.dave);
  await other.close();

  app.release();
  await expect(page.locator(tid('app-shell'))).toBeVisible();
  await expect(page.locator(FIRST)).toHaveCount(0);
  await expect(page.locator('.own-jid')).toHaveText(users.dave.jid);
});

test('a browser whose storage never answers still gets the form, and signs in', async ({ page }) => {
  // IndexedDB that never says which databases it has (a stuck storage backend).
  await page.addInitScript(() => {
    indexedDB.databases = () => new Promise(() => {});
  });
  await page.goto('/');
  await expect(page.locator(`${FIRST} ${tid('login-jid')}`)).toBeVisible({ timeout: 5_000 });
  await page.locator(tid('login-jid')).fill(users.erin.jid);
  await page.locator(tid('login-password')).fill(users.erin.password);
  await page.locator(tid('login-submit')).click();
  await expectOnline(page);
  await expect(page.locator(FIRST)).toHaveCount(0);
});

for (const [what, fields] of [
  ['a ws:// endpoint', { websocket_url: 'ws://localhost:5444/xmpp-websocket' }],
  ['a frame limit out of range', { max_frame_bytes: 10 }],
  ['a misspelt feature', { features: { registraton: false } }],
] as const) {
  test(`a config.json the app refuses (${what}) shows no first page, only the app's error`, async ({ page }) => {
    const sawFirst = await watchFirstPage(page);
    await withConfig(page, fields);
    await page.goto('/');
    await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'config-invalid');
    expect(await sawFirst()).toBe(false);
  });
}
