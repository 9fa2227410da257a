import { test, expect } from '@playwright/test';
import { login, watchConsole } from './helpers';

test('admin edits business calendars and policies, and reads compliance', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'admin', '/admin/sla');
  await expect(page.locator('#policies tr[data-policy="Critical incidents"]')).toContainText('24×7');

  const form = page.locator('#calendar-form-new');
  const name = `Support ${info.project.name} ${Date.now().toString(36)}`;
  await form.getByLabel('Calendar name').fill(name);
  await form.getByLabel('Time zone').fill('Mars/Olympus');
  await form.getByLabel('Tuesday').fill('18:00-09:00');
  await form.getByRole('button', { name: 'Add calendar' }).click();
  await expect(page.locator('#calendar-form-new .field-error[data-field="hours_tue"]')).toContainText('must end after it starts');

  // Without JavaScript the page reloads after a refusal, so fill the whole form again.
  await page.locator('#calendar-form-new').getByLabel('Calendar name').fill(name);
  await page.locator('#calendar-form-new').getByLabel('Time zone').fill('America/New_York');
  await page.locator('#calendar-form-new').getByLabel('Tuesday').fill('08:00-12:00, 13:00-17:00');
  await page.locator('#calendar-form-new').getByLabel('Holidays (YYYY-MM-DD or yearly MM-DD)').fill('07-04, 2026-11-26');
  await page.locator('#calendar-form-new').getByRole('button', { name: 'Add calendar' }).click();
  await expect(page.locator('h3', { hasText: name })).toBeVisible();

  const policy = `Policy ${info.project.name} ${Date.now().toString(36)}`;
  const pf = page.locator('#policy-form');
  await pf.getByLabel('Policy name').fill(policy);
  await pf.getByLabel('First response (min)').fill('0');
  await pf.getByLabel('Resolution (min)').fill('600');
  await pf.getByRole('button', { name: 'Add policy' }).click();
  await expect(pf.locator('.field-error[data-field="response_minutes"]')).toContainText('from 1 to 525600');
  await page.locator('#policy-form').getByLabel('Policy name').fill(policy);
  await page.locator('#policy-form').getByLabel('First response (min)').fill('45');
  await page.locator('#policy-form').getByLabel('Resolution (min)').fill('600');
  await page.locator('#policy-form').getByLabel('Assignment group').selectOption({ label: 'Network Operations' });
  await page.locator('#policy-form').getByLabel('Requester organisation').selectOption({ label: 'Contoso Retail' });
  await expect(page.locator('#policy-form').getByLabel('Category')).toContainText('Any');
  await page.locator('#policy-form').getByRole('button', { name: 'Add policy' }).click();
  const row = page.locator(`#policies tr[data-policy="${policy}"]`);
  await expect(row).toContainText('45 min');
  await expect(row).toContainText('Network Operations');
  await expect(row).toContainText('Contoso Retail');

  await expect(page.locator('#compliance')).toContainText('Standard');
  expect(errors).toEqual([]);
});
