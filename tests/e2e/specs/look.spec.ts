import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { openLogin, tid } from '../lib/app';

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
