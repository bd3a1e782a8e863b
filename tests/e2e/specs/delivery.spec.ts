import { expect } from '@playwright/test';
import { test } from '../lib/fixtures';
import { HostilePeer } from '../lib/hostile';
import { ignoreRelayErrors, PROSODY_WSS_PORT, Relay } from '../lib/relay';
import { registerAccount } from '../lib/xmpp';
import { expectOnline, loginThrough, logout, openChatFromRoster, readConversation, rosterItem, send, tid, unique, users } from '../lib/app';
import { bestEffort, destroyRoom, joinRoom, messageWithBody, MucPeer, uniqueRoom } from '../lib/muc';

// Never losing a message: the browser reaches Prosody only through a relay the test cuts and
// stalls, while bob (a scripted client, straight to Prosody) and alice (the app) keep writing.

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
    await loginThrough(page, relay.url, users.alice.jid, users.alice.password);
    await expect(rosterItem(page, users.bob.jid)).toHaveAttribute('data-presence', 'available');
    const view = await openChatFromRoster(page, users.bob.jid);
    // What earlier tests said to bob came first, from the archive.
    const earlier = Number(await view.getAttribute('data-count'));
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
    await expect(view).toHaveAttribute('data-count', String(earlier + FROM_BOB + FROM_ALICE), { timeout: 60_000 });
    // Every message of alice's is confirmed by the server.
    const unsettled = view.locator(`${tid('message', { direction: 'out' })}:not([data-state="sent"])`);
    await expect
      .poll(() => unsettled.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-state')}: ${e.textContent}`)), { timeout: 60_000 })
      .toEqual([]);

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
    ignoreRelayErrors(problems, relay);
  }
});

test('a password changed on the server brings the login form back on the next reconnect, with the reason and the address', async ({
  page,
  problems,
}) => {
  const user = unique('changer').replace(/\W/g, '');
  const jid = `${user}@localhost`;
  await registerAccount(user, 'old-password');
  const relay = await Relay.start(PROSODY_WSS_PORT);
  try {
    await loginThrough(page, relay.url, jid, 'old-password');
    // XEP-0077 §3.3, from another device of the account.
    const other = await HostilePeer.login(user, 'old-password');
    const reply = await other.socket.iq(
      'pw',
      `<iq xmlns="jabber:client" type="set" id="pw" to="localhost"><query xmlns="jabber:iq:register">` +
        `<username>${user}</username><password>new-password</password></query></iq>`,
    );
    other.close();
    expect(reply).toMatch(/type=["']result["']/);
    // The link drops; the kept SCRAM keys no longer fit.
    relay.cut();
    relay.restore();
    await expect(page.locator(tid('login-form'))).toBeVisible({ timeout: 30_000 });
    await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'needs-password');
    await expect(page.locator(tid('login-jid'))).toHaveValue(jid);
    await page.locator(tid('login-password')).fill('new-password');
    await page.locator(tid('login-submit')).click();
    await expectOnline(page);
    await logout(page);
  } finally {
    await relay.close();
    ignoreRelayErrors(problems, relay);
  }
});

for (const [kind, outageMs] of [
  ['resumed', 1_000],
  ['after a new session', RESUME_WINDOW_MS + 2_000],
] as const) {
  test(`messages written in a room while the link is down are pending, then reach the room once (${kind})`, async ({ page, problems }) => {
    const room = uniqueRoom('offline');
    const relay = await Relay.start(PROSODY_WSS_PORT);
    let bob: MucPeer | undefined;
    try {
      await loginThrough(page, relay.url, users.alice.jid, users.alice.password);
      const view = await joinRoom(page, room.split('@')[0]);
      bob = await MucPeer.login('bob', users.bob.password);
      await bob.join(room, 'bob');

      relay.cut();
      await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'reconnecting');
      const texts = [unique('room first'), unique('room second')];
      for (const text of texts) await send(view, text);
      for (const text of texts) await expect(messageWithBody(view, text)).toHaveAttribute('data-state', 'pending');
      await sleep(outageMs);
      relay.restore();
      await expect(page.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online', { timeout: 30_000 });
      for (const text of texts) {
        await bob.receives(room, 'alice', text, 20_000);
        await expect(messageWithBody(view, text)).toHaveAttribute('data-state', 'sent');
      }
      await sleep(1_000);
      for (const text of texts) await expect(messageWithBody(view, text)).toHaveCount(1);
    } finally {
      bob?.close();
      await relay.close();
      await bestEffort(`destroy ${room}`, () => destroyRoom('alice', users.alice.password, room));
      ignoreRelayErrors(problems, relay);
    }
  });
}
