import { test, expect, Page, TestInfo } from '@playwright/test';
import { hydrated, login, logout, open, unique, watchConsole } from './helpers';

async function searchKb(page: Page, info: TestInfo, q: string) {
  await open(page, info, '/portal/kb');
  await page.locator('#kb-q').fill(q);
  if (!hydrated(info)) {
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  }
}

test('requester searches knowledge, reads an article and votes', async ({ page }, info) => {
  const errors = watchConsole(page);
  await login(page, info, 'requester', '/portal/kb');
  await searchKb(page, info, 'outlook pasword');
  // Instant (no submit) when hydrated; typo tolerated.
  const first = page.locator('#kb-results li').first();
  await expect(first).toContainText('Outlook keeps asking for your password');
  await expect(first.locator('.snippet b').first()).toBeVisible();

  // Agent-only articles never reach requesters.
  await searchKb(page, info, 'vpn gateway certificate');
  await expect(page.locator('#kb-results li', { hasText: 'Connect to the VPN from home' })).toHaveCount(1);
  await expect(page.getByText('Rotate the VPN gateway certificate')).toHaveCount(0);

  await searchKb(page, info, 'outlook password');
  await page.locator('#kb-results li').first().locator('a.hit-title').click();
  await expect(page.getByRole('heading', { name: 'Outlook keeps asking for your password' })).toBeVisible();
  await expect(page.locator('.article-body strong', { hasText: 'Credential Manager' })).toBeVisible();
  await page.getByLabel('Comment (optional)').fill('Worked first time');
  await page.getByRole('button', { name: /Helpful \(/ }).click();
  await expect(page.getByText('You found this helpful — thank you.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('articles are suggested while a ticket is typed, and "this solved it" closes the form', async ({ page }, info) => {
  test.skip(!hydrated(info), 'suggestions need JavaScript; without it the form submits as usual');
  const errors = watchConsole(page);
  await login(page, info, 'jordan', '/portal');
  await page.getByLabel('Title').fill('Outlook asks for my password again');
  const suggestion = page.locator('#suggestions li', { hasText: 'Outlook keeps asking for your password' });
  await expect(suggestion).toHaveCount(1);
  await suggestion.getByRole('button', { name: 'This solved it' }).click();
  await expect(page.locator('#deflected')).toContainText('no ticket was needed');
  await expect(page.locator('#new-incident')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an agent writes an article, a knowledge manager publishes it, requesters find it', async ({ page }, info) => {
  const errors = watchConsole(page);
  const title = unique('Badge reader refuses my card');
  await login(page, info, 'agent', '/console/kb');
  await page.locator('#new-article').click();
  await expect(page.getByRole('heading', { name: 'New article' })).toBeVisible();
  if (hydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.locator('.field-error[data-field="title"]')).toContainText('Title');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Body (Markdown)').fill('Hold the card **flat** against the reader for two seconds.');
  await page.getByLabel('Tags (comma separated)').fill('badge, access');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.locator('#article-state')).toHaveText('Draft');
  await expect(page.locator('.article-body strong')).toHaveText('flat');
  await page.locator('button[data-state="in_review"]').click();
  await expect(page.locator('#article-state')).toHaveText('In review');
  const url = page.url();
  await logout(page);

  await login(page, info, 'admin', new URL(url).pathname);
  await expect(page.locator('#article-state')).toHaveText('In review');
  await page.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(page.locator('#article-state')).toHaveText('Published');
  await logout(page);

  await login(page, info, 'requester', '/portal/kb');
  await expect(async () => {
    await searchKb(page, info, title);
    await expect(page.locator('#kb-results li').first()).toContainText(title, { timeout: 2000 });
  }).toPass({ timeout: 15_000 });
  expect(errors).toEqual([]);
});
