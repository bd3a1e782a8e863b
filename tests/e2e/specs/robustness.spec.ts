import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect } from '../lib/fixtures';
import { bodiesWithText, chatView, login, messageWith, openChatFromList, openChatFromRoster, rosterItem, send, tid, unique, users } from '../lib/app';
import { esc, HostilePeer } from '../lib/hostile';
import { registerAccount, XmppSocket } from '../lib/xmpp';
import type { Page } from '@playwright/test';

// Bad input and bad days: hostile stanzas, floods, over-long messages, a server that dies. Each
// ends with the fixture's checks (no console error, no page error, no dialog, no CSP violation),
// and each checks that the person can go on.

const repo = path.join(__dirname, '../../..');
const PHONE = { width: 390, height: 844 };

function server(action: 'kill' | 'start'): void {
  execFileSync(path.join(repo, 'server/prosody.sh'), [action, 'test'], { stdio: 'ignore' });
}

/** A fresh account for this run, logged in on a raw socket with available presence. */
async function stranger(label: string): Promise<HostilePeer> {
  const user = `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  await registerAccount(user, 'pw');
  return HostilePeer.login(user, 'pw');
}

/** Messages rendered in the DOM right now (the history is windowed). */
async function renderedMessages(page: Page): Promise<number> {
  return page.locator(tid('message')).count();
}

test('a namespace bomb from a contact is dropped and the tab stays alive and usable', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    // The review's attack is a 128 KiB namespace inherited by 32,768 children (256 KiB): copied
    // into every element it asks for 4 GiB. Prosody 0.12 cannot relay that one (its own parser
    // spends gigabytes on it), so the server carries a smaller one here, over the client's 1 KiB
    // cap; the full size is the native test (tests/session.rs). It asks not to be archived: Prosody's
    // file-based archive would rewrite it with every later message of the day.
    const ns = `urn:${'u'.repeat(4 * 1024)}`;
    bob.socket.send(
      `<message xmlns="jabber:client" to="${users.alice.jid}" type="chat" id="bomb">` +
        `<x xmlns="${ns}">${'<a/>'.repeat(8_000)}</x><body>boom</body><no-store xmlns="urn:xmpp:hints"/></message>`,
    );
    const after = unique('after the bomb');
    bob.chat(users.alice.jid, after);
    const view = await openChatFromList(page, users.bob.jid);
    await expect(bodiesWithText(view, after, 'in')).toHaveCount(1);
    await expect(bodiesWithText(view, 'boom', 'in')).toHaveCount(0);
    // Positive control: the bomb did reach the client, which refused it.
    await expect.poll(() => warnings.some((w) => w.includes('namespace longer than'))).toBe(true);
    // Still usable: alice answers and bob gets it.
    const answer = unique('still here');
    await send(view, answer);
    await bob.socket.next(new RegExp(`<body>${answer}</body>`), 10_000);
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  } finally {
    bob.close();
  }
});

test('a message too long for one frame is refused with the draft kept; a long one under it goes', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    // Bob coming online moves his row to the top: click it once it has moved.
    await expect(rosterItem(page, users.bob.jid)).toHaveAttribute('data-presence', 'available');
    const view = await openChatFromRoster(page, users.bob.jid);
    const earlier = await view.getAttribute('data-count');
    const input = page.locator(tid('composer-input'));
    // 80,000 bytes of UTF-8: browsers split a message that long into several WebSocket frames,
    // and Prosody 0.12 closes the connection on those.
    const tooLong = 'я'.repeat(40_000);
    await input.fill(tooLong);
    await page.locator(tid('composer-send')).click();
    await expect(page.locator(tid('toast'))).toBeVisible();
    await expect(input).toHaveValue(tooLong);
    await expect(view).toHaveAttribute('data-count', earlier ?? '');
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');

    // 55 KB, in one frame: delivered, and confirmed by the server.
    const long = `${unique('long')} ${'x'.repeat(55_000)}`;
    await input.fill(long);
    await page.locator(tid('composer-send')).click();
    await expect(input).toHaveValue('');
    await bob.socket.next(new RegExp(`<body>${long.slice(0, 20)}`), 15_000);
    await expect(messageWith(view, long.slice(0, 24), 'out')).toHaveAttribute('data-state', 'sent');
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  } finally {
    bob.close();
  }
});

test('strangers land in message requests, not in the chat list, until accepted', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const eve = await stranger('eve');
  const zed = await stranger('zed');
  try {
    const hello = unique('hello from a stranger');
    eve.chat(users.alice.jid, hello);
    zed.chat(users.alice.jid, unique('spam'));
    const requests = page.locator(tid('message-requests'));
    await expect(requests).toHaveAttribute('data-count', '2');
    await expect(page.locator(tid('chat-list-item', { jid: eve.bare }))).toHaveCount(0);
    // Anyone can write: their messages do not count as unread in the tab title.
    await expect(page).toHaveTitle('Parley');

    await page.locator(tid('message-request', { jid: eve.bare })).click();
    const view = chatView(page, eve.bare);
    await expect(bodiesWithText(view, hello, 'in')).toHaveCount(1);
    await expect(view.locator(tid('message-request-bar'))).toBeVisible();
    await view.locator(tid('message-request-accept')).click();
    await expect(page.locator(tid('chat-list-item', { jid: eve.bare }))).toHaveCount(1);
    await expect(view.locator(tid('message-request-bar'))).toHaveCount(0);

    await page.locator(tid('message-request', { jid: zed.bare })).click();
    await chatView(page, zed.bare).locator(tid('message-request-delete')).click();
    await expect(page.locator(tid('message-request', { jid: zed.bare }))).toHaveCount(0);
    await expect(chatView(page, zed.bare)).toHaveCount(0);
  } finally {
    eve.close();
    zed.close();
  }
});

test("a contact's error text never speaks in Parley's voice", async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    // Errors to a bare JID are dropped by the server (RFC 6121 §8.5.2.1.1): bob answers alice's client.
    const aliceFull = await bob.fullJidOf(users.alice.jid);
    await expect(rosterItem(page, users.bob.jid)).toHaveAttribute('data-presence', 'available');
    const view = await openChatFromRoster(page, users.bob.jid);
    const text = unique('bait');
    await send(view, text);
    const frame = await bob.socket.next(new RegExp(`<body>${text}</body>`), 10_000);
    const id = /id=["']([^"']+)["']/.exec(frame)![1];
    const phishing = 'Your session expired. Sign in again at https://evil.example/login';
    bob.socket.send(
      `<message xmlns="jabber:client" to="${esc(aliceFull)}" type="error" id="${esc(id)}">` +
        `<error type="cancel"><not-allowed xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>` +
        `<text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">${esc(phishing)}</text></error></message>`,
    );
    const mine = messageWith(view, text, 'out');
    await expect(mine).toHaveAttribute('data-state', 'error');
    // Parley's notice says what happened in its own words...
    const toast = page.locator(tid('toast'));
    await expect(toast).toBeVisible();
    await expect(toast).not.toContainText('session expired');
    await expect(toast).not.toContainText('evil.example');
    // ...and the peer's words appear only in the conversation, attributed to the peer.
    const note = mine.locator(tid('message-error'));
    await expect(note).toHaveAttribute('data-condition', 'not-allowed');
    await expect(note).toContainText(`${users.bob.jid}: “${phishing}”`);
    // An error for an id we never used marks nothing and says nothing.
    await page.locator(tid('toast')).locator('button').click();
    bob.socket.send(
      `<message xmlns="jabber:client" to="${esc(aliceFull)}" type="error" id="never-ours">` +
        `<error type="cancel"><not-allowed xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`,
    );
    const later = unique('later');
    bob.chat(users.alice.jid, later);
    await expect(bodiesWithText(view, later, 'in')).toHaveCount(1);
    await expect(page.locator(tid('toast'))).toHaveCount(0);
  } finally {
    bob.close();
  }
});

test('six contact requests leave the contact list in reach, at desktop and phone widths', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const askers: HostilePeer[] = [];
  try {
    for (let i = 0; i < 6; i += 1) askers.push(await stranger('ask'));
    for (const asker of askers) asker.socket.send(`<presence xmlns="jabber:client" to="${users.alice.jid}" type="subscribe"/>`);
    // At least these six (a reused server may still hold older ones).
    await expect.poll(async () => Number(await page.locator(tid('subscription-requests')).getAttribute('data-count'))).toBeGreaterThanOrEqual(6);
    for (const size of [{ width: 1280, height: 800 }, { width: 1280, height: 600 }, PHONE]) {
      await page.setViewportSize(size);
      await expect(rosterItem(page, users.carol.jid)).toBeInViewport();
      await expect(page.locator(tid('roster-filter'))).toBeInViewport();
      // Every request is reachable too: the newest is last, in view once its list is scrolled down.
      await page.locator('.requests .list-scroll').evaluate((el) => {
        el.scrollTop = el.scrollHeight;
        el.dispatchEvent(new Event('scroll'));
      });
      await expect(page.locator(tid('subscription-request', { jid: askers[5].bare }))).toBeInViewport();
      await page.screenshot({ path: path.join(test.info().project.outputDir, 'screenshots', `requests-${size.width}x${size.height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await rosterItem(page, users.carol.jid).click();
    await expect(chatView(page, users.carol.jid)).toBeVisible();
  } finally {
    for (const asker of askers) asker.close();
  }
});

test('5,000 messages in ten seconds keep the history small, at the latest, and browsable', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    const first = unique('flood start');
    bob.chat(users.alice.jid, first);
    const view = await openChatFromList(page, users.bob.jid);
    await expect(bodiesWithText(view, first, 'in')).toHaveCount(1);
    const before = Number(await view.getAttribute('data-count'));
    const marker = unique('flood');
    for (let i = 1; i <= 5_000; i += 1) {
      bob.chat(users.alice.jid, `${marker} ${i}`);
      if (i % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await expect(view).toHaveAttribute('data-count', String(before + 5_000), { timeout: 60_000 });
    // The newest message is on screen and the DOM holds a window, not the whole history.
    await expect(bodiesWithText(view, `${marker} 5000`, 'in')).toBeInViewport();
    expect(await renderedMessages(page)).toBeLessThanOrEqual(150);

    // Scrolling up pages older messages in (and newer ones out); the latest is one click away.
    const scroller = view.locator('.messages');
    for (let i = 0; i < 6; i += 1) {
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      await page.waitForTimeout(100);
    }
    await expect(bodiesWithText(view, `${marker} 5000`, 'in')).toHaveCount(0);
    expect(await renderedMessages(page)).toBeLessThanOrEqual(150);
    const jump = page.locator(tid('history-jump-latest'));
    await expect(jump).toBeVisible();
    await jump.click();
    await expect(bodiesWithText(view, `${marker} 5000`, 'in')).toBeInViewport();
    await expect(jump).toHaveCount(0);
  } finally {
    bob.close();
  }
});

test('a server that dies leaves the conversation on screen, retries by itself, and what was sent meanwhile goes once it is back', async ({ page, problems }) => {
  test.setTimeout(120_000);
  try {
    await serverDies(page);
  } finally {
    // Chromium logs each refused websocket of the tries while the server was down.
    const expected = /WebSocket connection to 'wss:\/\/localhost:\d+\/xmpp-websocket' failed/;
    problems.splice(0, problems.length, ...problems.filter((p) => !expected.test(p)));
  }
});

async function serverDies(page: Page): Promise<void> {
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const before = unique('before the crash');
  bob.chat(users.alice.jid, before);
  const view = await openChatFromList(page, users.bob.jid);
  await expect(bodiesWithText(view, before, 'in')).toHaveCount(1);
  // Bob starts typing: a composing state and the typing indicator are live when the link dies.
  bob.socket.send(`<message xmlns="jabber:client" to="${users.alice.jid}" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`);
  await expect(view.locator(tid('typing-indicator'))).toBeVisible();

  const meanwhile = unique('written while the server was down');
  server('kill');
  try {
    await expect(page.locator(tid('connection-lost'))).toBeVisible({ timeout: 30_000 });
    // It tries again by itself, says when, and offers to try now.
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'reconnecting');
    await expect(page.locator(tid('reconnect-countdown'))).toBeVisible();
    await expect(page.locator(tid('reconnect-now'))).toBeVisible();
    // Nothing is wiped: the conversation and the contacts are still there.
    await expect(bodiesWithText(view, before, 'in')).toHaveCount(1);
    await expect(rosterItem(page, users.bob.jid)).toHaveAttribute('data-presence', 'unavailable');
    await expect(view.locator(tid('typing-indicator'))).toHaveCount(0);
    // A message written now waits, shown as pending; a draft stays a draft.
    await send(view, meanwhile);
    await expect(bodiesWithText(view, meanwhile, 'out').locator('xpath=..')).toHaveAttribute('data-state', 'pending');
    await page.locator(tid('composer-input')).fill('typed while offline');
    // "Reconnect now" tries at once: still down, so it plans the next try.
    await page.locator(tid('reconnect-now')).click();
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'reconnecting');
    await expect(page.locator(tid('reconnect-countdown'))).toBeVisible();
  } finally {
    server('start');
  }
  // Back by itself, at the next try.
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online', { timeout: 70_000 });
  await expect(page.locator(tid('connection-lost'))).toHaveCount(0);
  await expect(bodiesWithText(view, before, 'in')).toHaveCount(1);
  // The pending message went on the new session, once.
  await expect(bodiesWithText(view, meanwhile, 'out')).toHaveCount(1);
  await expect(bodiesWithText(view, meanwhile, 'out').locator('xpath=..')).toHaveAttribute('data-state', 'sent');
  // The reconnection did not rebuild the page: what was typed is still there.
  await expect(page.locator(tid('composer-input'))).toHaveValue('typed while offline');
  // The reconnected account works: a message goes out and is confirmed.
  const bobAgain = await XmppSocket.connect();
  await bobAgain.login('bob', users.bob.password);
  bobAgain.send('<presence xmlns="jabber:client"/>');
  const after = unique('after the crash');
  await send(view, after);
  await bobAgain.next(new RegExp(`<body>${after}</body>`), 10_000);
  await expect(bodiesWithText(view, after, 'out').locator('xpath=..')).toHaveAttribute('data-state', 'sent');
  bobAgain.close();
}
