import { expect, type Locator, type Page } from '@playwright/test';

// Page helpers that find things only by the test ids of docs/ui-contract.md:
// visible text is localised, so it is never used except for message bodies.

/** A CSS selector for a test id, optionally narrowed by data-* attributes. */
export function tid(id: string, data: Record<string, string> = {}): string {
  const attrs = Object.entries(data)
    .map(([name, value]) => `[data-${name}=${JSON.stringify(value)}]`)
    .join('');
  return `[data-testid=${JSON.stringify(id)}]${attrs}`;
}

/** Seeded accounts (server/prosody.cfg.lua). */
export const users = {
  alice: { jid: 'alice@localhost', password: 'wonderland' },
  bob: { jid: 'bob@localhost', password: 'builder' },
  carol: { jid: 'carol@localhost', password: 'christmas' },
  dave: { jid: 'dave@localhost', password: 'dave-pw' },
  erin: { jid: 'erin@localhost', password: 'erin-pw' },
  // Stored through SASLprep: the no-break space maps to a space and NFKC turns U+2460 into "1".
  frank: { jid: 'frank@localhost', password: 'Ёжик\u00a0в тумане \u2460' },
} as const;

/** A marker unique to this run, so messages from earlier tests never match. */
export function unique(label: string): string {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function openLogin(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator(tid('login-form'))).toBeVisible();
}

export async function fillLogin(page: Page, jid: string, password: string): Promise<void> {
  await page.locator(tid('login-jid')).fill(jid);
  await page.locator(tid('login-password')).fill(password);
  await page.locator(tid('login-submit')).click();
}

/** Logs in and waits until the session is online. */
export async function login(page: Page, jid: string, password: string): Promise<void> {
  await openLogin(page);
  await fillLogin(page, jid, password);
  await expectOnline(page);
}

export async function expectOnline(page: Page): Promise<void> {
  await expect(page.locator(tid('app-shell'))).toBeVisible();
  await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online');
}

export async function logout(page: Page): Promise<void> {
  await page.locator(tid('logout')).click();
  await expect(page.locator(tid('login-form'))).toBeVisible();
}

export function rosterItem(page: Page, jid: string): Locator {
  return page.locator(tid('roster-item', { jid }));
}

export function chatView(page: Page, jid: string): Locator {
  return page.locator(tid('chat-view', { jid }));
}

/** A chat view once it shows, and once the latest page of its archived history is in (what
 * earlier tests said there comes first). */
async function opened(page: Page, jid: string): Promise<Locator> {
  const view = chatView(page, jid);
  await expect(view).toBeVisible();
  await expect(view.locator(tid('history-loading'))).toHaveCount(0);
  return view;
}

/** Clicks `row` until the chat with `jid` shows. Both lists re-sort as they should (the roster
 * puts who comes online first, the chat list the latest message): a presence from another
 * test's session can move the row between Playwright's check of where it is and its click,
 * which then lands on a neighbour, as a person's would. They click again; so does this. */
async function clickUntilOpen(page: Page, row: Locator, jid: string): Promise<Locator> {
  await expect(async () => {
    await row.click();
    await expect(chatView(page, jid)).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 15_000 });
  return opened(page, jid);
}

/** Opens the chat with a contact from the roster. */
export async function openChatFromRoster(page: Page, jid: string): Promise<Locator> {
  return clickUntilOpen(page, rosterItem(page, jid), jid);
}

/** Opens a conversation from the chat list (where incoming messages put it). */
export async function openChatFromList(page: Page, jid: string): Promise<Locator> {
  return clickUntilOpen(page, page.locator(`${tid('chat-list')} ${tid('chat-list-item', { jid })}`), jid);
}

/** The message in a chat view whose body contains `text` (a unique marker). */
export function messageWith(view: Locator, text: string, direction?: 'in' | 'out'): Locator {
  const message = direction ? tid('message', { direction }) : tid('message');
  return view.locator(message).filter({ has: view.page().locator(tid('message-body')).filter({ hasText: text }) });
}

/** The bodies (text) of the messages in a chat view, in document order. */
export async function bodies(view: Locator): Promise<string[]> {
  return view.locator(`${tid('message')} ${tid('message-body')}`).allTextContents();
}

/** A pattern matching exactly `text` (for Playwright's hasText). */
export function exactly(text: string): RegExp {
  const escaped = text.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&');
  return new RegExp('^' + escaped + '$');
}

/** Message bodies in a chat view whose text is exactly `text`. */
export function bodiesWithText(view: Locator, text: string, direction?: 'in' | 'out'): Locator {
  const message = direction ? tid('message', { direction }) : tid('message');
  return view.locator(`${message} ${tid('message-body')}`).filter({ hasText: exactly(text) });
}

/** Types a message and sends it with the button, or with Enter; waits for it to show once. */
export async function send(view: Locator, text: string, how: 'button' | 'enter' = 'button'): Promise<void> {
  const input = view.page().locator(tid('composer-input'));
  await input.fill(text);
  if (how === 'enter') {
    await input.press('Enter');
  } else {
    await view.page().locator(tid('composer-send')).click();
  }
  await expect(bodiesWithText(view, text, 'out')).toHaveCount(1);
  await expect(input).toHaveValue('');
}

/** Waits until each text shows exactly once, in this order, after any earlier messages. */
export async function expectBodiesInOrder(view: Locator, texts: string[]): Promise<void> {
  await expect
    .poll(async () => (await bodies(view)).filter((body) => texts.includes(body)), {
      message: 'each message exactly once, in the order sent',
    })
    .toEqual(texts);
}

/** Every message body of the conversation, oldest first, read by scrolling its window from the
 * first message to the last, as a person would. */
export async function readConversation(page: Page, view: Locator): Promise<string[]> {
  const scroller = view.locator('.messages');
  const snapshot = () => view.locator(tid('message-body')).allTextContents();
  let last = '';
  for (let i = 0; i < 100; i += 1) {
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(120);
    const now = JSON.stringify(await snapshot());
    if (now === last) break;
    last = now;
  }
  const seen = new Set<string>();
  const all: string[] = [];
  for (let i = 0; i < 200; i += 1) {
    for (const body of await snapshot()) {
      if (!seen.has(body)) {
        seen.add(body);
        all.push(body);
      }
    }
    const atBottom = await scroller.evaluate((el) => {
      const bottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += Math.max(40, el.clientHeight * 0.8);
      el.dispatchEvent(new Event('scroll'));
      return bottom;
    });
    await page.waitForTimeout(120);
    if (atBottom && i > 0) {
      const more = (await snapshot()).some((b) => !seen.has(b));
      if (!more) break;
    }
  }
  return all;
}

/** Logs in through another websocket URL (under Advanced): a relay a test can cut. */
export async function loginThrough(page: Page, url: string, jid: string, password: string): Promise<void> {
  await openLogin(page);
  const field = page.locator(tid('login-ws-url'));
  if (!(await field.isVisible())) {
    await page.locator(`details:has(${tid('login-ws-url')}) > summary`).click();
  }
  await field.fill(url);
  await fillLogin(page, jid, password);
  await expectOnline(page);
}

/** The tab goes to the background or comes back (Page Visibility), as the page sees it. */
export async function setTabVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}
