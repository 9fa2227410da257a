import { test, expect } from '@playwright/test';
import { login, open, watchConsole } from './helpers';

test('admin previews a CMDB CSV import, sees each refused row, then applies it', async ({ page }, info) => {
  const errors = watchConsole(page);
  const tag = `${Date.now().toString(36).toUpperCase()}${info.project.name === 'hydrated' ? 'H' : 'N'}`;
  const csv = [
    'name,class,status,service,support_group,location,description',
    `IMP-APP-${tag},application,,Email,Service Desk,Paris DC,Imported`,
    `IMP-DB-${tag},database,maintenance,,,Lyon DC,`,
    `IMP-BAD-${tag},toaster,,,,,`,
  ].join('\n');
  await login(page, info, 'admin', '/admin/cmdb');
  await expect(page.getByRole('heading', { name: 'CMDB import and export' })).toBeVisible();
  await page.getByLabel('CSV file').setInputFiles({ name: 'cis.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Preview import' }).click();
  await expect(page.getByRole('heading', { name: 'Preview: cis.csv' })).toBeVisible();
  await expect(page.getByTestId('import-summary')).toHaveText('3 rows of configuration items: 2 to create, 0 to update, 0 unchanged, 1 refused.');
  const refused = page.locator('#import-errors tr[data-line="4"]');
  await expect(refused.locator('td').nth(1)).toHaveText('class');
  await expect(refused.locator('td').nth(2)).toContainText("Unknown class 'toaster'");
  await expect(page.locator('#import-rows tbody tr')).toHaveCount(2);
  // Nothing is written before the admin applies it.
  const preview = new URL(page.url()).pathname;
  await open(page, info, `/console/cmdb?q=imp-app-${tag.toLowerCase()}`);
  await expect(page.locator('#cis tbody tr')).toHaveCount(0);
  await open(page, info, preview);
  await page.getByRole('button', { name: 'Import 2 row(s)' }).click();
  await expect(page.getByRole('heading', { name: 'Imported: cis.csv' })).toBeVisible();
  await expect(page.getByTestId('import-summary')).toHaveText('3 rows of configuration items: 2 created, 0 updated, 0 unchanged, 1 refused.');
  await open(page, info, `/console/cmdb/IMP-DB-${tag}`);
  await expect(page.getByTestId('ci-status')).toHaveText('Maintenance');

  // A file that is not CSV of either kind is explained.
  await open(page, info, '/admin/cmdb');
  await page.getByLabel('CSV file').setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from('foo,bar\n1,2\n') });
  await page.getByRole('button', { name: 'Preview import' }).click();
  await expect(page.locator('#import-errors tr[data-line="1"] td').nth(2)).toContainText('Unknown header');
  expect(errors).toEqual([]);
});
