import { expect, Page, TestInfo } from '@playwright/test';

export const PASSWORD = 'oxidesk-demo';

/** True when this project runs with JavaScript (and so hydrates the WASM app). */
export function hydrated(info: TestInfo): boolean {
  return info.project.name === 'hydrated';
}

/** Opens a page and, in the hydrated project, waits until the WASM app has hydrated. */
export async function open(page: Page, info: TestInfo, path: string) {
  await page.goto(path);
  if (hydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
}

export async function login(page: Page, info: TestInfo, username: string, next?: string) {
  await open(page, info, next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  if (hydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
}

export async function logout(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Oxidesk' })).toBeVisible();
}

export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/**
 * Collects browser console errors so a spec can assert the page ran cleanly. Refused input is
 * answered with 4xx statuses, which Chromium logs as failed loads: those are expected and skipped.
 */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
