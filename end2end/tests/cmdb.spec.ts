import { test, expect } from '@playwright/test';
import { login, logout, open, unique, watchConsole } from './helpers';

test('agent names the affected CI on a ticket and sees that CI\'s other tickets', async ({ page }, info) => {
  const errors = watchConsole(page);
  const title = unique('Mail sync broken');
  await login(page, info, 'requester', '/portal');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Raised for the CMDB test.');
  await page.getByRole('button', { name: 'Submit incident' }).click();
  const row = page.locator('#my-tickets tbody tr', { hasText: title });
  await expect(row).toHaveCount(1);
  const number = (await row.locator('td').first().textContent())!.trim();
  await logout(page);

  await login(page, info, 'agent', '/console');
  await open(page, info, `/console/tickets/${number}`);
  await expect(page.getByTestId('ci')).toHaveText('—');

  // An unknown CI is refused beside the field.
  await page.getByLabel('Affected CI').fill('NOPE-404');
  await page.getByRole('button', { name: 'Save CI' }).click();
  await expect(page.locator('#ci-form .field-error')).toHaveText("Unknown configuration item 'NOPE-404'");
  await expect(page.getByTestId('ci')).toHaveText('—');

  // Names are matched ignoring case; the CI's other tickets appear in the context panel.
  await page.getByLabel('Affected CI').fill('vpn-gw-01');
  await page.getByRole('button', { name: 'Save CI' }).click();
  await expect(page.getByTestId('ci')).toHaveText('VPN-GW-01 (Network device)');
  await expect(page.getByTestId('ci-status')).toHaveText('Network device · In service');
  await open(page, info, `/console/tickets/${number}`);
  // The CI's other tickets (the demo's VPN incident among them on a fresh server), not this one.
  await expect(page.locator('#ci-recent li').first()).toBeVisible();
  await expect(page.locator(`#ci-recent li[data-number="${number}"]`)).toHaveCount(0);
  await expect(page.locator('.audit li', { hasText: 'changed ci: — → VPN-GW-01' })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('admin registers and changes a CI; agents find CIs and their tickets', async ({ page }, info) => {
  const errors = watchConsole(page);
  const name = `SAN-${Date.now().toString(36).toUpperCase()}`;
  await login(page, info, 'admin', '/console/cmdb');
  await expect(page.getByRole('heading', { name: 'Configuration items' })).toBeVisible();

  // Refused input is explained beside each field and nothing is registered.
  await page.getByLabel('CI name').fill('x');
  await page.getByRole('button', { name: 'Register CI' }).click();
  await expect(page.locator('#ci-edit-form .field-error[data-field="name"]')).toHaveText('Name must be 2 to 80 characters');
  await expect(page.locator('#ci-edit-form .field-error[data-field="class"]')).toHaveText('Class is required');

  await page.getByLabel('CI name').fill(name);
  await page.getByLabel('CI class').selectOption({ label: 'Storage' });
  await page.getByLabel('CI service').selectOption({ label: 'Email' });
  await page.getByLabel('Support group').selectOption({ label: 'Service Desk' });
  await page.getByLabel('Location').fill('Paris DC, rack D7');
  await page.getByRole('button', { name: 'Register CI' }).click();
  await expect(page.locator(`#cis tr[data-ci="${name}"]`)).toHaveCount(1);
  await open(page, info, `/console/cmdb?q=${name.toLowerCase()}`);
  await expect(page.locator('#cis tbody tr')).toHaveCount(1);
  const row = page.locator(`#cis tr[data-ci="${name}"]`);
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').nth(1)).toHaveText('Storage');
  await expect(row.locator('td').nth(3)).toHaveText('Email');

  // Its page: change the status.
  await row.getByRole('link', { name }).click();
  await expect(page.getByTestId('ci-name')).toHaveText(name);
  if (info.project.name === 'hydrated') await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByTestId('ci-status')).toHaveText('In service');
  await page.getByLabel('CI status').selectOption({ label: 'Maintenance' });
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('ci-status')).toHaveText('Maintenance');
  await expect(page.getByTestId('ci-location')).toHaveText('Paris DC, rack D7');
  await logout(page);

  // Agents search and read, but get no form.
  await login(page, info, 'agent', '/console');
  await page.getByRole('link', { name: 'CMDB' }).click();
  await expect(page.getByRole('heading', { name: 'Configuration items' })).toBeVisible();
  await page.getByLabel('Name').fill('vpn-gw');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.locator('#cis tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('ci-total')).toHaveText('2 configuration items');
  await page.getByRole('link', { name: 'VPN-GW-01' }).click();
  await expect(page.locator('#ci-tickets li', { hasText: 'VPN disconnects every 10 minutes' })).toHaveCount(1);
  await expect(page.locator('#ci-edit-form')).toHaveCount(0);
  expect(errors).toEqual([]);
});
