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
  await expect(error).toHaveAttribute('data-reason', 'url-insecure');
  await expect(page.locator(tid('app-shell'))).toHaveCount(0);
  expect(urls.filter((url) => url.startsWith('ws://'))).toEqual([]);
});

test('a server that does not answer gives a clear error, and the form still works', async ({ page, problems }) => {
  await openLogin(page);
  const field = page.locator(tid('login-ws-url'));
  if (!(await field.isVisible())) {
    await page.locator(`details:has(${tid('login-ws-url')}) > summary`).click();
  }
  // Nothing listens on this port.
  await field.fill('wss://localhost:5999/xmpp-websocket');
  await fillLogin(page, users.erin.jid, users.erin.password);
  const error = page.locator(tid('login-error'));
  await expect(error).toHaveAttribute('data-reason', 'unreachable');
  await expect(page.locator(tid('connection-status'))).toHaveCount(0);

  await field.fill('');
  await fillLogin(page, users.erin.jid, users.erin.password);
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');

  // Chromium itself logs the refused connection; that one console error is expected here.
  const expected = /WebSocket connection to 'wss:\/\/localhost:5999\/xmpp-websocket' failed/;
  problems.splice(0, problems.length, ...problems.filter((p) => !expected.test(p)));
});

test('an invalid config.json is shown on the page, and a missing one means defaults', async ({ page, problems }) => {
  await page.route('**/config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"websocket_url": "ws://localhost:5444/xmpp-websocket"}' }));
  await openLogin(page);
  const error = page.locator(tid('login-error'));
  await expect(error).toBeVisible();
  await expect(error).toContainText('websocket_url');

  await page.unroute('**/config.json');
  await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await openLogin(page);
  await expect(error).toHaveCount(0);
  // Without a default domain the address must be complete. Without a URL, XEP-0156 discovery
  // fetches https://localhost/.well-known/host-meta*, which this deployment's CSP (connect-src
  // 'self' wss:) blocks, as it would any other origin: a clear error, and nothing connects.
  await fillLogin(page, 'erin', users.erin.password);
  await expect(error).toHaveAttribute('data-reason', 'address-missing-domain');
  await fillLogin(page, users.erin.jid, users.erin.password);
  // A new error, not the last one still showing: discovery could read nothing, and says why...
  await expect(error).toHaveAttribute('data-reason', 'discovery-blocked');
  await expect(error).toContainText('localhost');
  await expect(page.locator(tid('app-shell'))).toHaveCount(0);
  // ...because the CSP blocked both host-meta documents, as the README explains.
  const blocked = await page.evaluate(() => (window.__parleyCspViolations ?? []).filter((v) => v.includes('/.well-known/host-meta')));
  expect(blocked.length).toBeGreaterThanOrEqual(2);

  // The browser logs the 404 and the blocked discovery fetches; those are this test's doing.
  const expected = /status of 404|\/\.well-known\/host-meta/;
  problems.splice(0, problems.length, ...problems.filter((p) => !expected.test(p)));
  await page.evaluate(() => {
    window.__parleyCspViolations = (window.__parleyCspViolations ?? []).filter((v) => !v.includes('/.well-known/host-meta'));
  });
});
