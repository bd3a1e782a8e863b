import { test, expect } from '../lib/fixtures';
import { bodiesWithText, login, openChatFromList, openChatFromRoster, rosterItem, send, tid, unique, users } from '../lib/app';
import { parseRoster, registerAccount, XmppSocket } from '../lib/xmpp';

// Two brand-new accounts (registered for this run) become contacts through the UI: one adds the
// other, the other accepts, and both see each other online and can chat.
test('adding a contact and accepting the request makes mutual contacts', async ({ page, openPage }) => {
  const suffix = Date.now().toString(36);
  const first = { user: `ann${suffix}`, password: 'ann-pw' };
  const second = { user: `ben${suffix}`, password: 'ben-pw' };
  for (const account of [first, second]) await registerAccount(account.user, account.password);
  const firstJid = `${first.user}@localhost`;
  const secondJid = `${second.user}@localhost`;

  await login(page, firstJid, first.password);
  const ben = await openPage();
  await login(ben, secondJid, second.password);
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '0');

  // An invalid address is refused in the form, before anything is sent.
  await page.locator(tid('roster-add')).click();
  await page.locator(tid('roster-add-jid')).fill('not an address');
  await page.locator(tid('roster-add-submit')).click();
  await expect(page.locator('.add-contact [role=alert]')).toBeVisible();
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '0');

  await page.locator(tid('roster-add-jid')).fill(secondJid);
  await page.locator(tid('roster-add-name')).fill('Ben <the> builder');
  await page.locator(tid('roster-add-submit')).click();
  const item = rosterItem(page, secondJid);
  await expect(item).toHaveCount(1);
  await expect(item.locator(tid('roster-item-name'))).toHaveText('Ben <the> builder');
  await expect(item).toHaveAttribute('data-subscription', 'none');
  // Adding opens the conversation, so the person can write straight away.
  await expect(page.locator(tid('chat-view', { jid: secondJid }))).toBeVisible();

  const request = ben.locator(tid('subscription-request', { jid: firstJid }));
  await expect(request).toBeVisible();
  await request.locator(tid('subscription-approve')).click();
  await expect(request).toHaveCount(0);

  // Accepting also asks back; the first account follows the second already, so its client
  // accepts that by itself: no second request to click.
  await expect(item).toHaveAttribute('data-subscription', 'both');
  await expect(item).toHaveAttribute('data-presence', 'available');
  const firstOnBen = rosterItem(ben, firstJid);
  await expect(firstOnBen).toHaveAttribute('data-subscription', 'both');
  await expect(firstOnBen).toHaveAttribute('data-presence', 'available');

  await expect(page.locator(tid('subscription-request'))).toHaveCount(0);

  const hello = unique('hello new contact');
  await send(page.locator(tid('chat-view', { jid: secondJid })), hello);
  const view = await openChatFromList(ben, firstJid);
  await expect(bodiesWithText(view, hello, 'in')).toHaveCount(1);
});

test('declining a request leaves the requester without presence', async ({ page, openPage }) => {
  const suffix = Date.now().toString(36);
  const asker = { user: `cid${suffix}`, password: 'cid-pw' };
  const decider = { user: `dee${suffix}`, password: 'dee-pw' };
  for (const account of [asker, decider]) await registerAccount(account.user, account.password);
  const askerJid = `${asker.user}@localhost`;
  const deciderJid = `${decider.user}@localhost`;

  await login(page, askerJid, asker.password);
  const dee = await openPage();
  await login(dee, deciderJid, decider.password);

  await page.locator(tid('roster-add')).click();
  await page.locator(tid('roster-add-jid')).fill(deciderJid);
  await page.locator(tid('roster-add-submit')).click();
  const request = dee.locator(tid('subscription-request', { jid: askerJid }));
  await request.locator(tid('subscription-deny')).click();
  await expect(request).toHaveCount(0);
  await expect(dee.locator(tid('roster'))).toHaveAttribute('data-count', '0');
  const item = rosterItem(page, deciderJid);
  await expect(item).toHaveAttribute('data-subscription', 'none');
  await expect(item).toHaveAttribute('data-presence', 'unavailable');
});

test('renaming keeps the contact\'s groups, and removing ends both subscriptions', async ({ page, openPage }) => {
  // Rename on a seeded contact, whose roster item has the group "Friends".
  await login(page, users.alice.jid, users.alice.password);
  const view = await openChatFromRoster(page, users.carol.jid);
  await view.locator(tid('roster-rename')).click();
  await view.locator(tid('roster-rename-input')).fill('Caroline <3');
  await view.locator(tid('roster-rename-submit')).click();
  await expect(rosterItem(page, users.carol.jid).locator(tid('roster-item-name'))).toHaveText('Caroline <3');
  const xmpp = await XmppSocket.connect();
  try {
    await xmpp.login('alice', users.alice.password);
    const roster = parseRoster(await xmpp.iq('r1', '<iq xmlns="jabber:client" type="get" id="r1"><query xmlns="jabber:iq:roster"/></iq>'));
    expect(roster.find((i) => i.jid === users.carol.jid)).toMatchObject({ name: 'Caroline &lt;3', groups: ['Friends'] });
  } finally {
    xmpp.close();
  }
  await view.locator(tid('roster-rename')).click();
  await view.locator(tid('roster-rename-input')).fill('Carol');
  await view.locator(tid('roster-rename-submit')).click();
  await expect(rosterItem(page, users.carol.jid).locator(tid('roster-item-name'))).toHaveText('Carol');

  // Remove between two fresh accounts that are mutual contacts.
  const suffix = Date.now().toString(36);
  const [eve, fay] = [`eve${suffix}`, `fay${suffix}`];
  for (const user of [eve, fay]) await registerAccount(user, 'pw');
  const evePage = await openPage();
  const fayPage = await openPage();
  await login(evePage, `${eve}@localhost`, 'pw');
  await login(fayPage, `${fay}@localhost`, 'pw');
  await evePage.locator(tid('roster-add')).click();
  await evePage.locator(tid('roster-add-jid')).fill(`${fay}@localhost`);
  await evePage.locator(tid('roster-add-submit')).click();
  await fayPage.locator(tid('subscription-request', { jid: `${eve}@localhost` })).locator(tid('subscription-approve')).click();
  await expect(rosterItem(evePage, `${fay}@localhost`)).toHaveAttribute('data-subscription', 'both');
  await expect(rosterItem(fayPage, `${eve}@localhost`)).toHaveAttribute('data-presence', 'available');

  const chat = evePage.locator(tid('chat-view', { jid: `${fay}@localhost` }));
  await chat.locator(tid('roster-remove')).click();
  await chat.locator(tid('roster-remove-confirm')).click();
  await expect(rosterItem(evePage, `${fay}@localhost`)).toHaveCount(0);
  await expect(evePage.locator(tid('roster'))).toHaveAttribute('data-count', '0');
  // The other side no longer sees eve online.
  await expect(rosterItem(fayPage, `${eve}@localhost`)).toHaveAttribute('data-presence', 'unavailable');
  await expect(rosterItem(fayPage, `${eve}@localhost`)).toHaveAttribute('data-subscription', 'none');
});
