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
  await expect(page.locator('#ci-recent li', { hasText: 'VPN disconnects every 10 minutes' })).toHaveCount(1);
  await expect(page.locator('.audit li', { hasText: 'changed ci: — → VPN-GW-01' })).toHaveCount(1);
  expect(errors).toEqual([]);
});
