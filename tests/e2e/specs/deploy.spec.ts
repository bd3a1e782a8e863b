import { test, expect } from '../lib/fixtures';
import { expectOnline, openChatFromRoster, send, tid, unique, users } from '../lib/app';

// The bundle behind Debian's nginx and Caddy with exactly docs/deploy/nginx.conf and
// docs/deploy/Caddyfile (server/nginx.sh and server/caddy.sh, started by scripts/e2e.sh): under the
// path prefix /chat/, the WebSocket proxied to the test Prosody.
const SERVERS = [
  ['nginx', 5446],
  ['Caddy', 5447],
] as const;
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' wss:; " +
  "img-src 'self' https: data: blob:; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

for (const [name, port] of SERVERS) {
  const SITE = `https://localhost:${port}/chat/`;

  test.beforeAll(async ({ request }) => {
    const answer = await request.get(SITE, { ignoreHTTPSErrors: true }).catch(() => null);
    expect(answer?.ok(), `${name} is not serving ${SITE}: scripts/e2e.sh starts it (server/${name.toLowerCase()}.sh)`).toBe(true);
  });

  test(`under /chat/ behind ${name}: sign in through the proxied WebSocket and chat, with the documented headers`, async ({ page, openPage }) => {
    const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
    await page.goto(SITE);
    const response = await wasm;
    expect(response.headers()['content-type']).toBe('application/wasm');
    expect(response.headers()['content-encoding']).toBe('br');
    // Over HTTP/2, as both documented configs ask: one connection for all of the page's files.
    const protocols = await page.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map(
        (entry) => (entry as PerformanceResourceTiming).nextHopProtocol,
      ),
    );
    expect(new Set(protocols)).toEqual(new Set(['h2']));

    await page.locator(tid('login-jid')).fill('carol');
    await page.locator(tid('login-password')).fill(users.carol.password);
    await page.locator(tid('login-submit')).click();
    await expectOnline(page);
    const bob = await openPage();
    await bob.goto(SITE);
    await bob.locator(tid('login-jid')).fill(users.bob.jid);
    await bob.locator(tid('login-password')).fill(users.bob.password);
    await bob.locator(tid('login-submit')).click();
    await expectOnline(bob);

    const text = unique('through nginx');
    await send(await openChatFromRoster(page, users.bob.jid), text);
    const bobView = await openChatFromRoster(bob, users.carol.jid);
    await expect(bobView.locator(tid('message'), { hasText: text })).toHaveCount(1);
    // The address keeps the prefix: the app's own routes are fragments after it.
    expect(page.url()).toMatch(new RegExp(`^https://localhost:${port}/chat/#/chat/bob@localhost$`));
  });

  test(`${name}: the documented headers, revalidation, compression, the prefix redirect`, async ({ request }) => {
    const options = { ignoreHTTPSErrors: true, maxRedirects: 0 };
    const index = await request.get(SITE, options);
    expect(index.headers()['content-security-policy']).toBe(CSP);
    expect(index.headers()['x-content-type-options']).toBe('nosniff');
    expect(index.headers()['referrer-policy']).toBe('no-referrer');
    expect(index.headers()['cache-control']).toBe('no-cache');
    expect(index.headers()['content-type']).toMatch(/^text\/html/);
    const config = await request.get(`${SITE}config.json`, options);
    expect(config.headers()['cache-control']).toBe('no-cache');
    expect(await config.json()).toEqual({ default_domain: 'localhost', websocket_url: `wss://localhost:${port}/chat/xmpp-websocket` });
    // The assets index.html names carry their content's hash and are cached for good.
    const assets = [...(await index.text()).matchAll(/(?:href|src)="(?:\.\/)?([^"]+-[0-9a-f]{16}\.(?:js|wasm|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const answer = await request.get(`${SITE}${asset}`, options);
      expect(answer.status(), asset).toBe(200);
      expect(answer.headers()['cache-control'], asset).toBe('public, max-age=31536000, immutable');
    }
    const css = assets.find((a) => a.endsWith('.css'))!;
    const gzip = await request.get(`${SITE}${css}`, { ...options, headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers()['content-encoding']).toBe('gzip');
    expect(gzip.headers()['vary']).toBe('Accept-Encoding');
    const bare = await request.get(`https://localhost:${port}/chat`, options);
    expect(bare.status()).toBe(301);
    expect(bare.headers()['location']).toMatch(/\/chat\/$/);
  });
}
