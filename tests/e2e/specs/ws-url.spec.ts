import { test, expect } from '../lib/fixtures';
import { fillLogin, openLogin, tid, users } from '../lib/app';

test('a ws:// URL is refused before anything connects to it', async ({ page }) => {
  const urls: string[] = [];
  page.on('websocket', (ws) => urls.push(ws.url()));
  page.on('request', (request) => urls.push(request.url()));

  await openLogin(page);
  const field = page.locator(tid('login-ws-url'));
  // The override is an advanced option: it may sit in a closed <details>.
  if (!(await field.isVisible())) {
    await page.locator(`details:has(${tid('login-ws-url')}) > summary`).click();
  }
  await field.fill('ws://localhost:5444/xmpp-websocket');
  await fillLogin(page, users.erin.jid, users.erin.password);

  const error = page.locator(tid('login-error'));
  await expect(error).toBeVisible();
  await expect(error).not.toHaveText(/^\s*$/);
  await expect(page.locator(tid('app-shell'))).toHaveCount(0);
  expect(urls.filter((url) => url.startsWith('ws://'))).toEqual([]);
});
