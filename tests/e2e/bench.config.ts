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
  use: { ...base.use, baseURL: process.env.PARLEY_E2E_BASE_URL ?? 'https://localhost:5445/' },
});
