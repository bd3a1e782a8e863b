import { expect, type Page } from '@playwright/test';
import { tid } from '../lib/app';
import type { BenchClient, DataSet } from './client';
import { clickTimed, frameWhen } from './measure';

// Parley through the same steps as Converse.js (client.ts), driven as a person would: the
// sign-in form, the roster's own count, the room browser, the join form, and the chat view
// scrolled up until its first message. Steps b to d are timed in the page, from the click that
// starts them to the first frame that shows their outcome (measure.ts).

const STEP_TIMEOUT = 300_000;

export function parley(url: string): BenchClient {
  return {
    name: 'Parley',
    url,
    loginField: tid('login-jid'),

    async loginToRoster(page: Page, data: DataSet) {
      await page.locator(tid('login-jid')).fill(data.jid);
      await page.locator(tid('login-password')).fill(data.password);
      await clickTimed(page, tid('login-submit'));
      await frameWhen(
        page,
        (count) => document.querySelector('[data-testid="roster"]')?.getAttribute('data-count') === count && performance.now(),
        String(data.contacts),
        STEP_TIMEOUT,
      );
    },

    async roomList(page: Page, data: DataSet) {
      await clickTimed(page, tid('rooms-open'));
      await frameWhen(
        page,
        () =>
          document.querySelector('[data-testid="rooms-browser"] [data-testid="rooms-count"]')?.getAttribute('data-complete') === 'true' &&
          performance.now(),
        undefined,
        STEP_TIMEOUT,
      );
      await expect(page.locator(tid('rooms-browser')).locator(tid('rooms-count'))).toHaveAttribute('data-count', String(data.rooms));
    },

    async joinRoom(page: Page, data: DataSet) {
      const browser = page.locator(tid('rooms-browser'));
      await browser.locator(tid('room-join-jid')).fill(data.bigRoom);
      await clickTimed(page, `${tid('rooms-browser')} ${tid('room-join-submit')}`);
      await frameWhen(
        page,
        ([view, count]) => {
          const room = document.querySelector(view);
          return (
            room?.querySelector('[data-testid="occupants"]')?.getAttribute('data-count') === count &&
            (room.querySelector('[data-testid="message-body"]')?.getClientRects().length ?? 0) > 0 &&
            performance.now()
          );
        },
        [tid('chat-view', { jid: data.bigRoom }), String(data.occupants + 1)],
        STEP_TIMEOUT,
      );
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
