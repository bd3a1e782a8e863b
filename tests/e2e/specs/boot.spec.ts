import { chromium } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { tid } from '../lib/app';
import config from '../playwright.config';

// When the app cannot start the page says why, in the person's language, instead of staying blank.

test('with WebAssembly turned off (as in Tor Browser\'s Safer level) the page explains it', async ({ baseURL }) => {
  const launch = config.use?.launchOptions ?? {};
  // A browser of its own: V8 without its JIT, as Tor Browser's Safer level runs, exposes no
  // WebAssembly at all (--noexpose_wasm no longer does in this Chromium).
  const browser = await chromium.launch({ ...launch, args: [...(launch.args ?? []), '--js-flags=--jitless'] });
  try {
    for (const [locale, words] of [['en-US', 'WebAssembly'], ['fr-FR', 'désactivé'], ['ru-RU', 'отключён']] as const) {
      const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, locale });
      const page = await context.newPage();
      await page.goto('/');
      const note = page.locator(tid('boot-no-wasm'));
      await expect(note).toBeVisible();
      await expect(note).toContainText(words);
      await expect(note).toHaveAttribute('lang', locale.slice(0, 2));
      await expect(page.locator(tid('login-form'))).toHaveCount(0);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('a bundle that fails to load says the app could not start', async ({ page, problems }) => {
  await page.route(/app_bg[^/]*\.wasm$/, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  await expect(page.locator(tid('boot-error'))).toBeVisible();
  await expect(page.locator(tid('login-form'))).toHaveCount(0);
  // The 404 and the reason it did not start are logged, as they should be.
  const expected = /status of 404|the app did not start/;
  problems.splice(0, problems.length, ...problems.filter((p) => !expected.test(p)));
});

test('without JavaScript the page says what it needs, in three languages', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, ignoreHTTPSErrors: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  const note = page.locator(tid('boot-no-script'));
  await expect(note).toBeVisible();
  await expect(note.locator('p[lang]')).toHaveCount(3);
  await context.close();
});
