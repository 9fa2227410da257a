import { test, expect } from '@playwright/test';
import { login, watchConsole } from './helpers';

test('admin sees users and groups and creates a user', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'admin', '/admin');
  await expect(page.locator('#users tbody tr[data-username="agent"]')).toContainText('Service Desk');
  await expect(page.locator('#groups')).toContainText('Network Operations');

  await page.getByLabel('Username').fill('x');
  await page.getByLabel('E-mail').fill('not-an-address');
  await page.getByLabel('Initial password').fill('short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('.field-error[data-field="username"]')).toContainText('at least 3');
  await expect(page.locator('.field-error[data-field="email"]')).toContainText('is not an e-mail address');
  await expect(page.locator('.field-error[data-field="password"]')).toContainText('at least 8');

  const username = `e2e${info.project.name.replace(/\W/g, '')}${Date.now().toString(36)}`;
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Name', { exact: true }).fill('E2E Agent');
  await page.getByLabel('E-mail').fill(`${username}@example.com`);
  await page.getByLabel('Role').selectOption('agent');
  await page.getByLabel('Initial password').fill('long enough password');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator(`#users tbody tr[data-username="${username}"]`)).toContainText('Agent');
  expect(errors).toEqual([]);
});
