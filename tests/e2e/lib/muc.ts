import { expect, type Locator, type Page } from '@playwright/test';
import { exactly, tid, unique } from './app';
import { esc } from './hostile';
import { XmppSocket } from './xmpp';

// Group chats (XEP-0045): the room browser, join form and room view by their test ids
// (docs/ui-contract.md, Rooms), and MucPeer, a scripted occupant on a raw socket that plays
// the other people in a room. Frames are matched with regular expressions, as in xmpp.ts.

/** The test server's MUC service (server/prosody.cfg.lua). */
export const MUC = 'conference.localhost';

/** Seeded rooms: public and persistent; crowd is for the 100 bots. */
export const seeded = {
  lobby: `lobby@${MUC}`,
  tea: `tea@${MUC}`,
  secret: `secret@${MUC}`,
  members: `members@${MUC}`,
  crowd: `crowd@${MUC}`,
} as const;
export const SECRET_PASSWORD = 'sesame';
/** lobby, rust, tea, secret, members, crowd and bulk-0001..bulk-2000. */
export const SEEDED_ROOMS = 2006;
export const BOT_PASSWORD = 'bot-pw';

const NS_MUC = 'http://jabber.org/protocol/muc';
const NS_BOOKMARKS = 'urn:xmpp:bookmarks:1';

/** The address of a room nobody has used: its name is a JID localpart (no spaces, lower case). */
export function uniqueRoom(label: string): string {
  return `${unique(label).replace(/\s+/g, '-').toLowerCase()}@${MUC}`;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A lookahead for one attribute of a start tag, in either quote style. */
function hasAttr(name: string, value: string): string {
  return `(?=[^>]*\\s${name}=["']${escapeRegExp(value)}["'])`;
}

/** Presence from an occupant that is not leaving (nor an error). */
function availableFrom(room: string, nick: string): RegExp {
  return new RegExp(`^<presence\\b(?![^>]*\\stype=["'](?:unavailable|error)["'])${hasAttr('from', `${room}/${nick}`)}`);
}

function unavailableFrom(room: string, nick: string): RegExp {
  return new RegExp(`^<presence\\b${hasAttr('type', 'unavailable')}${hasAttr('from', `${room}/${nick}`)}`);
}

const isError = (frame: string) => /^<\w+\b[^>]*\stype=["']error["']/.test(frame);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sequence = 0;
function nextId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${Date.now().toString(36)}-${sequence}`;
}

export type JoinOptions = { password?: string; history?: boolean; timeoutMs?: number };
// whois 'anyone': a non-anonymous room, where every occupant sees the account behind each nick.
export type RoomConfig = { name?: string; subject?: string; description?: string; whois?: 'anyone' | 'moderators' };

/** A scripted account in rooms, on a raw XMPP-over-WebSocket connection. */
export class MucPeer {
  private constructor(
    readonly socket: XmppSocket,
    readonly jid: string,
  ) {}

  /** Logs in; `available` sends initial presence, as a normal client would. */
  static async login(user: string, password: string, available = true): Promise<MucPeer> {
    const socket = await XmppSocket.connect();
    try {
      const jid = await socket.login(user, password);
      if (available) socket.send('<presence xmlns="jabber:client"/>');
      return new MucPeer(socket, jid);
    } catch (err) {
      socket.close();
      throw err;
    }
  }

  /** Joins and waits for the room's self-presence; resolves to whether the join created the room. */
  async join(room: string, nick: string, options: JoinOptions = {}): Promise<{ created: boolean }> {
    const password = options.password === undefined ? '' : `<password>${esc(options.password)}</password>`;
    const history = options.history === false ? '<history maxstanzas="0"/>' : '';
    // The self-presence carries status 110 (XEP-0045 §7.2.2); an error is the refusal. Other
    // occupants' presence comes first and matches neither.
    const answer = new RegExp(
      `^<presence\\b(?=[^>]*\\sfrom=["']${escapeRegExp(room)}/)(?:(?=[^>]*\\stype=["']error["'])|[\\s\\S]*code=["']110["'])`,
    );
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      this.socket.send(
        `<presence xmlns="jabber:client" to="${esc(room)}/${esc(nick)}"><x xmlns="${NS_MUC}">${password}${history}</x></presence>`,
      );
      const frame = await this.socket.next(answer, Math.max(deadline - Date.now(), 1));
      if (!isError(frame)) return { created: /code=["']201["']/.test(frame) };
      // A room someone has just created stays locked until its owner configures it (XEP-0045
      // §10.1.3); Prosody answers item-not-found meanwhile. Anything else is the answer.
      if (/<item-not-found\b/.test(frame) && Date.now() + 250 < deadline) {
        await sleep(250);
        continue;
      }
      throw new Error(`${nick} could not join ${room}: ${frame}`);
    }
  }

  /**
   * Creates a room as its owner and configures it at once, so nobody meets it locked. It is
   * made temporary: it goes when its last occupant leaves, so test rooms do not pile up.
   */
  async createRoom(room: string, nick: string, config: RoomConfig = {}): Promise<void> {
    const { created } = await this.join(room, nick);
    if (!created) throw new Error(`${room} existed already`);
    const fields: [string, string][] = [
      ['FORM_TYPE', 'http://jabber.org/protocol/muc#roomconfig'],
      ['muc#roomconfig_persistentroom', '0'],
    ];
    if (config.name !== undefined) fields.push(['muc#roomconfig_roomname', config.name]);
    if (config.description !== undefined) fields.push(['muc#roomconfig_roomdesc', config.description]);
    if (config.whois !== undefined) fields.push(['muc#roomconfig_whois', config.whois]);
    const form = fields.map(([name, value]) => `<field var="${esc(name)}"><value>${esc(value)}</value></field>`).join('');
    await this.expectResult(
      `<iq xmlns="jabber:client" type="set" to="${esc(room)}" id="ID"><query xmlns="${NS_MUC}#owner">` +
        `<x xmlns="jabber:x:data" type="submit">${form}</x></query></iq>`,
    );
    if (config.subject !== undefined) await this.setSubject(room, config.subject);
  }

  /** Sets the subject; resolves once the room has handled it. */
  async setSubject(room: string, subject: string): Promise<void> {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(room)}" type="groupchat" id="${nextId('s')}"><subject>${esc(subject)}</subject></message>`,
    );
    await this.barrier(room);
  }

  /** A round trip to the room: it handles one sender's stanzas in order, so all before it are done. */
  async barrier(room: string): Promise<void> {
    await this.expectResult(
      `<iq xmlns="jabber:client" type="get" to="${esc(room)}" id="ID"><query xmlns="http://jabber.org/protocol/disco#info"/></iq>`,
    );
  }

  say(room: string, body: string): void {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(room)}" type="groupchat" id="${nextId('g')}"><body>${esc(body)}</body></message>`,
    );
  }

  chat(to: string, body: string): void {
    this.socket.send(`<message xmlns="jabber:client" to="${esc(to)}" type="chat" id="${nextId('c')}"><body>${esc(body)}</body></message>`);
  }

  /** Kicks an occupant (XEP-0045 §8.2); we must be a moderator. */
  async kick(room: string, nick: string, reason: string): Promise<void> {
    await this.expectResult(
      `<iq xmlns="jabber:client" type="set" to="${esc(room)}" id="ID"><query xmlns="${NS_MUC}#admin">` +
        `<item nick="${esc(nick)}" role="none"><reason>${esc(reason)}</reason></item></query></iq>`,
    );
  }

  /** A direct invitation (XEP-0249), straight to the invitee's account. */
  inviteDirect(to: string, room: string): void {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(to)}" id="${nextId('i')}"><x xmlns="jabber:x:conference" jid="${esc(room)}"/></message>`,
    );
  }

  /** A mediated invitation (XEP-0045 §7.8.2): the room passes it on. */
  inviteMediated(room: string, to: string): void {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(room)}" id="${nextId('i')}"><x xmlns="${NS_MUC}#user">` +
        `<invite to="${esc(to)}"><reason>join us</reason></invite></x></message>`,
    );
  }

  /** Destroys a room we own (XEP-0045 §10.9); being in it is not needed. */
  async destroy(room: string): Promise<void> {
    await this.expectResult(
      `<iq xmlns="jabber:client" type="set" to="${esc(room)}" id="ID"><query xmlns="${NS_MUC}#owner">` +
        `<destroy><reason>test over</reason></destroy></query></iq>`,
    );
  }

  /** Waits until an occupant (a plain nick) is present in a room we are in. */
  async seesOccupant(room: string, nick: string, timeoutMs = 15_000): Promise<void> {
    await this.socket.next(availableFrom(room, nick), timeoutMs);
  }

  async seesDeparture(room: string, nick: string, timeoutMs = 15_000): Promise<void> {
    await this.socket.next(unavailableFrom(room, nick), timeoutMs);
  }

  /** Forgets the presence of an occupant received so far, so the next wait sees only a new one. */
  forgetOccupant(room: string, nick: string): void {
    this.socket.discard(new RegExp(`^<presence\\b${hasAttr('from', `${room}/${nick}`)}`));
  }

  /** Whether an occupant's presence arrives within `ms`: for asserting that someone did not join. */
  async occupantArrives(room: string, nick: string, ms: number): Promise<boolean> {
    try {
      await this.socket.next(availableFrom(room, nick), ms);
      return true;
    } catch {
      return false;
    }
  }

  /** Waits for a room message with exactly this body (a plain, unique text) from `nick`. */
  async receives(room: string, nick: string, body: string, timeoutMs = 10_000): Promise<string> {
    const pattern = new RegExp(
      `^<message\\b${hasAttr('type', 'groupchat')}${hasAttr('from', `${room}/${nick}`)}[\\s\\S]*<body>${escapeRegExp(body)}</body>`,
    );
    return this.socket.next(pattern, timeoutMs);
  }

  /** Waits for a direct invitation (XEP-0249) to `room`. */
  async receivesInvitation(room: string, timeoutMs = 10_000): Promise<string> {
    const pattern = new RegExp(`^<message\\b[\\s\\S]*<x\\b${hasAttr('xmlns', 'jabber:x:conference')}${hasAttr('jid', room)}`);
    return this.socket.next(pattern, timeoutMs);
  }

  /** The stored XEP-0402 bookmark of a room (its <conference/> element), or null. */
  async bookmark(room: string): Promise<string | null> {
    const reply = await this.iq(
      `<iq xmlns="jabber:client" type="get" id="ID"><pubsub xmlns="http://jabber.org/protocol/pubsub">` +
        `<items node="${NS_BOOKMARKS}"><item id="${esc(room)}"/></items></pubsub></iq>`,
    );
    if (isError(reply)) return null;
    return /<conference\b[^>]*>/.exec(reply)?.[0] ?? null;
  }

  /** Removes a room's bookmark, present or not. */
  async removeBookmark(room: string): Promise<void> {
    await this.iq(
      `<iq xmlns="jabber:client" type="set" id="ID"><pubsub xmlns="http://jabber.org/protocol/pubsub">` +
        `<retract node="${NS_BOOKMARKS}" notify="true"><item id="${esc(room)}"/></retract></pubsub></iq>`,
    );
  }

  /** Sends an IQ (its id written as ID) and returns the reply. */
  private async iq(xml: string): Promise<string> {
    const id = nextId('q');
    return this.socket.iq(id, xml.replace('id="ID"', `id="${id}"`));
  }

  private async expectResult(xml: string): Promise<string> {
    const reply = await this.iq(xml);
    if (isError(reply)) throw new Error(`refused: ${reply}`);
    return reply;
  }

  close(): void {
    this.socket.send('<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>');
    this.socket.close();
  }
}

/** Runs a cleanup step without letting its failure hide the test's own result. */
export async function bestEffort(what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    console.warn(`cleanup (${what}) failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Destroys a room as one of its owners, from a connection of its own. */
export async function destroyRoom(user: string, password: string, room: string): Promise<void> {
  const owner = await MucPeer.login(user, password, false);
  try {
    await owner.destroy(room);
  } finally {
    owner.close();
  }
}

/**
 * Logs bot001..bot<count> in and joins each to `room` (nick = account name), `batch` at a time
 * so the server's logins and presence fan-out stay within a 2-core machine. On failure every
 * socket opened so far is closed.
 */
export async function joinBots(room: string, count: number, batch = 20): Promise<MucPeer[]> {
  const bots: MucPeer[] = [];
  for (let first = 1; first <= count; first += batch) {
    const names = Array.from({ length: Math.min(batch, count - first + 1) }, (_, i) => `bot${String(first + i).padStart(3, '0')}`);
    const results = await Promise.allSettled(
      names.map(async (name) => {
        const bot = await MucPeer.login(name, BOT_PASSWORD, false);
        bots.push(bot);
        // No history: a hundred replays of the room's log would only slow the server down.
        await bot.join(room, name, { history: false, timeoutMs: 30_000 });
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const bot of bots) bot.close();
      throw failed.reason;
    }
  }
  return bots;
}

// ---- The page ----

export function roomsBrowser(page: Page): Locator {
  return page.locator(tid('rooms-browser'));
}

/** Opens the room browser (unless open) and waits until the MUC service has been discovered. */
export async function openRoomsBrowser(page: Page): Promise<Locator> {
  const browser = roomsBrowser(page);
  if (!(await browser.isVisible())) await page.locator(tid('rooms-open')).click();
  await expect(browser).toBeVisible();
  // A bare room name in the join form is resolved against this service.
  await expect(browser.locator(tid('rooms-service'))).toHaveValue(MUC, { timeout: 20_000 });
  return browser;
}

export type JoinForm = { nick?: string; password?: string };

/** Fills the browser's join form and submits it; returns the nick it joins with. */
export async function submitJoin(page: Page, address: string, form: JoinForm = {}): Promise<string> {
  const browser = await openRoomsBrowser(page);
  await browser.locator(tid('room-join-jid')).fill(address);
  const nick = browser.locator(tid('room-join-nick'));
  if (form.nick !== undefined) await nick.fill(form.nick);
  if (form.password !== undefined) await browser.locator(tid('room-join-password')).fill(form.password);
  const joiningAs = await nick.inputValue();
  await browser.locator(tid('room-join-submit')).click();
  return joiningAs;
}

export function roomView(page: Page, room: string): Locator {
  return page.locator(tid('chat-view', { jid: room, kind: 'groupchat' }));
}

export function occupant(view: Locator, nick: string): Locator {
  return view.locator(`${tid('occupants')} ${tid('occupant', { nick })}`);
}

export function joinError(page: Page): Locator {
  return page.locator(tid('room-join-error'));
}

export function chatListItem(page: Page, jid: string): Locator {
  return page.locator(`${tid('chat-list')} ${tid('chat-list-item', { jid })}`);
}

/** Waits until the room's view shows us among its occupants. */
export async function expectInRoom(page: Page, room: string, nick: string): Promise<Locator> {
  const view = roomView(page, room);
  await expect(view).toBeVisible({ timeout: 20_000 });
  await expect(occupant(view, nick)).toHaveCount(1);
  return view;
}

/** Joins through the join form (full address or bare name) and waits until we are in. */
export async function joinRoom(page: Page, address: string, form: JoinForm = {}): Promise<Locator> {
  const nick = await submitJoin(page, address, form);
  return expectInRoom(page, address.includes('@') ? address : `${address}@${MUC}`, nick);
}

/** The message rows in a view whose body is exactly `text`. */
export function messageWithBody(view: Locator, text: string): Locator {
  return view.locator(tid('message')).filter({ has: view.page().locator(tid('message-body')).filter({ hasText: exactly(text) }) });
}

/**
 * Scrolls a windowed list to its end through its scroll container: the list itself if it
 * scrolls, else the nearest ancestor that does. The scroll event is dispatched as well, so the
 * window is recomputed even if the browser coalesces it.
 */
export async function scrollToEnd(list: Locator): Promise<void> {
  await list.evaluate((el) => {
    const scrolls = (e: Element) => /(auto|scroll)/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight;
    let target: Element | null = el;
    while (target && !scrolls(target)) target = target.parentElement;
    if (!target) throw new Error('the list has no scroll container');
    target.scrollTop = target.scrollHeight;
    target.dispatchEvent(new Event('scroll'));
  });
}

/** The data-jid of the `row` items of a windowed list that show in its scroll container. */
export async function rowsInView(list: Locator, row: string): Promise<string[]> {
  return list.evaluate((el, selector) => {
    const scrolls = (e: Element) => /(auto|scroll)/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight;
    let container: Element | null = el;
    while (container && !scrolls(container)) container = container.parentElement;
    const shown = (container ?? el).getBoundingClientRect();
    return [...el.querySelectorAll(selector)]
      .filter((item) => {
        const r = item.getBoundingClientRect();
        return r.height > 0 && r.bottom > shown.top && r.top < shown.bottom;
      })
      .map((item) => item.getAttribute('data-jid') ?? '');
  }, tid(row));
}

/** Every frame the page sends on its websockets from now on (register before logging in). */
export function recordSentFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => frames.push(typeof payload === 'string' ? payload : payload.toString('utf8')));
  });
  return frames;
}
