import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { chatView, fillLogin, login, loginThrough, openChatFromRoster, send, tid, unique, users } from '../lib/app';
import { ignoreRelayErrors, PROSODY_WSS_PORT, Relay } from '../lib/relay';
import { MUC, roomView } from '../lib/muc';

// The open conversation is in the address: Back and Forward move between places, a reload
// (or a link) opens the same place once signed in.

test('Back and Forward move between conversations and the lists, inside the app', async ({ page }) => {
  await login(page, users.carol.jid, users.carol.password);
  await openChatFromRoster(page, users.alice.jid);
  await expect(page).toHaveURL(/#\/chat\/alice@localhost$/);
  await openChatFromRoster(page, users.bob.jid);
  await expect(page).toHaveURL(/#\/chat\/bob@localhost$/);

  await page.goBack();
  await expect(chatView(page, users.alice.jid)).toBeVisible();
  await expect(page.locator(tid('app-shell'))).toBeVisible();
  await page.goForward();
  await expect(chatView(page, users.bob.jid)).toBeVisible();

  await page.locator(tid('rooms-open')).click();
  await expect(page).toHaveURL(/#\/rooms$/);
  await page.goBack();
  await expect(chatView(page, users.bob.jid)).toBeVisible();

  // A reload signs in again (nothing remembered here) and comes back to the same conversation.
  await page.reload();
  await fillLogin(page, users.carol.jid, users.carol.password);
  await expect(chatView(page, users.bob.jid)).toBeVisible();
});

test('a link to a conversation opens it after signing in; a room link enters the room', async ({ page }) => {
  await page.goto(`/#/chat/${users.alice.jid}`);
  await fillLogin(page, users.carol.jid, users.carol.password);
  await expect(chatView(page, users.alice.jid)).toBeVisible();

  // (From another page: a new fragment on the same page is a move inside the app, tested above.)
  const room = `rust@${MUC}`;
  await page.goto('about:blank');
  await page.goto(`/#/room/${room}`);
  await fillLogin(page, users.carol.jid, users.carol.password);
  await expect(roomView(page, room).locator(tid('occupant', { nick: 'carol' }))).toBeAttached();
  await expect(page).toHaveURL(/#\/room\/rust@conference\.localhost$/);

  // A broken link opens the app as usual.
  await page.goto('about:blank');
  await page.goto('/#/chat/not-an-address');
  await fillLogin(page, users.carol.jid, users.carol.password);
  await expect(page.locator(tid('app-shell'))).toBeVisible();
  await expect(page.locator(tid('chat-view'))).toHaveCount(0);
});

/** A reload asks first (beforeunload). The fixture dismisses the question (stay on the page) and
 * counts it as a problem; here it is the point, so it is taken off the problems. */
async function reloadIsAsked(page: Page, problems: string[]): Promise<void> {
  const asked = page.waitForEvent('dialog');
  void page.reload().catch(() => {});
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await expect.poll(() => problems.some((p) => p.startsWith('beforeunload dialog'))).toBe(true);
  problems.splice(0, problems.length, ...problems.filter((p) => !p.startsWith('beforeunload dialog')));
}

test('reloading while a message is still pending asks first; staying keeps it', async ({ page, problems }) => {
  const relay = await Relay.start(PROSODY_WSS_PORT);
  try {
    await loginThrough(page, relay.url, users.carol.jid, users.carol.password);
    const view = await openChatFromRoster(page, users.alice.jid);
    relay.cut();
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'reconnecting');
    const text = unique('not sent yet');
    await send(view, text);
    await expect(view.locator(tid('message'), { hasText: text })).toHaveAttribute('data-state', 'pending');

    await reloadIsAsked(page, problems);
    await expect(view.locator(tid('message'), { hasText: text })).toHaveAttribute('data-state', 'pending');

    relay.restore();
    await expect(view.locator(tid('message'), { hasText: text })).toHaveAttribute('data-state', /sent|received|displayed/, { timeout: 30_000 });
  } finally {
    await relay.close();
    ignoreRelayErrors(problems, relay);
  }
});

test('reloading with a typed, unsent message asks first; once sent, nothing asks', async ({ page, problems }) => {
  await login(page, users.carol.jid, users.carol.password);
  const view = await openChatFromRoster(page, users.bob.jid);
  const text = unique('typed, not sent');
  await page.locator(tid('composer-input')).fill(text);

  await reloadIsAsked(page, problems);
  // Stayed: the text is still there, and sending it ends the question.
  await expect(page.locator(tid('composer-input'))).toHaveValue(text);
  await page.locator(tid('composer-input')).press('Enter');
  await expect(view.locator(tid('message'), { hasText: text })).toHaveAttribute('data-state', /sent|received|displayed/);
  await page.reload();
  await expect(page.locator(tid('login-form'))).toBeVisible();
  expect(problems.filter((p) => p.startsWith('beforeunload dialog'))).toEqual([]);
});
