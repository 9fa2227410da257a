import { expect, Browser, Page } from '@playwright/test';
import { PASSWORD, unique } from './helpers';

/** Signs `username` in, in a fresh browser context on server `base`, and opens `path`. */
export async function agentPage(browser: Browser, base: string | undefined, username: string, path: string): Promise<Page> {
  const context = await browser.newContext(base ? { baseURL: base } : {});
  const page = await context.newPage();
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return page;
}

/**
 * Agent A (on server `nodeA`) assigns a ticket and agent B's queue (on `nodeB`) updates without
 * reload; B sees A viewing and typing; A's save over B's newer version is refused.
 */
export async function liveScenario(browser: Browser, nodeA?: string, nodeB?: string) {
  const title = unique('Live queue check');
  const requester = await agentPage(browser, nodeA, 'requester', '/portal');
  await requester.getByLabel('Title').fill(title);
  await requester.getByRole('button', { name: 'Submit incident' }).click();
  const number = (await requester.locator('#my-tickets tbody tr', { hasText: title }).locator('td').first().textContent())!.trim();

  // B watches the queue; A opens the ticket.
  const b = await agentPage(browser, nodeB, 'netops', '/console');
  await expect(b.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
  const bRow = b.locator('#queue tbody tr', { hasText: title });
  await expect(bRow.locator('td').nth(5)).toHaveText('—');
  const a = await agentPage(browser, nodeA, 'agent', `/console/tickets/${number}`);
  let navigations = 0;
  b.on('framenavigated', (f) => { if (f === b.mainFrame()) navigations++; });

  // A assigns: B's queue row updates in place.
  await a.getByRole('button', { name: 'Assign to me' }).click();
  await expect(a.getByTestId('assignee')).toHaveText('Alex Agent');
  await expect(bRow.locator('td').nth(5)).toHaveText('Alex Agent');
  await expect(bRow.locator('[data-state="in_progress"]')).toBeVisible();
  expect(navigations).toBe(0);

  // B opens the ticket and sees A there and typing.
  await b.goto(`/console/tickets/${number}`);
  await expect(b.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(b.getByTestId('presence')).toHaveAttribute('data-live', 'true');
  await a.getByLabel('Reply or note').pressSequentially('Looking at it', { delay: 30 });
  await expect(b.getByTestId('viewers')).toContainText('Alex Agent');
  await expect(b.getByTestId('typing')).toContainText('Alex Agent is typing');

  // B changes the priority; A is told, and A's save on the old version is refused.
  await b.getByLabel('Impact').selectOption('high');
  await b.getByRole('button', { name: 'Update priority' }).click();
  await expect(b.locator('.meta .priority-2')).toBeVisible();
  await expect(a.getByTestId('changed-banner')).toContainText(`${number} was changed by Nia Network`);
  await a.getByLabel('On-hold reason').selectOption('awaiting_vendor');
  await a.getByRole('button', { name: 'Put on hold' }).click();
  await expect(a.getByRole('alert').filter({ hasText: 'was changed by Nia Network since you opened it' })).toBeVisible();
  await a.getByTestId('changed-banner').getByRole('button', { name: 'Reload' }).click();
  await expect(a.locator('.meta .priority-2')).toBeVisible();
  await a.getByLabel('On-hold reason').selectOption('awaiting_vendor');
  await a.getByRole('button', { name: 'Put on hold' }).click();
  await expect(a.getByTestId('on-hold-reason')).toHaveText('Awaiting vendor');
}
