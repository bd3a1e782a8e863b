import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { login, openChatFromRoster, openLogin, tid, unique, users } from '../lib/app';
import { HostilePeer } from '../lib/hostile';

// Light and dark: the system's preference, unless the person picks one; the pick is remembered.
const LIGHT_BG = 'rgb(244, 246, 250)';
const DARK_BG = 'rgb(17, 21, 29)';

function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
}

test('the theme follows the system until one is chosen, and the choice survives a reload', async ({ openPage }) => {
  const page = await openPage({ colorScheme: 'dark' });
  await openLogin(page);
  const toggle = page.locator(tid('theme-toggle'));
  await expect(toggle).toHaveAttribute('data-theme', 'system');
  expect(await background(page)).toBe(DARK_BG);

  await toggle.click();
  await expect(toggle).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => background(page)).toBe(LIGHT_BG);
  await page.reload();
  await expect(page.locator(tid('theme-toggle'))).toHaveAttribute('data-theme', 'light');
  expect(await background(page)).toBe(LIGHT_BG);

  await toggle.click();
  await expect(toggle).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await toggle.click();
  await expect(toggle).toHaveAttribute('data-theme', 'system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
});

test('a message from an earlier year shows the year; today only the time', async ({ page }) => {
  await login(page, users.carol.jid, users.carol.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const old = unique('from long ago');
  bob.socket.send(
    `<message xmlns="jabber:client" to="${users.carol.jid}" type="chat" id="${Date.now()}">` +
      `<body>${old}</body><delay xmlns="urn:xmpp:delay" stamp="2024-03-01T10:00:00Z"/></message>`,
  );
  const now = unique('from today');
  bob.chat(users.carol.jid, now);
  const view = await openChatFromRoster(page, users.bob.jid);
  const timeOf = (text: string) => view.locator(tid('message')).filter({ hasText: text }).locator(tid('message-time'));
  await expect(timeOf(old)).toContainText('2024');
  await expect(timeOf(now)).not.toContainText(String(new Date().getFullYear()));
  await expect(timeOf(now)).toHaveText(/^\d{1,2}:\d{2}/);
  bob.socket.close();
});

test('message styling (XEP-0393) and /me (XEP-0245) render, still as text', async ({ page }) => {
  await login(page, users.carol.jid, users.carol.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const mark = unique('styled');
  bob.chat(users.carol.jid, `${mark} *bold* _it_ \`co*de*\` ~gone~ 2 * 3 * 4\n> quoted *too*\n\`\`\`\n*raw*\n\`\`\``);
  bob.chat(users.carol.jid, `/me waves ${mark}`);
  const view = await openChatFromRoster(page, users.bob.jid);
  const body = view.locator(tid('message-body')).filter({ hasText: `${mark} ` }).first();
  await expect(body.locator('strong').first()).toHaveText('*bold*');
  await expect(body.locator('em')).toHaveText('_it_');
  await expect(body.locator('code').first()).toHaveText('`co*de*`');
  await expect(body.locator('code strong')).toHaveCount(0);
  await expect(body.locator('s')).toHaveText('~gone~');
  await expect(body.locator('.styling-quote')).toHaveText('> quoted *too*');
  await expect(body.locator('.styling-quote strong')).toHaveText('*too*');
  await expect(body.locator('.styling-pre')).toHaveCount(3);
  // Nothing is lost or added: the text is the text that was sent.
  await expect(body).toHaveText(`${mark} *bold* _it_ \`co*de*\` ~gone~ 2 * 3 * 4\n> quoted *too*\n\`\`\`\n*raw*\n\`\`\``, { useInnerText: false });
  await expect(view.locator(tid('message-me')).filter({ hasText: mark })).toHaveText(`${users.bob.jid} waves ${mark}`);
  bob.socket.close();
});
