import { test, expect } from '../lib/fixtures';
import { login, tid, users } from '../lib/app';
import { joinBots, MUC, type MucPeer } from '../lib/muc';
import { figure, instrument, keystrokeLatencies, medianMax, takeLongTasks } from './measure';

// Figures for the room browser and a big room in the real app (release build, headless
// Chromium): listing 10,000 rooms, filter keystrokes, entering a room of 500 occupants with its
// history, DOM sizes and main-thread long tasks (over 50 ms, PerformanceObserver 'longtask').


test('rooms at scale', async ({ page }) => {
  await instrument(page);
  const longTasks = () => takeLongTasks(page);
  const domNodes = () => page.evaluate(() => document.getElementsByTagName('*').length);

  await login(page, users.alice.jid, users.alice.password);
  await longTasks();

  // Listing: from the click to the first row, and to the whole list in the store.
  const started = Date.now();
  await page.locator(tid('rooms-open')).click();
  const browser = page.locator(tid('rooms-browser'));
  const count = browser.locator(tid('rooms-count'));
  await expect(browser.locator(tid('room-item')).first()).toBeVisible({ timeout: 60_000 });
  const firstRow = Date.now() - started;
  await expect(count).toHaveAttribute('data-complete', 'true', { timeout: 120_000 });
  const complete = Date.now() - started;
  const rooms = Number(await count.getAttribute('data-count'));
  figure(`list ${rooms} rooms: first row`, `${firstRow} ms`);
  figure(`list ${rooms} rooms: complete`, `${complete} ms`);
  figure('long tasks while listing (ms)', JSON.stringify(await longTasks()));
  figure('DOM: elements / room rows rendered', `${await domNodes()} / ${await browser.locator(tid('room-item')).count()}`);

  // Each keystroke: from the input event to the next frame painted.
  const latencies = await keystrokeLatencies(page, 'rooms-filter', 'bulk room 123');
  figure('filter keystroke to next frame (ms), each', JSON.stringify(latencies));
  figure('filter keystroke: median / max', medianMax(latencies));
  await expect(browser.locator(tid('room-list'))).toHaveAttribute('data-count', '10');
  figure('long tasks while filtering (ms)', JSON.stringify(await longTasks()));
  await browser.locator(tid('rooms-filter')).fill('');

  // A room of 500: the bots enter first, twenty of them speak (the room keeps 20 by default).
  const room = `crowd@${MUC}`;
  let bots: MucPeer[] = [];
  try {
    const botsStarted = Date.now();
    bots = await joinBots(room, 500, 10);
    figure('500 bots entered the room (setup, not the app)', `${Date.now() - botsStarted} ms`);
    for (const [i, bot] of bots.slice(0, 20).entries()) bot.say(room, `history line ${i + 1}`);
    await page.waitForTimeout(1_000);
    await longTasks();
    const joinStarted = Date.now();
    await browser.locator(tid('room-join-jid')).fill(room);
    await browser.locator(tid('room-join-submit')).click();
    const view = page.locator(tid('chat-view', { jid: room }));
    await expect(view.locator(tid('occupants'))).toHaveAttribute('data-count', '501', { timeout: 60_000 });
    await expect.poll(async () => Number(await view.getAttribute('data-count'))).toBeGreaterThanOrEqual(20);
    const joined = Date.now() - joinStarted;
    figure('enter a room of 500 with its history', `${joined} ms (${await view.getAttribute('data-count')} messages)`);
    figure('long tasks while entering (ms)', JSON.stringify(await longTasks()));
    figure('DOM: elements / occupant rows rendered', `${await domNodes()} / ${await view.locator(tid('occupant')).count()}`);
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    figure('JS heap in use', `${(heap / 1048576).toFixed(1)} MiB`);
  } finally {
    for (const bot of bots) bot.close();
  }
});
