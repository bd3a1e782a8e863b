import { test, expect } from '../lib/fixtures';
import { bodiesWithText, login, loginThrough, openChatFromRoster, rosterItem, send, tid, unique } from '../lib/app';
import { ignoreRelayErrors, PROSODY_WSS_PORT, Relay } from '../lib/relay';
import { freshAccount, makeContacts } from '../lib/archive';
import { expectNothingRan, HostilePeer, INJECTED } from '../lib/hostile';
import { registerAccount } from '../lib/xmpp';
import { joinRoom, MucPeer, occupant, uniqueRoom } from '../lib/muc';
import type { Page } from '@playwright/test';

// Two new accounts that become mutual contacts through the UI, each signed in in its own page.
// `benUrl` signs ben in through that address (a relay the test can cut) instead of the default.
async function mutualContacts(page: Page, openPage: () => Promise<Page>, label: string, benUrl?: string) {
  const suffix = Date.now().toString(36);
  const ann = { jid: `${label}a${suffix}@localhost`, password: 'ann-pw' };
  const ben = { jid: `${label}b${suffix}@localhost`, password: 'ben-pw' };
  for (const a of [ann, ben]) await registerAccount(a.jid.split('@')[0], a.password);
  await login(page, ann.jid, ann.password);
  const benPage = await openPage();
  if (benUrl) await loginThrough(benPage, benUrl, ben.jid, ben.password);
  else await login(benPage, ben.jid, ben.password);
  await page.locator(tid('roster-add')).click();
  await page.locator(tid('roster-add-jid')).fill(ben.jid);
  await page.locator(tid('roster-add-name')).fill('Ben');
  await page.locator(tid('roster-add-submit')).click();
  await benPage.locator(tid('subscription-request', { jid: ann.jid })).locator(tid('subscription-approve')).click();
  await expect(rosterItem(page, ben.jid)).toHaveAttribute('data-presence', 'available');
  await expect(rosterItem(benPage, ann.jid)).toHaveAttribute('data-subscription', 'both');
  return { ann, ben, benPage };
}

test('groups: assigning makes one, it folds and unfolds, and a contact can move', async ({ page, openPage }) => {
  const { ben } = await mutualContacts(page, openPage, 'gr');
  // No group anywhere yet: no headings.
  await expect(page.locator(tid('roster-group'))).toHaveCount(0);
  await openChatFromRoster(page, ben.jid);
  await page.locator(tid('contact-details-open')).click();
  const details = page.locator(tid('contact-details', { jid: ben.jid }));
  await expect(details).toBeVisible();
  await details.locator(tid('contact-group-input')).fill('Work <team>');
  await details.locator(tid('contact-group-add')).click();

  const work = page.locator(tid('roster-group', { group: 'Work <team>' }));
  await expect(work).toHaveAttribute('data-count', '1');
  await expect(work).toHaveAttribute('data-collapsed', 'false');
  await expect(details.locator(tid('contact-group', { group: 'Work <team>' }))).toBeVisible();
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '1');

  await work.getByRole('button').click();
  await expect(work).toHaveAttribute('data-collapsed', 'true');
  await expect(rosterItem(page, ben.jid)).toHaveCount(0);
  await work.getByRole('button').click();
  await expect(rosterItem(page, ben.jid)).toHaveCount(1);

  // Moved: into "Friends", out of "Work <team>".
  await details.locator(tid('contact-group-input')).fill('Friends');
  await details.locator(tid('contact-group-add')).click();
  await expect(page.locator(tid('roster-group', { group: 'Friends' }))).toHaveAttribute('data-count', '1');
  await details.locator(tid('contact-group', { group: 'Work <team>' })).locator(tid('contact-group-remove')).click();
  await expect(work).toHaveCount(0);
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '1');
  // The filter matches a group's name.
  await page.locator(tid('roster-filter')).fill('friend');
  await expect(rosterItem(page, ben.jid)).toHaveCount(1);
});

/** server/prosody.cfg.lua: the test instance keeps a dropped session this long. */
const RESUME_WINDOW_MS = 6_000;

test('own status text is seen by the other side, on the contact and on its device, and kept after a reconnect', async ({ page, openPage, problems }) => {
  const relay = await Relay.start(PROSODY_WSS_PORT);
  try {
    await ownStatusAcrossReconnect(page, openPage, relay);
  } finally {
    await relay.close();
    ignoreRelayErrors(problems, relay);
  }
});

async function ownStatusAcrossReconnect(page: Page, openPage: () => Promise<Page>, relay: Relay) {
  const { ben, benPage } = await mutualContacts(page, openPage, 'st', relay.url);
  await benPage.locator(tid('status-text')).fill('In a meeting');
  await benPage.locator(tid('status-text')).press('Enter');
  await benPage.locator(tid('own-presence')).selectOption('away');
  const item = rosterItem(page, ben.jid);
  await expect(item).toHaveAttribute('data-presence', 'away');
  await expect(item.locator(tid('roster-item-status'))).toHaveText('In a meeting');

  await openChatFromRoster(page, ben.jid);
  await page.locator(tid('contact-details-open')).click();
  const resource = page.locator(tid('contact-details')).locator(tid('contact-resource'));
  await expect(resource).toHaveCount(1);
  await expect(resource).toHaveAttribute('data-presence', 'away');
  await expect(resource.locator(tid('contact-resource-status'))).toHaveText('In a meeting');
  // XEP-0115: his version was asked about once, verified, and names his software.
  await expect(resource.locator(tid('contact-resource-client'))).toHaveText('Parley');

  // Ben's link drops for longer than the server keeps his session: ann sees him leave, and when
  // his new session starts he is away with the same words, without touching anything.
  relay.cut();
  await new Promise((resolve) => setTimeout(resolve, RESUME_WINDOW_MS + 2_000));
  await expect(item).toHaveAttribute('data-presence', 'unavailable', { timeout: 20_000 });
  relay.restore();
  await expect(benPage.locator(tid('connection-status'))).toHaveAttribute('data-state', 'online', { timeout: 60_000 });
  await expect(item).toHaveAttribute('data-presence', 'away');
  await expect(item.locator(tid('roster-item-status'))).toHaveText('In a meeting');
  await expect(benPage.locator(tid('status-text'))).toHaveValue('In a meeting');
  await expect(benPage.locator(tid('own-presence'))).toHaveValue('away');
}

test('two resources of a contact, each with its own status: the contact shows the most available, the details show both', async ({ page, openPage }) => {
  const { ben, benPage } = await mutualContacts(page, openPage, 'rs');
  await benPage.locator(tid('status-text')).fill('In a meeting');
  await benPage.locator(tid('status-text')).press('Enter');
  await benPage.locator(tid('own-presence')).selectOption('away');
  const item = rosterItem(page, ben.jid);
  await expect(item).toHaveAttribute('data-presence', 'away');

  // Ben's phone signs in too, available, with words of its own.
  const phone = await HostilePeer.login(ben.jid.split('@')[0], ben.password, 'On my phone');
  await expect(item).toHaveAttribute('data-presence', 'available');
  await expect(item.locator(tid('roster-item-status'))).toHaveText('On my phone');
  await openChatFromRoster(page, ben.jid);
  await page.locator(tid('contact-details-open')).click();
  const resources = page.locator(tid('contact-details')).locator(tid('contact-resource'));
  await expect(resources).toHaveCount(2);
  const phoneRow = resources.filter({ has: page.getByText('On my phone', { exact: true }) });
  await expect(phoneRow).toHaveAttribute('data-presence', 'available');
  const desk = resources.filter({ has: page.getByText('In a meeting', { exact: true }) });
  await expect(desk).toHaveAttribute('data-presence', 'away');

  // The phone leaves: ben is away again, with the words of the resource that stayed.
  phone.socket.close();
  await expect(resources).toHaveCount(1);
  await expect(resources).toHaveAttribute('data-presence', 'away');
  await expect(item).toHaveAttribute('data-presence', 'away');
  await expect(item.locator(tid('roster-item-status'))).toHaveText('In a meeting');
});

test('blocking hides the address\'s messages and presence; unblocking restores them', async ({ page, openPage }) => {
  const { ann, ben, benPage } = await mutualContacts(page, openPage, 'bl');
  const view = await openChatFromRoster(page, ben.jid);
  await page.locator(tid('contact-details-open')).click();
  await page.locator(tid('contact-details')).locator(tid('contact-block')).click();

  await expect(page.locator(tid('blocklist-item', { jid: ben.jid }))).toBeVisible();
  await expect(page.locator(tid('blocked-bar'))).toBeVisible();
  await expect(page.locator(tid('contact-unblock'))).toBeVisible();
  const item = rosterItem(page, ben.jid);
  await expect(item).toHaveAttribute('data-blocked', 'true');
  await expect(item).toHaveAttribute('data-presence', 'unavailable');
  await expect(rosterItem(benPage, ann.jid)).toHaveAttribute('data-presence', 'unavailable');

  const benView = await openChatFromRoster(benPage, ann.jid);
  const during = unique('while blocked');
  await send(benView, during);

  await page.locator(tid('blocklist-item', { jid: ben.jid })).locator(tid('blocklist-unblock')).click();
  await expect(page.locator(tid('blocklist'))).toHaveCount(0);
  await expect(page.locator(tid('blocked-bar'))).toHaveCount(0);
  await expect(item).toHaveAttribute('data-blocked', 'false');
  // Presence flows again both ways without either side changing it.
  await expect(item).toHaveAttribute('data-presence', 'available');
  await expect(rosterItem(benPage, ann.jid)).toHaveAttribute('data-presence', 'available');
  const after = unique('after unblocking');
  await send(benView, after);
  await expect(bodiesWithText(view, after, 'in')).toHaveCount(1);
  await expect(bodiesWithText(view, during, 'in')).toHaveCount(0);
});

test('a request says who asks by the nickname they gave, beside their address, as text', async ({ page, openPage }) => {
  const ann = await freshAccount('nka');
  const ben = await freshAccount('nkb');
  const nick = 'Ann <img src=x onerror="window.__pwned=1">';
  await login(page, ann.jid, ann.password);
  await page.locator(tid('account-open')).click();
  const dialog = page.locator(tid('account-dialog'));
  await dialog.locator(tid('nickname')).fill(nick);
  await dialog.locator(tid('nickname-submit')).click();
  await expect(dialog.locator(tid('nickname-status'))).toHaveAttribute('data-state', 'done');
  await dialog.locator(tid('account-close')).click();

  const benPage = await openPage();
  await login(benPage, ben.jid, ben.password);
  await page.locator(tid('roster-add')).click();
  await page.locator(tid('roster-add-jid')).fill(ben.jid);
  await page.locator(tid('roster-add-submit')).click();
  const request = benPage.locator(tid('subscription-request', { jid: ann.jid }));
  await expect(request.locator(tid('subscription-request-nick'))).toHaveText(nick);
  await expect(request).toContainText(`${nick} (${ann.jid})`);
  expect(await request.locator(tid('subscription-request-nick')).locator(INJECTED).count()).toBe(0);
  await expectNothingRan(benPage);
});

test('an address that reads like a contact\'s is flagged in its request, in the roster, in its conversation and in its invitation', async ({ page, openPage }) => {
  const { ann, ben } = await mutualContacts(page, openPage, 'lo');
  await expect(rosterItem(page, ben.jid)).toHaveAttribute('data-lookalike', 'false');
  // ben's address with its "o" in Cyrillic (U+043E): the same to the eye, another account.
  const fakeUser = ben.jid.split('@')[0].replace('o', '\u043e');
  const fake = `${fakeUser}@localhost`;
  await registerAccount(fakeUser, 'fake-pw');
  const impostor = await HostilePeer.login(fakeUser, 'fake-pw');
  try {
    impostor.socket.send(`<presence xmlns="jabber:client" to="${ann.jid}" type="subscribe"/>`);
    const request = page.locator(tid('subscription-request', { jid: fake }));
    const warning = request.locator(tid('lookalike-warning'));
    await expect(warning).toHaveAttribute('data-resembles', ben.jid);
    await expect(warning).toContainText(`Looks like your contact Ben (${ben.jid})`);

    await request.locator(tid('subscription-approve')).click();
    const fakeRow = rosterItem(page, fake);
    await expect(fakeRow).toHaveAttribute('data-lookalike', 'resembles');
    await expect(fakeRow.locator(tid('lookalike-warning'))).toHaveAttribute('data-resembles', ben.jid);
    // Either could be the imitation: the real one says what it can be taken for too.
    await expect(rosterItem(page, ben.jid).locator(tid('lookalike-warning'))).toHaveAttribute('data-resembles', fake);

    const view = await openChatFromRoster(page, fake);
    await expect(view.locator(tid('lookalike-warning'))).toContainText('Check the address letter by letter');

    // An invitation from it (XEP-0249) says the same beside who invites.
    impostor.socket.send(
      `<message xmlns="jabber:client" to="${ann.jid}" id="inv-lo"><x xmlns="jabber:x:conference" jid="lookalike-test@conference.localhost"/></message>`,
    );
    const invitation = page.locator(tid('invitation', { from: fake }));
    await expect(invitation.locator(tid('lookalike-warning'))).toHaveAttribute('data-resembles', ben.jid);

    // In a room that shows who is behind each nick, the impostor's account is flagged beside
    // its nick, whatever nick it took.
    const room = uniqueRoom('lookalike');
    const host = await MucPeer.login(fakeUser, 'fake-pw');
    try {
      await host.createRoom(room, 'Ben', { whois: 'anyone' });
      const roomPane = await joinRoom(page, room, { nick: 'ann' });
      const row = occupant(roomPane, 'Ben');
      await expect(row.locator(tid('lookalike-warning'))).toHaveAttribute('data-resembles', ben.jid);
      await expect(occupant(roomPane, 'ann').locator(tid('lookalike-warning'))).toHaveCount(0);
    } finally {
      host.close();
    }
  } finally {
    impostor.socket.close();
  }
});

// server/prosody.cfg.lua seeds roster10k with 10,000 contacts member00001.. in "Team 01".."Team 25"
// (every tenth also in "Night shift"); each is offline and answers its probe.
test('10,000 contacts: all counted, few rendered, filtered, folded and scrolled to the end', async ({ page }) => {
  test.slow();
  await login(page, 'roster10k@localhost', 'roster-pw');
  const roster = page.locator(tid('roster'));
  await expect(roster).toHaveAttribute('data-count', '10000', { timeout: 30_000 });
  await expect(page.locator(tid('roster-group'))).not.toHaveCount(0);
  // Faces: initials until an image is loaded.
  const avatar = rosterItem(page, 'member00010@localhost').first().locator(tid('avatar'));
  await expect(avatar).toHaveText('M');
  await expect(avatar).toHaveAttribute('data-loaded', 'false');
  // Windowed: the DOM holds the visible rows and a margin, not 11,000 of them.
  const rendered = await page.locator(`${tid('roster-item')}, ${tid('roster-group')}`).count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(120);

  // The last group is Team 25; its last contact by name is Member 09999.
  const scroller = page.locator('.roster-scroll');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(rosterItem(page, 'member09999@localhost')).toBeVisible();

  const filter = page.locator(tid('roster-filter'));
  await filter.fill('member 04321');
  await expect(roster).toHaveAttribute('data-count', '1');
  await expect(rosterItem(page, 'member04321@localhost')).toBeVisible();
  // The filter matches group names too.
  await filter.fill('night shift');
  await expect(roster).toHaveAttribute('data-count', '1000');
  await filter.fill('team 25');
  await expect(page.locator(tid('roster-group', { group: 'Team 25' }))).toHaveAttribute('data-count', '400');
  await filter.fill('');
  await expect(roster).toHaveAttribute('data-count', '10000');

  // Folding the first group leaves its heading; unfolding brings its contacts back.
  const night = page.locator(tid('roster-group', { group: 'Night shift' }));
  await scroller.evaluate((el) => el.scrollTo(0, 0));
  await night.locator('button').click();
  await expect(night).toHaveAttribute('data-collapsed', 'true');
  await expect(rosterItem(page, 'member00010@localhost')).toBeHidden();
  await night.locator('button').click();
  await expect(night).toHaveAttribute('data-collapsed', 'false');
});

test('the keyboard focus stays on a row while it moves and while what it shows changes', async ({ page }) => {
  const me = await freshAccount('kfme');
  const first = await freshAccount('kfa');
  const later = await freshAccount('kfz');
  const mine = await HostilePeer.login(me.user, me.password);
  for (const account of [first, later]) {
    const peer = await HostilePeer.login(account.user, account.password);
    await makeContacts(mine, peer);
    peer.close();
  }
  mine.close();
  await login(page, me.jid, me.password);
  // Both offline: by name, "kfa…" above "kfz…".
  await expect(rosterItem(page, later.jid)).toHaveAttribute('data-presence', 'unavailable');
  const firstButton = rosterItem(page, first.jid).locator('button').first();
  await firstButton.focus();
  // "kfz…" comes online and goes first (online first): "kfa…" moves down a row, and the focus,
  // where a keyboard or screen-reader user is, moves with it.
  const online = await HostilePeer.login(later.user, later.password);
  try {
    await expect(rosterItem(page, later.jid)).toHaveAttribute('data-presence', 'available');
    await expect(page.locator(tid('roster-item')).first()).toHaveAttribute('data-jid', later.jid);
    await expect(firstButton).toBeFocused();
    await page.keyboard.press('ArrowUp');
    const laterButton = rosterItem(page, later.jid).locator('button').first();
    await expect(laterButton).toBeFocused();
    // Its own presence changes under the focus: the row shows it, the focus stays.
    online.socket.send('<presence xmlns="jabber:client"><show>away</show><status>back soon</status></presence>');
    await expect(rosterItem(page, later.jid)).toHaveAttribute('data-presence', 'away');
    await expect(rosterItem(page, later.jid).locator(tid('roster-item-status'))).toHaveText('back soon');
    await expect(laterButton).toBeFocused();
    // A chat's row in the chat list: a new message changes its unread count, not the focus.
    online.chat(me.jid, unique('one'));
    const chat = page.locator(tid('chat-list-item', { jid: later.jid }));
    await expect(chat).toHaveAttribute('data-unread', '1');
    const chatButton = chat.locator('button').first();
    await chatButton.focus();
    online.chat(me.jid, unique('two'));
    await expect(chat).toHaveAttribute('data-unread', '2');
    await expect(chatButton).toBeFocused();
  } finally {
    online.close();
  }
});
