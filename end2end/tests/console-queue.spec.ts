import { test, expect, Page, TestInfo } from '@playwright/test';
import { hydrated, login, logout, open, unique, watchConsole } from './helpers';

async function raise(page: Page, info: TestInfo, title: string): Promise<string> {
  await open(page, info, '/portal');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Raised for the queue test.');
  await page.getByRole('button', { name: 'Submit incident' }).click();
  const row = page.locator('#my-tickets tbody tr', { hasText: title });
  await expect(row).toHaveCount(1);
  return (await row.locator('td').first().textContent())!.trim();
}

test('agent works the queue: view counts, saved view, bulk assign, macro, context', async ({ page }, info) => {
  const errors = watchConsole(page);
  const tag = unique('Queue bulk');
  await login(page, info, 'requester', '/portal');
  const first = await raise(page, info, `${tag} A`);
  const second = await raise(page, info, `${tag} B`);
  await logout(page);

  await login(page, info, 'agent', '/console');
  const mine = page.locator('[data-view="mine"] .count-badge');
  await expect(mine).toHaveText(/^\d+$/);
  const before = Number(await mine.textContent());

  // Narrow to the two new tickets, save the view.
  await page.getByLabel('Search').fill(tag);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.locator('#queue tbody tr')).toHaveCount(2);
  await page.getByLabel('Save this view as').fill(`Mine ${tag.slice(-6)}`);
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page.locator('#views .view', { hasText: `Mine ${tag.slice(-6)}` }).locator('.count-badge')).toHaveText('2');

  // Bulk: select both, assign to me.
  await page.getByLabel(`Select ${first}`).check();
  await page.getByLabel(`Select ${second}`).check();
  await page.getByLabel('With selected').selectOption('assign_me');
  await page.getByRole('button', { name: 'Apply' }).click();
  if (hydrated(info)) {
    await expect(page.locator('#bulk-results')).toContainText('2 of 2 tickets updated.');
  }
  await expect(page.locator('#queue tbody tr', { hasText: `${tag} A` }).locator('td').nth(5)).toHaveText('Alex Agent');
  await expect(page.locator('#queue tbody tr', { hasText: `${tag} B` }).locator('td').nth(5)).toHaveText('Alex Agent');
  await expect(page.locator('[data-view="mine"] .count-badge')).toHaveText(String(before + 2));

  // Macro on one ticket: reply + on hold awaiting caller; the context panel is beside it.
  await open(page, info, `/console/tickets/${first}`);
  await expect(page.locator('#context')).toContainText('Requester\'s recent tickets');
  await expect(page.locator('#requester-recent li', { hasText: second })).toHaveCount(1);
  await page.getByLabel('Macro').selectOption({ label: 'Ask for details' });
  await page.getByRole('button', { name: 'Apply macro' }).click();
  await expect(page.getByTestId('on-hold-reason')).toHaveText('Awaiting caller');
  await expect(page.locator('.comments li', { hasText: 'Could you send a screenshot' })).toHaveCount(1);
  expect(errors).toEqual([]);
});
