import { chromium, type LaunchOptions } from '@playwright/test';
import { tid } from '../lib/app';
import { instrument } from './measure';
import { serveStatic } from './serve';

// How soon any page could show Parley's sign-in form on this machine: the first page as Parley
// draws it, saved as a static page (its markup and the same stylesheet, with no script at all),
// served and timed as step (a) is. Step (a)'s figure for Parley minus this one is what loading
// and running the first module costs; a target under this floor is out of reach for any page.

const FLOOR_PORT = 5452;
const APP_WASM = /\/app_bg-[0-9a-f]+\.wasm$/;

/** The first page Parley draws at `url`, as a document without scripts or preloads. */
async function staticCopy(url: string, launch: LaunchOptions | undefined): Promise<string> {
  const browser = await chromium.launch(launch);
  try {
    const page = await browser.newPage({ ignoreHTTPSErrors: true, serviceWorkers: 'block' });
    // The app's wasm is held (never answered, not refused: boot.js would say it could not
    // start), so the first page stays as drawn.
    await page.route(APP_WASM, () => {});
    await page.goto(url);
    await page.locator(`#first-page ${tid('login-jid')}`).waitFor({ timeout: 60_000 });
    return await page.evaluate(() => {
      for (const e of document.querySelectorAll('script, link[rel=modulepreload], link[rel=preload]')) e.remove();
      return `<!doctype html>\n${document.documentElement.outerHTML}`;
    });
  } finally {
    await browser.close();
  }
}

/** One navigation in a fresh browser, as step (a) times it: ms until the field could be typed in. */
export async function formReadyMs(url: string, loginField: string, launch: LaunchOptions | undefined): Promise<number> {
  const browser = await chromium.launch(launch);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    await instrument(page, loginField);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__formReadyAt !== undefined, null, { polling: 'raf', timeout: 60_000 });
    return await page.evaluate(() => window.__formReadyAt!);
  } finally {
    await browser.close();
  }
}

/** The form-ready times of the static copy over `runs` runs after a warm-up, in ms. */
export async function formFloor(parleyUrl: string, root: string, runs: number, launch: LaunchOptions | undefined): Promise<number[]> {
  const server = await serveStatic({
    root,
    port: FLOOR_PORT,
    files: { '/index.html': await staticCopy(parleyUrl, launch) },
    precompress: ['/index.html'],
  });
  const times: number[] = [];
  try {
    for (let i = 0; i <= runs; i += 1) {
      const ms = await formReadyMs(server.url, tid('login-jid'), launch);
      if (i > 0) times.push(ms);
    }
  } finally {
    await server.close();
  }
  return times;
}
