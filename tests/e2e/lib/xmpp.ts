import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';

// A minimal XMPP-over-WebSocket client (RFC 7395) for checking the server without the app:
// one top-level element per frame, matched with regular expressions. Test use only.

export const wssUrl = process.env.PARLEY_TEST_WSS_URL ?? 'wss://localhost:5444/xmpp-websocket';
// The test instance's self-signed certificate, trusted explicitly (no verification is switched off).
export const caPath = process.env.PARLEY_TEST_CA ?? path.join(__dirname, '../../../.run/test/certs/localhost.crt');

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

export class XmppSocket {
  private frames: string[] = [];
  private wake: (() => void) | null = null;
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(data.toString());
      this.wake?.();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static async connect(url = wssUrl): Promise<XmppSocket> {
    const ws = new WebSocket(url, 'xmpp', { ca: fs.readFileSync(caPath) });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new XmppSocket(ws);
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  send(xml: string): void {
    this.ws.send(xml);
  }

  /** The first received frame (taken off the queue) that matches `pattern`. */
  async next(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((frame) => pattern.test(frame));
      if (index >= 0) return this.frames.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (this.closed || left <= 0) {
        throw new Error(`no frame matching ${pattern} (${this.closed ? 'socket closed' : 'timed out'}); got: ${this.frames.join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Drops the received frames (not yet taken) that match `pattern`; returns how many. */
  discard(pattern: RegExp): number {
    const before = this.frames.length;
    this.frames = this.frames.filter((frame) => !pattern.test(frame));
    return before - this.frames.length;
  }

  /** Sends the stream header and returns the stream features. */
  async open(domain = 'localhost'): Promise<string> {
    this.send(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="${domain}" version="1.0"/>`);
    await this.next(/^<open /);
    return this.next(/features/);
  }

  /** SASL PLAIN (the stream is TLS); resolves to the server's answer, <success> or <failure>. */
  async authenticate(username: string, password: string): Promise<string> {
    const initial = Buffer.from(`\0${username}\0${password}`).toString('base64');
    this.send(`<auth xmlns="${NS_SASL}" mechanism="PLAIN">${initial}</auth>`);
    return this.next(/^<(success|failure)/);
  }

  /** Logs in and binds a resource; returns the full JID. */
  async login(username: string, password: string): Promise<string> {
    await this.open();
    const answer = await this.authenticate(username, password);
    if (!answer.startsWith('<success')) throw new Error(`login as ${username} failed: ${answer}`);
    await this.open();
    this.send(`<iq xmlns="jabber:client" type="set" id="bind"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>`);
    const bound = await this.next(/id=["']bind["']/);
    const jid = /<jid>([^<]+)<\/jid>/.exec(bound);
    if (!jid) throw new Error(`bind failed: ${bound}`);
    return jid[1];
  }

  /** Sends an IQ and returns the reply frame. */
  async iq(id: string, xml: string): Promise<string> {
    this.send(xml);
    return this.next(new RegExp(`id=["']${id}["']`));
  }

  close(): void {
    this.ws.close();
  }
}

/** Creates an account with in-band registration (XEP-0077), so a test can start from nothing. */
export async function registerAccount(username: string, password: string): Promise<void> {
  const xmpp = await XmppSocket.connect();
  try {
    await xmpp.open();
    const reply = await xmpp.iq(
      'reg',
      `<iq xmlns="jabber:client" type="set" id="reg"><query xmlns="jabber:iq:register">` +
        `<username>${username}</username><password>${password}</password></query></iq>`,
    );
    if (!/type=["']result["']/.test(reply)) throw new Error(`registering ${username} failed: ${reply}`);
  } finally {
    xmpp.close();
  }
}

export type RosterItem = { jid: string; name?: string; subscription?: string; groups: string[] };

/** The value of an attribute in the text between a tag's name and its end. */
export function attribute(attributes: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}=["']([^"']*)["']`).exec(attributes)?.[1];
}

export function parseRoster(reply: string): RosterItem[] {
  const items: RosterItem[] = [];
  for (const match of reply.matchAll(/<item\b([^>]*?)(?:\/>|>([\s\S]*?)<\/item>)/g)) {
    const groups = [...(match[2] ?? '').matchAll(/<group>([^<]*)<\/group>/g)].map((g) => g[1]);
    items.push({
      jid: attribute(match[1], 'jid') ?? '',
      name: attribute(match[1], 'name'),
      subscription: attribute(match[1], 'subscription'),
      groups,
    });
  }
  return items.sort((a, b) => a.jid.localeCompare(b.jid));
}

export function mechanisms(features: string): string[] {
  return [...features.matchAll(/<mechanism>([^<]+)<\/mechanism>/g)].map((m) => m[1]);
}
