import { test, expect } from '../lib/fixtures';
import { bodiesWithText, login, openChatFromList, openChatFromRoster, send, unique, users } from '../lib/app';

// Message bodies are text: markup in them must show literally and never run.
const MARKUP = [
  '<img src=x onerror=alert(1)>',
  '<script>window.__pwned=1</script>',
  '<b>bold</b>',
  '<svg onload=alert(2)><circle r=5></circle></svg>',
  '<a href="javascript:alert(3)">link</a>',
  '&lt;i&gt;entities stay as typed&lt;/i&gt;',
];

test('markup in message bodies arrives as literal text', async ({ openPage }) => {
  const alice = await openPage();
  const bob = await openPage();
  await login(alice, users.alice.jid, users.alice.password);
  await login(bob, users.bob.jid, users.bob.password);

  // A marker per run keeps each body unique; it does not change what the markup would do.
  const marker = unique('#');
  const texts = MARKUP.map((markup) => `${markup} ${marker}`);
  const bobChat = await openChatFromRoster(bob, users.alice.jid);
  for (const text of texts) await send(bobChat, text);

  const aliceChat = await openChatFromList(alice, users.bob.jid);
  for (const [view, direction] of [
    [aliceChat, 'in'],
    [bobChat, 'out'],
  ] as const) {
    for (const text of texts) {
      const body = bodiesWithText(view, text, direction);
      await expect(body).toHaveCount(1);
      const rendered = await body.evaluate((el) => ({
        text: el.textContent,
        elements: [...el.querySelectorAll('img, script, b, svg, a, i, iframe')].map((e) => e.tagName),
      }));
      expect(rendered, text).toEqual({ text, elements: [] });
    }
  }

  for (const page of [alice, bob]) {
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  }
});
