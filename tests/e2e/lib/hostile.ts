import fs from 'node:fs';
import path from 'node:path';
import { XmppSocket } from './xmpp';

// The hostile peer of the security tests: a scripted account on the real server that sends
// what a malicious contact (or a malicious client of the victim's own account) could send.
// One driver for every security spec; new attacks are new methods here.

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
  async renameContact(jid: string, name: string): Promise<void> {
    const iqId = id('r');
    const reply = await this.socket.iq(
      iqId,
      `<iq xmlns="jabber:client" type="set" id="${iqId}"><query xmlns="jabber:iq:roster">` +
        `<item jid="${esc(jid)}" name="${esc(name)}"><group>Friends</group></item></query></iq>`,
    );
    if (!/type=["']result["']/.test(reply)) throw new Error(`roster set refused: ${reply}`);
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
