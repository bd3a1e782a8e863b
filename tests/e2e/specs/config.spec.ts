import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { expectOnline, fillLogin, openChatFromRoster, openLogin, tid, users } from '../lib/app';
import { MUC, roomView } from '../lib/muc';
import { HostilePeer } from '../lib/hostile';
import { registerAccount } from '../lib/xmpp';

// Each config.json field shows its effect. The server's own config.json (endpoint, domain) is
// fetched and the field under test is added to it, as an operator would edit the file.

async function withConfig(page: Page, fields: Record<string, unknown>): Promise<void> {
  await page.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...served, ...fields }) });
  });
}

async function loginAs(page: Page, user: { jid: string; password: string }): Promise<void> {
  await openLogin(page);
  await fillLogin(page, user.jid, user.password);
  await expectOnline(page);
}

test('branding: the product name, the logo and the accent colour', async ({ page }) => {
  await withConfig(page, { branding: { product_name: 'Acme Chat', logo: 'favicon.svg', accent_color: '#0b7a55' } });
  await openLogin(page);
  await expect(page.locator(tid('brand-name'))).toHaveText('Acme Chat');
  await expect(page).toHaveTitle('Acme Chat');
  await expect(page.locator(tid('brand-logo'))).toHaveAttribute('src', 'favicon.svg');
  // The accent reaches the buttons (the stylesheet derives every shade from it).
  await expect(page.locator(tid('login-submit'))).toHaveCSS('background-color', 'rgb(11, 122, 85)');
  await fillLogin(page, users.carol.jid, users.carol.password);
  await expectOnline(page);
  await expect(page.locator(`${tid('app-shell')} ${tid('brand-name')}`)).toHaveText('Acme Chat');
});

test('languages: only those offered, and the default for browsers that prefer none of them', async ({ openPage }) => {
  const config = { languages: ['fr', 'en'], default_language: 'fr' };
  const german = await openPage({ locale: 'de-DE' });
  await withConfig(german, config);
  await openLogin(german);
  await expect(german.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(german.locator('#login-language option')).toHaveText(['Français', 'English']);

  // Russian is not offered: a Russian-preferring browser that also reads English gets English.
  const russian = await openPage({ locale: 'ru-RU' });
  await russian.setExtraHTTPHeaders({ 'Accept-Language': 'ru-RU,en' });
  await withConfig(russian, config);
  await russian.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['ru-RU', 'en'] }));
  await openLogin(russian);
  await expect(russian.locator('html')).toHaveAttribute('lang', 'en');

  // One language: no picker at all.
  const single = await openPage();
  await withConfig(single, { languages: ['ru'] });
  await openLogin(single);
  await expect(single.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(single.locator('#login-language')).toHaveCount(0);
});

test('features: without the room browser and contact management, neither shows', async ({ page }) => {
  await withConfig(page, { features: { room_browser: false, contact_management: false } });
  await loginAs(page, users.carol);
  await expect(page.locator(tid('roster-item', { jid: users.alice.jid }))).toBeVisible();
  await expect(page.locator(tid('rooms-open'))).toHaveCount(0);
  await expect(page.locator(tid('roster-add'))).toHaveCount(0);
  const chat = await openChatFromRoster(page, users.alice.jid);
  await expect(chat.locator(tid('composer-input'))).toBeVisible();
  await expect(page.locator(tid('roster-rename'))).toHaveCount(0);
  await expect(page.locator(tid('roster-remove'))).toHaveCount(0);
});

test('rooms: an autojoin room is entered at login, an offered one with its button', async ({ page }) => {
  const lobby = `lobby@${MUC}`;
  const tea = `tea@${MUC}`;
  await withConfig(page, {
    rooms: [
      { address: lobby, autojoin: true, nick: 'carol-auto' },
      { address: tea, name: 'Tea, offered' },
    ],
  });
  await loginAs(page, users.carol);
  // Entered without being asked: it is in the chat list, and opening it shows us in it.
  const lobbyRow = page.locator(tid('chat-list-item', { jid: lobby }));
  await expect(lobbyRow).toBeVisible();
  await lobbyRow.click();
  await expect(roomView(page, lobby).locator(tid('occupant', { nick: 'carol-auto' }))).toBeVisible();

  const offered = page.locator(tid('offered-room', { room: tea }));
  await expect(offered).toHaveText('Tea, offered');
  await offered.click();
  await expect(roomView(page, tea)).toBeVisible();
  await expect(roomView(page, tea).locator(tid('occupant', { nick: 'carol' }))).toBeVisible();
});

test('muc_service: the room browser lists the configured service first', async ({ page, problems }) => {
  await withConfig(page, { muc_service: 'rooms.localhost' });
  await loginAs(page, users.carol);
  await page.locator(tid('rooms-open')).click();
  await expect(page.locator(tid('rooms-service'))).toHaveValue('rooms.localhost');
  // That service does not exist here: the listing says so (the server's error is logged).
  await expect(page.locator(tid('rooms-failed'))).toBeVisible();
  problems.splice(0, problems.length, ...problems.filter((p) => !/rooms\.localhost/.test(p)));
});

test('an invalid config names the field: a wrong type, an unknown key, an unusable value', async ({ page }) => {
  const error = page.locator(tid('login-error'));
  for (const [config, field] of [
    [{ features: { room_browser: 'yes' } }, 'features.room_browser'],
    [{ brandng: {} }, 'brandng'],
    [{ rooms: [{ address: 'not a room' }] }, 'rooms[0].address'],
    [{ branding: { logo: 'https://elsewhere.example/logo.png' } }, 'branding.logo'],
  ] as const) {
    await page.unroute('**/config.json');
    await withConfig(page, config);
    await openLogin(page);
    await expect(error).toHaveAttribute('data-reason', 'config-invalid');
    await expect(error).toContainText(field);
  }
});

test('locked_domain: the user name alone signs in, another domain is refused before connecting', async ({ page }) => {
  await withConfig(page, { locked_domain: 'localhost' });
  await openLogin(page);
  await fillLogin(page, 'carol@example.org', users.carol.password);
  await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'address-wrong-domain');
  await fillLogin(page, 'carol', users.carol.password);
  await expectOnline(page);
  await expect(page.locator('.own-jid')).toHaveText(users.carol.jid);
});

test('max_frame_bytes: a larger frame from the server ends the connection and names the limit', async ({ page, problems }) => {
  // A fresh account: the oversized message stays in its archive, where no other test reads.
  const name = `frames${Date.now().toString(36)}`;
  await registerAccount(name, 'frames-pw');
  await withConfig(page, { max_frame_bytes: 65536 });
  await loginAs(page, { jid: `${name}@localhost`, password: 'frames-pw' });
  const bob = await HostilePeer.login('bob', users.bob.password);
  bob.chat(`${name}@localhost`, 'x'.repeat(70_000));
  const lost = page.locator(tid('connection-lost'));
  await expect(lost).toBeVisible();
  await expect(lost).toContainText('65536');
  bob.socket.close();
  // Chromium reports the socket the client closed on purpose.
  problems.splice(0, problems.length, ...problems.filter((p) => !/WebSocket/.test(p)));
});

test('embed.enabled: the compact one-pane layout without ?embed=1, at desktop width', async ({ page }) => {
  await withConfig(page, { embed: { enabled: true } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await loginAs(page, users.carol);
  await expect(page.locator(tid('app-shell'))).toHaveClass(/\bembed\b/);
  // One pane at a time: the list, then the conversation instead of it.
  await expect(page.locator(tid('roster-filter'))).toBeVisible();
  await expect(page.locator('.conversation-pane')).toBeHidden();
  await openChatFromRoster(page, users.alice.jid);
  await expect(page.locator(tid('roster-filter'))).toBeHidden();
});
