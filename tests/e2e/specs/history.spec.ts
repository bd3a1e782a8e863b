import { test, expect } from '../lib/fixtures';
import { seedHistory } from '../lib/archive';
import { login, openChatFromRoster, readConversation, rosterItem, tid } from '../lib/app';

// A conversation's history comes from the account's archive (XEP-0313): the latest page when
// it opens, older pages as the person scrolls up, down to the first message.

const TOTAL = 1_000;
/** The first ones are the reader's own (from another device of hers), the rest her contact's. */
const OWN = 10;

test('1,000 archived messages scroll back to the first, each once and in order', async ({ page }) => {
  test.setTimeout(180_000);
  const { reader, writer, marker } = await seedHistory(TOTAL, OWN);

  await login(page, reader.jid, reader.password);
  await expect(rosterItem(page, writer.jid)).toBeVisible();
  const view = await openChatFromRoster(page, writer.jid);
  // Opening the chat shows its latest page.
  await expect(view.locator(tid('message-body')).last()).toHaveText(`${marker} ${TOTAL}`, { timeout: 15_000 });

  // Scrolling up brings older pages until the first message.
  const scroller = view.locator('.messages');
  const start = view.locator(tid('history-start'));
  let sawLoading = false;
  for (let i = 0; i < 200 && !(await start.isVisible()); i += 1) {
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    sawLoading ||= await view.locator(tid('history-loading')).isVisible();
    await page.waitForTimeout(150);
  }
  await expect(start).toBeVisible();
  expect(sawLoading, 'history-loading shows while a page is on its way').toBe(true);
  await expect(view).toHaveAttribute('data-count', String(TOTAL));
  await expect(view.locator(tid('message-body')).first()).toHaveText(`${marker} 1`);
  // Her own, written on the other device, are hers here too.
  await expect(view.locator(tid('message')).first()).toHaveAttribute('data-direction', 'out');
  expect(await view.locator(tid('message')).count(), 'the DOM holds a window, not the history').toBeLessThanOrEqual(150);

  // Scrolling down a screen at a time, what was at the bottom of the screen is still on it
  // after each step, also when newer rows come in below and the oldest leave above.
  const visible = () =>
    scroller.evaluate((el, prefix) => {
      const box = el.getBoundingClientRect();
      return [...el.querySelectorAll('[data-testid="message-body"]')]
        .filter((b) => {
          const r = b.getBoundingClientRect();
          return r.bottom > box.top && r.top < box.bottom;
        })
        .map((b) => Number((b.textContent ?? '').slice(prefix.length + 1)));
    }, marker);
  let seen = await visible();
  for (let i = 0; i < 400 && seen.at(-1) !== TOTAL; i += 1) {
    await scroller.evaluate((el) => {
      el.scrollTop += el.clientHeight - 40;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(60);
    const now = await visible();
    expect(now[0], `a step down from ${seen.join(',')} showed ${now.join(',')}`).toBeLessThanOrEqual(seen.at(-1)! + 1);
    seen = now;
  }
  expect(seen.at(-1)).toBe(TOTAL);

  const shown = (await readConversation(page, view)).map((body) => Number(body.slice(marker.length + 1)));
  expect(shown).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
});
