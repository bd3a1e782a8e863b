import { expect, type Locator, type Page } from '@playwright/test';
import { test } from '../lib/fixtures';
import { HostilePeer } from '../lib/hostile';
import { Relay } from '../lib/relay';
import { expectOnline, fillLogin, logout, openChatFromRoster, openLogin, rosterItem, tid, unique, users } from '../lib/app';

// Never losing a message: the browser reaches Prosody only through a relay the test cuts and
// stalls, while bob (a scripted client, straight to Prosody) and alice (the app) keep writing.

const PROSODY_WSS_PORT = Number(new URL(process.env.PARLEY_TEST_WSS_URL ?? 'wss://localhost:5444/').port);
/** server/prosody.cfg.lua: the test instance keeps a dropped session this long. */
const RESUME_WINDOW_MS = 6_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A reproducible sequence of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function loginThrough(page: Page, url: string): Promise<void> {
  await openLogin(page);
  const field = page.locator(tid('login-ws-url'));
  if (!(await field.isVisible())) {
    await page.locator(`details:has(${tid('login-ws-url')}) > summary`).click();
  }
  await field.fill(url);
  await fillLogin(page, users.alice.jid, users.alice.password);
  await expectOnline(page);
}

/** Every message body of the conversation, oldest first, read by scrolling its window from the
 * first message to the last, as a person would. */
async function readConversation(page: Page, view: Locator): Promise<string[]> {
  const scroller = view.locator('.messages');
  const snapshot = () => view.locator(tid('message-body')).allTextContents();
  let last = '';
  for (let i = 0; i < 100; i += 1) {
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(120);
    const now = JSON.stringify(await snapshot());
    if (now === last) break;
    last = now;
  }
  const seen = new Set<string>();
  const all: string[] = [];
  for (let i = 0; i < 200; i += 1) {
    for (const body of await snapshot()) {
      if (!seen.has(body)) {
        seen.add(body);
        all.push(body);
      }
    }
    const atBottom = await scroller.evaluate((el) => {
      const bottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += Math.max(40, el.clientHeight * 0.8);
      el.dispatchEvent(new Event('scroll'));
      return bottom;
    });
    await page.waitForTimeout(120);
    if (atBottom && i > 0) {
      const more = (await snapshot()).some((b) => !seen.has(b));
      if (!more) break;
    }
  }
  return all;
}

function numbered(bodies: string[], marker: string): number[] {
  return bodies.filter((b) => b.startsWith(`${marker} `)).map((b) => Number(b.slice(marker.length + 1)));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('through 20 cuts and stalls, 500 messages from bob and 100 from alice each arrive once and in order', async ({ page, problems }) => {
  test.setTimeout(480_000);
  const FROM_BOB = 500;
  const FROM_ALICE = 100;
  const relay = await Relay.start(PROSODY_WSS_PORT);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    await loginThrough(page, relay.url);
    await expect(rosterItem(page, users.bob.jid)).toHaveAttribute('data-presence', 'available');
    const view = await openChatFromRoster(page, users.bob.jid);
    const fromBob = unique('bob');
    const fromAlice = unique('alice');

    // 20 faults: short cuts (resumed), stalls, two cuts longer than the server keeps the
    // session (a new session, caught up from the archive), and some cuts that come while the
    // app is still reconnecting from the last one (a flapping link).
    const draw = random(7);
    const faults = Array.from({ length: 20 }, (_, i) => {
      const kind = i % 5 === 3 ? 'stall' : 'cut';
      // Early, so that both sides write through them.
      const long = i === 2 || i === 9;
      return {
        kind,
        flap: kind === 'cut' && !long && i % 4 === 1,
        wait: 100 + Math.floor(draw() * 500),
        length: long ? RESUME_WINDOW_MS + 2_000 : 200 + Math.floor(draw() * 1_200),
      };
    });
    const status = page.locator(tid('connection-status'));
    let writing = true;
    let duringWriting = 0;
    const injecting = (async () => {
      for (const fault of faults) {
        if (!fault.flap) await expect(status).toHaveAttribute('data-state', 'online', { timeout: 90_000 });
        await sleep(fault.wait);
        if (writing) duringWriting += 1;
        if (fault.kind === 'cut') relay.cut();
        else relay.stall();
        await sleep(fault.length);
        relay.restore();
      }
    })();
    const bobWriting = (async () => {
      for (let i = 1; i <= FROM_BOB; i += 1) {
        bob.chat(users.alice.jid, `${fromBob} ${i}`);
        await sleep(50);
      }
    })();
    const input = page.locator(tid('composer-input'));
    const aliceWriting = (async () => {
      for (let i = 1; i <= FROM_ALICE; i += 1) {
        await input.fill(`${fromAlice} ${i}`);
        await page.locator(tid('composer-send')).click();
        await expect(input).toHaveValue('');
        await sleep(200);
      }
    })();
    await Promise.all([bobWriting, aliceWriting]);
    writing = false;
    await injecting;
    relay.restore();

    await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online', { timeout: 90_000 });
    await expect(view).toHaveAttribute('data-count', String(FROM_BOB + FROM_ALICE), { timeout: 60_000 });
    // Every message of alice's is confirmed by the server.
    await expect(view.locator(`${tid('message', { direction: 'out' })}:not([data-state="sent"])`)).toHaveCount(0, { timeout: 60_000 });

    const shown = await readConversation(page, view);
    const bobsShown = numbered(shown, fromBob);
    const alicesShown = numbered(shown, fromAlice);
    console.log(
      `delivery: ${faults.length} faults (${duringWriting} while both wrote; ${relay.cuts} cuts), ` +
        `${relay.accepted} connections; alice shows ${bobsShown.length} of bob's ${FROM_BOB} ` +
        `and ${alicesShown.length} of her ${FROM_ALICE}`,
    );
    expect(bobsShown).toEqual(range(FROM_BOB));
    expect(alicesShown).toEqual(range(FROM_ALICE));

    // Bob got each of alice's once, in order.
    const received: number[] = [];
    const pattern = new RegExp(`<body>${fromAlice} (\\d+)</body>`);
    for (;;) {
      const frame = await bob.socket.next(pattern, received.length >= FROM_ALICE ? 3_000 : 30_000).catch(() => null);
      if (!frame) break;
      received.push(Number(pattern.exec(frame)?.[1]));
    }
    console.log(`delivery: bob received ${received.length} of alice's ${FROM_ALICE}`);
    expect(received).toEqual(range(FROM_ALICE));
    await logout(page);
  } finally {
    bob.close();
    await relay.close();
    // Chromium logs each refused or dropped websocket itself: expected here, nothing else is.
    const expected = new RegExp(`WebSocket connection to 'wss://localhost:${relay.port}/xmpp-websocket' failed`);
    problems.splice(0, problems.length, ...problems.filter((p) => !expected.test(p)));
  }
});
