import { test, expect } from '@playwright/test';
import { agentPage, liveScenario } from './live-scenario';

// The live console needs JavaScript: these run in the hydrated project only.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'live updates need JavaScript');

test('a change by agent A appears in agent B\'s queue without reload; B sees A typing; A\'s stale save is refused', async ({ browser }) => {
  await liveScenario(browser);
});

test('the queue can be worked from the keyboard', async ({ browser }) => {
  const page = await agentPage(browser, undefined, 'agent', '/console');
  const rows = page.locator('#queue tbody tr');
  await expect(rows.nth(1)).toBeVisible();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('k');
  await page.keyboard.press('j');
  const number = (await rows.nth(1).getAttribute('data-number'))!;
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/console/tickets/${number}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(number);
});
