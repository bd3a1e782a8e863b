import type { Page } from '@playwright/test';
import { test, expect } from '../lib/fixtures';
import { bodiesWithText, expectOnline, fillLogin, login, logout, openChatFromList, openLogin, rosterItem, send, tid, unique } from '../lib/app';
import { registerAccount } from '../lib/xmpp';

// The account itself (XEP-0077) against the local Prosody: created from the login page, its
// password changed, and deleted, each checked the way a person would: by signing in afterwards.

function fresh(label: string): { user: string; jid: string } {
  const user = `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  return { user, jid: `${user}@localhost` };
}

async function openRegistration(page: Page): Promise<void> {
  await openLogin(page);
  await page.locator(tid('register-open')).click();
  await expect(page.locator(tid('register-form'))).toBeVisible();
  await expect(page.locator(tid('login-form'))).toBeHidden();
}

async function submitRegistration(page: Page, user: string, password: string): Promise<void> {
  await page.locator(tid('register-jid')).fill(user);
  await page.locator(tid('register-password')).fill(password);
  await page.locator(tid('register-submit')).click();
}

async function openAccount(page: Page): Promise<void> {
  await page.locator(tid('account-open')).click();
  await expect(page.locator(tid('account-dialog'))).toBeVisible();
}

test('an account created from the login page signs in at once, chats, and signs in again later', async ({ page, openPage }) => {
  const account = fresh('new');
  await openRegistration(page);
  // The test server offers registration: the form is the whole flow, a user name alone completes
  // to the configured domain.
  await submitRegistration(page, account.user, 'first secret');
  await expectOnline(page);
  await expect(page.locator('.topbar .own-jid')).toHaveText(account.jid);
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '0');

  // It is a real account: another new account (not a seeded one, whose roster other tests
  // count) accepts it as a contact and they talk.
  const peer = fresh('peer');
  await registerAccount(peer.user, 'peer-pw');
  const other = await openPage();
  await login(other, peer.jid, 'peer-pw');
  await page.locator(tid('roster-add')).click();
  await page.locator(tid('roster-add-jid')).fill(peer.jid);
  await page.locator(tid('roster-add-submit')).click();
  const request = other.locator(tid('subscription-request', { jid: account.jid }));
  await request.locator(tid('subscription-approve')).click();
  await expect(rosterItem(page, peer.jid)).toHaveAttribute('data-subscription', 'both');
  const hello = unique('hello from a brand-new account');
  await send(page.locator(tid('chat-view', { jid: peer.jid })), hello);
  const view = await openChatFromList(other, account.jid);
  await expect(bodiesWithText(view, hello, 'in')).toHaveCount(1);

  await logout(page);
  await fillLogin(page, account.jid, 'first secret');
  await expectOnline(page);
  await expect(rosterItem(page, peer.jid)).toHaveCount(1);
});

test('a taken user name or an empty password is refused in the form, which stays filled', async ({ page }) => {
  await openRegistration(page);
  await submitRegistration(page, 'alice', 'anything');
  const error = page.locator(tid('register-error'));
  await expect(error).toHaveAttribute('data-reason', 'register-taken');
  await expect(error).toBeVisible();
  await expect(page.locator(tid('register-jid'))).toHaveValue('alice');
  await expect(page.locator(tid('register-submit'))).toBeEnabled();

  await page.locator(tid('register-password')).fill('');
  await page.locator(tid('register-submit')).click();
  await expect(error).toHaveAttribute('data-reason', 'password-missing');

  // Back to signing in, and the error goes with the form.
  await page.locator(tid('register-back')).click();
  await expect(page.locator(tid('login-form'))).toBeVisible();
  await expect(page.locator(tid('login-error'))).toHaveCount(0);
});

test('a server that asks for more fields shows them with the required ones marked, and the account it makes signs in', async ({ page }) => {
  // forms.localhost, on the same Prosody, asks for an email (required) and a name (optional)
  // through a data form.
  await page.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...served, default_domain: 'forms.localhost' }) });
  });
  const { user } = fresh('form');
  await openRegistration(page);
  // Asked for with the name and password: the server's own fields come back on that connection.
  await submitRegistration(page, user, 'form secret');
  const fields = page.locator(tid('register-fields'));
  const email = fields.locator(tid('register-field', { var: 'email' }));
  const name = fields.locator(tid('register-field', { var: 'name' }));
  await expect(email).toBeVisible();
  await expect(name).toBeVisible();
  await expect(email.locator('input')).toHaveAttribute('required', '');
  await expect(name.locator('input')).not.toHaveAttribute('required', '');
  await expect(email).toContainText('required');

  // The required one left empty: asked for by name, nothing sent, the field focused.
  await name.locator('input').fill('Form Person');
  await page.locator(tid('register-submit')).click();
  const error = page.locator(tid('register-error'));
  await expect(error).toHaveAttribute('data-reason', 'register-field-missing');
  await expect(error).toContainText('Fill in the required field: Email');
  await expect(email.locator('input')).toBeFocused();

  await email.locator('input').fill(`${user}@mail.example`);
  await page.locator(tid('register-submit')).click();
  await expectOnline(page);
  await expect(page.locator('.topbar .own-jid')).toHaveText(`${user}@forms.localhost`);
});

test('a server that does not create accounts shows no way to create one', async ({ page }) => {
  // guest.localhost is served by the same Prosody with registration off.
  await page.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ...served, default_domain: 'guest.localhost' }) });
  });
  // Listening for the close as soon as the socket shows: it can close while openLogin waits.
  const asked = page
    .waitForEvent('websocket')
    .then((ws) => (ws.isClosed() ? undefined : ws.waitForEvent('close')));
  await openLogin(page);
  // The page asked that server (one short connection) and hides the link.
  await asked;
  await expect(page.locator(tid('register-open'))).toHaveCount(0);
  await page.unroute('**/config.json');
  await page.reload();
  await expect(page.locator(tid('register-open'))).toBeVisible();
});

test('a changed password is the one that signs in; the old one is refused', async ({ page }) => {
  const account = fresh('pw');
  await registerAccount(account.user, 'old-password');
  await login(page, account.jid, 'old-password');
  await openAccount(page);
  await page.locator(tid('password-new')).fill('new-password');
  await page.locator(tid('password-change-submit')).click();
  await expect(page.locator(tid('password-change-status'))).toHaveAttribute('data-state', 'done');
  await expect(page.locator(tid('password-new'))).toHaveValue('');
  await page.locator(tid('account-close')).click();
  await expect(page.locator(tid('account-dialog'))).toBeHidden();

  await logout(page);
  await fillLogin(page, account.jid, 'old-password');
  await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'wrong-credentials');
  await fillLogin(page, account.jid, 'new-password');
  await expectOnline(page);
});

test('deleting the account asks first, naming it, then the account is gone', async ({ page }) => {
  const account = fresh('del');
  await registerAccount(account.user, 'del-pw');
  await login(page, account.jid, 'del-pw');
  await openAccount(page);
  await page.locator(tid('account-delete')).click();
  const confirm = page.locator(tid('account-delete-confirm'));
  await expect(confirm).toContainText(account.jid);
  // Cancelling changes nothing.
  await page.locator(tid('account-delete-cancel')).click();
  await expect(confirm).toHaveCount(0);
  await page.locator(tid('account-delete')).click();
  await confirm.click();

  await expect(page.locator(tid('login-form'))).toBeVisible();
  await expect(page.locator(tid('account-deleted'))).toBeVisible();
  await fillLogin(page, account.jid, 'del-pw');
  await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'wrong-credentials');
  await expect(page.locator(tid('account-deleted'))).toHaveCount(0);
});
