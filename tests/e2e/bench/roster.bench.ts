import { test, expect } from '../lib/fixtures';
import { openLogin, rosterItem, tid } from '../lib/app';
import { registerAccount, XmppSocket } from '../lib/xmpp';
import { HostilePeer } from '../lib/hostile';
import {
  clickTimed,
  figure,
  frameWhen,
  instrument,
  keystrokeLatencies,
  medianMax,
  memory,
  mib,
  recordSocketMessages,
  stepTime,
  takeLongTasks,
} from './measure';
import type { Page } from '@playwright/test';

// Figures for a large roster in the real app (release build, headless Chromium,
// scripts/bench-roster.sh against the bench Prosody, whose roster2k and roster10k accounts hold
// 2,000 and 10,000 contacts in 26 groups): from Sign in to the whole roster counted, main-thread
// long tasks (over 50 ms), DOM size, JS heap and wasm memory, WebSocket bytes received; one
// contact's presence change and the rows it re-rendered; then a reload of the remembered device,
// whose roster is cached with its version, so the server sends no items. Sign-in is timed in the
// page, from the click to the first frame with the whole count, and split at the server's first
// frame and at the roster's own frame (the largest), so the client's part of it shows.

declare global {
  interface Window {
    __rowsAdded?: number;
    __rowsChanged?: Set<Element>;
  }
}

/** Counts the WebSocket bytes the page receives. */
async function watchBytesIn(page: Page): Promise<{ bytesIn: () => number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.webSocketFrameReceived', (event) => {
    bytes += Buffer.byteLength(event.response.payloadData, 'utf8');
  });
  return { bytesIn: () => bytes };
}

async function state(page: Page) {
  const dom = await page.evaluate(() => ({
    elements: document.getElementsByTagName('*').length,
    rows: document.querySelectorAll('[data-testid="roster-item"], [data-testid="roster-group"]').length,
  }));
  return { longTasks: await takeLongTasks(page), ...dom, ...(await memory(page)) };
}

/** When the app's wasm had arrived (on a reload), the socket was made and opened, and the
 * server's first frame, its bind answer (Prosody loads the roster to bind) and the roster came,
 * in ms after `start` (performance.now() in the page). */
async function socketSplit(page: Page, start: number): Promise<string> {
  const { wasm, created, opened, frames } = await page.evaluate(
    (start) => ({
      wasm: (
        performance
          .getEntriesByType('resource')
          .find((e) => /\/app_bg-[0-9a-f]+\.wasm$/.test(e.name) && e.startTime >= start) as PerformanceResourceTiming | undefined
      )?.responseEnd,
      created: (window.__wsCreated ?? []).filter((at) => at >= start),
      opened: (window.__wsOpened ?? []).filter((at) => at >= start),
      frames: (window.__wsIn ?? []).filter(([at]) => at >= start),
    }),
    start,
  );
  if (!frames.length) return 'no frame';
  const bind = frames.find(([, , kind]) => kind === 'bind');
  // The first: the answer to the roster get (pushes come after it).
  const roster = frames.find(([, , kind]) => kind === 'roster');
  const ms = (at: number) => `${Math.round(at - start)} ms`;
  return [
    wasm !== undefined && `app's wasm in at ${ms(wasm)}`,
    created.length > 0 && `socket made at ${ms(created[0])}`,
    opened.length > 0 && `open at ${ms(opened[0])}`,
    `first frame at ${ms(frames[0][0])}`,
    bind && `bound at ${ms(bind[0])}`,
    roster && `the roster (${(roster[1] / 1024).toFixed(0)} KiB) at ${ms(roster[0])}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** A page function: the frame's time once the roster counts `size` (and, if asked, the
 * connection is online), false before. */
const wholeRoster = ([size, online]: [string, boolean]) =>
  document.querySelector('[data-testid="roster"]')?.getAttribute('data-count') === size &&
  (!online || document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') === 'online') &&
  performance.now();

async function report(page: Page, label: string, ms: number, bytes: number, start: number): Promise<void> {
  const s = await state(page);
  figure(`${label}: Sign in to whole roster counted`, `${Math.round(ms)} ms`);
  figure(`${label}: socket and server's frames`, await socketSplit(page, start));
  figure(`${label}: long tasks (ms)`, `${s.longTasks.length ? JSON.stringify(s.longTasks) : 'none'}`);
  figure(`${label}: longest task`, `${s.longTasks.length ? Math.max(...s.longTasks) : '< 50'} ms`);
  figure(`${label}: DOM elements / roster rows rendered`, `${s.elements} / ${s.rows}`);
  figure(`${label}: JS heap / wasm memory`, `${mib(s.js)} / ${mib(s.wasm)}`);
  figure(`${label}: WebSocket bytes in`, `${(bytes / 1024).toFixed(1)} KiB`);
}

/** What the server alone takes, with no client in the way: a plain WebSocket session (which
 * binds, and Prosody loads the roster at bind) asks for the same roster; in ms. */
async function serverAlone(user: string, password: string): Promise<{ bind: number; roster: number }> {
  const socket = await XmppSocket.connect();
  try {
    let started = Date.now();
    await socket.login(user, password);
    const bind = Date.now() - started;
    started = Date.now();
    await socket.iq('roster-alone', '<iq xmlns="jabber:client" type="get" id="roster-alone"><query xmlns="jabber:iq:roster"/></iq>');
    return { bind, roster: Date.now() - started };
  } finally {
    socket.close();
  }
}

for (const size of [2_000, 10_000]) {
  test(`roster of ${size}`, async ({ openPage }) => {
    const account = size === 2_000 ? 'roster2k' : 'roster10k';
    const alone = await serverAlone(account, 'roster-pw');
    figure(`${size}: the server alone: sign-in with bind / roster answered`, `${alone.bind} / ${alone.roster} ms`);
    const page = await openPage({ viewport: { width: 1280, height: 800 } });
    await instrument(page);
    await recordSocketMessages(page);
    const net = await watchBytesIn(page);
    await openLogin(page);
    await page.locator(tid('login-jid')).fill(`${account}@localhost`);
    await page.locator(tid('login-password')).fill('roster-pw');
    await page.locator(tid('login-remember')).check();
    await state(page);
    const roster = page.locator(tid('roster'));
    let bytesBefore = net.bytesIn();
    await clickTimed(page, tid('login-submit'));
    await frameWhen(page, wholeRoster, [String(size), false], 120_000);
    const start = await page.evaluate(() => window.__stepStartAt!);
    await report(page, `${size}, first login`, (await stepTime(page))!, net.bytesIn() - bytesBefore, start);
    // The probes' answers (one per contact) keep coming after the roster is shown.
    await page.waitForTimeout(3_000);
    figure(`${size}: long tasks in the 3 s after (ms)`, JSON.stringify((await state(page)).longTasks));
    figure(`${size}: WebSocket bytes in, login and presence`, `${((net.bytesIn() - bytesBefore) / 1024).toFixed(1)} KiB`);

    // Each filter keystroke, from the input event to the next frame painted; then scrolling.
    const latencies = await keystrokeLatencies(page, 'roster-filter', 'member 0199');
    figure(`${size}: filter keystroke to next frame, median / max`, medianMax(latencies));
    await expect(roster).toHaveAttribute('data-count', '10');
    await page.locator(tid('roster-filter')).fill('');
    await expect(roster).toHaveAttribute('data-count', String(size));
    const frames = await page.locator('.roster-scroll').evaluate(async (el) => {
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const out: number[] = [];
      for (let i = 1; i <= 40; i += 1) {
        await frame();
        const start = performance.now();
        el.scrollTop = (el.scrollHeight * i) / 40;
        await frame();
        out.push(Math.round(performance.now() - start));
      }
      return out;
    });
    figure(`${size}: scroll jump to next frame, median / max`, medianMax(frames));
    figure(`${size}: long tasks while filtering and scrolling (ms)`, JSON.stringify((await state(page)).longTasks));

    // One contact comes online: how many roster rows were rendered again.
    const member = 'member00010'; // first in the first group (Night shift), so on screen
    await registerAccount(member, 'member-pw').catch(() => undefined);
    await page.evaluate(() => {
      window.__rowsAdded = 0;
      window.__rowsChanged = new Set();
      const list = document.querySelector('[data-testid="roster"]')!;
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'childList' && r.target === list) window.__rowsAdded! += r.addedNodes.length;
          const row = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest('[data-testid="roster-item"]');
          if (row) window.__rowsChanged!.add(row);
        }
      }).observe(list, { childList: true, subtree: true, attributes: true, characterData: true });
    });
    await page.locator('.roster-scroll').evaluate((el) => el.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await page.evaluate(() => {
      window.__rowsAdded = 0;
      window.__rowsChanged = new Set();
    });
    const peer = await HostilePeer.login(member, 'member-pw', 'back at my desk');
    await expect(rosterItem(page, `${member}@localhost`)).toHaveAttribute('data-presence', 'available');
    await page.waitForTimeout(500);
    const touched = await page.evaluate(() => ({ added: window.__rowsAdded ?? 0, changed: window.__rowsChanged?.size ?? 0 }));
    figure(`${size}: one presence change: rows added / rows changed`, `${touched.added} / ${touched.changed}`);
    peer.socket.close();

    // A reload signs in again from the remembered device with the cached roster and its version.
    await page.waitForTimeout(1_500); // the device's write after the last change
    await state(page);
    bytesBefore = net.bytesIn();
    await page.reload({ waitUntil: 'commit' });
    // From the navigation (the page's time origin) to the first frame online with the whole count.
    await frameWhen(page, wholeRoster, [String(size), true], 60_000);
    const reloaded = await page.evaluate(() => window.__stepDoneAt!);
    await report(page, `${size}, reload with the cached roster`, reloaded, net.bytesIn() - bytesBefore, 0);
    await page.locator(tid('logout')).click();
  });
}
