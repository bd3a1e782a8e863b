import type { Page, WebSocket } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { HostilePeer } from '../lib/hostile';
import { ignoreRelayErrors, PROSODY_WSS_PORT, Relay } from '../lib/relay';
import { registerAccount, wssUrl } from '../lib/xmpp';
import { bodiesWithText, chatView, fillLogin, openLogin, rosterItem, tid, unique, users } from '../lib/app';
import { databases, record } from '../lib/device';

// "Remember this device": off by default and then nothing is stored; on, a reload shows the
// roster and conversations from IndexedDB before the connection is up, signs in again without
// the password and fetches only what is new; logout with "forget" leaves no database behind.

async function loginRemembered(page: Page, url: string, jid: string, password: string): Promise<void> {
  await openLogin(page);
  await expect(page.locator(tid('login-remember'))).not.toBeChecked();
  await page.locator(`details:has(${tid('login-ws-url')}) > summary`).click();
  await page.locator(tid('login-ws-url')).fill(url);
  await page.locator(tid('login-remember')).check();
  await fillLogin(page, jid, password);
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
}

/** What the page sends over its WebSockets from now on. */
function sentFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws: WebSocket) => ws.on('framesent', (f) => frames.push(String(f.payload))));
  return frames;
}

test('a remembered device shows the conversation after a reload before it is online, then fetches only what is new', async ({
  page,
  problems,
}) => {
  const relay = await Relay.start(PROSODY_WSS_PORT);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    await loginRemembered(page, relay.url, users.alice.jid, users.alice.password);
    const before = unique('before reload');
    bob.socket.send(
      `<message xmlns="jabber:client" to="${users.alice.jid}" type="chat" id="${unique('a').replace(/\W/g, '')}"><body>${before}</body></message>`,
    );
    await page.locator(tid('chat-list-item', { jid: users.bob.jid })).click();
    await expect(bodiesWithText(chatView(page, users.bob.jid), before, 'in')).toHaveCount(1);
    // Written within a few seconds, keys included (never the password).
    await expect.poll(async () => JSON.stringify(await record(page, users.alice.jid)), { timeout: 10_000 }).toContain(before);
    const stored = JSON.stringify(await record(page, users.alice.jid));
    expect(stored).not.toContain(users.alice.password);
    expect(stored).toContain('salted_password');

    // The network is gone when the page reloads: what was on screen is there anyway.
    relay.cut();
    const frames = sentFrames(page);
    // Whether the login form showed at all, even for a moment, on the next page load.
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="login-form"]')) (window as unknown as { sawLogin: boolean }).sawLogin = true;
      }).observe(document, { subtree: true, childList: true });
    });
    await page.reload();
    await expect(page.locator(tid('app-shell'))).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { sawLogin?: boolean }).sawLogin ?? false), 'no glimpse of the login form').toBe(false);
    await expect(page.locator(tid('connection-status'))).not.toHaveAttribute('data-state', 'online');
    await expect(rosterItem(page, users.bob.jid)).toBeVisible();
    await page.locator(tid('chat-list-item', { jid: users.bob.jid })).click();
    const view = chatView(page, users.bob.jid);
    await expect(bodiesWithText(view, before, 'in')).toHaveCount(1);
    await expect(page.locator(tid('login-form'))).toHaveCount(0);

    // Bob writes while the tab is offline; back online, it arrives once, without the password.
    const after = unique('while away');
    bob.socket.send(
      `<message xmlns="jabber:client" to="${users.alice.jid}" type="chat" id="${unique('b').replace(/\W/g, '')}"><body>${after}</body></message>`,
    );
    relay.restore();
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online', { timeout: 30_000 });
    await expect(bodiesWithText(view, after, 'in')).toHaveCount(1);
    await page.waitForTimeout(1_500);
    await expect(bodiesWithText(view, before, 'in')).toHaveCount(1);
    await expect(bodiesWithText(view, after, 'in')).toHaveCount(1);

    // Only what is new was asked for: one catch-up after the kept archive id, no page of the
    // conversation the device already had.
    const queries = frames.filter((f) => f.includes('urn:xmpp:mam:2') && f.includes('<query'));
    console.log(`device: ${queries.length} archive queries after the reload`);
    expect(queries.some((q) => q.includes('<after>'))).toBe(true);
    expect(queries.filter((q) => q.includes(users.bob.jid))).toEqual([]);

    // Signing out keeps the conversation but not the keys: the next reload asks for the password.
    await page.locator(tid('logout')).click();
    await expect(page.locator(tid('login-form'))).toBeVisible();
    await expect.poll(async () => (await record(page, users.alice.jid))?.credentials ?? null).toBeNull();
    expect(JSON.stringify(await record(page, users.alice.jid))).toContain(after);
    await page.reload();
    await expect(page.locator(tid('login-form'))).toBeVisible();
    await page.waitForTimeout(500);
    await expect(page.locator(tid('app-shell'))).toHaveCount(0);

    // The login page offers to forget it; then nothing of Parley is left in IndexedDB.
    await page.locator(tid('logout-forget')).click();
    await expect.poll(() => databases(page)).not.toContain('parley');
  } finally {
    bob.close();
    await relay.close();
    ignoreRelayErrors(problems, relay);
  }
});

test('without "remember this device" nothing is stored, and a reload asks to sign in', async ({ page }) => {
  await openLogin(page);
  await fillLogin(page, users.carol.jid, users.carol.password);
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  await page.waitForTimeout(3_000);
  expect(await databases(page)).not.toContain('parley');
  await page.reload();
  await expect(page.locator(tid('login-form'))).toBeVisible();
  expect(await databases(page)).not.toContain('parley');
});

test('signing out with "forget this device" leaves no IndexedDB data', async ({ page }) => {
  await loginRemembered(page, wssUrl, users.dave.jid, users.dave.password);
  await expect.poll(async () => (await record(page, users.dave.jid)) !== null, { timeout: 10_000 }).toBe(true);
  await page.locator(tid('logout-forget')).check();
  await page.locator(tid('logout')).click();
  await expect(page.locator(tid('login-form'))).toBeVisible();
  await expect.poll(() => databases(page)).not.toContain('parley');
  await page.reload();
  await expect(page.locator(tid('login-form'))).toBeVisible();
  await expect(page.locator(tid('logout-forget'))).toHaveCount(0);
});

test('a remembered device whose password changed elsewhere asks for it after a reload, with the reason', async ({ page }) => {
  const user = unique('device').replace(/\W/g, '');
  const jid = `${user}@localhost`;
  await registerAccount(user, 'old-password');
  await loginRemembered(page, wssUrl, jid, 'old-password');
  await expect.poll(async () => (await record(page, jid))?.credentials ?? null, { timeout: 10_000 }).not.toBeNull();
  const other = await HostilePeer.login(user, 'old-password');
  const reply = await other.socket.iq(
    'pw',
    `<iq xmlns="jabber:client" type="set" id="pw" to="localhost"><query xmlns="jabber:iq:register">` +
      `<username>${user}</username><password>new-password</password></query></iq>`,
  );
  other.close();
  expect(reply).toMatch(/type=["']result["']/);
  await page.reload();
  await expect(page.locator(tid('login-form'))).toBeVisible({ timeout: 30_000 });
  await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'needs-password');
  await expect(page.locator(tid('login-jid'))).toHaveValue(jid);
  await expect.poll(async () => (await record(page, jid))?.credentials ?? null).toBeNull();
});

test('where the browser offers no IndexedDB, "remember this device" says so once and the client works without it', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
  });
  await openLogin(page);
  await page.locator(tid('login-remember')).check();
  await fillLogin(page, users.erin.jid, users.erin.password);
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  const notice = page.locator(tid('toast', { reason: 'storage-unavailable' }));
  await expect(notice).toHaveCount(1);
  // Once: when it has gone, the writes that follow fail without a word.
  await expect(notice).toHaveCount(0, { timeout: 15_000 });
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    const text = unique('to erin');
    bob.socket.send(
      `<message xmlns="jabber:client" to="${users.erin.jid}" type="chat" id="${unique('e').replace(/\W/g, '')}"><body>${text}</body></message>`,
    );
    await expect(page.locator(tid('message-request', { jid: users.bob.jid }))).toHaveCount(1);
    await page.waitForTimeout(3_000);
    await expect(notice).toHaveCount(0);
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  } finally {
    bob.close();
  }
});
