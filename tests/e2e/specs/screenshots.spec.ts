import path from 'node:path';
import { test, expect } from '../lib/fixtures';
import { login, openChatFromList, openChatFromRoster, openLogin, send, tid, users } from '../lib/app';

// Pictures for people to look at (test-results/screenshots/); only the shell is asserted.
const PHONE = { width: 390, height: 844 };

function shot(name: string): string {
  return path.join(test.info().project.outputDir, 'screenshots', name);
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
});
