import { test, expect } from '../lib/fixtures';
import { seedHistory } from '../lib/archive';
import { loginThrough, logout, openChatFromRoster, rosterItem, tid } from '../lib/app';
import { Relay } from '../lib/relay';
import { figure, instrument, memory, mib } from './measure';

// Figures for never losing a message, in the real app (release build, headless Chromium,
// scripts/bench-history.sh): 5,000 archived messages loaded into a chat view down to the
// first, wasm and JS memory afterwards, and the time from a cut link to `online` again.

const TOTAL = 5_000;
const PROSODY_WSS_PORT = Number(new URL(process.env.PARLEY_TEST_WSS_URL ?? 'wss://localhost:5444/').port);


test('history and reconnection', async ({ page }) => {
  await instrument(page);
  let started = Date.now();
  const { reader, writer, marker } = await seedHistory(TOTAL, 50);
  figure(`seed ${TOTAL} archived messages over XMPP`, `${Date.now() - started} ms`);

  const relay = await Relay.start(PROSODY_WSS_PORT);
  try {
    await loginThrough(page, relay.url, reader.jid, reader.password);
    await expect(rosterItem(page, writer.jid)).toBeVisible();

    started = Date.now();
    const view = await openChatFromRoster(page, writer.jid);
    await expect(view.locator(tid('message-body')).last()).toHaveText(`${marker} ${TOTAL}`, { timeout: 30_000 });
    figure('open the chat: latest page shown', `${Date.now() - started} ms`);

    // Scrolled to the top as fast as pages come, until the first message.
    started = Date.now();
    const start = view.locator(tid('history-start'));
    let scrolls = 0;
    while (!(await start.isVisible())) {
      await view.locator('.messages').evaluate((el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      scrolls += 1;
      await page.waitForTimeout(20);
      if (Date.now() - started > 300_000) throw new Error('the first message never came');
    }
    await expect(view.locator(tid('message-body')).first()).toHaveText(`${marker} 1`);
    figure(`load ${TOTAL} archived messages and scroll to the first`, `${Date.now() - started} ms (${scrolls} scrolls)`);
    await expect(view).toHaveAttribute('data-count', String(TOTAL));
    figure('DOM: message rows rendered', String(await view.locator(tid('message')).count()));

    const used = await memory(page);
    figure('wasm linear memory', mib(used.wasm));
    figure('JS heap in use', mib(used.js));

    // A cut link: the socket dies at once, the app resumes the session (XEP-0198).
    const status = page.locator(tid('connection-status'));
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await expect(status).toHaveAttribute('data-state', 'online');
      const cut = Date.now();
      relay.cut();
      await expect(status).toHaveAttribute('data-state', 'reconnecting');
      relay.restore();
      await expect(status).toHaveAttribute('data-state', 'online', { timeout: 60_000 });
      times.push(Date.now() - cut);
    }
    figure('cut link to online again (5 cuts, resumed)', `median ${median(times)} ms, ${JSON.stringify(times)}`);
    await logout(page);
  } finally {
    await relay.close();
  }
});
