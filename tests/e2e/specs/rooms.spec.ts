import { test, expect } from '../lib/fixtures';
import { bodiesWithText, chatView, login, logout, openChatFromList, readConversation, send, tid, unique, users } from '../lib/app';
import { asText, esc, expectNothingRan, expectOnlySafeLinks, INJECTED, mismatch, sendableCorpus, type Piece } from '../lib/hostile';
import {
  bestEffort,
  chatListItem,
  destroyRoom,
  expectInRoom,
  joinBots,
  joinError,
  joinRoom,
  messageWithBody,
  MUC,
  MucPeer,
  occupant,
  openRoomsBrowser,
  recordSentFrames,
  roomView,
  rowsInView,
  scrollToEnd,
  seeded,
  SECRET_PASSWORD,
  SEEDED_ROOMS,
  submitJoin,
  uniqueRoom,
} from '../lib/muc';
import type { Locator, Page } from '@playwright/test';

// Group chats on the test server's conference.localhost: the room browser over 2,006 seeded
// rooms, joining and why a join fails, talking with scripted occupants (MucPeer, raw sockets),
// moderation, invitations, bookmarks and hostile room data. A room a test creates has a name of
// its own; the scripted occupants make theirs temporary, and rooms alice's client creates (the
// server's default makes them persistent) are destroyed at the end.

const { alice, bob: bobAccount } = users;

/** Text and links of an element, in order, through any wrapping elements (see `mismatch`). */
function pieces(scope: Locator): Promise<Piece[]> {
  return scope.evaluate((root) => {
    const found: { text: string; href?: string }[] = [];
    const walk = (node: Node) => {
      if (node instanceof HTMLAnchorElement) {
        found.push({ text: node.textContent ?? '', href: node.getAttribute('href') ?? '' });
      } else if (node.nodeType === Node.TEXT_NODE) {
        if (node.textContent) found.push({ text: node.textContent });
      } else {
        node.childNodes.forEach(walk);
      }
    };
    root.childNodes.forEach(walk);
    return found;
  });
}

test('the room browser lists every room in a window, filters, scrolls and loads details', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, alice.jid, alice.password);
  const browser = await openRoomsBrowser(page);
  const count = browser.locator(tid('rooms-count'));
  // One disco#items reply with every room, then parsing 2,000-odd items.
  await expect(count).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  const total = Number(await count.getAttribute('data-count'));
  expect(total).toBeGreaterThanOrEqual(SEEDED_ROOMS);

  const list = browser.locator(tid('room-list'));
  const rows = list.locator(tid('room-item'));
  await expect(list).toHaveAttribute('data-count', String(total));
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(100);

  await browser.locator(tid('rooms-sort')).selectOption('name');
  const filter = browser.locator(tid('rooms-filter'));
  // By name, whatever the case...
  await filter.fill('bulk room 1234');
  await expect(list).toHaveAttribute('data-count', '1');
  await expect(rows).toHaveCount(1);
  await expect(rows).toHaveAttribute('data-jid', `bulk-1234@${MUC}`);
  await expect(rows).toContainText('Bulk room 1234');
  // ...and by address. A room without a password or member list shows neither badge.
  await filter.fill('TEA@CONFERENCE');
  await expect(list).toHaveAttribute('data-count', '1');
  await expect(rows).toHaveAttribute('data-jid', seeded.tea);
  await expect(rows).toHaveAttribute('data-details', 'loaded', { timeout: 20_000 });
  await expect(rows.locator(tid('room-feature', { feature: 'password' }))).toHaveCount(0);
  await expect(rows.locator(tid('room-feature', { feature: 'members-only' }))).toHaveCount(0);

  // Cleared, the whole list is back; at its end the window shows other rows, still only a window.
  await filter.fill('');
  await expect(list).toHaveAttribute('data-count', String(total));
  await expect.poll(() => rowsInView(list, 'room-item').then((jids) => jids.length)).toBeGreaterThan(0);
  const atTop = await rowsInView(list, 'room-item');
  // Scrolled again on each try: a list that re-renders may reset its scroll position once.
  await expect
    .poll(async () => {
      await scrollToEnd(list);
      const atEnd = await rowsInView(list, 'room-item');
      return atEnd.length > 0 && atEnd.every((jid) => !atTop.includes(jid));
    }, { message: 'rows near the end are rendered in view' })
    .toBe(true);
  expect(await rows.count()).toBeLessThan(100);

  // Known order for the end of a list: the bulk rooms alone, sorted by name, end with 2000. Its
  // details are fetched once it is on screen.
  await filter.fill('bulk room');
  await expect(list).toHaveAttribute('data-count', '2000');
  const last = list.locator(tid('room-item', { jid: `bulk-2000@${MUC}` }));
  await expect(async () => {
    await scrollToEnd(list);
    await expect(last).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(last).toHaveAttribute('data-details', 'loaded', { timeout: 20_000 });
  await expect(last).toContainText('Seeded room 2000');

  for (const [room, feature] of [
    [seeded.secret, 'password'],
    [seeded.members, 'members-only'],
  ] as const) {
    await filter.fill(room);
    const row = list.locator(tid('room-item', { jid: room }));
    await expect(row).toHaveAttribute('data-details', 'loaded', { timeout: 20_000 });
    await expect(row.locator(tid('room-feature', { feature }))).toHaveCount(1);
  }
});

test('alice creates a room, bob joins from another client, they talk, mentions are marked, and alice leaves', async ({ page }) => {
  const room = uniqueRoom('talk');
  await login(page, alice.jid, alice.password);
  let bob: MucPeer | undefined;
  try {
    const browser = await openRoomsBrowser(page);
    await expect(browser.locator(tid('room-join-nick'))).toHaveValue('alice');
    // A bare name joins at the service the browser shows.
    const view = await joinRoom(page, room.split('@')[0]);
    await expect(view.locator(tid('room-created'))).toBeVisible();
    await expect(occupant(view, 'alice')).toHaveAttribute('data-affiliation', 'owner');

    bob = await MucPeer.login('bob', bobAccount.password);
    await bob.join(room, 'bob');
    await expect(occupant(view, 'bob')).toHaveCount(1);
    await expect(view.locator(tid('occupants'))).toHaveAttribute('data-count', '2');

    // The room echoes alice's message back to her: it still shows once, as hers.
    const fromAlice = unique('from alice');
    await send(view, fromAlice);
    await expect(messageWithBody(view, fromAlice)).toHaveAttribute('data-from', 'alice');
    await bob.receives(room, 'alice', fromAlice);

    const mention = unique('hello alice');
    bob.say(room, mention);
    const mentioned = messageWithBody(view, mention);
    await expect(mentioned).toHaveAttribute('data-from', 'bob');
    await expect(mentioned).toHaveAttribute('data-direction', 'in');
    await expect(mentioned).toHaveAttribute('data-mention', 'true');

    const plain = unique('just chatting');
    bob.say(room, plain);
    const unmentioned = messageWithBody(view, plain);
    await expect(unmentioned).toHaveAttribute('data-from', 'bob');
    await expect(unmentioned).not.toHaveAttribute('data-mention', 'true');

    // Private messages both ways, through the room: kept in the room's view, never a 1:1 chat.
    await occupant(view, 'bob').locator(tid('occupant-private')).click();
    await expect(view.locator(tid('composer-private'))).toHaveAttribute('data-nick', 'bob');
    const whisper = unique('just between us');
    await send(view, whisper);
    await expect(messageWithBody(view, whisper)).toHaveAttribute('data-private', 'true');
    await bob.socket.next(new RegExp(`type=["']chat["'][^>]*>.*${whisper}|${whisper}`), 10_000);
    await view.locator(tid('composer-private-cancel')).click();
    await expect(view.locator(tid('composer-private'))).toHaveCount(0);
    const reply = unique('whispered back');
    bob.socket.send(
      `<message xmlns="jabber:client" type="chat" to="${room}/alice" id="${unique('pm')}"><body>${reply}</body><x xmlns="http://jabber.org/protocol/muc#user"/></message>`,
    );
    const privateReply = messageWithBody(view, reply);
    await expect(privateReply).toHaveAttribute('data-private', 'true');
    await expect(privateReply).toHaveAttribute('data-from', 'bob');
    await expect(page.locator(tid('chat-list-item', { jid: 'bob@localhost' }))).toHaveCount(0);
    await expect(page.locator(tid('message-request'))).toHaveCount(0);

    await expect(chatListItem(page, room)).toHaveCount(1);

    // Leaving takes the room off the chat list and off the screen.
    await view.locator(tid('room-leave')).click();
    await bob.seesDeparture(room, 'alice');
    await expect(chatListItem(page, room)).toHaveCount(0);
    await expect(page.locator(tid('chat-view', { jid: room }))).toHaveCount(0);
  } finally {
    bob?.close();
    await bestEffort(`destroy ${room}`, () => destroyRoom('alice', alice.password, room));
  }
});

test('corrections in a room: the writer corrects in place, no one else can, and Up edits our last message', async ({ page }) => {
  const room = uniqueRoom('edits');
  await login(page, alice.jid, alice.password);
  let bob: MucPeer | undefined;
  let carol: MucPeer | undefined;
  try {
    await openRoomsBrowser(page);
    const view = await joinRoom(page, room.split('@')[0]);
    bob = await MucPeer.login('bob', bobAccount.password);
    await bob.join(room, 'bob');
    carol = await MucPeer.login('carol', users.carol.password);
    await carol.join(room, 'carol');
    await expect(view.locator(tid('occupants'))).toHaveAttribute('data-count', '3');
    const correction = (peer: MucPeer, id: string, original: string, body: string) =>
      peer.socket.send(
        `<message xmlns="jabber:client" to="${room}" type="groupchat" id="${id}"><body>${body}</body>` +
          `<replace xmlns="urn:xmpp:message-correct:0" id="${original}"/></message>`,
      );

    const typo = unique('bob says helo');
    const fixed = typo.replace('helo', 'hello');
    const original = unique('b').replace(' ', '-');
    bob.socket.send(`<message xmlns="jabber:client" to="${room}" type="groupchat" id="${original}"><body>${typo}</body></message>`);
    await expect(messageWithBody(view, typo)).toHaveCount(1);
    correction(bob, unique('b2').replace(' ', '-'), original, fixed);
    await expect(messageWithBody(view, fixed)).toHaveAttribute('data-edited', 'true');
    await expect(messageWithBody(view, typo)).toHaveCount(0);
    await expect(messageWithBody(view, fixed).locator(tid('message-edited'))).toBeVisible();

    // carol naming bob's message rewrites nothing: hers shows as a message of her own.
    const forged = unique('bob owes carol');
    correction(carol, unique('c1').replace(' ', '-'), original, forged);
    await expect(messageWithBody(view, forged)).toHaveAttribute('data-from', 'carol');
    await expect(messageWithBody(view, fixed)).toHaveAttribute('data-from', 'bob');

    // alice: Up in the empty composer, a new text, Enter; bob receives the correction.
    const mine = unique('alice was hear');
    await send(view, mine);
    const input = page.locator(tid('composer-input'));
    await input.press('ArrowUp');
    await expect(input).toHaveValue(mine);
    const better = mine.replace('hear', 'here');
    await input.fill(better);
    await input.press('Enter');
    await expect(messageWithBody(view, better)).toHaveAttribute('data-edited', 'true');
    await expect(messageWithBody(view, mine)).toHaveCount(0);
    await expect(messageWithBody(view, better)).toHaveAttribute('data-state', 'sent');
    const received = await bob.receives(room, 'alice', better);
    expect(received).toContain('urn:xmpp:message-correct:0');
  } finally {
    bob?.close();
    carol?.close();
    await bestEffort(`destroy ${room}`, () => destroyRoom('alice', alice.password, room));
  }
});

test('a nick already taken is refused with another nick to join under, and the nick can be changed', async ({ page }) => {
  const room = uniqueRoom('nick');
  await login(page, alice.jid, alice.password);
  const bob = await MucPeer.login('bob', bobAccount.password);
  try {
    // bob holds the nick alice's client offers by default.
    await bob.createRoom(room, 'alice');
    await submitJoin(page, room);
    const error = joinError(page);
    await expect(error).toHaveAttribute('data-reason', 'nick-conflict');
    const suggestion = error.locator(tid('room-join-nick-suggestion'));
    await expect(suggestion).toHaveAttribute('data-nick', /\S/);
    const nick = (await suggestion.getAttribute('data-nick'))!;
    expect(nick).not.toBe('alice');

    await suggestion.click();
    const view = await expectInRoom(page, room, nick);
    // bob is still "alice" there, and sees her under the new nick.
    await expect(occupant(view, 'alice')).toHaveCount(1);
    await expect(view.locator(tid('occupants'))).toHaveAttribute('data-count', '2');
    await bob.seesOccupant(room, nick);

    // A nick of her choosing, once in.
    const chosen = `alice-${Date.now().toString(36)}`;
    await view.locator(tid('room-nick-change')).click();
    await view.locator(tid('room-nick-input')).fill(chosen);
    await view.locator(tid('room-nick-submit')).click();
    await expect(occupant(view, chosen)).toHaveCount(1);
    await expect(occupant(view, nick)).toHaveCount(0);
    await bob.seesOccupant(room, chosen);
  } finally {
    bob.close();
  }
});

test('a password-protected room asks for its password and lets alice in with it', async ({ page }) => {
  await login(page, alice.jid, alice.password);
  await submitJoin(page, seeded.secret);
  await expect(joinError(page)).toHaveAttribute('data-reason', 'password-required');
  await submitJoin(page, seeded.secret, { password: SECRET_PASSWORD });
  await expectInRoom(page, seeded.secret, 'alice');
});

test('a members-only room turns a non-member away, saying why', async ({ page }) => {
  await login(page, alice.jid, alice.password);
  await submitJoin(page, seeded.members);
  await expect(joinError(page)).toHaveAttribute('data-reason', 'members-only');
});

test('a room address at a domain that is no room service is caught before anything is sent to it', async ({ page }) => {
  // From the start: the websocket opens at login.
  const sent = recordSentFrames(page);
  await login(page, alice.jid, alice.password);
  await submitJoin(page, 'lobby@localhost');
  const error = joinError(page);
  await expect(error).toHaveAttribute('data-reason', 'not-a-room-service');
  const suggestion = error.locator(tid('room-join-suggestion'));
  await expect(suggestion).toHaveAttribute('data-jid', seeded.lobby);
  await suggestion.click();
  await expectInRoom(page, seeded.lobby, 'alice');
  // Positive control: the recording does see the join that went to the right address.
  await expect
    .poll(() => sent.some((frame) => /<presence\b[^>]*\sto=["']lobby@conference\.localhost\/alice["']/.test(frame)))
    .toBe(true);
  expect(sent.filter((frame) => /\sto=["']lobby@localhost[\/"']/.test(frame))).toEqual([]);
});

test('a room of 101 shows them all in its count, and only a window of them in the DOM', async ({ page }) => {
  test.setTimeout(180_000);
  const bots = await joinBots(seeded.crowd, 100);
  try {
    await login(page, alice.jid, alice.password);
    await submitJoin(page, seeded.crowd);
    const view = roomView(page, seeded.crowd);
    await expect(view).toBeVisible({ timeout: 20_000 });
    const occupants = view.locator(tid('occupants'));
    await expect(occupants).toHaveAttribute('data-count', '101', { timeout: 30_000 });
    const rendered = await occupants.locator(tid('occupant')).count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);
  } finally {
    for (const bot of bots) bot.close();
  }
});

test('what was said before alice came comes from the room archive, once each and in order', async ({ page }) => {
  const room = uniqueRoom('history');
  const sent = recordSentFrames(page);
  await login(page, alice.jid, alice.password);
  const bob = await MucPeer.login('bob', bobAccount.password);
  try {
    await bob.createRoom(room, 'bob');
    const lines = [unique('first'), unique('second'), unique('third')];
    for (const line of lines) bob.say(room, line);
    await bob.barrier(room);
    const view = await joinRoom(page, room);
    for (const line of lines) await expect(messageWithBody(view, line)).toHaveCount(1);
    const shown = await view.locator(tid('message-body')).allTextContents();
    expect(shown.filter((b) => lines.includes(b))).toEqual(lines);
    // The room's own replay was declined: its archive (XEP-0313) is the one source.
    const join = sent.find((f) => f.includes('<presence') && f.includes(`${room}/alice`));
    expect(join).toContain('maxstanzas="0"');
    expect(sent.some((f) => f.includes('urn:xmpp:mam:2') && f.includes(`to="${room}"`))).toBe(true);
  } finally {
    bob.close();
  }
});

test("scrolling up a room reads its archive back to the first message, once each and in order", async ({ page }) => {
  const room = uniqueRoom('scrollback');
  await login(page, alice.jid, alice.password);
  const bob = await MucPeer.login('bob', bobAccount.password);
  const marker = unique('said');
  const total = 130;
  try {
    await bob.createRoom(room, 'bob');
    for (let i = 1; i <= total; i += 1) bob.say(room, `${marker} ${i}`);
    await bob.barrier(room);
    await readBack(page, room, marker, total);
  } finally {
    // Last: the room goes with its last occupant.
    bob.close();
  }
});

async function readBack(page: Page, room: string, marker: string, total: number): Promise<void> {
  const view = await joinRoom(page, room);
  // Entering shows the latest page.
  await expect(messageWithBody(view, `${marker} ${total}`)).toHaveCount(1);
  await expect(messageWithBody(view, `${marker} 1`)).toHaveCount(0);
  const start = view.locator(tid('history-start'));
  for (let i = 0; i < 60 && !(await start.isVisible()); i += 1) {
    await view.locator('.messages').evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await page.waitForTimeout(150);
  }
  await expect(start).toBeVisible();
  const said = (await readConversation(page, view))
    .filter((body) => body.startsWith(`${marker} `))
    .map((body) => Number(body.slice(marker.length + 1)));
  expect(said).toEqual(Array.from({ length: total }, (_, i) => i + 1));
}

test('kicked out, alice is told so and can still read the room, but not write', async ({ page }) => {
  const room = uniqueRoom('kick');
  await login(page, alice.jid, alice.password);
  const bob = await MucPeer.login('bob', bobAccount.password);
  try {
    await bob.createRoom(room, 'bob');
    const view = await joinRoom(page, room);
    await bob.seesOccupant(room, 'alice');
    const before = unique('before the kick');
    bob.say(room, before);
    await expect(messageWithBody(view, before)).toHaveCount(1);

    await bob.kick(room, 'alice', 'bye');
    await expect(view.locator(tid('room-ended'))).toHaveAttribute('data-reason', 'kicked');
    await expect(view).toBeVisible();
    await expect(messageWithBody(view, before)).toHaveCount(1);
    await expect(view.locator(tid('composer-input'))).toBeDisabled();
  } finally {
    bob.close();
  }
});

test('a direct invitation shows who invites where, joins nothing by itself, accepting joins, and alice can invite', async ({ page }) => {
  const room = uniqueRoom('invite');
  await login(page, alice.jid, alice.password);
  const bob = await MucPeer.login('bob', bobAccount.password);
  let carol: MucPeer | undefined;
  try {
    await bob.createRoom(room, 'bob');
    bob.inviteDirect(alice.jid, room);
    const invitation = page.locator(tid('invitation', { room }));
    await expect(invitation).toBeVisible();
    await expect(invitation).toHaveAttribute('data-from', bobAccount.jid);

    // A message bob sends after the invitation: once it shows, the invitation has been handled
    // as far as it will be, and any join it set off would have reached the room.
    const after = unique('after the invitation');
    bob.chat(alice.jid, after);
    const chat = await openChatFromList(page, bobAccount.jid);
    await expect(bodiesWithText(chat, after, 'in')).toHaveCount(1);
    await expect(chatView(page, room)).toHaveCount(0);
    expect(await bob.occupantArrives(room, 'alice', 1_000)).toBe(false);

    await invitation.locator(tid('invitation-accept')).click();
    const view = await expectInRoom(page, room, 'alice');
    await bob.seesOccupant(room, 'alice');
    await expect(invitation).toHaveCount(0);

    // Alice invites in turn, from the room: a direct invitation reaches carol.
    carol = await MucPeer.login('carol', users.carol.password);
    await view.locator(tid('room-invite')).click();
    await view.locator(tid('room-invite-jid')).fill(users.carol.jid);
    await view.locator(tid('room-invite-submit')).click();
    await carol.receivesInvitation(room);
  } finally {
    carol?.close();
    bob.close();
  }
});

test('a mediated invitation names the inviter, and declining it joins nothing', async ({ page }) => {
  const room = uniqueRoom('decline');
  await login(page, alice.jid, alice.password);
  const bob = await MucPeer.login('bob', bobAccount.password);
  try {
    await bob.createRoom(room, 'bob');
    // The room passes it on from its own address. Prosody's rooms hide accounts by default, so
    // it names the inviter by occupant address: the nick is what a person sees.
    bob.inviteMediated(room, alice.jid);
    const invitation = page.locator(tid('invitation', { room }));
    await expect(invitation).toBeVisible();
    await expect(invitation).toHaveAttribute('data-from', `${room}/bob`);
    await expect(invitation).toContainText('bob');

    await invitation.locator(tid('invitation-decline')).click();
    await expect(invitation).toHaveCount(0);
    expect(await bob.occupantArrives(room, 'alice', 1_500)).toBe(false);
    await expect(chatView(page, room)).toHaveCount(0);
  } finally {
    bob.close();
  }
});

test('a bookmarked room is joined again after logging in anew, until unbookmarked', async ({ page }) => {
  const room = uniqueRoom('bookmark');
  await login(page, alice.jid, alice.password);
  // bob stays in the room throughout: it lives on while alice is away, and he sees her come back.
  const bob = await MucPeer.login('bob', bobAccount.password);
  // Alice's account on a connection of its own: reads what the server stored, and cleans up.
  const aliceElsewhere = await MucPeer.login('alice', alice.password, false);
  const stored = async () => (await aliceElsewhere.bookmark(room)) ?? '';
  try {
    let view = await joinRoom(page, room);
    await bob.join(room, 'bob');
    await bob.seesOccupant(room, 'alice');

    let toggle = view.locator(tid('bookmark-toggle'));
    await expect(toggle).toHaveAttribute('data-bookmarked', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('data-bookmarked', 'true');
    await expect.poll(stored, { message: 'an autojoin bookmark on the server' }).toMatch(/\sautojoin=["'](?:true|1)["']/);
    // Renamed, and the name is what the server keeps.
    await view.locator(tid('bookmark-rename')).click();
    await view.locator(tid('bookmark-name-input')).fill('Our bookmarked room');
    await view.locator(tid('bookmark-name-submit')).click();
    await expect.poll(stored, { message: 'the new name on the server' }).toMatch(/\sname=["']Our bookmarked room["']/);

    await logout(page);
    await bob.seesDeparture(room, 'alice');
    bob.forgetOccupant(room, 'alice');
    await login(page, alice.jid, alice.password);
    // Nobody clicks anything: the bookmark brings her back.
    await bob.seesOccupant(room, 'alice', 30_000);
    await expect(chatListItem(page, room)).toHaveCount(1);
    view = await openChatFromList(page, room);
    await expect(view).toHaveAttribute('data-kind', 'groupchat');
    await expect(occupant(view, 'alice')).toHaveCount(1);

    toggle = view.locator(tid('bookmark-toggle'));
    await expect(toggle).toHaveAttribute('data-bookmarked', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('data-bookmarked', 'false');
    await expect.poll(stored, { message: 'the bookmark removed from the server' }).toBe('');
  } finally {
    await bestEffort('remove the bookmark', () => aliceElsewhere.removeBookmark(room));
    await bestEffort(`destroy ${room}`, () => aliceElsewhere.destroy(room));
    aliceElsewhere.close();
    bob.close();
  }
});

test('markup in a room name, subject and nick, and the corpus as subjects, show as text', async ({ page }) => {
  test.setTimeout(240_000);
  const MARKUP = '<img src=x onerror=alert(1)>';
  const room = uniqueRoom('hostile');
  const name = `${MARKUP} room`;
  const bob = await MucPeer.login('bob', bobAccount.password);
  try {
    const description = `${MARKUP} description`;
    await bob.createRoom(room, MARKUP, { name, subject: MARKUP, description });
    await login(page, alice.jid, alice.password);

    // The name as the browser lists it (rows hold buttons and badges: only what markup would add).
    const browser = await openRoomsBrowser(page);
    await expect(browser.locator(tid('rooms-count'))).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
    await browser.locator(tid('rooms-filter')).fill(room);
    const row = browser.locator(tid('room-item', { jid: room }));
    await expect(row).toContainText(name);
    await expect(row).toHaveAttribute('data-details', 'loaded', { timeout: 20_000 });
    await expect(row).toContainText(description);
    await expect(row.locator('img, script, iframe, object, embed')).toHaveCount(0);

    await row.locator(tid('room-item-open')).click();
    const view = await expectInRoom(page, room, 'alice');
    const subject = view.locator(tid('room-subject'));
    await expect.poll(() => subject.evaluate((el) => el.textContent)).toBe(MARKUP);
    const host = occupant(view, MARKUP);
    await expect(host).toHaveCount(1);
    expect(await host.evaluate((el) => el.textContent)).toContain(MARKUP);
    // A status text and an invitation's reason: text too.
    bob.socket.send(`<presence xmlns="jabber:client" to="${esc(room)}/${esc(MARKUP)}"><status>${esc(MARKUP)}</status></presence>`);
    await expect(host).toHaveAttribute('title', MARKUP);
    bob.socket.send(
      `<message xmlns="jabber:client" to="${esc(alice.jid)}"><x xmlns="jabber:x:conference" jid="${esc(room)}" reason="${esc(MARKUP)}"/></message>`,
    );
    const invitation = page.locator(tid('invitation', { room }));
    await expect(invitation).toContainText(MARKUP);
    await expect(invitation.locator('img, script, iframe, svg, object, embed')).toHaveCount(0);
    await invitation.locator(tid('invitation-decline')).click();

    const text = `${MARKUP} ${unique('#')}`;
    bob.say(room, text);
    const message = messageWithBody(view, text);
    await expect(message).toHaveAttribute('data-from', MARKUP);
    expect(await message.locator(tid('message-body')).evaluate((el) => el.textContent)).toBe(text);

    // Avatars may be images of their own; nothing else in the view or the chat list is.
    await expect(view.locator(`img:not(${tid('avatar')})`)).toHaveCount(0);
    await expect(page.locator(`${tid('chat-list')} :is(img:not(${tid('avatar')}), script, iframe)`)).toHaveCount(0);
    await expect(view.locator(`:is(${tid('room-subject')}, ${tid('message-body')}) :is(${INJECTED})`)).toHaveCount(0);

    // A spread of the corpus (every fifth string XML can carry: each subject change is a round
    // trip through the room), each checked while it is shown, as text. Subjects are kept up to
    // 1,000 characters (src/xmpp/disco.rs, MAX_TEXT_CHARS).
    const sample = sendableCorpus().filter((_, i) => i % 5 === 0);
    for (const s of sample) {
      await bob.setSubject(room, s);
      const shown = Array.from(asText(s)).slice(0, 1000).join('');
      await expect.poll(async () => mismatch(await pieces(subject), shown), { message: s.slice(0, 80) }).toBeNull();
      await expect(subject.locator(`:is(${INJECTED})`)).toHaveCount(0);
      await expectOnlySafeLinks(subject);
    }
    await expectNothingRan(page);
  } finally {
    bob.close();
  }
});
