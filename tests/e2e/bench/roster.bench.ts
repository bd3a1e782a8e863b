import { test, expect } from '../lib/fixtures';
import { openLogin, rosterItem, tid } from '../lib/app';
import { registerAccount } from '../lib/xmpp';
import { HostilePeer } from '../lib/hostile';
import { figure, instrument, keystrokeLatencies, medianMax, memory, mib, takeLongTasks } from './measure';
import type { Page } from '@playwright/test';

// Figures for a large roster in the real app (release build, headless Chromium,
// scripts/bench-roster.sh against the bench Prosody, whose roster2k and roster10k accounts hold
// 2,000 and 10,000 contacts in 26 groups): from Sign in to the whole roster counted, main-thread
// long tasks (over 50 ms), DOM size, JS heap and wasm memory, WebSocket bytes received; one
// contact's presence change and the rows it re-rendered; then a reload of the remembered device,
// whose roster is cached with its version, so the server sends no items.

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

async function report(page: Page, label: string, ms: number, bytes: number): Promise<void> {
  const s = await state(page);
  figure(`${label}: Sign in to whole roster counted`, `${ms} ms`);
  figure(`${label}: long tasks (ms)`, `${s.longTasks.length ? JSON.stringify(s.longTasks) : 'none'}`);
  figure(`${label}: longest task`, `${s.longTasks.length ? Math.max(...s.longTasks) : '< 50'} ms`);
  figure(`${label}: DOM elements / roster rows rendered`, `${s.elements} / ${s.rows}`);
  figure(`${label}: JS heap / wasm memory`, `${mib(s.js)} / ${mib(s.wasm)}`);
  figure(`${label}: WebSocket bytes in`, `${(bytes / 1024).toFixed(1)} KiB`);
}

for (const size of [2_000, 10_000]) {
  test(`roster of ${size}`, async ({ openPage }) => {
    const account = size === 2_000 ? 'roster2k' : 'roster10k';
    const page = await openPage({ viewport: { width: 1280, height: 800 } });
    await instrument(page);
    const net = await watchBytesIn(page);
    await openLogin(page);
    await page.locator(tid('login-jid')).fill(`${account}@localhost`);
    await page.locator(tid('login-password')).fill('roster-pw');
    await page.locator(tid('login-remember')).check();
    await state(page);
    const roster = page.locator(tid('roster'));
    let bytesBefore = net.bytesIn();
    let started = Date.now();
    await page.locator(tid('login-submit')).click();
    await expect(roster).toHaveAttribute('data-count', String(size), { timeout: 120_000 });
    await report(page, `${size}, first login`, Date.now() - started, net.bytesIn() - bytesBefore);
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
    started = Date.now();
    await page.reload();
    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online', { timeout: 60_000 });
    await expect(roster).toHaveAttribute('data-count', String(size));
    await report(page, `${size}, reload with the cached roster`, Date.now() - started, net.bytesIn() - bytesBefore);
    await page.locator(tid('logout')).click();
  });
}
