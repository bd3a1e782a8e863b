import { test, expect } from '../lib/fixtures';
import { bodiesWithText, chatView, login, logout, openChatFromList, openChatFromRoster, rosterItem, send, tid, unique, users } from '../lib/app';
import { registerAccount } from '../lib/xmpp';
import { asAttribute, asText, expectNothingRan, expectOnlySafeLinks, HostilePeer, INJECTED, mismatch, sendableCorpus } from '../lib/hostile';

// The security suite: the shared hostile-string corpus through every field the app renders from
// the network, and forged stanzas from a scripted peer on the real server. Each test also ends
// with the fixture's checks: no dialog, no page error, no CSP violation.

const sendable = sendableCorpus();

test('every corpus string arrives as literal text in message bodies', async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    const first = unique('corpus start');
    bob.chat(users.alice.jid, first);
    const view = await openChatFromList(page, users.bob.jid);
    await expect(bodiesWithText(view, first, 'in')).toHaveCount(1);

    // In batches, so every string is checked while it is rendered (the history is windowed).
    for (let start = 0; start < sendable.length; start += 20) {
      const batch = sendable.slice(start, start + 20);
      const before = Number(await view.getAttribute('data-count'));
      for (const text of batch) bob.chat(users.alice.jid, text);
      await expect(view).toHaveAttribute('data-count', String(before + batch.length));
      const rendered = await view
        .locator(`${tid('message', { direction: 'in' })} ${tid('message-body')}`)
        .evaluateAll(
          (els, n) =>
            // Text and links in order, through the elements XEP-0393 styling wraps them in.
            els.slice(-n).map((el) => {
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
              el.childNodes.forEach(walk);
              return found;
            }),
          batch.length,
        );
      expect(rendered.map((pieces, i) => mismatch(pieces, asText(batch[i])))).toEqual(batch.map(() => null));
      await expect(view.locator(`${tid('message-body')} :is(${INJECTED})`)).toHaveCount(0);
      await expectOnlySafeLinks(view.locator(tid('message-body')));
      await expectNothingRan(page);
    }
  } finally {
    bob.close();
  }
});

test('every corpus string shows literally as a contact name', async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, users.alice.jid, users.alice.password);
  // Another client of alice's own account renames bob; the server pushes each name to the app.
  const aliceElsewhere = await HostilePeer.login('alice', users.alice.password);
  const item = rosterItem(page, users.bob.jid);
  try {
    for (const name of sendable) {
      await aliceElsewhere.renameContact(users.bob.jid, name);
      await expect
        .poll(() => item.locator(tid('roster-item-name')).evaluate((el) => el.textContent), { message: name.slice(0, 80) })
        .toBe(asAttribute(name));
      await expect(item.locator(`${tid('roster-item-name')} :is(${INJECTED})`)).toHaveCount(0);
    }
    await expectNothingRan(page);
  } finally {
    await aliceElsewhere.renameContact(users.bob.jid, 'Bob');
    aliceElsewhere.close();
  }
});

test('every corpus string shows literally as a group name', async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, users.alice.jid, users.alice.password);
  const aliceElsewhere = await HostilePeer.login('alice', users.alice.password);
  // What the list keeps of a group: trimmed of Unicode white space; a blank one is no group.
  const shown = (s: string) => asText(s).replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
  try {
    for (const group of sendable.filter((s) => shown(s) !== '')) {
      await aliceElsewhere.renameContact(users.bob.jid, 'Bob', [group]);
      await expect
        .poll(() => page.locator(`${tid('roster-group')} .group-name`).evaluateAll((els) => els.map((e) => e.textContent)), {
          message: group.slice(0, 80),
        })
        .toContain(shown(group));
      await expect(page.locator(`${tid('roster-group')} .group-name :is(${INJECTED})`)).toHaveCount(0);
    }
    await expectNothingRan(page);
  } finally {
    await aliceElsewhere.renameContact(users.bob.jid, 'Bob');
    aliceElsewhere.close();
  }
});

test('every corpus string the server takes in a blocked address shows as text in the blocklist', async ({ page }) => {
  test.setTimeout(240_000);
  const user = unique('blk').replace(/\W/g, '');
  await registerAccount(user, 'blk-pw');
  await login(page, `${user}@localhost`, 'blk-pw');
  // Another client of the same account blocks full addresses whose resource is a corpus string
  // (any text may be a resource); the server pushes each block to the app.
  const elsewhere = await HostilePeer.login(user, 'blk-pw');
  const list = page.locator(tid('blocklist'));
  let shownCount = 0;
  try {
    for (let start = 0; start < sendable.length; start += 8) {
      const taken: string[] = [];
      for (const s of sendable.slice(start, start + 8)) {
        const jid = `mallory@localhost/${s}`;
        if (await elsewhere.setBlocked([jid], true)) taken.push(jid);
      }
      if (taken.length === 0) continue;
      await expect(list).toHaveAttribute('data-count', String(taken.length));
      const names = await list.locator(`${tid('blocklist-item')} .row-name`).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(name.startsWith('mallory@localhost/')).toBe(true);
      await expect(list.locator(`.row-name :is(${INJECTED})`)).toHaveCount(0);
      await expectNothingRan(page);
      shownCount += taken.length;
      expect(await elsewhere.setBlocked(taken, false)).toBe(true);
      await expect(list).toHaveCount(0);
    }
    // The server took a good share of the corpus: the test saw something.
    expect(shownCount).toBeGreaterThan(sendable.length / 2);
  } finally {
    elsewhere.close();
  }
});

test('every corpus string shows literally as a status text', async ({ page }) => {
  test.setTimeout(240_000);
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  const item = rosterItem(page, users.bob.jid);
  try {
    for (const status of sendable) {
      bob.presence(status);
      await expect
        .poll(() => item.locator(tid('roster-item-status')).evaluate((el) => el.textContent), {
          message: status.slice(0, 80),
        })
        // A status is one line in a list: the core keeps its first 1,000 characters.
        .toBe([...asText(status)].slice(0, 1000).join(''));
      await expect(item.locator(`${tid('roster-item-status')} :is(${INJECTED})`)).toHaveCount(0);
    }
    await expectNothingRan(page);
  } finally {
    bob.close();
  }
});

test('forged carbons, archive results, forwards and roster pushes show nothing', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const roster = page.locator(tid('roster'));
  const contactsBefore = await roster.getAttribute('data-count');
  // Bob is alice's contact, so he learns her full JID from her presence and can address her client.
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const mallory = await HostilePeer.login('bob', users.bob.password);
  try {
    const aliceFull = await mallory.fullJidOf(users.alice.jid);
    const forged = unique('forged');
    mallory.forgedReceivedCarbon(aliceFull, users.carol.jid, forged);
    mallory.forgedSentCarbon(aliceFull, users.carol.jid, forged);
    mallory.forgedArchiveResult(aliceFull, users.carol.jid, forged);
    mallory.forgedForward(aliceFull, users.carol.jid, forged);
    const pushId = mallory.forgedRosterPush(aliceFull, 'mallory@evil.example', forged);

    // Positive controls: the forgeries reached alice's client and were refused there, not
    // dropped on the way. Her client answers the forged push with an error (RFC 6121 §2.1.6)...
    await mallory.socket.next(new RegExp(`<iq[^>]*type=["']error["'][^>]*id=["']${pushId}["']|<iq[^>]*id=["']${pushId}["'][^>]*type=["']error["']`), 10_000);
    // ...and says in its log which ones it ignored.
    await expect
      .poll(() => warnings.filter((w) => w.includes('ignored a forged carbon')).length)
      .toBe(2);
    await expect.poll(() => warnings.some((w) => w.includes('ignored an archive result nobody asked for'))).toBe(true);

    // A genuine message sent after the forgeries: once it shows, they have all been processed.
    const genuine = unique('genuine');
    mallory.chat(users.alice.jid, genuine);
    const view = await openChatFromList(page, users.bob.jid);
    await expect(bodiesWithText(view, genuine, 'in')).toHaveCount(1);

    await expect(page.locator(tid('chat-list-item', { jid: users.carol.jid }))).toHaveCount(0);
    await expect(chatView(page, users.carol.jid)).toHaveCount(0);
    await expect(rosterItem(page, 'mallory@evil.example')).toHaveCount(0);
    await expect(roster).toHaveAttribute('data-count', contactsBefore!);
    expect(await page.evaluate((text) => document.body.innerText.includes(text), forged)).toBe(false);
  } finally {
    mallory.close();
  }
});

test('the password is never written to browser storage', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const view = await openChatFromRoster(page, users.bob.jid);
  await send(view, unique('stored?'));

  const snapshot = () =>
    page.evaluate(async () => {
      const dump = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`);
      return {
        local: dump(localStorage),
        session: dump(sessionStorage),
        cookie: document.cookie,
        databases: (await indexedDB.databases()).map((d) => d.name),
        caches: await caches.keys(),
      };
    });
  for (const stored of [await snapshot(), await logout(page).then(snapshot)]) {
    expect(JSON.stringify(stored)).not.toContain(users.alice.password);
    // Only the interface language is kept (README: "Nothing secret is stored").
    expect(stored.local.every((entry) => entry.startsWith('parley.lang='))).toBe(true);
    expect(stored).toMatchObject({ session: [], cookie: '', databases: [], caches: [] });
  }
});

test('a contact reusing our message ids cannot hide our messages', async ({ page }) => {
  await login(page, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    const view = await openChatFromRoster(page, users.bob.jid);
    const first = unique('first');
    await send(view, first);
    // Our ids are "<prefix>-<n>": bob learns the next ones from the message he received...
    const frame = await bob.socket.next(new RegExp(`<body>${first}</body>`), 10_000);
    const [, prefix, n] = /id=["']([0-9a-f]+)-(\d+)["']/.exec(frame)!;
    // ...and sends his own messages under them, before we use them.
    for (let i = 1; i <= 5; i += 1) {
      bob.socket.send(
        `<message xmlns="jabber:client" to="${users.alice.jid}" type="chat" id="${prefix}-${Number(n) + i}">` +
          `<body>squatting ${i}</body><origin-id xmlns="urn:xmpp:sid:0" id="${prefix}-${Number(n) + i}"/></message>`,
      );
    }
    await expect(bodiesWithText(view, 'squatting 5', 'in')).toHaveCount(1);
    // Each of our next messages still shows, once.
    for (const text of [unique('second'), unique('third')]) await send(view, text);
  } finally {
    bob.close();
  }
});
