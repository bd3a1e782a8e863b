import { test, expect } from '../lib/fixtures';
import { bodiesWithText, login, openChatFromList, rosterItem, send, tid, unique } from '../lib/app';
import { registerAccount } from '../lib/xmpp';

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
