import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { chatView, fillLogin, login, logout, openChatFromList, openChatFromRoster, openLogin, bodiesWithText, rosterItem, tid, unique } from '../lib/app';
import { facesKept, record } from '../lib/device';
import { ignoreRelayErrors, PROSODY_WSS_PORT, Relay } from '../lib/relay';
import { freshAccount, makeContacts } from '../lib/archive';
import { HostilePeer, asText, esc, expectNothingRan, sendableCorpus, INJECTED } from '../lib/hostile';

// Names and faces (XEP-0084, XEP-0172, XEP-0054) against the local Prosody: a picture one person
// uploads from the account dialog is what their contact sees in the roster, on a later sign-in
// too (PEP sends the last one on our caps' +notify); a contact's avatar that is not an image, or
// claims to be huge, leaves the initials and a working client; a nickname names a contact the
// person has not named, but not over a name they chose; and the security corpus as nicknames
// and vCard fields shows as text. Fresh accounts: seeded ones' rosters are counted elsewhere.

function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Publishes `bytes` as `peer`'s avatar data, and metadata saying it weighs `claimed` bytes. */
async function publishAvatar(peer: HostilePeer, bytes: Buffer, claimed: number): Promise<void> {
  const id = sha1(bytes);
  const publish = async (node: string, payload: string) => {
    const iqId = unique('pub').replace(/\W/g, '');
    const reply = await peer.socket.iq(
      iqId,
      `<iq xmlns="jabber:client" type="set" id="${iqId}"><pubsub xmlns="http://jabber.org/protocol/pubsub">` +
        `<publish node="${node}"><item id="${id}">${payload}</item></publish></pubsub></iq>`,
    );
    if (!/type=["']result["']/.test(reply)) throw new Error(`publishing ${node} failed: ${reply}`);
  };
  await publish('urn:xmpp:avatar:data', `<data xmlns="urn:xmpp:avatar:data">${bytes.toString('base64')}</data>`);
  await publish(
    'urn:xmpp:avatar:metadata',
    `<metadata xmlns="urn:xmpp:avatar:metadata"><info id="${id}" bytes="${claimed}" type="image/png" width="64" height="64"/></metadata>`,
  );
}

function refusal(page: Page, reason: string) {
  return page.waitForEvent('console', {
    predicate: (msg) => msg.text().includes('is not shown') && msg.text().includes(reason),
    timeout: 15_000,
  });
}

test('a picture bob uploads is the face alice sees, decoded, square, and again on her next sign-in', async ({ page, openPage }) => {
  const reader = await freshAccount('face');
  const painter = await freshAccount('painter');
  const [a, b] = [await HostilePeer.login(reader.user, reader.password), await HostilePeer.login(painter.user, painter.password)];
  await makeContacts(a, b);
  a.socket.close();
  b.socket.close();

  await login(page, reader.jid, reader.password);
  const other = await openPage();
  await login(other, painter.jid, painter.password);
  const face = rosterItem(page, painter.jid).locator(tid('avatar'));
  await expect(face).toHaveAttribute('data-loaded', 'false');
  await expect(face).toHaveText(/^\p{Lu}/u);

  // A real picture, wider than tall: a screenshot of the page.
  const picture = await other.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
  await other.locator(tid('account-open')).click();
  const dialog = other.locator(tid('account-dialog'));
  await dialog.locator(tid('avatar-upload')).setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: picture });
  await expect(dialog.locator(tid('avatar-upload-status'))).toHaveAttribute('data-state', 'done');
  await expect(dialog.locator(tid('avatar'))).toHaveAttribute('data-loaded', 'true');

  await expect(face).toHaveAttribute('data-loaded', 'true');
  const size = await face.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(size).toEqual([128, 128]);
  expect(await face.locator('img').getAttribute('src')).toMatch(/^blob:/);

  // Another sign-in of hers learns it from the server's last item, unasked.
  const later = await openPage();
  await login(later, reader.jid, reader.password);
  await expect(rosterItem(later, painter.jid).locator(tid('avatar'))).toHaveAttribute('data-loaded', 'true');
});

test('a remembered device shows contacts\' faces after a reload, before it is online', async ({ page, problems }) => {
  const reader = await freshAccount('kept');
  const painter = await freshAccount('keptface');
  const [a, b] = [await HostilePeer.login(reader.user, reader.password), await HostilePeer.login(painter.user, painter.password)];
  await makeContacts(a, b);
  a.socket.close();
  await openLogin(page);
  const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 64, height: 64 } });
  await publishAvatar(b, picture, picture.length);
  b.socket.close();

  const relay = await Relay.start(PROSODY_WSS_PORT);
  try {
    await page.locator(`details:has(${tid('login-ws-url')}) > summary`).click();
    await page.locator(tid('login-ws-url')).fill(relay.url);
    await page.locator(tid('login-remember')).check();
    await fillLogin(page, reader.jid, reader.password);
    const face = rosterItem(page, painter.jid).locator(tid('avatar'));
    await expect(face).toHaveAttribute('data-loaded', 'true');
    // Kept on the device as its bytes, by account and contact; and the account itself, signed
    // in, written a moment after the login.
    await expect.poll(() => facesKept(page)).toBe(1);
    await expect.poll(async () => JSON.stringify(await record(page, reader.jid)), { timeout: 10_000 }).toContain('salted_password');

    relay.cut();
    await page.reload();
    await expect(page.locator(tid('app-shell'))).toBeVisible();
    await expect(page.locator(tid('connection-status'))).not.toHaveAttribute('data-state', 'online');
    await expect(face).toHaveAttribute('data-loaded', 'true');
    expect(await face.locator('img').getAttribute('src')).toMatch(/^blob:/);
    const size = await face.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    expect(size).toEqual([64, 64]);
  } finally {
    await relay.close();
    ignoreRelayErrors(problems, relay);
  }
});

test('an avatar that is not an image, or claims 50 MB, is refused: the initials stay and the client works', async ({ page }) => {
  const reader = await freshAccount('victim');
  const mallory = await freshAccount('mallory');
  const a = await HostilePeer.login(reader.user, reader.password);
  const m = await HostilePeer.login(mallory.user, mallory.password);
  await makeContacts(a, m);
  a.socket.close();
  // Markup dressed as an avatar, hashed correctly so only the content check can stop it.
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="64" height="64"/></svg>`);
  await publishAvatar(m, svg, svg.length);

  const notAnImage = refusal(page, 'not an image');
  await login(page, reader.jid, reader.password);
  await notAnImage;
  const face = rosterItem(page, mallory.jid).locator(tid('avatar'));
  await expect(face).toHaveAttribute('data-loaded', 'false');
  await expect(face.locator('img')).toHaveCount(0);
  await expect(face).toHaveText(/^\p{Lu}/u);

  const tooLarge = refusal(page, 'too large');
  await publishAvatar(m, Buffer.from('small bytes, large claim'), 50 * 1024 * 1024);
  await tooLarge;
  await expect(face).toHaveAttribute('data-loaded', 'false');

  // The tab still works: a message from the same contact shows.
  const hello = unique('still here');
  m.chat(reader.jid, hello);
  const view = await openChatFromList(page, mallory.jid);
  await expect(bodiesWithText(view, hello, 'in')).toHaveCount(1);
  await expect(chatView(page, mallory.jid).locator(tid('avatar'))).toHaveAttribute('data-loaded', 'false');
  m.socket.close();
});

test('a nickname bob sets names him for alice, who has not named him, but not over a name she gave him', async ({ page, openPage }) => {
  const reader = await freshAccount('namer');
  const named = await freshAccount('nicked');
  const [a, b] = [await HostilePeer.login(reader.user, reader.password), await HostilePeer.login(named.user, named.password)];
  await makeContacts(a, b);
  a.socket.close();
  b.socket.close();
  await login(page, reader.jid, reader.password);
  const name = rosterItem(page, named.jid).locator(tid('roster-item-name'));
  await expect(name).toHaveText(named.jid);

  const other = await openPage();
  await login(other, named.jid, named.password);
  await other.locator(tid('account-open')).click();
  const dialog = other.locator(tid('account-dialog'));
  await dialog.locator(tid('nickname')).fill('  Bobby Tables  ');
  await dialog.locator(tid('nickname-submit')).click();
  await expect(dialog.locator(tid('nickname-status'))).toHaveAttribute('data-state', 'done');
  await expect(name).toHaveText('Bobby Tables');
  // The filter finds him by it.
  await page.locator(tid('roster-filter')).fill('tables');
  await expect(page.locator(tid('roster-item'))).toHaveCount(1);
  await page.locator(tid('roster-filter')).fill('');

  // A name she gives him wins.
  const view = await openChatFromRoster(page, named.jid);
  await view.locator(tid('roster-rename')).click();
  await view.locator(tid('roster-rename-input')).fill('My neighbour');
  await view.locator(tid('roster-rename-submit')).click();
  await expect(name).toHaveText('My neighbour');
  await view.locator(tid('contact-details-open')).click();
  await expect(page.locator(tid('contact-nick'))).toHaveText('Bobby Tables');

  // His own dialog shows what the server keeps, on his next sign-in too.
  await dialog.locator(tid('account-close')).click();
  await logout(other);
  await login(other, named.jid, named.password);
  await other.locator(tid('account-open')).click();
  await expect(other.locator(tid('nickname'))).toHaveValue('Bobby Tables');
});

test('the details bob writes about himself are what alice reads in his details, and his form keeps them', async ({ page, openPage }) => {
  const reader = await freshAccount('vcreader');
  const writer = await freshAccount('vcwriter');
  const [a, b] = [await HostilePeer.login(reader.user, reader.password), await HostilePeer.login(writer.user, writer.password)];
  await makeContacts(a, b);
  // Something another client stored, which the form does not edit: it must survive.
  await setVCard(b, '<NICKNAME>kept</NICKNAME><TITLE>Old title</TITLE>');
  a.socket.close();
  b.socket.close();

  const other = await openPage();
  await login(other, writer.jid, writer.password);
  await other.locator(tid('account-open')).click();
  const form = other.locator(tid('own-vcard'));
  const field = (name: string) => form.locator(`${tid('own-vcard-field')}[data-field="${name}"]`);
  await expect(field('title')).toHaveValue('Old title');
  await field('fn').fill('Bob <Builder>');
  await field('email').fill('bob@example.org');
  await field('locality').fill('Lyon');
  await field('title').fill('');
  await form.locator(tid('own-vcard-submit')).click();
  await expect(form.locator(tid('own-vcard-status'))).toHaveAttribute('data-state', 'done');

  await login(page, reader.jid, reader.password);
  const view = await openChatFromRoster(page, writer.jid);
  await view.locator(tid('contact-details-open')).click();
  const card = page.locator(tid('contact-vcard'));
  await expect(card).toHaveAttribute('data-state', 'loaded');
  const shown = (name: string) => card.locator(`${tid('contact-vcard-field')}[data-field="${name}"]`);
  await expect(shown('fn')).toHaveText('Bob <Builder>');
  await expect(shown('email')).toHaveText('bob@example.org');
  await expect(shown('locality')).toHaveText('Lyon');
  await expect(shown('nickname')).toHaveText('kept');
  await expect(shown('title')).toHaveCount(0);

  // His next sign-in reads what the server keeps.
  await other.locator(tid('account-close')).click();
  await logout(other);
  await login(other, writer.jid, writer.password);
  await other.locator(tid('account-open')).click();
  await expect(field('fn')).toHaveValue('Bob <Builder>');
  await expect(field('locality')).toHaveValue('Lyon');
});

test('a contact who published a vCard4 (XEP-0292) only shows its fields in their details', async ({ page }) => {
  const reader = await freshAccount('v4reader');
  const writer = await freshAccount('v4writer');
  const [a, b] = [await HostilePeer.login(reader.user, reader.password), await HostilePeer.login(writer.user, writer.password)];
  await makeContacts(a, b);
  a.socket.close();
  const iqId = unique('v4').replace(/\W/g, '');
  const reply = await b.socket.iq(
    iqId,
    `<iq xmlns="jabber:client" type="set" id="${iqId}"><pubsub xmlns="http://jabber.org/protocol/pubsub">` +
      `<publish node="urn:xmpp:vcard4"><item id="current"><vcard xmlns="urn:ietf:params:xml:ns:vcard-4.0">` +
      `<fn><text>Vera Four</text></fn><note><text>Only in vCard4</text></note>` +
      `</vcard></item></publish></pubsub></iq>`,
  );
  expect(reply).toMatch(/type=["']result["']/);
  b.socket.close();

  await login(page, reader.jid, reader.password);
  const view = await openChatFromRoster(page, writer.jid);
  await view.locator(tid('contact-details-open')).click();
  const card = page.locator(tid('contact-vcard'));
  await expect(card).toHaveAttribute('data-state', 'loaded');
  await expect(card.locator(`${tid('contact-vcard-field')}[data-field="fn"]`)).toHaveText('Vera Four');
  await expect(card.locator(`${tid('contact-vcard-field')}[data-field="desc"]`)).toHaveText('Only in vCard4');
});

/** What the core keeps of untrusted text: trimmed of Unicode white space, cut to `max` characters. */
function kept(s: string, max: number): string {
  const trimmed = s.replace(/\r\n?/g, '\n').replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
  return asText([...trimmed].slice(0, max).join(''));
}

async function setVCard(peer: HostilePeer, inner: string): Promise<void> {
  const iqId = unique('vc').replace(/\W/g, '');
  const reply = await peer.socket.iq(iqId, `<iq xmlns="jabber:client" type="set" id="${iqId}"><vCard xmlns="vcard-temp">${inner}</vCard></iq>`);
  if (!/type=["']result["']/.test(reply)) throw new Error(`vCard refused: ${reply}`);
}

test('the corpus as nicknames and as vCard fields shows as text, and nothing runs', async ({ page }) => {
  test.setTimeout(180_000);
  const reader = await freshAccount('reader');
  const mallory = await freshAccount('mallory');
  const a = await HostilePeer.login(reader.user, reader.password);
  const m = await HostilePeer.login(mallory.user, mallory.password);
  await makeContacts(a, m);
  a.socket.close();
  await login(page, reader.jid, reader.password);
  const name = rosterItem(page, mallory.jid).locator(tid('roster-item-name'));
  const strings = sendableCorpus().filter((s) => kept(s, 64) !== '');

  for (const s of strings) {
    const iqId = unique('nick').replace(/\W/g, '');
    m.socket.send(
      `<iq xmlns="jabber:client" type="set" id="${iqId}"><pubsub xmlns="http://jabber.org/protocol/pubsub">` +
        `<publish node="http://jabber.org/protocol/nick"><item><nick xmlns="http://jabber.org/protocol/nick">${esc(s)}</nick></item></publish></pubsub></iq>`,
    );
    await expect.poll(() => name.evaluate((el) => el.textContent), { message: JSON.stringify(s) }).toBe(kept(s, 64));
    expect(await name.locator(INJECTED).count()).toBe(0);
  }

  const view = await openChatFromRoster(page, mallory.jid);
  const toggle = view.locator(tid('contact-details-open'));
  for (let i = 0; i < strings.length; i += 20) {
    const batch = strings.slice(i, i + 20);
    await setVCard(m, batch.map((s) => `<EMAIL><INTERNET/><USERID>${esc(s)}</USERID></EMAIL>`).join(''));
    await toggle.click();
    const card = page.locator(tid('contact-vcard'));
    await expect(card).toHaveAttribute('data-state', 'loaded');
    const shown = await card.locator(`${tid('contact-vcard-field')}[data-field="email"]`).evaluateAll((els) => els.map((e) => e.textContent));
    expect(shown).toEqual(batch.map((s) => kept(s, 1000)));
    expect(await card.locator(INJECTED).count()).toBe(0);
    await toggle.click();
  }
  await expectNothingRan(page);
  m.socket.close();
});
