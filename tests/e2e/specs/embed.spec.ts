import type { FrameLocator, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from '../lib/fixtures';
import { openChatFromRoster, send, tid, unique, users } from '../lib/app';
import { MUC } from '../lib/muc';
import { HostilePeer } from '../lib/hostile';

// A portal embeds Parley: docs/embed-example.html, served as it is documented, from two other
// loopback origins. https://localhost:5448 is in config.json's embed.allowed_origins; 5449 may
// frame the app (the test server's frame-ancestors allow both) but is not heard.
const ALLOWED = 5448;
const FOREIGN = 5449;
const example = readFileSync(path.join(__dirname, '../../../docs/embed-example.html'));
const servers: https.Server[] = [];

test.beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-host-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  for (const port of [ALLOWED, FOREIGN]) {
    const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(example);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect((server.address() as AddressInfo).port).toBe(port);
    servers.push(server);
  }
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** The host page on `port`, embedding Parley with `query`; config.json allows only 5448. */
async function host(page: Page, port: number, query: string, baseURL: string, extra: Record<string, unknown> = {}): Promise<FrameLocator> {
  await page.context().route(`${baseURL}config.json`, async (route) => {
    const served = await (await route.fetch()).json();
    const embed = { allowed_origins: [`https://localhost:${ALLOWED}`] };
    // `extra` may replace `embed` as a whole.
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...served, embed, ...extra }) });
  });
  const parley = new URL(query, baseURL).href;
  await page.goto(`https://localhost:${port}/?parley=${encodeURIComponent(parley)}`);
  return page.frameLocator('#parley');
}

async function loginInFrame(frame: FrameLocator, user: { jid: string; password: string }): Promise<void> {
  await frame.locator(tid('login-jid')).fill(user.jid);
  await frame.locator(tid('login-password')).fill(user.password);
  await frame.locator(tid('login-submit')).click();
  await expect(frame.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
}

function received(page: Page): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(() => (window as unknown as { parleyReceived: Array<Record<string, unknown>> }).parleyReceived);
}

function tell(page: Page, message: unknown): Promise<void> {
  // Raw postMessage to Parley's origin, so that malformed messages can be sent too.
  return page.evaluate((m) => {
    const parley = new URL(new URLSearchParams(location.search).get('parley')!);
    (document.getElementById('parley') as HTMLIFrameElement).contentWindow!.postMessage(m, parley.origin);
  }, message);
}

test('an embed with ?room= shows that room alone at 320x480, and the parent hears it connect', async ({ page, baseURL }) => {
  const room = `lobby@${MUC}`;
  const frame = await host(page, ALLOWED, `?room=${encodeURIComponent(room)}&nick=alice-embedded`, baseURL!);
  await expect.poll(async () => (await received(page)).map((m) => m.type)).toContain('ready');
  await loginInFrame(frame, users.alice);
  const view = frame.locator(tid('chat-view', { jid: room, kind: 'groupchat' }));
  await expect(view).toBeVisible();
  await expect(view.locator(tid('occupant', { nick: 'alice-embedded' }))).toBeAttached();
  // Only the room: no lists beside it, no way back to them, nothing wider than the frame.
  await expect(frame.locator(tid('roster-filter'))).toBeHidden();
  await expect(frame.locator(tid('rooms-open'))).toBeHidden();
  const app = page.frames().find((f) => f.url().startsWith(baseURL!))!;
  const widths = await app.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(widths[1]).toBe(320);
  expect(widths[0]).toBeLessThanOrEqual(widths[1]);
  await expect.poll(async () => (await received(page)).filter((m) => m.type === 'connected')).toEqual([
    { parley: 1, type: 'connected', jid: users.alice.jid },
  ]);
  await page.screenshot({ path: test.info().outputPath('embed-room-320x480.png') });
});

test('the parent opens a chat, sets presence and logs out; it hears of messages without their text', async ({ page, baseURL, openPage }) => {
  const frame = await host(page, ALLOWED, '?embed=1', baseURL!);
  await loginInFrame(frame, users.alice);

  await tell(page, { parley: 1, type: 'open-chat', jid: users.bob.jid });
  await expect(frame.locator(tid('chat-view', { jid: users.bob.jid }))).toBeVisible();

  await tell(page, { parley: 1, type: 'set-presence', show: 'away', status: 'In a meeting' });
  await expect(frame.locator(tid('own-presence'))).toHaveAttribute('data-show', 'away');
  const bob = await openPage();
  await bob.goto('/');
  await bob.locator(tid('login-jid')).fill(users.bob.jid);
  await bob.locator(tid('login-password')).fill(users.bob.password);
  await bob.locator(tid('login-submit')).click();
  const aliceRow = bob.locator(tid('roster-item', { jid: users.alice.jid }));
  await expect(aliceRow).toHaveAttribute('data-presence', 'away');
  await expect(aliceRow.locator(tid('roster-item-status'))).toHaveText('In a meeting');

  // A message in a conversation that is not open: the parent hears of it and of the unread count.
  await tell(page, { parley: 1, type: 'open-chat', jid: users.carol.jid });
  await expect(frame.locator(tid('chat-view', { jid: users.carol.jid }))).toBeVisible();
  const text = unique('to the embed');
  await send(await openChatFromRoster(bob, users.alice.jid), text);
  await expect.poll(async () => (await received(page)).filter((m) => m.type === 'message')).toEqual([
    { parley: 1, type: 'message', conversation: users.bob.jid, from: users.bob.jid, room: false },
  ]);
  await expect.poll(async () => (await received(page)).filter((m) => m.type === 'unread').at(-1)).toEqual({ parley: 1, type: 'unread', count: 1 });
  expect(JSON.stringify(await received(page))).not.toContain(text);

  const before = (await received(page)).length;
  await tell(page, { parley: 1, type: 'logout' });
  await expect(frame.locator(tid('login-form'))).toBeVisible();
  await expect.poll(async () => (await received(page)).slice(before).map((m) => m.type)).toContain('disconnected');
});

test('messages of another shape, or from a page that is not allowed, are ignored and counted', async ({ page, baseURL, openPage }) => {
  const frame = await host(page, ALLOWED, '?embed=1', baseURL!);
  await loginInFrame(frame, users.alice);
  const root = frame.locator('html');
  for (const malformed of ['open-chat', { type: 'open-chat', jid: users.bob.jid }, { parley: 1, type: 'open-chat' },
    { parley: 1, type: 'open-chat', jid: users.bob.jid, extra: true }, { parley: 1, type: 'eval', code: 'alert(1)' }]) {
    await tell(page, malformed);
  }
  await expect(root).toHaveAttribute('data-api-ignored', '5');
  await expect(frame.locator(tid('chat-view'))).toHaveCount(0);
  await expect(frame.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');

  // A page that may frame Parley but is not on the allow-list: neither heard nor told anything.
  const foreign = await openPage();
  const foreignFrame = await host(foreign, FOREIGN, '?embed=1', baseURL!);
  await loginInFrame(foreignFrame, users.carol);
  await tell(foreign, { parley: 1, type: 'open-chat', jid: users.bob.jid });
  await expect(foreignFrame.locator('html')).toHaveAttribute('data-api-ignored', '1');
  await expect(foreignFrame.locator(tid('chat-view'))).toHaveCount(0);
  expect(await received(foreign)).toEqual([]);
});

test('a guest without an account enters the embedded room under a nickname and is heard there', async ({ page, baseURL, openPage }) => {
  const room = `tea@${MUC}`;
  const frame = await host(page, ALLOWED, `?room=${encodeURIComponent(room)}`, baseURL!, { guest: { domain: 'guest.localhost' } });
  await frame.locator(tid('guest-nick')).fill('Visitor');
  await frame.locator(tid('guest-submit')).click();
  await expect(frame.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  const view = frame.locator(tid('chat-view', { jid: room, kind: 'groupchat' }));
  await expect(view.locator(tid('occupant', { nick: 'Visitor' }))).toBeAttached();
  // The server gave a temporary address on the guest domain.
  await expect.poll(async () => (await received(page)).find((m) => m.type === 'connected')?.jid).toMatch(/^[^@]+@guest\.localhost$/);

  const member = await openPage();
  await member.goto('/');
  await member.locator(tid('login-jid')).fill(users.bob.jid);
  await member.locator(tid('login-password')).fill(users.bob.password);
  await member.locator(tid('login-submit')).click();
  await member.locator(tid('rooms-open')).click();
  await member.locator(tid('room-join-jid')).fill(room);
  await member.locator(tid('room-join-submit')).click();
  const memberView = member.locator(tid('chat-view', { jid: room, kind: 'groupchat' }));
  await expect(memberView.locator(tid('occupant', { nick: 'Visitor' }))).toBeAttached();

  const text = unique('hello from a guest');
  await frame.locator(tid('composer-input')).fill(text);
  await frame.locator(tid('composer-send')).click();
  await expect(memberView.locator(tid('message', { from: 'Visitor' })).filter({ hasText: text })).toBeVisible();
});

test('a guest domain whose server offers no guest access says so', async ({ page }) => {
  await page.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...served, guest: { domain: 'localhost' } }) });
  });
  await page.goto('/');
  await page.locator(tid('guest-nick')).fill('Visitor');
  await page.locator(tid('guest-submit')).click();
  await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'guest-unavailable');
  await expect(page.locator(tid('app-shell'))).toHaveCount(0);
});

test('with embed.message_bodies the new-message notice carries the text', async ({ page, baseURL }) => {
  const frame = await host(page, ALLOWED, '?embed=1', baseURL!, { embed: { allowed_origins: [`https://localhost:${ALLOWED}`], message_bodies: true } });
  await loginInFrame(frame, users.alice);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const text = unique('body for the parent');
  bob.chat(users.alice.jid, text);
  await expect.poll(async () => (await received(page)).find((m) => m.type === 'message')?.body).toBe(text);
  bob.socket.close();
});

test('an embed with ?chat= shows that conversation alone; the parent can also open a room', async ({ page, baseURL }) => {
  const frame = await host(page, ALLOWED, `?chat=${encodeURIComponent(users.bob.jid)}`, baseURL!);
  await loginInFrame(frame, users.alice);
  await expect(frame.locator(tid('chat-view', { jid: users.bob.jid }))).toBeVisible();
  await expect(frame.locator(tid('roster-filter'))).toBeHidden();
  await expect(frame.locator('.chat-header .back')).toBeHidden();

  const room = `rust@${MUC}`;
  await tell(page, { parley: 1, type: 'open-room', jid: room, nick: 'alice-from-parent' });
  const view = frame.locator(tid('chat-view', { jid: room, kind: 'groupchat' }));
  await expect(view).toBeVisible();
  await expect(view.locator(tid('occupant', { nick: 'alice-from-parent' }))).toBeAttached();
});
