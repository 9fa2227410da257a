import { test, expect, Page } from '@playwright/test';
import { hydrated, login, logout, open, watchConsole } from './helpers';

/** The state code of the requested item card on the page. */
function item(page: Page) {
  return page.locator('section.request-item').first();
}

test('a laptop is ordered with the developer configuration, approved by the manager and fulfilled by two agents', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'requester', '/portal/catalog');
  await expect(page.getByRole('heading', { name: 'Request something' })).toBeVisible();
  await page.locator('.catalog-card', { hasText: 'Laptop' }).getByRole('link', { name: 'Laptop', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Laptop' })).toBeVisible();
  if (hydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }

  const devOs = page.locator('.field[data-key="dev_os"]');
  if (hydrated(info)) {
    // The OS field appears only once the developer configuration is ticked, and is then required.
    await expect(devOs).toBeHidden();
    await page.getByLabel('Developer configuration').check();
    await expect(devOs).toBeVisible();
    await expect(devOs.locator('.required-mark')).toHaveText('*');
  } else {
    // Without JavaScript every field shows, with the condition it depends on.
    await expect(devOs).toBeVisible();
    await expect(devOs.locator('.condition')).toContainText('Developer configuration');
    await page.getByLabel('Developer configuration').check();
  }
  await page.getByLabel('Model').selectOption('Performance 16-inch');

  // The revealed field is required: the server refuses the order and says where.
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page.locator('.field-error[data-field="items.0.answers.dev_os"]')).toBeVisible();
  if (!hydrated(info)) {
    await page.getByLabel('Developer configuration').check();
    await page.getByLabel('Model').selectOption('Performance 16-inch');
  }
  await page.getByLabel('Development operating system').selectOption('Fedora 41');
  await page.getByRole('button', { name: 'Submit request' }).click();

  await expect(page.locator('#request')).toContainText(/REQ-\d{6}/);
  const number = (await page.locator('#request .number').textContent())!.trim();
  await expect(item(page)).toHaveAttribute('data-state', 'awaiting_approval');
  await expect(item(page).locator('dd[data-key="dev_os"]')).toHaveText('Fedora 41');
  const ritm = (await item(page).getAttribute('data-number'))!;
  await logout(page);

  // Jordan, Riley's manager, approves from the portal.
  await login(page, info, 'jordan', '/portal/approvals');
  const approval = page.locator('li.approval', { hasText: ritm });
  await expect(approval).toContainText('Fedora 41');
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(page.locator('li.approval', { hasText: ritm })).toHaveCount(0);
  await logout(page);

  // Two tasks, for two groups, in order: the service desk images, network operations enrols.
  await login(page, info, 'agent', `/console/tickets/${ritm}`);
  const tasks = page.locator('#fulfilment ol.tasks li');
  await expect(tasks).toHaveCount(2);
  const first = (await tasks.nth(0).getAttribute('data-number'))!;
  const second = (await tasks.nth(1).getAttribute('data-number'))!;
  await expect(tasks.nth(0)).toHaveAttribute('data-state', 'open');
  await expect(tasks.nth(1)).toHaveAttribute('data-state', 'waiting');
  await open(page, info, `/console/tickets/${first}`);
  await page.locator('#task-form').getByLabel('Note').fill('Imaged with Fedora 41');
  await page.locator('#task-form').getByRole('button', { name: 'Complete' }).click();
  await expect(page.locator(`#fulfilment li[data-number="${first}"]`)).toHaveAttribute('data-state', 'completed');
  await logout(page);

  await login(page, info, 'netops', `/console/tickets/${second}`);
  await page.locator('#task-form').getByRole('button', { name: 'Complete' }).click();
  await expect(page.locator(`#fulfilment li[data-number="${second}"]`)).toHaveAttribute('data-state', 'completed');
  await logout(page);

  // The requester sees the request fulfilled.
  await login(page, info, 'requester', `/portal/requests/${number}`);
  await expect(page.locator('#request')).toHaveAttribute('data-state', 'fulfilled');
  await expect(item(page)).toHaveAttribute('data-state', 'fulfilled');
  await expect(item(page)).toContainText('2 of 2 tasks done');
  expect(errors).toEqual([]);
});
