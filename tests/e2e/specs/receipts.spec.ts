import { test, expect } from '../lib/fixtures';
import { HostilePeer } from '../lib/hostile';
import { bodiesWithText, login, messageWith, openChatFromList, openChatFromRoster, send, setTabVisibility, tid, unique, users } from '../lib/app';

// Receipts (XEP-0184) and displayed markers (XEP-0333): a message of ours goes
// pending -> sent -> received -> displayed, and ours go out only when they are true.

test('alice sees her messages reach bob and then seen by him once he opens the chat', async ({ openPage }) => {
  const alice = await openPage();
  const bob = await openPage();
  await login(alice, users.alice.jid, users.alice.password);
  await login(bob, users.bob.jid, users.bob.password);

  const aliceChat = await openChatFromRoster(alice, users.bob.jid);
  const texts = [unique('first'), unique('second')];
  for (const text of texts) await send(aliceChat, text);
  const mine = (text: string) => messageWith(aliceChat, text, 'out');

  // Bob's device has them, but he has not opened the conversation: received, not displayed.
  for (const text of texts) await expect(mine(text)).toHaveAttribute('data-state', 'received');
  await bob.waitForTimeout(1_000);
  for (const text of texts) await expect(mine(text)).toHaveAttribute('data-state', 'received');

  await openChatFromList(bob, users.alice.jid);
  for (const text of texts) await expect(mine(text)).toHaveAttribute('data-state', 'displayed');

  // Bob's answer is displayed at once: alice has the conversation open in a visible tab.
  const bobChat = bob.locator(tid('chat-view'));
  const answer = unique('answer');
  await send(bobChat, answer);
  await expect(messageWith(bobChat, answer, 'out')).toHaveAttribute('data-state', 'displayed');
});

test("a contact's receipt request is answered, and the marker waits until the chat is on screen", async ({ page }) => {
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    await login(page, users.alice.jid, users.alice.password);
    // Alice reads carol's conversation while bob writes.
    await openChatFromRoster(page, users.carol.jid);
    const id = `r-${Date.now()}`;
    const text = unique('markable');
    bob.socket.send(
      `<message xmlns="jabber:client" to="${users.alice.jid}" type="chat" id="${id}"><body>${text}</body>` +
        `<request xmlns="urn:xmpp:receipts"/><markable xmlns="urn:xmpp:chat-markers:0"/></message>`,
    );
    const receipt = await bob.socket.next(new RegExp(`<received[^>]*urn:xmpp:receipts[^>]*id=["']${id}["']|<received[^>]*id=["']${id}["'][^>]*urn:xmpp:receipts`), 10_000);
    // To the device that asked.
    expect(/to=["']([^"']+)["']/.exec(receipt)?.[1]).toBe(bob.jid);
    await expect(page.locator(tid('chat-list-item', { jid: users.bob.jid }))).toHaveAttribute('data-unread', '1');
    await page.waitForTimeout(1_000);
    expect(bob.socket.discard(/urn:xmpp:chat-markers:0/), 'no marker for a message not yet seen').toBe(0);

    // On screen in a tab the person is not looking at is not seen either.
    await setTabVisibility(page, 'hidden');
    const view = await openChatFromList(page, users.bob.jid);
    await expect(bodiesWithText(view, text, 'in')).toHaveCount(1);
    await page.waitForTimeout(1_000);
    expect(bob.socket.discard(/urn:xmpp:chat-markers:0/), 'no marker while the tab is hidden').toBe(0);
    await setTabVisibility(page, 'visible');
    const marker = await bob.socket.next(/<displayed[^>]*urn:xmpp:chat-markers:0/, 10_000);
    expect(marker).toContain(id);
  } finally {
    bob.close();
  }
});

test('two tabs of one account stay consistent: both show each message once, and reading in one reads in the other', async ({
  openPage,
}) => {
  const first = await openPage();
  const second = await openPage();
  await login(first, users.alice.jid, users.alice.password);
  await login(second, users.alice.jid, users.alice.password);
  const bob = await HostilePeer.login('bob', users.bob.password);
  try {
    // The second tab looks at carol's conversation; bob writes.
    await openChatFromRoster(second, users.carol.jid);
    const text = unique('to-both');
    bob.socket.send(
      `<message xmlns="jabber:client" to="${users.alice.jid}" type="chat" id="${unique('id').replace(/\W/g, '')}">` +
        `<body>${text}</body><markable xmlns="urn:xmpp:chat-markers:0"/></message>`,
    );
    const unread = second.locator(tid('chat-list-item', { jid: users.bob.jid }));
    await expect(unread).toHaveAttribute('data-unread', '1');
    // Read in the first tab: the second one counts it as read.
    const view = await openChatFromRoster(first, users.bob.jid);
    await expect(bodiesWithText(view, text, 'in')).toHaveCount(1);
    await expect(unread).toHaveAttribute('data-unread', '0');

    // Sent from the first tab: ours in the second one too, once.
    const reply = unique('reply');
    await send(view, reply);
    const other = await openChatFromList(second, users.bob.jid);
    await expect(bodiesWithText(other, reply, 'out')).toHaveCount(1);
    await expect(bodiesWithText(other, text, 'in')).toHaveCount(1);
  } finally {
    bob.close();
  }
});
