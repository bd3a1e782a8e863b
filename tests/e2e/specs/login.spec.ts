import { test, expect } from '../lib/fixtures';
import { expectOnline, fillLogin, logout, openLogin, tid, users } from '../lib/app';

test('a wrong password shows an error and the form stays usable', async ({ page }) => {
  await openLogin(page);
  await fillLogin(page, users.dave.jid, 'not-the-password');

  const error = page.locator(tid('login-error'));
  await expect(error).toHaveAttribute('data-reason', 'wrong-credentials');
  await expect(error).not.toHaveText(/^\s*$/);
  await expect(page.locator(tid('app-shell'))).toHaveCount(0);
  await expect(page.locator(tid('login-submit'))).toBeEnabled();

  await fillLogin(page, users.dave.jid, users.dave.password);
  await expectOnline(page);
  // dave is a clean account: no contacts.
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '0');
});

test('an address the server does not host, and an invalid one, get their own errors', async ({ page }) => {
  await openLogin(page);
  const error = page.locator(tid('login-error'));

  // The configured endpoint is localhost's: the server ends the stream with host-unknown.
  await fillLogin(page, 'alice@example.org', 'whatever');
  await expect(error).toHaveAttribute('data-reason', 'stream-error');
  // Said in words; the condition is behind the closed disclosure, for whoever needs it.
  await expect(error.locator('p')).toContainText('@');
  await expect(error.locator('p')).not.toContainText('host-unknown');
  const detail = error.locator(tid('error-detail'));
  await expect(detail.locator('code')).toBeHidden();
  await detail.locator('summary').click();
  await expect(detail.locator('code')).toBeVisible();
  await expect(detail.locator('code')).toContainText('host-unknown');

  // Refused before connecting: not an address at all.
  await fillLogin(page, 'a b@@localhost', 'whatever');
  await expect(error).toHaveAttribute('data-reason', 'address-invalid');
  await expect(error).not.toContainText('host-unknown');

  // And the form still logs in.
  await fillLogin(page, users.erin.jid, users.erin.password);
  await expectOnline(page);
});

test('a non-ASCII password goes through SASLprep as the server stored it', async ({ page }) => {
  // The server stored SASLprep("Ёжик<NBSP>в тумане ①") = "Ёжик в тумане 1"; typing the original
  // must log in (the browser applies NFKC, the core maps the space), so must typing the prepared form.
  for (const typed of [users.frank.password, 'Ёжик в тумане 1']) {
    await openLogin(page);
    await fillLogin(page, users.frank.jid, typed);
    await expectOnline(page);
    await logout(page);
  }
  await fillLogin(page, users.frank.jid, 'Ёжик в тумане 2');
  await expect(page.locator(tid('login-error'))).toHaveAttribute('data-reason', 'wrong-credentials');
});
