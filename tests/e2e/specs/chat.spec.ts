import { createHash } from 'node:crypto';
import { test, expect } from '../lib/fixtures';
import { XmppSocket } from '../lib/xmpp';
import {
  bodiesWithText,
  expectBodiesInOrder,
  login,
  logout,
  messageWith,
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

test('Up in an empty composer edits the last message: both sides see the new text once, marked edited, also from the archive', async ({
  openPage,
}) => {
  const alice = await openPage();
  const carol = await openPage();
  await login(alice, users.alice.jid, users.alice.password);
  await login(carol, users.carol.jid, users.carol.password);

  const aliceChat = await openChatFromRoster(alice, users.carol.jid);
  const input = alice.locator(tid('composer-input'));
  const typo = unique('see you at teh station');
  const fixed = typo.replace('teh', 'the');
  await send(aliceChat, typo, 'enter');
  await expect(messageWith(aliceChat, typo, 'out')).toHaveAttribute('data-state', /sent|received|displayed/);
  const carolChat = await openChatFromList(carol, users.alice.jid);
  await expect(bodiesWithText(carolChat, typo, 'in')).toHaveCount(1);

  // Up brings the message back into the composer; Esc leaves it untouched.
  await input.press('ArrowUp');
  await expect(input).toHaveValue(typo);
  await expect(alice.locator(tid('composer-editing'))).toBeVisible();
  await input.press('Escape');
  await expect(input).toHaveValue('');
  await expect(alice.locator(tid('composer-editing'))).toHaveCount(0);
  await expect(bodiesWithText(aliceChat, typo, 'out')).toHaveCount(1);

  // Up again, change the text, Enter: the same row now says the corrected text.
  await input.press('ArrowUp');
  await input.fill(fixed);
  await input.press('Enter');
  await expect(input).toHaveValue('');
  await expect(alice.locator(tid('composer-editing'))).toHaveCount(0);
  await expect(bodiesWithText(aliceChat, fixed, 'out')).toHaveCount(1);
  await expect(bodiesWithText(aliceChat, typo, 'out')).toHaveCount(0);
  await expect(messageWith(aliceChat, fixed, 'out').locator(tid('message-edited'))).toBeVisible();
  await expect(messageWith(aliceChat, fixed, 'out')).toHaveAttribute('data-state', /sent|received|displayed/);

  // carol's copy changed in place: one message, the new text, marked edited.
  await expect(bodiesWithText(carolChat, fixed, 'in')).toHaveCount(1);
  await expect(bodiesWithText(carolChat, typo, 'in')).toHaveCount(0);
  await expect(messageWith(carolChat, fixed, 'in')).toHaveAttribute('data-edited', 'true');

  // Without a keyboard: "Edit" on our last message does the same (and only the last has it).
  await expect(aliceChat.locator(tid('message-edit'))).toHaveCount(1);
  await messageWith(aliceChat, fixed, 'out').locator(tid('message-edit')).click();
  await expect(input).toHaveValue(fixed);
  await expect(input).toBeFocused();
  const again = `${fixed}!`;
  await input.fill(again);
  await input.press('Enter');
  await expect(bodiesWithText(aliceChat, again, 'out')).toHaveCount(1);
  await expect(bodiesWithText(carolChat, again, 'in')).toHaveCount(1);
  await expect(bodiesWithText(carolChat, fixed, 'in')).toHaveCount(0);

  // carol's Up never offers alice's message (at most one of carol's own, from earlier tests).
  const carolInput = carol.locator(tid('composer-input'));
  await carolInput.press('ArrowUp');
  await expect(carolInput).not.toHaveValue(again);
  await carolInput.press('Escape');
  await expect(carolInput).toHaveValue('');
  await expect(carol.locator(tid('composer-editing'))).toHaveCount(0);

  // From the archive, on a new sign-in: the original and its correction fold into one message.
  await logout(carol);
  await login(carol, users.carol.jid, users.carol.password);
  const archived = await openChatFromRoster(carol, users.alice.jid);
  await expect(bodiesWithText(archived, again, 'in')).toHaveCount(1);
  await expect(bodiesWithText(archived, typo, 'in')).toHaveCount(0);
  await expect(bodiesWithText(archived, fixed, 'in')).toHaveCount(0);
  await expect(messageWith(archived, again, 'in')).toHaveAttribute('data-edited', 'true');
});

test("a contact whose software would show a correction as a new message is offered no Edit, until that software leaves", async ({
  openPage,
}) => {
  const alice = await openPage();
  await login(alice, users.alice.jid, users.alice.password);

  // bob on an older client: its capabilities (XEP-0115) list no message correction.
  const bob = await XmppSocket.connect();
  await bob.login('bob', users.bob.password);
  const node = 'https://old-client.example/caps';
  const identity = { category: 'client', type: 'pc', name: 'Old Client 1.0' };
  const feature = 'http://jabber.org/protocol/disco#info';
  const ver = createHash('sha1').update(`${identity.category}/${identity.type}//${identity.name}<${feature}<`).digest('base64');
  bob.send(`<presence xmlns="jabber:client"><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="${node}" ver="${ver}"/></presence>`);
  // alice's query (the server's own PEP service asks too, from bob's bare address).
  const query = await bob.next(/^(?=[\s\S]*disco#info)(?=[\s\S]*from=["']alice@localhost\/)/, 15_000);
  const id = /id=["']([^"']+)["']/.exec(query)![1];
  const from = /from=["']([^"']+)["']/.exec(query)![1];
  bob.send(
    `<iq xmlns="jabber:client" type="result" id="${id}" to="${from}"><query xmlns="${feature}" node="${node}#${ver}">` +
      `<identity category="${identity.category}" type="${identity.type}" name="${identity.name}"/><feature var="${feature}"/></query></iq>`,
  );
  await expect(rosterItem(alice, users.bob.jid)).toHaveAttribute('data-presence', 'available');

  const chat = await openChatFromRoster(alice, users.bob.jid);
  const text = unique('no edits for old clients');
  await send(chat, text, 'enter');
  await expect(messageWith(chat, text, 'out')).toHaveAttribute('data-state', /sent|received|displayed/);
  await expect(chat.locator(tid('message-edit'))).toHaveCount(0);
  const input = alice.locator(tid('composer-input'));
  await input.press('ArrowUp');
  await expect(input).toHaveValue('');
  await expect(alice.locator(tid('composer-editing'))).toHaveCount(0);

  // That software gone (bob offline), a correction waits for whichever client he opens next.
  bob.send('<presence xmlns="jabber:client" type="unavailable"/>');
  await expect(rosterItem(alice, users.bob.jid)).toHaveAttribute('data-presence', 'unavailable');
  await expect(messageWith(chat, text, 'out').locator(tid('message-edit'))).toHaveCount(1);
  await input.press('ArrowUp');
  await expect(input).toHaveValue(text);
  bob.close();
});
