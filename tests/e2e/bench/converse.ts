import path from 'node:path';
import type { Page } from '@playwright/test';
import type { BenchClient } from './client';
import { clickTimed, frameWhen } from './measure';
import { serveStatic } from './serve';

// Converse.js (the npm package, its own prebuilt dist) as the other side of the side-by-side
// benchmark: served by serve.ts like Parley, configured for the bench Prosody only, and driven
// through its own interface. Selectors are Converse's own classes and ids (14.0.0). Steps b to d
// are timed in the page as Parley's are: from the click that starts them to the first frame
// that shows their outcome (measure.ts).

export const CONVERSE_PORT = 5451;
const DIST = path.join(__dirname, '../node_modules/converse.js/dist');
// The compare Prosody's endpoint, which scripts/bench-on-prosody.sh exports.
const WEBSOCKET_URL = process.env.PARLEY_TEST_WSS_URL ?? 'wss://localhost:5457/xmpp-websocket';

const STEP_TIMEOUT = 300_000;

/** converse.initialize() settings: the bench server and nothing else. */
export const converseSettings = {
  assets_path: '/',
  i18n: 'en',
  view_mode: 'fullscreen',
  authentication: 'login',
  auto_login: false,
  // The websocket only: no BOSH URL, no XEP-0156 discovery (host-meta) before connecting.
  websocket_url: WEBSOCKET_URL,
  discover_connection_methods: false,
  // Converse's default cache (IndexedDB, "trusted device", no checkbox on the form) starts empty
  // in each new browser context; without keepalive a reload shows the login form again rather
  // than resuming the cached session.
  keepalive: false,
  allow_user_trust_override: false,
  allow_registration: false,
  allow_non_roster_messaging: true,
  // The same list as Parley's: every contact, online or not, and not oneself.
  hide_offline_users: false,
  show_self_in_roster: false,
  // Join without a nickname prompt (the account's localpart, as Parley does).
  muc_nickname_from_jid: true,
  // Nothing leaves 127.0.0.1: no provider lists, no search.jabber.network (the add-groupchat
  // form needs some search service to render its address field: ask the bench server itself,
  // which answers at once that it does not do that).
  autocomplete_providers_url: '',
  xmpp_providers_url: '',
  muc_search_service: 'localhost',
  use_system_emojis: true,
  play_sounds: false,
  show_desktop_notifications: false,
  loglevel: 'error',
};

/** The page that loads Converse. Its footer on the login page shows sponsors' logos from
 * conversejs.org: the image policy keeps them (and any other remote image) from being requested. */
export function converseIndexHtml(settings: Record<string, unknown> = converseSettings): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="img-src 'self' data: blob:">
<title>Converse.js</title>
<link rel="stylesheet" href="/converse.min.css">
<link rel="modulepreload" href="/converse.min.js">
<link rel="icon" href="/images/favicon.ico">
</head>
<body class="converse-fullscreen">
<script type="module">
import converse from '/converse.min.js';
converse.initialize(${JSON.stringify(settings)});
</script>
</body>
</html>
`;
}

/** Serves Converse's dist with a generated index.html on 127.0.0.1:5451. */
export async function startConverse(port = CONVERSE_PORT): Promise<{ client: BenchClient; close(): Promise<void> }> {
  const server = await serveStatic({
    root: DIST,
    port,
    files: { '/index.html': converseIndexHtml() },
    precompress: ['/index.html', '/converse.min.js', '/converse.min.css'],
  });
  return { client: converse(server.url), close: server.close };
}

// ---- Counting what is on screen ----

type Count = 'contacts' | 'rooms' | 'occupants' | 'roomMessages';

/** What Converse has rendered, counted in the page (self-contained: it is serialized). */
function countInPage([what, room]: [Count, string]): number {
  const distinct = (selector: string, attr: string) =>
    new Set(Array.from(document.querySelectorAll(selector), (el) => el.getAttribute(attr))).size;
  const view = document.querySelector(`converse-muc[jid="${room}"]`);
  switch (what) {
    // Distinct JIDs: a contact in two groups is rendered twice but is one contact.
    case 'contacts':
      return distinct('converse-roster .roster-contacts a.open-chat[data-jid]', 'data-jid');
    case 'rooms':
      return distinct('converse-muc-list-modal li.room-item a.open-room[data-room-jid]', 'data-room-jid');
    // Members fetched from the affiliation lists but not in the room show as offline: not present.
    case 'occupants':
      return view
        ? Array.from(view.querySelectorAll('converse-muc-occupants li.occupant')).filter(
            (li) => !li.querySelector('converse-icon.chat-status')?.getAttribute('color')?.includes('offline'),
          ).length
        : 0;
    case 'roomMessages':
      return view ? view.querySelectorAll('converse-chat-message .chat-msg__text').length : 0;
  }
}

/** Resolves on the first frame where, for each of `wants`, at least that many are shown, which
 * ends the timed step; a clear error otherwise. */
async function waitForCounts(page: Page, wants: [Count, number][], room = ''): Promise<void> {
  try {
    // A string expression: the counter travels as its source, so it runs as one function.
    const held = wants.map(([what, atLeast]) => `(${countInPage})(${JSON.stringify([what, room])}) >= ${atLeast}`);
    await frameWhen(page, held.join(' && '), undefined, STEP_TIMEOUT);
  } catch (err) {
    const shown = [];
    for (const [what, atLeast] of wants) {
      const count = await page.evaluate(countInPage, [what, room] as [Count, string]).catch(() => '?');
      shown.push(`${count} of ${atLeast} ${what}`);
    }
    throw new Error(`Converse: ${shown.join(', ')} shown after ${STEP_TIMEOUT / 1000} s (${(err as Error).message.split('\n')[0]})`);
  }
}

/** Opens an entry of a controlbox section's "..." menu (Converse's converse-dropdown). */
async function openMenuItem(page: Page, section: string, item: string): Promise<void> {
  const menu = page.locator(`${section} converse-dropdown`).first();
  await menu.locator('button.dropdown-toggle').click();
  await menu.locator(item).click();
}

/** Closes any open modal, opens the one behind a room-list menu `item`, fills its `field` with
 * `value` and presses its submit button `submit`. */
async function submitModal(page: Page, item: string, modal: string, field: string, value: string, submit: string): Promise<void> {
  await closeModals(page);
  await openMenuItem(page, 'converse-rooms-list', item);
  const form = page.locator(modal);
  await form.locator(field).fill(value);
  await clickTimed(page, `${modal} ${submit}`);
}

/** Closes any open Converse modal (they are Bootstrap modals). */
async function closeModals(page: Page): Promise<void> {
  for (const modal of await page.locator('.modal.show').all()) {
    await modal.locator('button.btn-close, button[data-bs-dismiss="modal"]').first().click();
    await modal.waitFor({ state: 'hidden' });
  }
}

export function converse(url: string): BenchClient {
  return {
    name: 'Converse.js 14.0.0',
    url,
    loginField: '#converse-login-jid',


    async loginToRoster(page, data) {
      await page.locator('#converse-login-jid').fill(data.jid);
      await page.locator('#converse-login-password').fill(data.password);
      await clickTimed(page, '#converse-login button[type="submit"]');
      await waitForCounts(page, [['contacts', data.contacts]]);
    },

    async roomList(page, data) {
      await submitModal(page, 'a.show-list-muc-modal', 'converse-muc-list-modal', 'input[name="server"]', data.mucService, 'input[type="submit"][name="list"]');
      await waitForCounts(page, [['rooms', data.rooms]]);
    },

    async joinRoom(page, data) {
      // The room list of step (c) may still be open: closed as a person would, then the room's
      // address typed into "Add groupchat".
      await submitModal(page, 'a.show-add-muc-modal', 'converse-add-muc-modal', 'input[name="chatroom"]', data.bigRoom, 'input[type="submit"][name="join"]');
      await waitForCounts(page, [['occupants', data.occupants + 1], ['roomMessages', 1]], data.bigRoom);
    },

    async loadHistory(page, data) {
      await closeModals(page);
      // The latest page comes with the chat; each older page is fetched when the placeholder at
      // the top (converse-mam-placeholder) scrolls into view.
      await page.locator(`converse-roster a.open-chat[data-jid="${data.historyPeer}"]`).click();
      const chat = page.locator(`converse-chat[jid="${data.historyPeer}"]`);
      await chat.locator('.chat-msg__text', { hasText: data.lastArchived }).first().waitFor({ timeout: STEP_TIMEOUT });
      const messages = chat.locator('.chat-content__messages');
      const args: [string, string] = [data.historyPeer, data.firstArchived];
      const started = Date.now();
      let progressAt = started;
      let loaded = 0;
      for (;;) {
        const state = await page.evaluate(historyState, args);
        if (state.firstOnScreen) return;
        const complete = state.loaded >= data.archived && !state.pending;
        if (complete && state.atTop) {
          // Seen with seeded archives: Converse orders by timestamp, and messages stamped in
          // the same second (Prosody's precision) stay in the order their pages arrived.
          throw new Error(
            `Converse loaded all ${state.loaded} messages in ${((Date.now() - started) / 1000).toFixed(1)} s but shows them out of order: ` +
              `it sorts by timestamp and keeps arrival order for equal ones, so "${data.firstArchived}" is not at the top ("${state.top}" is)`,
          );
        }
        if (state.loaded > loaded) [loaded, progressAt] = [state.loaded, Date.now()];
        if (!complete && Date.now() - progressAt > 30_000) {
          throw new Error(`Converse stopped loading history: ${state.loaded} of ${data.archived} messages, none more in 30 s`);
        }
        if (Date.now() - started > STEP_TIMEOUT) {
          throw new Error(`Converse: "${data.firstArchived}" not shown after ${STEP_TIMEOUT / 1000} s, ${state.loaded} of ${data.archived} loaded`);
        }
        // Scrolled to the top as fast as pages come (the list is column-reverse: up is negative).
        await messages.evaluate((el) => el.scrollBy(0, -el.scrollHeight));
        await page.waitForTimeout(20);
      }
    },
  };
}

/** Where the chat's history stands, in the page. Converse renders a window of about 100
 * messages (chat-content.js), so what it has loaded is read from the view's model. */
function historyState([jid, first]: [string, string]) {
  type Msg = { get(key: string): unknown };
  const content = document.querySelector(`converse-chat[jid="${jid}"] converse-chat-content`) as
    (HTMLElement & { window_top?: number; model?: { messages: { models: Msg[] } } }) | null;
  const list = content?.querySelector<HTMLElement>('.chat-content__messages');
  if (!content || !list) return { firstOnScreen: false, loaded: 0, pending: true, atTop: false, top: '' };
  const box = list.getBoundingClientRect();
  const bodies = Array.from(list.querySelectorAll('converse-chat-message .chat-msg__text'));
  const firstOnScreen = bodies.some((el) => {
    if (el.textContent?.trim() !== first) return false;
    const r = el.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  });
  const models = content.model?.messages.models ?? [];
  return {
    firstOnScreen,
    loaded: models.filter((m) => m.get('message')).length,
    // A MAM placeholder (mam-views) is a page still to fetch.
    pending: models.some((m) => m.get('template_hook') === 'getMessageTemplate' && !m.get('message')),
    atTop: content.window_top === 0 && Math.ceil(list.clientHeight - list.scrollTop) >= list.scrollHeight - 2,
    top: bodies[0]?.textContent?.trim() ?? '',
  };
}
