import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks, not tests: scripts/bench-rooms.sh runs them against the bench Prosody (10,000
// rooms, 500 occupant accounts) and they print figures. Nothing here runs in the test suite.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: /.*\.bench\.ts/,
  timeout: 600_000,
  reporter: [['list']],
  // No Playwright trace: it snapshots the page's DOM on the main thread around every action,
  // inside the steps being timed, and more so for the client with the larger DOM.
  use: { ...base.use, trace: 'off', baseURL: process.env.PARLEY_E2E_BASE_URL ?? 'https://localhost:5445/' },
});
