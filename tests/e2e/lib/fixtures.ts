import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';

// Every page a test opens is watched: a console error, an uncaught page error, any dialog
// (alert/confirm/prompt: an injected script would use one), a request to any host but localhost
// or a CSP violation fails the test.
// Use `page` for one user, `openPage()` for each further user (a separate browser context).

declare global {
  interface Window {
    __parleyCspViolations?: string[];
  }
}

type Fixtures = {
  /** What went wrong on the watched pages; asserted empty when the test ends. */
  problems: string[];
  /** A new browser context (a separate user, or another locale) with one watched page. */
  openPage: (options?: BrowserContextOptions) => Promise<Page>;
};

function watch(page: Page, problems: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  // No third parties: the app talks to its own origin and the XMPP endpoint, both on localhost.
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.hostname !== 'localhost') {
      problems.push(`request to a third party from ${page.url()}: ${request.url()}`);
    }
  });
  page.on('dialog', async (dialog) => {
    problems.push(`${dialog.type()} dialog on ${page.url()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
}

// The page itself records violations (the event is not reported to Playwright otherwise).
async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    window.__parleyCspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__parleyCspViolations?.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
}

async function cspViolations(page: Page): Promise<string[]> {
  if (page.isClosed()) return [];
  const found = await page.evaluate(() => window.__parleyCspViolations ?? []).catch(() => [] as string[]);
  return found.map((v) => `CSP violation on ${page.url()}: ${v}`);
}

export const test = base.extend<Fixtures>({
  // Torn down last (the page fixtures depend on it), after they have added their findings.
  problems: [
    async ({}, use) => {
      const problems: string[] = [];
      await use(problems);
      expect(problems, 'console errors, page errors, dialogs or CSP violations').toEqual([]);
    },
    { auto: true },
  ],

  context: async ({ context }, use) => {
    await recordCspViolations(context);
    await use(context);
  },

  page: async ({ page, problems }, use) => {
    watch(page, problems);
    await use(page);
    problems.push(...(await cspViolations(page)));
    // As a person closes the tab (the app ends its session then, rather than leaving it for the
    // server to keep for resumption, where the next test's peers would still see it).
    if (!page.isClosed()) await page.close();
  },

  openPage: async ({ browser, baseURL, ignoreHTTPSErrors, problems }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (options = {}) => {
      // browser.newContext() does not take the config's `use` options by itself.
      const context = await browser.newContext({ baseURL, ignoreHTTPSErrors, serviceWorkers: 'block', ...options });
      contexts.push(context);
      await recordCspViolations(context);
      const page = await context.newPage();
      watch(page, problems);
      return page;
    });
    for (const context of contexts) {
      for (const page of context.pages()) {
        problems.push(...(await cspViolations(page)));
        await page.close();
      }
      await context.close();
    }
  },
});

export { expect };
