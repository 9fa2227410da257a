import { test, expect } from '@playwright/test';
import { login, logout, open, unique, watchConsole } from './helpers';

test('agent assigns, replies, notes and resolves a ticket', async ({ page }, info) => {
  const errors = watchConsole(page);
  const title = unique('Shared drive S: not mapped');
  await login(page, info, 'requester', '/portal');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Submit incident' }).click();
  const number = (await page.locator('#my-tickets tbody tr', { hasText: title }).locator('td').first().textContent())!.trim();
  await logout(page);

  await login(page, info, 'agent', '/console');
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  const row = page.locator('#queue tbody tr', { hasText: title });
  await expect(row.locator('td').nth(5)).toHaveText('—');
  await row.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();

  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByTestId('assignee')).toHaveText('Alex Agent');
  await expect(page.locator('.meta [data-state="in_progress"]')).toBeVisible();

  await page.getByLabel('Reply or note').fill('Re-mapping your drive now.');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.locator('.comment', { hasText: 'Re-mapping your drive now.' })).toHaveCount(1);

  await page.getByLabel('Reply or note').fill('GPO drive map was missing the new OU.');
  await page.getByLabel('Internal note').check();
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.locator('.comment.internal', { hasText: 'GPO drive map' })).toHaveCount(1);

  // Resolving without a code is refused next to the field.
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.locator('.field-error[data-field="resolution_code"]')).toHaveText('Resolution code is required');
  await page.getByLabel('Resolution code').selectOption('solved_permanently');
  await page.getByLabel('Resolution note').fill('Added the OU to the drive-map GPO.');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.locator('.meta [data-state="resolved"]')).toBeVisible();
  await expect(page.locator('.audit')).toContainText('changed state: in_progress → resolved');
  await logout(page);

  // The requester sees the reply and resolution, never the internal note.
  await login(page, info, 'requester', `/portal/tickets/${number}`);
  await expect(page.getByText('Re-mapping your drive now.')).toBeVisible();
  await expect(page.getByText('Added the OU to the drive-map GPO.')).toBeVisible();
  await expect(page.getByText('GPO drive map was missing')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('requester is kept out of the console', async ({ page }, info) => {
  await login(page, info, 'requester', '/console');
  await expect(page.getByRole('alert')).toHaveText('You are not allowed to see this page.');
  await expect(page.locator('#queue')).toHaveCount(0);
});

test('strangers are sent to sign in and come back after', async ({ page }, info) => {
  await open(page, info, '/console');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Username').fill('agent');
  await page.getByLabel('Password').fill('oxidesk-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
});
