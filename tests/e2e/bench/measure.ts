import type { Page } from '@playwright/test';

// What the benchmarks measure the same way: figures printed in one column, main-thread long
// tasks (over 50 ms, PerformanceObserver 'longtask'), the app's wasm linear memory, and a text
// field's keystroke-to-next-frame latency.

declare global {
  interface Window {
    __longTasks?: number[];
    /** When the latest long task ended (performance.now()), so a step can wait for quiet. */
    __lastLongEnd?: number;
    __wasmMemory?: WebAssembly.Memory;
    /** When the login field could first be typed in (performance.now()). */
    __formReadyAt?: number;
    /** When the click that starts a timed step reached the page (performance.now()). */
    __stepStartAt?: number;
    /** The first frame at which the timed step's outcome showed (performance.now()). */
    __stepDoneAt?: number;
    /** Each WebSocket message received: when (performance.now()), its length in characters,
     * and 'bind' or 'roster' for an iq about those ('' for anything else). */
    __wsIn?: [number, number, string][];
    /** When each WebSocket opened (performance.now()). */
    __wsOpened?: number[];
    /** When each WebSocket was made (performance.now()). */
    __wsCreated?: number[];
  }
}

export function figure(what: string, value: string): void {
  console.log(`${what.padEnd(56)} ${value}`);
}

/** Records long tasks and catches the wasm memory as the module is instantiated (boot.js keeps
 * no handle), and, given the login field's selector, when it could first be typed in; call
 * before the page loads. */
export async function instrument(page: Page, loginField?: string): Promise<void> {
  if (loginField) {
    // Checked at every frame from the start: the first frame that shows the field enabled.
    await page.addInitScript((selector) => {
      const check = () => {
        const field = document.querySelector(selector) as HTMLInputElement | null;
        if (field && field.getClientRects().length > 0 && !field.disabled && !field.readOnly) {
          window.__formReadyAt = performance.now();
        } else {
          requestAnimationFrame(check);
        }
      };
      requestAnimationFrame(check);
    }, loginField);
  }
  await page.addInitScript(() => {
    window.__longTasks = [];
    window.__lastLongEnd = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks?.push(Math.round(entry.duration));
        window.__lastLongEnd = Math.max(window.__lastLongEnd ?? 0, entry.startTime + entry.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (...args) => {
      const result = await streaming(...args);
      window.__wasmMemory = result.instance.exports.memory as WebAssembly.Memory;
      return result;
    };
  });
}

/** Clicks `selector` and keeps, in the page, when the click reached it: a timed step starts
 * there, not when Playwright began to look for the element. */
export async function clickTimed(page: Page, selector: string): Promise<void> {
  await page.evaluate((selector) => {
    window.__stepStartAt = undefined;
    window.__stepDoneAt = undefined;
    const mark = (event: Event) => {
      if (!(event.target instanceof Element) || !event.target.closest(selector)) return;
      window.__stepStartAt = performance.now();
      document.removeEventListener('click', mark, true);
    };
    document.addEventListener('click', mark, true);
  }, selector);
  await page.locator(selector).first().click();
}

/** Resolves at the first frame where `holds` (a page function of `arg` that returns the frame's
 * performance.now() once it holds and false before; or, where the page allows eval, an
 * expression) holds, and keeps that frame's time as the timed step's end. The same for both
 * clients: the page looks at every frame, so the time does not depend on how often Playwright
 * polls. */
export async function frameWhen<A>(page: Page, holds: string | ((arg: A) => number | false), arg: A, timeout: number): Promise<void> {
  const predicate = typeof holds === 'string' ? `(${holds}) && performance.now()` : holds;
  const at = await (await page.waitForFunction(predicate, arg, { polling: 'raf', timeout })).jsonValue();
  await page.evaluate((at) => (window.__stepDoneAt = at as number), at);
}

/** The timed step's time in ms, from the click to the frame, if both were seen. */
export async function stepTime(page: Page): Promise<number | undefined> {
  return page.evaluate(() =>
    window.__stepStartAt !== undefined && window.__stepDoneAt !== undefined ? window.__stepDoneAt - window.__stepStartAt : undefined,
  );
}

/** Records, in the page, when each WebSocket is made (`__wsCreated`) and opens (`__wsOpened`),
 * and each message as it arrives (`__wsIn`), so a step's time can be split into waiting for the
 * server and the client's own work; call before the page loads. */
export async function recordSocketMessages(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__wsIn = [];
    window.__wsOpened = [];
    window.__wsCreated = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        window.__wsCreated?.push(performance.now());
        // Added before the client's own handlers, so they see the events first.
        this.addEventListener('open', () => window.__wsOpened?.push(performance.now()));
        this.addEventListener('message', (event) => {
          const data = typeof event.data === 'string' ? event.data : '';
          // The opening tags say what an answer is; a scan of the whole 1 MiB roster would be timed.
          const head = data.slice(0, 300);
          const kind = !head.startsWith('<iq') ? '' : head.includes('xmpp-bind') ? 'bind' : head.includes('jabber:iq:roster') ? 'roster' : '';
          window.__wsIn?.push([performance.now(), data.length, kind]);
        });
      }
    };
  });
}

/** The long tasks since the last call, in ms. */
export function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__longTasks?.splice(0) ?? []);
}

/** Bytes of the wasm linear memory and of the JS heap in use. */
export function memory(page: Page): Promise<{ wasm: number; js: number }> {
  return page.evaluate(() => ({
    wasm: window.__wasmMemory?.buffer.byteLength ?? 0,
    js: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
  }));
}

export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Types `text` into the field with this test id one character at a time; for each, the time
 * from the input event to the next frame painted, in ms. */
export function keystrokeLatencies(page: Page, testid: string, text: string): Promise<number[]> {
  return page.evaluate(
    async ([testid, text]) => {
      const input = document.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`)!;
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const out: number[] = [];
      for (let end = 1; end <= text.length; end += 1) {
        await frame();
        const start = performance.now();
        input.value = text.slice(0, end);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await frame();
        out.push(Math.round((performance.now() - start) * 10) / 10);
      }
      return out;
    },
    [testid, text] as const,
  );
}

/** The median of `values` (of the middle two, their mean). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "median / max ms" of `values`. */
export function medianMax(values: number[]): string {
  return `${median(values)} / ${Math.max(...values)} ms`;
}
