import path from 'node:path';
import { test, expect } from '../lib/fixtures';
import { login, openChatFromList, openChatFromRoster, openLogin, send, tid, unique, users } from '../lib/app';
import type { Page } from '@playwright/test';

// Pictures for people to look at (test-results/screenshots/, or docs/screenshots/ through
// scripts/screenshots.sh); only the shell is asserted.
const PHONE = { width: 390, height: 844 };

function shot(name: string): string {
  const dir = process.env.PARLEY_SCREENSHOTS_DIR ?? path.join(test.info().project.outputDir, 'screenshots');
  return path.join(dir, name);
}

test('login and chat screenshots, desktop and phone', async ({ page, openPage }) => {
  await openLogin(page);
  await page.screenshot({ path: shot('login.png') });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: shot('login-phone.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  const bob = await openPage();
  await login(bob, users.bob.jid, users.bob.password);
  await login(page, users.alice.jid, users.alice.password);

  const bobChat = await openChatFromRoster(bob, users.alice.jid);
  await send(bobChat, 'Hi Alice! Tea in the garden at five?');
  const aliceChat = await openChatFromList(page, users.bob.jid);
  await send(aliceChat, 'Lovely, I will bring the cups.');
  await send(aliceChat, 'And the March Hare, if he behaves.');

  await expect(page.locator(tid('app-shell'))).toBeVisible();
  await page.screenshot({ path: shot('chat.png') });
  await page.setViewportSize(PHONE);
  await expect(page.locator(tid('app-shell'))).toBeVisible();
  await page.screenshot({ path: shot('chat-phone.png') });

  await page.keyboard.press('Control+k');
  await page.keyboard.type('b');
  await expect(page.locator(tid('quick-switch-item')).first()).toBeVisible();
  await page.screenshot({ path: shot('quick-switch-phone.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: shot('quick-switch.png') });
  await page.keyboard.press('Escape');
  await page.locator(`${tid('notifications-menu')} > summary`).click();
  await page.screenshot({ path: shot('notifications-menu.png') });
  await page.keyboard.press('Escape');
});

test('a remembered device: the shell after a reload, and the login page after signing out', async ({ page }) => {
  await openLogin(page);
  await page.locator(tid('login-remember')).check();
  await page.locator(tid('login-jid')).fill(users.erin.jid);
  await page.locator(tid('login-password')).fill(users.erin.password);
  await page.locator(tid('login-submit')).click();
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
  await page.waitForTimeout(2_500);
  await page.reload();
  await expect(page.locator(tid('logout-forget'))).toBeVisible();
  await page.screenshot({ path: shot('remembered.png') });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: shot('remembered-phone.png') });
  // On a phone the header's actions are in its menu.
  await page.locator(tid('header-menu')).click();
  await expect(page.locator(tid('logout'))).toBeVisible();
  await page.screenshot({ path: shot('header-menu-phone.png') });
  await page.locator(tid('logout')).click();
  await expect(page.locator(tid('kept-account', { jid: users.erin.jid }))).toBeVisible();
  await page.screenshot({ path: shot('login-kept-phone.png') });
  await page.locator(tid('logout-forget')).click();
  await expect(page.locator(tid('kept-account'))).toHaveCount(0);
});

test('room browser and room screenshots, desktop and phone', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  await page.locator(tid('rooms-open')).click();
  const browser = page.locator(tid('rooms-browser'));
  await expect(browser.locator(tid('rooms-count'))).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  await expect(browser.locator(tid('room-item')).first()).toHaveAttribute('data-details', 'loaded');
  expect(await clippedLabels(page)).toEqual([]);
  await page.screenshot({ path: shot('rooms.png') });
  await page.setViewportSize(PHONE);
  expect(await clippedLabels(page)).toEqual([]);
  await page.screenshot({ path: shot('rooms-phone.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  await browser.locator(tid('room-join-jid')).fill('lobby@localhost');
  await browser.locator(tid('room-join-submit')).click();
  await expect(page.locator(tid('room-join-error'))).toBeVisible();
  await page.screenshot({ path: shot('room-join-error.png') });
  await page.locator(tid('room-join-suggestion')).click();
  const view = page.locator(tid('chat-view', { kind: 'groupchat' }));
  await expect(view.locator(tid('occupant'))).not.toHaveCount(0);
  // The lobby keeps its history: earlier runs' messages show above this one.
  await send(view, unique('Hello, lobby! Is bob around?'));
  expect(await clippedLabels(page)).toEqual([]);
  await page.screenshot({ path: shot('room.png') });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: shot('room-phone.png') });
  await view.locator(tid('room-leave')).click();
  await expect(view).toHaveCount(0);
});

/** Buttons, headings and labels whose text does not fit their box (deliberate ellipses and text
 * hidden for screen readers aside). */
async function clippedLabels(page: Page): Promise<string[]> {
  return page.locator('button:visible, h1:visible, h2:visible, label:visible, [data-testid=connection-status]').evaluateAll((els) =>
    els
      .filter((el) => !el.closest('.visually-hidden'))
      .filter((el) => getComputedStyle(el).textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()} "${el.textContent?.trim()}" (${el.scrollWidth} > ${el.clientWidth})`),
  );
}

// The browser's language picks the interface language; long Russian and French labels must fit.
for (const locale of ['ru-RU', 'fr-FR']) {
  test(`login and chat screenshots in ${locale}`, async ({ openPage }) => {
    const page = await openPage({ locale });
    await openLogin(page);
    await expect(page.locator('html')).toHaveAttribute('lang', locale.slice(0, 2));
    await page.locator(tid('login-password')).fill('wrong');
    await page.locator(tid('login-jid')).fill(users.carol.jid);
    await page.locator(tid('login-submit')).click();
    await expect(page.locator(tid('login-error'))).toBeVisible();
    expect(await clippedLabels(page)).toEqual([]);
    await page.screenshot({ path: shot(`login-error-${locale}.png`) });
    await login(page, users.carol.jid, users.carol.password);
    await openChatFromRoster(page, users.alice.jid);
    expect(await clippedLabels(page)).toEqual([]);
    await page.screenshot({ path: shot(`chat-${locale}.png`) });
    await page.setViewportSize(PHONE);
    expect(await clippedLabels(page)).toEqual([]);
    await page.locator(tid('chat-back')).click();
    await expect(page.locator(tid('roster'))).toBeVisible();
    expect(await clippedLabels(page)).toEqual([]);
    await page.screenshot({ path: shot(`roster-phone-${locale}.png`) });
  });
}

test('a branded deployment with guest access and offered rooms, desktop and phone', async ({ page }) => {
  await page.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    const config = {
      ...served,
      branding: { product_name: 'Wonderland Chat', accent_color: '#0b7a55' },
      guest: { domain: 'guest.localhost' },
      rooms: [
        { address: 'lobby@conference.localhost', name: 'Lobby' },
        { address: 'tea@conference.localhost', name: 'Tea party' },
      ],
    };
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) });
  });
  await openLogin(page);
  await expect(page.locator(tid('guest-form'))).toBeVisible();
  await page.screenshot({ path: shot('login-branded.png') });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: shot('login-branded-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator(tid('login-jid')).fill(users.carol.jid);
  await page.locator(tid('login-password')).fill(users.carol.password);
  await page.locator(tid('login-submit')).click();
  await expect(page.locator(tid('offered-room'))).toHaveCount(2);
  await page.screenshot({ path: shot('shell-branded.png') });
});

test('dark theme (the system preference): login, chat and room, desktop and phone', async ({ openPage }) => {
  const page = await openPage({ colorScheme: 'dark' });
  await openLogin(page);
  await expect(page.locator(tid('theme-toggle'))).toHaveAttribute('data-theme', 'system');
  await page.screenshot({ path: shot('dark-login.png') });
  await login(page, users.alice.jid, users.alice.password);
  const chat = await openChatFromRoster(page, users.bob.jid);
  await send(chat, unique('In the dark'));
  await page.screenshot({ path: shot('dark-chat.png') });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: shot('dark-chat-phone.png') });
});
