import { defineConfig } from '@playwright/test';
import path from 'node:path';

// The test Prosody (server/prosody.sh start test) serves the built bundle and the websocket
// on one origin; scripts/e2e.sh starts and stops it around this run.
const baseURL = process.env.PARLEY_E2E_BASE_URL ?? 'https://localhost:5444/';

export default defineConfig({
  testDir: './specs',
  outputDir: path.join(__dirname, '../../test-results'),
  // The specs share the seeded accounts (alice, bob, ...): run them one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: path.join(__dirname, '../../playwright-report') }]],
  use: {
    baseURL,
    ignoreHTTPSErrors: true,
    // The service worker would serve the shell from its cache and hide requests from page.route;
    // only specs/pwa.spec.ts, which tests it, lets it run.
    serviceWorkers: 'block',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--ignore-certificate-errors',
        // The page may resolve nothing but localhost: no traffic leaves the machine.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost',
      ],
    },
  },
});
