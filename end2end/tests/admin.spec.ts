import { test, expect } from '@playwright/test';
import { login, watchConsole } from './helpers';

test('admin sees users and groups and creates a user', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'admin', '/admin');
  await expect(page.locator('#users tbody tr[data-username="agent"]')).toContainText('Service Desk');
  await expect(page.locator('#groups')).toContainText('Network Operations');

  await page.locator('#create-user').getByLabel('Username').fill('x');
  await page.locator('#create-user').getByLabel('E-mail').fill('not-an-address');
  await page.locator('#create-user').getByLabel('Initial password').fill('short');
  await page.locator('#create-user').getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator('.field-error[data-field="username"]')).toContainText('at least 3');
  await expect(page.locator('.field-error[data-field="email"]')).toContainText('is not an e-mail address');
  await expect(page.locator('.field-error[data-field="password"]')).toContainText('at least 8');

  const username = `e2e${info.project.name.replace(/\W/g, '')}${Date.now().toString(36)}`;
  await page.locator('#create-user').getByLabel('Username').fill(username);
  await page.locator('#create-user').getByLabel('Name', { exact: true }).fill('E2E Agent');
  await page.locator('#create-user').getByLabel('E-mail').fill(`${username}@example.com`);
  await page.locator('#create-user').getByLabel('Role').selectOption('agent');
  await page.locator('#create-user').getByLabel('Organisation').selectOption({ label: 'Contoso Retail' });
  await page.locator('#create-user').getByLabel('Initial password').fill('long enough password');
  await page.locator('#create-user').getByRole('button', { name: 'Create user' }).click();
  await expect(page.locator(`#users tbody tr[data-username="${username}"]`)).toContainText('Agent');
  await expect(page.locator(`#users tbody tr[data-username="${username}"]`)).toContainText('Contoso Retail');
  expect(errors).toEqual([]);
});

test('admin creates an organisation and places a user in it', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'admin', '/admin');
  await expect(page.locator('#organisations tr[data-organisation="Contoso Retail"]')).toBeVisible();
  await expect(page.locator('#users tbody tr[data-username="requester"]')).toContainText('Contoso Retail');

  const form = page.locator('#organisation-form');
  await form.getByLabel('Organisation name').fill('contoso retail');
  await form.getByRole('button', { name: 'Save organisation' }).click();
  await expect(page.locator('#organisation-form .field-error[data-field="name"]')).toContainText('already exists');

  const name = `Org ${info.project.name} ${Date.now().toString(36)}`;
  await page.locator('#organisation-form').getByLabel('Organisation name').fill(name);
  await page.locator('#organisation-form').getByRole('button', { name: 'Save organisation' }).click();
  await expect(page.locator(`#organisations tr[data-organisation="${name}"]`)).toContainText('0');

  const member = page.locator('#member-form');
  await member.getByLabel('User').selectOption({ label: 'Jordan Employee (jordan)' });
  await member.getByLabel('Organisation').selectOption({ label: name });
  await member.getByRole('button', { name: 'Place user' }).click();
  await expect(page.locator(`#organisations tr[data-organisation="${name}"]`)).toContainText('1');
  await expect(page.locator('#users tbody tr[data-username="jordan"]')).toContainText(name);
  expect(errors).toEqual([]);
});
