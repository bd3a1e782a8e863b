import { test, expect } from '../lib/fixtures';
import { expectOnline, fillLogin, openLogin, tid, users } from '../lib/app';

test('a wrong password shows an error and the form stays usable', async ({ page }) => {
  await openLogin(page);
  await fillLogin(page, users.dave.jid, 'not-the-password');

  const error = page.locator(tid('login-error'));
  await expect(error).toBeVisible();
  await expect(error).not.toHaveText(/^\s*$/);
  await expect(page.locator(tid('app-shell'))).toHaveCount(0);
  await expect(page.locator(tid('login-submit'))).toBeEnabled();

  await fillLogin(page, users.dave.jid, users.dave.password);
  await expectOnline(page);
  // dave is a clean account: no contacts.
  await expect(page.locator(tid('roster'))).toHaveAttribute('data-count', '0');
});
