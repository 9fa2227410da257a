import { test, expect } from '@playwright/test';
import { login, open, watchConsole } from './helpers';

function inDays(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

test('admin records a CI as an asset, moves it through its lifecycle and tracks a licence installed on it', async ({ page }, info) => {
  const errors = watchConsole(page);
  const tag = `${Date.now().toString(36).toUpperCase()}${info.project.name === 'hydrated' ? 'H' : 'N'}`;
  const name = `LAP-${tag}`;
  await login(page, info, 'admin', '/console/cmdb');
  await page.getByLabel('CI name').fill(name);
  await page.getByLabel('CI class').selectOption({ label: 'Workstation' });
  await page.getByLabel('Support group').selectOption({ label: 'Service Desk' });
  await page.getByRole('button', { name: 'Register CI' }).click();
  await expect(page.locator(`#cis tr[data-ci="${name}"]`)).toHaveCount(1);
  await open(page, info, `/console/cmdb/${name}`);
  await expect(page.locator('#asset .empty').first()).toHaveText('No asset record.');

  // Refused input is explained beside its field and nothing is recorded.
  await page.getByLabel('Lifecycle stage').selectOption({ label: 'In stock' });
  await page.getByLabel('Cost').fill('12.345');
  await page.getByLabel('Owner (email)').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Record asset' }).click();
  await expect(page.locator('#asset-form .field-error[data-field="cost"]')).toHaveText("'12.345' is not an amount like 1299.50");
  await open(page, info, `/console/cmdb/${name}`);
  await expect(page.locator('#asset .empty').first()).toHaveText('No asset record.');

  await page.getByLabel('Lifecycle stage').selectOption({ label: 'In stock' });
  await page.getByLabel('Asset tag').fill(`AT-${tag}`);
  await page.getByLabel('Owner (email)').fill('jordan@example.com');
  await page.getByLabel('Vendor').fill('Lenovo');
  await page.getByLabel('Cost').fill('1299.5');
  await page.getByLabel('Warranty end').fill(inDays(20));
  await page.getByRole('button', { name: 'Record asset' }).click();
  await expect(page.getByTestId('asset-lifecycle')).toHaveText('In stock');
  await expect(page.getByTestId('asset-owner')).toHaveText('Jordan Employee');
  await expect(page.getByTestId('asset-warranty')).toHaveText(`${inDays(20)} (in 20 days)`);
  await expect(page.getByTestId('ci-status')).toHaveText('Planned');

  // Only the stages it may move to are offered; deploying it puts the CI in service.
  await page.locator('#asset summary').click();
  await expect(page.locator('#asset-form select[name="lifecycle"] option')).toHaveText(['In stock', 'Deployed', 'In repair', 'Retired']);
  await page.getByLabel('Lifecycle stage').selectOption({ label: 'Deployed' });
  await page.getByRole('button', { name: 'Save asset' }).click();
  await expect(page.getByTestId('asset-lifecycle')).toHaveText('Deployed');
  await expect(page.getByTestId('ci-status')).toHaveText('In service');

  // A licence with one seat, installed on this CI and on another: over-used.
  await open(page, info, '/admin/licences');
  await expect(page.getByRole('heading', { name: 'Assets and licences' })).toBeVisible();
  await expect(page.locator(`#expiring-assets tr[data-ci="${name}"]`)).toHaveCount(1);
  const product = `Visio ${tag}`;
  await page.getByLabel('Product').fill(product);
  await page.getByLabel('Seats').fill('1');
  await page.getByLabel('Expires on').fill(inDays(45));
  await page.getByRole('button', { name: 'Record licence' }).click();
  await page.locator('#licences').getByRole('link', { name: product }).click();
  await expect(page.getByTestId('licence-product')).toHaveText(product);
  if (info.project.name === 'hydrated') await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Installed on (CI name)').fill('NOPE-404');
  await page.getByRole('button', { name: 'Record installation' }).click();
  await expect(page.locator('#installation-form .field-error[data-field="ci"]')).toHaveText("Unknown configuration item 'NOPE-404'");
  await page.getByLabel('Installed on (CI name)').fill(name.toLowerCase());
  await page.getByRole('button', { name: 'Record installation' }).click();
  await expect(page.locator(`#licence-installations tr[data-ci="${name}"]`)).toHaveCount(1);
  await page.getByLabel('Installed on (CI name)').fill('EXCH-01');
  await page.getByRole('button', { name: 'Record installation' }).click();
  await expect(page.getByTestId('licence-use')).toHaveText('Seats used: 2 of 1 (1 over)');
  await open(page, info, '/admin/licences');
  await expect(page.locator(`#over-used-licences tr[data-product="${product}"] [data-testid="licence-use"]`)).toHaveText('2 of 1 (1 over)');
  await expect(page.locator(`#expiring-licences tr[data-product="${product}"]`)).toHaveCount(1);

  // The CI lists it; removing the installation there takes it off.
  await open(page, info, `/console/cmdb/${name}`);
  await expect(page.locator('#ci-licences li')).toHaveText([product]);
  await page.locator('#ci-licences').getByRole('link', { name: product }).click();
  await page.getByRole('button', { name: `Remove the installation on ${name}` }).click();
  await expect(page.locator(`#licence-installations tr[data-ci="${name}"]`)).toHaveCount(0);
  await expect(page.getByTestId('licence-use')).toHaveText('Seats used: 1 of 1');
  expect(errors).toEqual([]);
});
