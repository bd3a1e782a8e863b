import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { bodiesWithText, chatView, expectOnline, tid, unique, users } from '../lib/app';

// Everything without a mouse: Tab, typing, Enter, Esc, arrows and Ctrl+K. No click() here.

/** Presses Tab until the element with this test id has focus (as a person tabbing would). */
async function tabTo(page: Page, testid: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === testid) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testid} never got focus in ${max} presses of Tab`);
}

/** Carol signs in with Tab, typing and Enter. */
async function signInByKeyboard(page: Page): Promise<void> {
  await page.goto('/');
  await tabTo(page, 'login-jid');
  await page.keyboard.type(users.carol.jid);
  await page.keyboard.press('Tab');
  await page.keyboard.type(users.carol.password);
  await page.keyboard.press('Enter');
  await expectOnline(page);
}

async function focused(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
}

test('keyboard only: sign in, jump to a chat with Ctrl+K, send, join a room', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator(tid('login-form'))).toBeVisible();
  await tabTo(page, 'login-jid');
  await page.keyboard.type(users.carol.jid);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('login-password');
  await page.keyboard.type(users.carol.password);
  await page.keyboard.press('Enter');
  await expectOnline(page);

  // Ctrl+K: the switcher opens with focus in its field; arrows move, Enter opens.
  await page.keyboard.press('Control+k');
  const dialog = page.locator(tid('quick-switch'));
  await expect(dialog).toBeVisible();
  expect(await focused(page)).toBe('quick-switch-input');
  await page.keyboard.type('alice');
  const items = dialog.locator(tid('quick-switch-item'));
  await expect(items.first()).toHaveAttribute('data-jid', users.alice.jid);
  await expect(items.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const view = chatView(page, users.alice.jid);
  await expect(view).toBeVisible();
  // Focus went to the composer of what was opened: typing and Enter send.
  await expect.poll(() => focused(page)).toBe('composer-input');
  const text = unique('typed, never clicked');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await expect(bodiesWithText(view, text, 'out')).toHaveCount(1);
  // Shift+Enter makes a new line instead of sending.
  await page.keyboard.type('two');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('lines');
  await expect(page.locator(tid('composer-input'))).toHaveValue('two\nlines');
  await page.keyboard.press('Enter');
  await expect(bodiesWithText(view, 'two\nlines', 'out')).toHaveCount(1);

  // Esc closes the switcher and focus returns where it was.
  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await focused(page)).toBe('composer-input');

  // A room, from the room browser, by Tab and Enter.
  await tabTo(page, 'rooms-open', 120);
  await page.keyboard.press('Enter');
  await expect(page.locator(tid('rooms-browser'))).toBeVisible();
  await tabTo(page, 'room-join-jid', 120);
  await page.keyboard.type('lobby@conference.localhost');
  await page.keyboard.press('Enter');
  const room = page.locator(tid('chat-view', { kind: 'groupchat' }));
  await expect(room.locator(tid('occupant'))).not.toHaveCount(0);
  await tabTo(page, 'composer-input', 120);
  const hello = unique('hello from the keyboard');
  await page.keyboard.type(hello);
  await page.keyboard.press('Enter');
  await expect(bodiesWithText(room, hello, 'out')).toHaveCount(1);
  await tabTo(page, 'room-leave', 120);
  await page.keyboard.press('Enter');
  await expect(room).toHaveCount(0);
});

test('the switcher finds rooms and contacts by part of a name or address, and says when nothing matches', async ({ page }) => {
  await signInByKeyboard(page);

  await page.keyboard.press('Control+k');
  const dialog = page.locator(tid('quick-switch'));
  await page.keyboard.type('localhost');
  const items = dialog.locator(tid('quick-switch-item'));
  await expect(items).not.toHaveCount(0);
  const first = await items.first().getAttribute('data-jid');
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(items.first()).toHaveAttribute('aria-selected', 'true');
  await expect(items.first()).toHaveAttribute('data-jid', first!);
  await page.keyboard.press('ArrowUp');
  await expect(items.last()).toHaveAttribute('aria-selected', 'true');

  await page.locator(tid('quick-switch-input')).fill('no such person anywhere');
  await expect(items).toHaveCount(0);
  await expect(dialog.locator(tid('quick-switch-empty'))).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a draft stays with its conversation while another is open, and the composer grows with it', async ({ page }) => {
  await signInByKeyboard(page);

  const input = page.locator(tid('composer-input'));
  await page.locator(tid('roster-item', { jid: users.bob.jid })).click();
  await expect(chatView(page, users.bob.jid)).toBeVisible();
  const oneLine = (await input.boundingBox())!.height;
  const draft = unique('half a thought');
  await input.fill(`${draft}\nand a second line\nand a third`);
  expect((await input.boundingBox())!.height).toBeGreaterThan(oneLine);

  await page.locator(tid('roster-item', { jid: users.alice.jid })).click();
  await expect(chatView(page, users.alice.jid)).toBeVisible();
  await expect(input).toHaveValue('');
  await page.locator(tid('roster-item', { jid: users.bob.jid })).click();
  await expect(chatView(page, users.bob.jid)).toBeVisible();
  await expect(input).toHaveValue(`${draft}\nand a second line\nand a third`);
  // Sent, it is no draft any more.
  await input.press('Enter');
  await expect(input).toHaveValue('');
  await page.locator(tid('roster-item', { jid: users.alice.jid })).click();
  await page.locator(tid('roster-item', { jid: users.bob.jid })).click();
  await expect(input).toHaveValue('');
});

test('arrow keys move between the rows of the contact list (group headings too), Home and End to its ends', async ({ page }) => {
  await signInByKeyboard(page);
  const roster = page.locator(tid('roster'));
  await expect(roster).toHaveAttribute('data-count', '2');
  // Where the focus is, as the row (its test id and address) holding it.
  const focusedRow = () =>
    page.evaluate(() => {
      const row = document.activeElement?.closest('[data-testid="roster-item"]');
      return row?.getAttribute('data-jid') ?? null;
    });
  const rows = await roster.locator(tid('roster-item')).evaluateAll((items) =>
    items
      .map((item) => ({ jid: item.getAttribute('data-jid'), top: item.getBoundingClientRect().top }))
      .sort((a, b) => a.top - b.top)
      .map((item) => item.jid),
  );
  await roster.locator(tid('roster-item', { jid: rows[0]! })).locator('button').first().focus();
  await expect.poll(focusedRow).toBe(rows[0]);
  await page.keyboard.press('ArrowDown');
  await expect.poll(focusedRow).toBe(rows[1]);
  // The last row stays the last.
  await page.keyboard.press('ArrowDown');
  await expect.poll(focusedRow).toBe(rows[1]);
  // Home: the first row, the heading of carol's one group; ArrowDown from it, its first contact.
  await page.keyboard.press('Home');
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="roster-group"]')?.getAttribute('data-group')))
    .toBe('Friends');
  await page.keyboard.press('ArrowDown');
  await expect.poll(focusedRow).toBe(rows[0]);
  await page.keyboard.press('End');
  await expect.poll(focusedRow).toBe(rows[1]);
  await page.keyboard.press('ArrowUp');
  await expect.poll(focusedRow).toBe(rows[0]);
  // Enter opens the focused contact's conversation.
  await page.keyboard.press('Enter');
  await expect(chatView(page, rows[0]!)).toBeVisible();
});

test('the phone header menu opens with Enter, closes with Esc back on its button, and closes when Tab leaves it', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signInByKeyboard(page);
  const button = page.locator(tid('header-menu'));
  const logout = page.locator(tid('logout'));
  await expect(logout).toBeHidden();
  await tabTo(page, 'header-menu', 40);
  await page.keyboard.press('Enter');
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(logout).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(logout).toBeHidden();
  expect(await focused(page)).toBe('header-menu');

  // Into the menu and out past its last action: it closes behind the focus.
  await page.keyboard.press('Enter');
  await tabTo(page, 'logout', 20);
  await page.keyboard.press('Tab');
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(logout).toBeHidden();
});
