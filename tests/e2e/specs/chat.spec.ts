import { test, expect } from '../lib/fixtures';
import {
  bodiesWithText,
  expectBodiesInOrder,
  login,
  logout,
  openChatFromList,
  openChatFromRoster,
  rosterItem,
  send,
  setTabVisibility,
  tid,
  unique,
  users,
} from '../lib/app';

test('alice and bob see each other online, chat both ways, and bob logging out shows as unavailable', async ({
  openPage,
}) => {
  const alice = await openPage();
  const bob = await openPage();

  // alice relies on the default domain from config.json; bob types his full address.
  await login(alice, 'alice', users.alice.password);
  await login(bob, users.bob.jid, users.bob.password);

  // The seeded roster: bob and carol for alice.
  await expect(alice.locator(tid('roster'))).toHaveAttribute('data-count', '2');
  await expect(rosterItem(alice, users.bob.jid)).toHaveAttribute('data-presence', 'available');
  await expect(rosterItem(alice, users.bob.jid)).toHaveAttribute('data-subscription', 'both');
  await expect(rosterItem(bob, users.alice.jid)).toHaveAttribute('data-presence', 'available');

  const fromAlice = [unique('one'), unique('two'), unique('three')];
  const aliceChat = await openChatFromRoster(alice, users.bob.jid);
  await expect(aliceChat).toHaveAttribute('data-kind', 'chat');
  for (const text of fromAlice) await send(aliceChat, text);
  await expectBodiesInOrder(aliceChat, fromAlice);

  // The incoming messages put the conversation in bob's chat list, unread, counted in the title.
  const listItem = bob.locator(tid('chat-list-item', { jid: users.alice.jid }));
  await expect(listItem).toHaveAttribute('data-unread', '3');
  await expect(bob).toHaveTitle('(3) Parley');
  const bobChat = await openChatFromList(bob, users.alice.jid);
  await expect(listItem).toHaveAttribute('data-unread', '0');
  await expect(bob).toHaveTitle('Parley');
  await expectBodiesInOrder(bobChat, fromAlice);
  for (const text of fromAlice) {
    await expect(bodiesWithText(bobChat, text, 'in')).toHaveCount(1);
  }

  // Enter in the composer sends as well.
  const answer = unique('answer');
  await send(bobChat, answer, 'enter');
  await expectBodiesInOrder(aliceChat, [...fromAlice, answer]);
  await expect(bodiesWithText(aliceChat, answer, 'in')).toHaveCount(1);
  // Nothing arrived twice on either side.
  await expectBodiesInOrder(bobChat, [...fromAlice, answer]);

  await logout(bob);
  await expect(rosterItem(alice, users.bob.jid)).toHaveAttribute('data-presence', 'unavailable');
});

test("bob's typing shows on alice's side and goes when he switches chats, hides the tab or leaves", async ({
  openPage,
}) => {
  const alice = await openPage();
  const bob = await openPage();
  await login(alice, users.alice.jid, users.alice.password);
  await login(bob, users.bob.jid, users.bob.password);
  const aliceChat = await openChatFromRoster(alice, users.bob.jid);
  const typing = aliceChat.locator(tid('typing-indicator'));
  await openChatFromRoster(bob, users.alice.jid);
  const input = bob.locator(tid('composer-input'));

  await input.pressSequentially('hel');
  await expect(typing).toBeVisible();
  // Switching to carol's conversation mid-sentence says "paused".
  await openChatFromRoster(bob, users.carol.jid);
  await expect(typing).toHaveCount(0);

  await openChatFromRoster(bob, users.alice.jid);
  await bob.locator(tid('composer-input')).pressSequentially('lo');
  await expect(typing).toBeVisible();
  // The tab goes to the background.
  await setTabVisibility(bob, 'hidden');
  await expect(typing).toHaveCount(0);

  await setTabVisibility(bob, 'visible');
  await bob.locator(tid('composer-input')).pressSequentially(' again');
  await expect(typing).toBeVisible();
  // Bob closes his tab while typing: offline, so no longer typing.
  await bob.close();
  await expect(rosterItem(alice, users.bob.jid)).toHaveAttribute('data-presence', 'unavailable');
  await expect(typing).toHaveCount(0);
});
