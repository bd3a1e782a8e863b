import { test, expect } from '@playwright/test';
import https from 'node:https';
import fs from 'node:fs';
import { XmppSocket, attribute, caPath, mechanisms, parseRoster } from '../lib/xmpp';

// The test server on its own, without the app: HTTP endpoints, headers, the websocket, seed data.

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' wss:; " +
  // frame-ancestors: 'self' and the two host pages of embed.spec.ts (server/prosody.cfg.lua).
  "img-src 'self' https: data: blob:; frame-ancestors 'self' https://localhost:5448 https://localhost:5449; base-uri 'none'; form-action 'self'";
const WSS = 'wss://localhost:5444/xmpp-websocket';

// The path exactly as given: HTTP clients and browsers would normalise the dots away first.
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get({ host: 'localhost', port: 5444, path, ca: fs.readFileSync(caPath) }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

function expectSecurityHeaders(headers: Record<string, string>): void {
  expect(headers['content-security-policy']).toBe(CSP);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

test.describe('HTTP', () => {
  test('config.json is made from the server config', async ({ request }) => {
    const response = await request.get('/config.json');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/json');
    expect(response.headers()['cache-control']).toBe('no-cache');
    expectSecurityHeaders(response.headers());
    expect(await response.json()).toEqual({ default_domain: 'localhost', websocket_url: WSS });
  });

  test('host-meta announces the websocket (XEP-0156)', async ({ request }) => {
    const xrd = await request.get('/.well-known/host-meta');
    expect(xrd.status()).toBe(200);
    expect(xrd.headers()['content-type']).toContain('application/xrd+xml');
    expectSecurityHeaders(xrd.headers());
    expect(await xrd.text()).toContain(`<Link rel='urn:xmpp:alt-connections:websocket' href='${WSS}'/>`);

    const json = await request.get('/.well-known/host-meta.json');
    expect(json.status()).toBe(200);
    expect(await json.json()).toEqual({ links: [{ rel: 'urn:xmpp:alt-connections:websocket', href: WSS }] });
  });

  test('the bundle is served with the right types and headers', async ({ request }) => {
    const index = await request.get('/');
    expect(index.status()).toBe(200);
    expect(index.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers()['cache-control']).toBe('no-cache');
    expectSecurityHeaders(index.headers());

    const html = await index.text();
    const assets = [...html.matchAll(/(?:href|src)="\/?([^"]+\.(wasm|js|css))"/g)].map((m) => [m[1], m[2]]);
    const types: Record<string, string> = {
      wasm: 'application/wasm',
      js: 'text/javascript; charset=utf-8',
      css: 'text/css; charset=utf-8',
    };
    expect(assets.map(([, ext]) => ext)).toEqual(expect.arrayContaining(['wasm', 'js']));
    for (const [file, ext] of assets) {
      const response = await request.get(`/${file}`);
      expect(response.status(), file).toBe(200);
      expect(response.headers()['content-type'], file).toBe(types[ext]);
      expectSecurityHeaders(response.headers());
      // scripts/fingerprint.sh names each asset after its content: cached for good.
      expect(file, 'a content-hashed name').toMatch(/-[0-9a-f]{16}\.(wasm|js|css)$/);
      expect(response.headers()['cache-control'], file).toBe('public, max-age=31536000, immutable');
    }
  });

  test('no path traversal', async ({ request }) => {
    for (const path of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).not.toContain('root:');
    }
    const missing = await request.get('/no-such-file.js');
    expect(missing.status()).toBe(404);
    expectSecurityHeaders(missing.headers());
  });
});

test.describe('XMPP over the websocket', () => {
  test('offers SASL PLAIN and SCRAM-SHA-1 with subprotocol xmpp', async () => {
    const xmpp = await XmppSocket.connect();
    try {
      expect(xmpp.protocol).toBe('xmpp');
      const features = await xmpp.open();
      expect(mechanisms(features)).toEqual(expect.arrayContaining(['PLAIN', 'SCRAM-SHA-1']));
    } finally {
      xmpp.close();
    }
  });

  test('a wrong password is refused', async () => {
    const xmpp = await XmppSocket.connect();
    try {
      await xmpp.open();
      expect(await xmpp.authenticate('alice', 'not-her-password')).toContain('not-authorized');
    } finally {
      xmpp.close();
    }
  });

  test('seeded friends have each other as contacts', async () => {
    const people = { alice: ['wonderland', 'Alice'], bob: ['builder', 'Bob'], carol: ['christmas', 'Carol'] };
    for (const [user, [password]] of Object.entries(people)) {
      const xmpp = await XmppSocket.connect();
      try {
        expect(await xmpp.login(user, password)).toMatch(new RegExp(`^${user}@localhost/`));
        const roster = parseRoster(await xmpp.iq('roster', `<iq xmlns="jabber:client" type="get" id="roster"><query xmlns="jabber:iq:roster"/></iq>`));
        const expected = Object.entries(people)
          .filter(([other]) => other !== user)
          .map(([other, [, name]]) => ({ jid: `${other}@localhost`, name, subscription: 'both', groups: ['Friends'] }));
        expect(roster, `roster of ${user}`).toEqual(expected);
      } finally {
        xmpp.close();
      }
    }
  });

  test('clean test accounts have no contacts', async () => {
    for (const [user, password] of [['dave', 'dave-pw'], ['erin', 'erin-pw']]) {
      const xmpp = await XmppSocket.connect();
      try {
        await xmpp.login(user, password);
        const roster = parseRoster(await xmpp.iq('roster', `<iq xmlns="jabber:client" type="get" id="roster"><query xmlns="jabber:iq:roster"/></iq>`));
        expect(roster, `roster of ${user}`).toEqual([]);
      } finally {
        xmpp.close();
      }
    }
  });

  test('every seeded room is listed on conference.localhost, in one reply', async () => {
    const xmpp = await XmppSocket.connect();
    try {
      await xmpp.login('carol', 'christmas');
      const reply = await xmpp.iq(
        'rooms',
        `<iq xmlns="jabber:client" type="get" id="rooms" to="conference.localhost"><query xmlns="http://jabber.org/protocol/disco#items"/></iq>`,
      );
      const rooms = [...reply.matchAll(/<item\b([^>]*)>/g)]
        .map((m) => ({ jid: attribute(m[1], 'jid'), name: attribute(m[1], 'name') }))
        .sort((a, b) => a.jid.localeCompare(b.jid));
      // 2,000 bulk rooms and six named ones (server/prosody.cfg.lua), and any a test made; each once.
      expect(rooms.length).toBeGreaterThanOrEqual(2006);
      expect(new Set(rooms.map((r) => r.jid)).size).toBe(rooms.length);
      expect(rooms).toEqual(
        expect.arrayContaining([
          { jid: 'lobby@conference.localhost', name: 'Lobby' },
          { jid: 'rust@conference.localhost', name: 'Rust' },
          { jid: 'tea@conference.localhost', name: 'Tea room' },
          { jid: 'bulk-2000@conference.localhost', name: 'Bulk room 2000' },
        ]),
      );
    } finally {
      xmpp.close();
    }
  });
});
