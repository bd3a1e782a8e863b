import { expect, type Page } from '@playwright/test';
import { tid } from '../lib/app';
import type { BenchClient, DataSet } from './client';

// Parley through the same steps as Converse.js (client.ts), driven as a person would: the
// sign-in form, the roster's own count, the room browser, the join form, and the chat view
// scrolled up until its first message.

export function parley(url: string): BenchClient {
  return {
    name: 'Parley',
    url,
    loginField: tid('login-jid'),

    async loginToRoster(page: Page, data: DataSet) {
      await page.locator(tid('login-jid')).fill(data.jid);
      await page.locator(tid('login-password')).fill(data.password);
      await page.locator(tid('login-submit')).click();
      await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', String(data.contacts), { timeout: 300_000 });
    },

    async roomList(page: Page, data: DataSet) {
      await page.locator(tid('rooms-open')).click();
      const count = page.locator(tid('rooms-browser')).locator(tid('rooms-count'));
      await expect(count).toHaveAttribute('data-complete', 'true', { timeout: 300_000 });
      await expect(count).toHaveAttribute('data-count', String(data.rooms));
    },

    async joinRoom(page: Page, data: DataSet) {
      const browser = page.locator(tid('rooms-browser'));
      await browser.locator(tid('room-join-jid')).fill(data.bigRoom);
      await browser.locator(tid('room-join-submit')).click();
      const view = page.locator(tid('chat-view', { jid: data.bigRoom }));
      await expect(view.locator(tid('occupants'))).toHaveAttribute('data-count', String(data.occupants + 1), { timeout: 300_000 });
      await expect(view.locator(tid('message-body')).first()).toBeVisible();
    },

    async loadHistory(page: Page, data: DataSet) {
      // Found as a person finds one contact among thousands: by the filter.
      await page.locator(tid('roster-filter')).fill(data.historyPeer.split('@')[0]);
      await page.locator(tid('roster-item', { jid: data.historyPeer })).click();
      const view = page.locator(tid('chat-view', { jid: data.historyPeer }));
      await expect(view.locator(tid('message-body')).last()).toHaveText(data.lastArchived, { timeout: 60_000 });
      const start = view.locator(tid('history-start'));
      const deadline = Date.now() + 600_000;
      while (!(await start.isVisible())) {
        await view.locator('.messages').evaluate((el) => {
          el.scrollTop = 0;
          el.dispatchEvent(new Event('scroll'));
        });
        await page.waitForTimeout(20);
        if (Date.now() > deadline) throw new Error('the first archived message never came');
      }
      await expect(view.locator(tid('message-body')).first()).toHaveText(data.firstArchived);
      await expect(view).toHaveAttribute('data-count', String(data.archived));
    },
  };
}
