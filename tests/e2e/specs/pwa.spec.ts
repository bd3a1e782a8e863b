import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { tid } from '../lib/app';

// The installable app, through the documented Caddy deployment (server/caddy.sh, under /chat/):
// Chromium finds it installable, its service worker keeps the shell, the app opens with the
// server down, and a new release is offered, then loaded when the person says so. A persistent
// profile (Chromium calls an incognito window not installable) with service workers allowed,
// which the other specs block.
const SITE = 'https://localhost:5447/chat/';
const REPO = path.resolve(__dirname, '../../..');
const WWW = path.join(REPO, '.run/caddy/www');

function caddy(action: 'start' | 'stop'): void {
  execFileSync(path.join(REPO, 'server/caddy.sh'), [action], {
    env: { ...process.env, PARLEY_DIST_DIR: process.env.PARLEY_DIST_DIR ?? path.join(REPO, 'dist') },
    stdio: 'inherit',
  });
}

test('installable: a valid manifest, an active service worker, the shell offline, and an update on request', async ({}, testInfo) => {
  test.setTimeout(90_000);
  const context = await chromium.launchPersistentContext(testInfo.outputPath('profile'), {
    ...testInfo.project.use.launchOptions,
    ignoreHTTPSErrors: true,
    serviceWorkers: 'allow',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(SITE);
    await expect(page.locator(tid('login-form'))).toBeVisible();
    // The worker has installed this release's shell and controls the page.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout: 30_000 }).toBe('activated');

    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toBe(`${SITE}manifest.webmanifest`);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);

    // The server is down: the app still opens, and signing in says it cannot reach the server.
    caddy('stop');
    try {
      await page.reload();
      await expect(page.locator(tid('login-form'))).toBeVisible();
      await page.locator(tid('login-jid')).fill('carol');
      await page.locator(tid('login-password')).fill('christmas');
      await page.locator(tid('login-submit')).click();
      await expect(page.locator(tid('login-error'))).toBeVisible();
    } finally {
      caddy('start');
    }

    // A new release on the server: offered, and loaded only when asked for.
    await page.goto(SITE);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none')).toBe('activated');
    const worker = path.join(WWW, 'sw.js');
    fs.appendFileSync(worker, '\n// the next release\n');
    for (const copy of ['sw.js.br', 'sw.js.gz']) fs.rmSync(path.join(WWW, copy), { force: true });
    await page.reload();
    await expect(page.locator(tid('update-ready'))).toBeVisible({ timeout: 30_000 });
    const reloaded = page.waitForEvent('load');
    await page.locator(tid('update-reload')).click();
    await reloaded;
    await expect(page.locator(tid('login-form'))).toBeVisible();
    await expect(page.locator(tid('update-ready'))).toHaveCount(0);
    const running = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: !!registration?.waiting, active: registration?.active?.state };
    });
    expect(running).toEqual({ waiting: false, active: 'activated' });
  } finally {
    await context.close();
    // The served copy as server/caddy.sh made it, for any spec after this one.
    caddy('stop');
    caddy('start');
  }
});
