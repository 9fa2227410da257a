import { test, expect, Page, TestInfo } from '@playwright/test';
import { hydrated, login, logout, open, watchConsole } from './helpers';

/** Creates a fresh requester through the admin page (demo users keep their passwords). */
async function newUser(page: Page, info: TestInfo, password: string): Promise<string> {
  const username = `acct${info.project.name.replace(/\W/g, '')}${Date.now().toString(36)}`;
  await login(page, info, 'admin', '/admin');
  const form = page.locator('#create-user');
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Name', { exact: true }).fill(`Account ${username}`);
  await form.getByLabel('E-mail').fill(`${username}@example.com`);
  await form.getByLabel('Role').selectOption('requester');
  await form.getByLabel('Initial password').fill(password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator(`#users tbody tr[data-username="${username}"]`)).toContainText('Active');
  return username;
}

async function signIn(page: Page, info: TestInfo, username: string, password: string) {
  await open(page, info, '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a user changes their own password on the account page', async ({ page }, info) => {
  const errors = watchConsole(page);
  const username = await newUser(page, info, 'first password 1');
  await logout(page);
  await signIn(page, info, username, 'first password 1');
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.getByTestId('current-user').click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  if (hydrated(info)) await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  const form = page.locator('#password-form');
  await form.getByLabel('Current password').fill('not my password');
  await form.getByLabel('New password').fill('second password 2');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.locator('.field-error[data-field="current_password"]')).toHaveText('That is not your current password');

  await form.getByLabel('Current password').fill('first password 1');
  await form.getByLabel('New password').fill('second password 2');
  await form.getByRole('button', { name: 'Change password' }).click();
  if (hydrated(info)) {
    await expect(form.getByRole('status')).toContainText('Password changed');
  } else {
    await expect(page.locator('#password-form .field-error')).toHaveCount(0);
  }
  await logout(page);
  await signIn(page, info, username, 'first password 1');
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password');
  await signIn(page, info, username, 'second password 2');
  await expect(page.getByTestId('current-user')).toBeVisible();
  expect(errors).toEqual([]);
});

test('an admin deactivates and reactivates a user, who is signed out at once', async ({ page, browser }, info) => {
  const errors = watchConsole(page);
  const username = await newUser(page, info, 'their password 1');

  // The user is signed in elsewhere.
  const other = await browser.newContext({ javaScriptEnabled: hydrated(info) });
  const theirs = await other.newPage();
  await signIn(theirs, info, username, 'their password 1');
  await expect(theirs.getByTestId('current-user')).toBeVisible();

  await page.locator(`#users tbody tr[data-username="${username}"]`).getByRole('link', { name: username }).click();
  await expect(page.locator('#account-status')).toHaveText('Active');
  if (hydrated(info)) await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.locator('#active-form').getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.locator('#account-status')).toHaveText('Deactivated');

  await theirs.reload();
  await expect(theirs.getByRole('heading', { name: 'Sign in to Oxidesk' })).toBeVisible();
  await signIn(theirs, info, username, 'their password 1');
  await expect(theirs.getByRole('alert')).toHaveText('Wrong username or password');

  await page.locator('#active-form').getByRole('button', { name: 'Reactivate' }).click();
  await expect(page.locator('#account-status')).toHaveText('Active');
  await signIn(theirs, info, username, 'their password 1');
  await expect(theirs.getByTestId('current-user')).toBeVisible();

  // An admin cannot lock themself out.
  await open(page, info, '/admin');
  await page.locator('#users tbody tr[data-username="admin"]').getByRole('link', { name: 'admin' }).click();
  await page.locator('#active-form').getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.locator('#active-form .field-error[data-field="active"]')).toHaveText('You cannot deactivate your own account');
  await other.close();
  expect(errors).toEqual([]);
});
