import { test, expect } from '@playwright/test';
import { login, open, unique, watchConsole } from './helpers';

test('requester submits an incident and sees it in My tickets', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'requester', '/portal');
  await expect(page.getByRole('heading', { name: 'Service portal' })).toBeVisible();

  // Bad input: empty title gets a message next to the field and creates nothing.
  const rowsBefore = await page.locator('#my-tickets tbody tr').count();
  await page.getByRole('button', { name: 'Submit incident' }).click();
  await expect(page.locator('.field-error[data-field="title"]')).toHaveText('Title is required');
  await expect(page.locator('#my-tickets tbody tr')).toHaveCount(rowsBefore);

  const title = unique('Projector in room 4 has no signal');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('HDMI and USB-C both tried.');
  await page.getByLabel('Impact').selectOption('low');
  await page.getByLabel('Urgency').selectOption('high');
  await page.getByRole('button', { name: 'Submit incident' }).click();

  const row = page.locator('#my-tickets tbody tr', { hasText: title });
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').first()).toHaveText(/^INC-\d{6}$/);
  await expect(row.locator('[data-state="new"]')).toHaveText('New');
  await expect(row).toContainText('3 - Moderate');
  await expect(page.locator('.field-error')).toHaveCount(0);

  // Following the ticket shows its details.
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  expect(errors).toEqual([]);
});

test('wrong password is refused with a clear message', async ({ page }, info) => {
  await open(page, info, '/login');
  await page.getByLabel('Username').fill('requester');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password');
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});

test('requester cannot open another requester\'s ticket', async ({ page }, info) => {
  await login(page, info, 'requester', '/portal');
  // INC-000003 belongs to Jordan in the demo data.
  await open(page, info, '/portal/tickets/INC-000003');
  await expect(page.getByRole('alert')).toHaveText('Ticket not found');
  await expect(page.getByText('Laptop screen flickers')).toHaveCount(0);
});
