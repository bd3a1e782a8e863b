import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { login, openChatFromRoster, openLogin, send, tid, unique, users } from '../lib/app';

// axe-core on every screen, light and dark, phone and desktop: no violation of serious or
// critical impact (WCAG 2.2 A/AA rules and axe's best practices).
const SIZES = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
} as const;

async function serious(page: Page, screen: string): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`);
}

/** Runs axe at each size on the screen as it is now. */
async function check(page: Page, screen: string, found: string[]): Promise<void> {
  for (const [name, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    // Let the layout settle (the windowed lists measure themselves on resize).
    await page.waitForTimeout(150);
    found.push(...(await serious(page, `${screen} @${name}`)));
  }
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen passes axe in the ${scheme} theme`, async ({ openPage }) => {
    test.setTimeout(120_000);
    const page = await openPage({ colorScheme: scheme });
    const found: string[] = [];

    await openLogin(page);
    await check(page, 'login', found);
    await page.locator(tid('login-jid')).fill(users.carol.jid);
    await page.locator(tid('login-password')).fill('not the password');
    await page.locator(tid('login-submit')).click();
    await expect(page.locator(tid('login-error'))).toBeVisible();
    await check(page, 'login error', found);
    await page.locator(tid('register-open')).click();
    await page.locator(tid('register-jid')).fill('alice');
    await page.locator(tid('register-password')).fill('taken anyway');
    await page.locator(tid('register-submit')).click();
    await expect(page.locator(tid('register-error'))).toBeVisible();
    await check(page, 'registration refused', found);
    await page.locator(tid('register-back')).click();

    await login(page, users.carol.jid, users.carol.password);
    await page.setViewportSize(SIZES.desktop);
    await check(page, 'contacts', found);
    await page.locator(tid('account-open')).click();
    await page.locator(tid('account-delete')).click();
    await expect(page.locator(tid('account-delete-confirm'))).toBeVisible();
    await check(page, 'account', found);
    await page.locator(tid('account-close')).click();

    await page.setViewportSize(SIZES.desktop);
    const chat = await openChatFromRoster(page, users.alice.jid);
    await send(chat, unique('axe says hello'));
    await check(page, 'chat', found);
    await chat.locator(tid('contact-details-open')).click();
    await expect(page.locator(tid('contact-details'))).toBeVisible();
    await check(page, 'contact details', found);
    await chat.locator(tid('contact-details-open')).click();

    await page.setViewportSize(SIZES.desktop);
    await page.keyboard.press('Control+k');
    await expect(page.locator(tid('quick-switch'))).toBeVisible();
    await check(page, 'quick switch', found);
    await page.keyboard.press('Escape');
    await page.setViewportSize(SIZES.desktop);
    await page.locator(`${tid('notifications-menu')} > summary`).click();
    await check(page, 'notifications menu', found);
    await page.keyboard.press('Escape');

    // The phone header's menu, open.
    await page.setViewportSize(SIZES.phone);
    await page.locator(tid('header-menu')).click();
    await expect(page.locator(tid('logout'))).toBeVisible();
    found.push(...(await serious(page, 'header menu @phone')));
    await page.keyboard.press('Escape');
    await expect(page.locator(tid('logout'))).toBeHidden();

    await page.setViewportSize(SIZES.desktop);
    await page.locator(tid('rooms-open')).click();
    const browser = page.locator(tid('rooms-browser'));
    await expect(browser.locator(tid('rooms-count'))).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
    await check(page, 'room browser', found);

    await page.setViewportSize(SIZES.desktop);
    await browser.locator(tid('room-join-jid')).fill('lobby@conference.localhost');
    await browser.locator(tid('room-join-submit')).click();
    const room = page.locator(tid('chat-view', { kind: 'groupchat' }));
    await expect(room.locator(tid('occupant'))).not.toHaveCount(0);
    await check(page, 'room', found);
    await room.locator(tid('room-leave')).click();
    await expect(room).toHaveCount(0);

    expect(found).toEqual([]);
  });
}
