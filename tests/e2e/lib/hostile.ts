import { expect, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { XmppSocket } from './xmpp';

// The hostile peer of the security tests: a scripted account on the real server that sends
// what a malicious contact (or a malicious client of the victim's own account) could send.
// One driver for every security spec; new attacks are new methods here. The corpus and the
// checks of what untrusted text may become on the page are shared here too.

/** The shared corpus (tests/security/xss-corpus.json), also used by the native tests. */
export function corpus(): string[] {
  const file = path.join(__dirname, '../../security/xss-corpus.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { strings: string[] }).strings;
}

/** Whether XML 1.0 can carry the string at all (XML §2.2 Char); the rest cannot reach a client. */
export function xmlCanCarry(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    if (!ok) return false;
  }
  return true;
}

/** What can reach the client at all: XML cannot carry NUL and friends, and empty bodies are no message. */
export function sendableCorpus(): string[] {
  return corpus().filter((s) => xmlCanCarry(s) && s.trim() !== '');
}

// The server re-serialises what it routes, writing CR and tabs raw; XML parsing then normalises
// line ends in text (XML §2.11) and whitespace in attributes (§3.3.3). That, and only that, may change.
// Parley itself changes one thing on display: bidi overrides (LRO, RLO and the PDF ending them)
// become isolates, so no run of letters shows reversed (src/linkify.rs).
const neutralised = (s: string) =>
  /[\u202d\u202e]/.test(s) ? s.replace(/\u202d/g, '\u2066').replace(/\u202e/g, '\u2067').replace(/\u202c/g, '\u2069') : s;
/** How a string sent as element text shows. */
export const asText = (s: string) => neutralised(s.replace(/\r\n?/g, '\n'));
/** How a string sent as an attribute value shows. */
export const asAttribute = (s: string) => neutralised(s.replace(/\r\n?/g, '\n').replace(/[\t\n]/g, ' '));

/** Elements an injection would create; none may appear inside rendered untrusted text. */
export const INJECTED =
  'img, script, iframe, svg, math, object, embed, style, link, meta, base, form, input, button, textarea, video, audio, b, i, u, h1, p, table, div, details, marquee';

export type Piece = { text: string; href?: string };

/**
 * Checks a rendered body against the text that was sent: text nodes are the text itself; a link
 * shows what was written when the browser keeps it as is, else exactly where it goes (its href).
 * Returns a description of the first mismatch, or null.
 */
export function mismatch(pieces: Piece[], sent: string): string | null {
  let pos = 0;
  for (let i = 0; i < pieces.length; i += 1) {
    const { text, href } = pieces[i];
    if (sent.startsWith(text, pos)) {
      if (href !== undefined && !href.startsWith(text.replace(/\/$/, ''))) return `link text ${text} is not its target ${href}`;
      pos += text.length;
      continue;
    }
    if (href === undefined) return `text ${JSON.stringify(text)} at ${pos} of ${JSON.stringify(sent)}`;
    // A rewritten link: it spans the sent text up to the next piece, and shows its target.
    const next = pieces[i + 1]?.text;
    const end = next === undefined ? sent.length : sent.indexOf(next, pos);
    const written = sent.slice(pos, end);
    if (text !== href || new URL(written).href !== href) return `link ${JSON.stringify(written)} shown as ${text}, going to ${href}`;
    pos = end;
  }
  return pos === sent.length ? null : `missing ${JSON.stringify(sent.slice(pos))}`;
}

export async function expectNothingRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

/** Every anchor inside `scope` points at https, http or xmpp and cannot reach its opener. */
export async function expectOnlySafeLinks(scope: Locator): Promise<void> {
  const links = await scope.locator('a').evaluateAll((as) =>
    as.map((a) => ({ href: a.getAttribute('href') ?? '', rel: a.getAttribute('rel') ?? '' })),
  );
  for (const { href, rel } of links) {
    expect(href, 'link scheme').toMatch(/^(https?:\/\/|xmpp:)/i);
    expect(rel).toContain('noopener');
    expect(rel).toContain('noreferrer');
  }
}

/** Escapes for text and attribute values; CR and tabs as references so they survive parsing. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

let counter = 0;
function id(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export class HostilePeer {
  private constructor(
    readonly socket: XmppSocket,
    readonly jid: string,
  ) {}

  /** Logs in, sends available presence, and returns once the server has our presence. */
  static async login(user: string, password: string, status?: string): Promise<HostilePeer> {
    const socket = await XmppSocket.connect();
    const jid = await socket.login(user, password);
    const peer = new HostilePeer(socket, jid);
    peer.presence(status);
    return peer;
  }

  get bare(): string {
    return this.jid.split('/')[0];
  }

  presence(status?: string): void {
    const body = status === undefined ? '' : `<status>${esc(status)}</status>`;
    this.socket.send(`<presence xmlns="jabber:client">${body}</presence>`);
  }

  chat(to: string, body: string): string {
    const messageId = id('m');
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(to)}" type="chat" id="${messageId}"><body>${esc(body)}</body></message>`,
    );
    return messageId;
  }

  /** Sets the name of a roster item of our own account (the server pushes it to every resource). */
  async renameContact(jid: string, name: string, groups: string[] = ['Friends']): Promise<void> {
    const iqId = id('r');
    const inner = groups.map((g) => `<group>${esc(g)}</group>`).join('');
    const reply = await this.socket.iq(
      iqId,
      `<iq xmlns="jabber:client" type="set" id="${iqId}"><query xmlns="jabber:iq:roster">` +
        `<item jid="${esc(jid)}" name="${esc(name)}">${inner}</item></query></iq>`,
    );
    if (!/type=["']result["']/.test(reply)) throw new Error(`roster set refused: ${reply}`);
  }

  /** XEP-0191 for our own account: blocks (or unblocks) these addresses; resolves to whether the server took them. */
  async setBlocked(jids: string[], block: boolean): Promise<boolean> {
    const iqId = id('b');
    const items = jids.map((j) => `<item jid="${esc(j)}"/>`).join('');
    const reply = await this.socket.iq(
      iqId,
      `<iq xmlns="jabber:client" type="set" id="${iqId}"><${block ? 'block' : 'unblock'} xmlns="urn:xmpp:blocking">${items}</${block ? 'block' : 'unblock'}></iq>`,
    );
    return /type=["']result["']/.test(reply);
  }

  /** The full JID of a contact's resource, from the presence the server relays to us. */
  async fullJidOf(bare: string): Promise<string> {
    const frame = await this.socket.next(new RegExp(`<presence[^>]*from=["']${bare.replace('.', '\\.')}/`), 10_000);
    return /from=["']([^"']+)["']/.exec(frame)![1];
  }

  /** A carbon (XEP-0280) wrapped by us instead of by the victim's server: claims `claimedFrom` wrote to the victim. */
  forgedReceivedCarbon(victimFull: string, claimedFrom: string, body: string): void {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(victimFull)}" type="chat" id="${id('c')}">` +
        `<received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">` +
        `<message xmlns="jabber:client" from="${esc(claimedFrom)}/x" to="${esc(victimFull)}" type="chat" id="${id('ci')}">` +
        `<body>${esc(body)}</body></message></forwarded></received></message>`,
    );
  }

  /** A sent-carbon forgery: claims the victim wrote `body` to `claimedTo` from another device. */
  forgedSentCarbon(victimFull: string, claimedTo: string, body: string): void {
    const victimBare = victimFull.split('/')[0];
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(victimFull)}" type="chat" id="${id('c')}">` +
        `<sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">` +
        `<message xmlns="jabber:client" from="${esc(victimBare)}/phone" to="${esc(claimedTo)}" type="chat" id="${id('ci')}">` +
        `<body>${esc(body)}</body></message></forwarded></sent></message>`,
    );
  }

  /** An archive result (XEP-0313) nobody asked for, claiming a message from `claimedFrom`. */
  forgedArchiveResult(victimFull: string, claimedFrom: string, body: string): void {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(victimFull)}" id="${id('a')}">` +
        `<result xmlns="urn:xmpp:mam:2" queryid="${id('q')}" id="${id('ar')}"><forwarded xmlns="urn:xmpp:forward:0">` +
        `<delay xmlns="urn:xmpp:delay" stamp="2020-01-01T00:00:00Z"/>` +
        `<message xmlns="jabber:client" from="${esc(claimedFrom)}/x" to="${esc(victimFull)}" type="chat" id="${id('ai')}">` +
        `<body>${esc(body)}</body></message></forwarded></result></message>`,
    );
  }

  /** A bare XEP-0297 forward: the inner sender must not be taken as the author. */
  forgedForward(victimFull: string, claimedFrom: string, body: string): void {
    this.socket.send(
      `<message xmlns="jabber:client" to="${esc(victimFull)}" type="chat" id="${id('f')}">` +
        `<forwarded xmlns="urn:xmpp:forward:0"><message xmlns="jabber:client" from="${esc(claimedFrom)}/x" ` +
        `to="${esc(victimFull)}" type="chat"><body>${esc(body)}</body></message></forwarded></message>`,
    );
  }

  /** A roster push sent by a contact straight to the victim's resource (RFC 6121 §2.1.6 forbids
   * it); returns its id, which the victim's error reply carries. */
  forgedRosterPush(victimFull: string, jid: string, name: string): string {
    const pushId = id('p');
    this.socket.send(
      `<iq xmlns="jabber:client" to="${esc(victimFull)}" type="set" id="${pushId}"><query xmlns="jabber:iq:roster">` +
        `<item jid="${esc(jid)}" name="${esc(name)}" subscription="both"/></query></iq>`,
    );
    return pushId;
  }

  close(): void {
    this.socket.send('<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>');
    this.socket.close();
  }
}
