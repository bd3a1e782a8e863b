import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { login, openChatFromRoster, openLogin, send, tid, unique, users } from '../lib/app';
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

/** A chat message to carol stamped (XEP-0203) as written on 1 March 2024. */
function sendWrittenIn2024(bob: HostilePeer, body: string): void {
  bob.socket.send(
    `<message xmlns="jabber:client" to="${users.carol.jid}" type="chat" id="${Date.now()}">` +
      `<body>${body}</body><delay xmlns="urn:xmpp:delay" stamp="2024-03-01T10:00:00Z"/></message>`,
  );
}

test('a message from an earlier year shows the year; today only the time', async ({ page }) => {
  await login(page, users.carol.jid, users.carol.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const old = unique('from long ago');
  sendWrittenIn2024(bob, old);
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

test('days are separated and one sender’s consecutive messages are grouped', async ({ page }) => {
  await login(page, users.carol.jid, users.carol.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const old = unique('a spring day');
  sendWrittenIn2024(bob, old);
  const first = unique('first of two');
  const second = unique('second of two');
  bob.chat(users.carol.jid, first);
  bob.chat(users.carol.jid, second);
  const view = await openChatFromRoster(page, users.bob.jid);
  const message = (text: string) => view.locator(tid('message')).filter({ hasText: text });
  await expect(message(second)).toHaveCount(1);
  // The old message starts its day (with the year); today's first message starts today.
  await expect(message(old).locator(tid('day-separator'))).toContainText('2024');
  await expect(message(first).locator(tid('day-separator'))).toHaveText('Today');
  await expect(message(second).locator(tid('day-separator'))).toHaveCount(0);
  await expect(message(second)).toHaveClass(/\bcontinued\b/);
  // Ours after theirs starts a new group.
  const mine = unique('my answer');
  await send(view, mine);
  await expect(message(mine)).not.toHaveClass(/\bcontinued\b/);
  bob.socket.close();
});

test('a screen reader hears each new message once, with its sender, and not our own', async ({ page }) => {
  await login(page, users.carol.jid, users.carol.password);
  const view = await openChatFromRoster(page, users.bob.jid);
  await expect(view.locator('.messages')).toHaveAttribute('role', 'log');
  const bob = await HostilePeer.login('bob', users.bob.password);
  const announcer = view.locator(tid('message-announcer'));
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  const hello = unique('hello, can you hear me');
  bob.chat(users.carol.jid, hello);
  await expect(announcer.locator('p').filter({ hasText: hello })).toHaveCount(1);
  await expect(announcer.locator('p').filter({ hasText: hello })).toHaveText(new RegExp(`: ${hello}$`));
  // Our answer changes state (pending, sent, received) and re-renders: still nothing said of it,
  // and the earlier announcement is not repeated.
  const mine = unique('yes');
  await send(view, mine);
  await expect(view.locator(tid('message')).filter({ hasText: mine })).not.toHaveAttribute('data-state', 'pending');
  await expect(announcer).not.toContainText(mine);
  await expect(announcer.locator('p').filter({ hasText: hello })).toHaveCount(1);
  bob.socket.close();
});

// Counted things use the language's plural rules; the browser's own Intl.PluralRules decides
// which form is right, so the test does not share the app's rules.
const ROOM_FORMS: Record<string, Record<string, string>> = {
  'en-GB': { one: 'room', other: 'rooms' },
  'ru-RU': { one: 'комната', few: 'комнаты', many: 'комнат' },
  'fr-FR': { one: 'salon', many: 'de salons', other: 'salons' },
};
for (const [locale, forms] of Object.entries(ROOM_FORMS)) {
  test(`the room count uses ${locale}’s plural forms`, async ({ openPage }) => {
    const page = await openPage({ locale });
    await login(page, users.alice.jid, users.alice.password);
    await page.locator(tid('rooms-open')).click();
    const count = page.locator(tid('rooms-count'));
    await expect(count).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
    const n = Number(await count.getAttribute('data-count'));
    const category = await page.evaluate(([l, k]) => new Intl.PluralRules(l).select(k), [locale, n] as const);
    await expect(count).toHaveText(`${n} ${forms[category]}`);
  });
}

/** Controls smaller than `min` px in either direction (inline links in text are exempt, as WCAG
 * 2.5.8 says; a checkbox counts by its label, which is what a finger hits). */
async function smallTargets(page: Page, min: number): Promise<string[]> {
  return page.evaluate((min) => {
    const targets = [...document.querySelectorAll<HTMLElement>('button, select, input, summary, a[href], [role="option"]')]
      .filter((el) => !el.closest('.message-body, .visually-hidden, details:not([open]) > :not(summary)'))
      .map((el) => (el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.labels?.[0] ?? el) : el))
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
    return targets
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < min || r.height < min)
      .map(({ el, r }) => `${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') ?? el.className}] ${Math.round(r.width)}x${Math.round(r.height)}`);
  }, min);
}

test('touch targets: at least 44 px on a touch screen, never under 24 px with a mouse', async ({ openPage }) => {
  const touch = await openPage({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  expect(await touch.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
  await openLogin(touch);
  expect(await smallTargets(touch, 44)).toEqual([]);
  await login(touch, users.carol.jid, users.carol.password);
  expect(await smallTargets(touch, 44)).toEqual([]);
  await touch.locator(`${tid('notifications-menu')} > summary`).click();
  expect(await smallTargets(touch, 44)).toEqual([]);

  const mouse = await openPage({ viewport: { width: 1280, height: 800 } });
  await login(mouse, users.carol.jid, users.carol.password);
  await openChatFromRoster(mouse, users.bob.jid);
  expect(await smallTargets(mouse, 24)).toEqual([]);
});

/** What sticks out of a 320 px page: the page scrolling sideways, or a visible element whose box
 * reaches past the window's edge (unless an ancestor clips or scrolls it), or a button whose
 * label does not fit. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      found.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    }
    const clipped = (el: Element): boolean => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.visually-hidden')) continue;
      if ((r.right > width + 1 || r.left < -1) && !clipped(el)) {
        found.push(`${el.tagName.toLowerCase()}[${el.getAttribute('data-testid') ?? el.className}] ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
      if (el.tagName === 'BUTTON' && getComputedStyle(el).textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
        found.push(`button "${el.textContent?.trim()}" cut (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return found;
  });
}

test('every screen reflows at 320 px (an embed’s width): nothing scrolls sideways or sticks out', async ({ openPage }) => {
  const page = await openPage({ viewport: { width: 320, height: 640 } });
  await openLogin(page);
  expect(await overflow(page), 'login').toEqual([]);
  await login(page, users.carol.jid, users.carol.password);
  expect(await overflow(page), 'contacts').toEqual([]);
  await page.locator(tid('header-menu')).click();
  await expect(page.locator(tid('logout'))).toBeVisible();
  expect(await overflow(page), 'header menu').toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.locator(tid('logout'))).toBeHidden();
  const chat = await openChatFromRoster(page, users.bob.jid);
  await send(chat, unique('a rather long message that has to wrap at three hundred and twenty pixels'));
  expect(await overflow(page), 'chat').toEqual([]);
  await page.locator(tid('chat-back')).click();
  await page.locator(tid('rooms-open')).click();
  const browser = page.locator(tid('rooms-browser'));
  await expect(browser.locator(tid('rooms-count'))).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  expect(await overflow(page), 'room browser').toEqual([]);
  await browser.locator(tid('room-join-jid')).fill('lobby@conference.localhost');
  await browser.locator(tid('room-join-submit')).click();
  const room = page.locator(tid('chat-view', { kind: 'groupchat' }));
  await expect(room.locator(tid('occupant'))).not.toHaveCount(0);
  expect(await overflow(page), 'room').toEqual([]);
  await room.locator(tid('room-leave')).click();
  await expect(room).toHaveCount(0);
});
