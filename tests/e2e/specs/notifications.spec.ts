import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { login, setTabVisibility, tid, unique, users } from '../lib/app';
import { HostilePeer } from '../lib/hostile';

// Desktop notifications, the sound and the tab icon's badge. The page's calls to the real
// Notifications API and Web Audio are recorded (not replaced), since a headless browser shows
// neither.
type Shown = { title: string; body?: string; tag?: string };
declare global {
  interface Window {
    __shown: Shown[];
    __asked: number;
    __tones: number;
  }
}

/** Bob as carol's roster names him (server/prosody.cfg.lua seeds it). */
const NAME = 'Bob';

async function recordAlerts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__shown = [];
    window.__asked = 0;
    window.__tones = 0;
    const Real = window.Notification;
    window.Notification = new Proxy(Real, {
      construct(target, args: [string, NotificationOptions?]) {
        window.__shown.push({ title: args[0], body: args[1]?.body, tag: args[1]?.tag });
        return Reflect.construct(target, args);
      },
      get(target, prop) {
        if (prop === 'requestPermission') {
          return () => {
            window.__asked += 1;
            return target.requestPermission();
          };
        }
        return Reflect.get(target, prop);
      },
    });
    const oscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      window.__tones += 1;
      return oscillator.call(this);
    };
  });
}

test('permission is asked for from the control only, never on load', async ({ page }) => {
  await recordAlerts(page);
  await login(page, users.carol.jid, users.carol.password);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => window.__asked)).toBe(0);
  await page.locator(`${tid('notifications-menu')} > summary`).click();
  await page.locator(tid('notifications-enable')).click();
  await expect.poll(() => page.evaluate(() => window.__asked)).toBe(1);
  await page.keyboard.press('Escape');
  await expect(page.locator(tid('notifications-menu'))).not.toHaveAttribute('open', /.*/);
});

test('a message while the tab is hidden: a notification naming the sender, without the text when chosen, a tone, and a badge', async ({ openPage }) => {
  const page = await openPage({ permissions: ['notifications'] });
  await recordAlerts(page);
  await login(page, users.carol.jid, users.carol.password);
  const menu = page.locator(tid('notifications-menu'));
  await menu.locator('summary').click();
  await expect(menu.locator(tid('notifications-on'))).toBeChecked();
  await expect(menu.locator(tid('notifications-enable'))).toHaveCount(0);
  await menu.locator(tid('notifications-sound')).check();
  // Turning the sound on plays it once, so the person knows what it sounds like.
  await expect.poll(() => page.evaluate(() => window.__tones)).toBe(1);

  const bob = await HostilePeer.login('bob', users.bob.password);
  await setTabVisibility(page, 'hidden');
  const first = unique('are you there');
  bob.chat(users.carol.jid, first);
  await expect.poll(() => page.evaluate(() => window.__shown.at(-1))).toEqual({ title: NAME, body: first, tag: users.bob.jid });
  expect(await page.evaluate(() => window.__tones)).toBe(2);
  await expect(page.locator("link[rel~='icon']")).toHaveAttribute('href', /^data:image\/svg\+xml,/);

  await setTabVisibility(page, 'visible');
  await menu.locator(tid('notifications-private')).check();
  await page.keyboard.press('Escape');
  await expect(menu).not.toHaveAttribute('open', /.*/);
  await setTabVisibility(page, 'hidden');
  const second = unique('a secret');
  bob.chat(users.carol.jid, second);
  await expect.poll(() => page.evaluate(() => window.__shown.length)).toBe(2);
  const last = await page.evaluate(() => window.__shown.at(-1));
  expect(last?.title).toBe(NAME);
  expect(last?.body).toBe('New message');
  expect(JSON.stringify(await page.evaluate(() => window.__shown))).not.toContain('a secret');

  // Reading the conversation clears the badge.
  await setTabVisibility(page, 'visible');
  await page.locator(`${tid('chat-list')} ${tid('chat-list-item', { jid: users.bob.jid })}`).click();
  await expect(page.locator("link[rel~='icon']")).toHaveAttribute('href', 'favicon.svg');
  bob.socket.close();
});
