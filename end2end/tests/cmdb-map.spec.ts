import { test, expect } from '@playwright/test';
import { hydrated, login, logout, open, unique, watchConsole } from './helpers';

test('admin relates CIs on the CI page, then reads the impact and the map', async ({ page }, info) => {
  const errors = watchConsole(page);
  const suffix = `${Date.now().toString(36).toUpperCase()}${info.project.name === 'hydrated' ? 'H' : 'N'}`;
  const app = `APP-${suffix}`;
  const db = `DB-${suffix}`;
  await login(page, info, 'admin', '/console/cmdb');
  for (const [name, cls] of [[app, 'Application'], [db, 'Database']]) {
    await page.getByLabel('CI name').fill(name);
    await page.getByLabel('CI class').selectOption({ label: cls });
    await page.getByRole('button', { name: 'Register CI' }).click();
    await expect(page.locator(`#cis tr[data-ci="${name}"]`)).toHaveCount(1);
  }

  await open(page, info, `/console/cmdb/${app}`);
  await expect(page.getByText('No relationships yet.')).toBeVisible();
  await expect(page.getByTestId('impact-summary')).toHaveText('Nothing depends on it.');
  // Refused input is explained beside the field.
  await page.getByLabel('Relationship').selectOption({ label: 'Depends on' });
  await page.getByLabel('Related CI').fill(app.toLowerCase());
  await page.getByRole('button', { name: 'Add relationship' }).click();
  await expect(page.locator('#relationship-form .field-error[data-field="target"]')).toHaveText('A configuration item cannot be related to itself');
  await page.getByLabel('Related CI').fill(db);
  await page.getByRole('button', { name: 'Add relationship' }).click();
  const row = page.locator(`#ci-relationships tr[data-other="${db}"]`);
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').first()).toHaveText('Depends on');

  // From the database: read with the inverse name, and its failure reaches the application.
  await row.getByRole('link', { name: db }).click();
  await expect(page.getByTestId('ci-name')).toHaveText(db);
  await expect(page.locator(`#ci-relationships tr[data-other="${app}"] td`).first()).toHaveText('Used by');
  await expect(page.getByTestId('impact-summary')).toHaveText('1 configuration item(s) affected within 5 hops.');
  await expect(page.locator(`#impact-nodes li[data-ci="${app}"]`)).toContainText(`used by ${app}`);

  // The map: both CIs drawn and listed; a CI on it leads to its own map.
  await page.getByTestId('map-link').click();
  await expect(page.getByTestId('map-root')).toHaveText(db);
  await expect(page.locator('#map-nodes tbody tr')).toHaveCount(2);
  await expect(page.locator(`#ci-map a[data-ci="${app}"] circle`)).toHaveCount(1);
  await expect(page.locator('#ci-map line.map-edge')).toHaveCount(1);
  if (hydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    const before = await page.locator('#ci-map').getAttribute('viewBox');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect(page.locator('#ci-map')).not.toHaveAttribute('viewBox', before!);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.locator('#ci-map')).toHaveAttribute('viewBox', before!);
  }
  await page.locator(`#ci-map a[data-ci="${app}"]`).click();
  await expect(page.getByTestId('map-root')).toHaveText(app);

  // Removing it.
  await open(page, info, `/console/cmdb/${app}`);
  await page.getByRole('button', { name: `Remove depends on ${db}` }).click();
  await expect(page.getByText('No relationships yet.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('agents see what a failure reaches and link an incident to one on a nearby CI', async ({ page }, info) => {
  const errors = watchConsole(page);
  // A requester reports trouble; the agent names the second VPN gateway on it.
  const title = unique('VPN node 2 flapping');
  await login(page, info, 'requester', '/portal');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Raised for the CMDB context test.');
  await page.getByRole('button', { name: 'Submit incident' }).click();
  const mine = page.locator('#my-tickets tbody tr', { hasText: title });
  await expect(mine).toHaveCount(1);
  const number = (await mine.locator('td').first().textContent())!.trim();
  await logout(page);

  await login(page, info, 'agent', '/console/cmdb/CORE-SW-PAR');
  await expect(page.getByTestId('impact-services')).toHaveText('Email service');
  await expect(page.getByTestId('impact-held')).toHaveText('Remote access stays up: its set vpn-pair keeps 1 of 2 up (1 needed).');
  await expect(page.locator('#relationship-form')).toHaveCount(0);
  await open(page, info, '/console/cmdb/CORE-SW-PAR/map?depth=2');
  await expect(page.locator('#map-nodes tbody tr[data-ci="Remote access"]')).toHaveCount(1);

  await open(page, info, `/console/tickets/${number}`);
  await page.getByLabel('Affected CI').fill('VPN-GW-02');
  await page.getByRole('button', { name: 'Save CI' }).click();
  await expect(page.getByTestId('ci')).toHaveText('VPN-GW-02 (Network device)');
  // The demo's VPN incident sits on the first gateway, one hop away: offered as the parent.
  const nearby = page.locator('#nearby-incidents li', { hasText: 'VPN disconnects every 10 minutes' });
  await expect(nearby).toHaveCount(1);
  const parent = (await nearby.getAttribute('data-number'))!;
  await nearby.getByRole('button', { name: `Link as child of ${parent}` }).click();
  await expect(page.getByTestId('parent')).toContainText(parent);
  expect(errors).toEqual([]);
});
