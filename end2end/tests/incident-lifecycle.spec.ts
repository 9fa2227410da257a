import { test, expect, Page, TestInfo } from '@playwright/test';
import { login, logout, unique, watchConsole } from './helpers';

async function requesterReplies(page: Page, info: TestInfo, number: string, text: string) {
  await login(page, info, 'requester', `/portal/tickets/${number}`);
  await page.getByLabel('Reply').fill(text);
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.locator('.comment', { hasText: text })).toHaveCount(1);
  await logout(page);
}

async function resolve(page: Page, note: string) {
  await page.getByLabel('Resolution code').selectOption('solved_workaround');
  await page.getByLabel('Resolution note').fill(note);
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.locator('.meta [data-state="resolved"]')).toBeVisible();
}

test('agent takes an incident from New to Closed, through on hold and a reopen', async ({ page }, info) => {
  const errors = watchConsole(page);
  const title = unique('Payroll export fails');
  await login(page, info, 'requester', '/portal');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Submit incident' }).click();
  const number = (await page.locator('#my-tickets tbody tr', { hasText: title }).locator('td').first().textContent())!.trim();
  await logout(page);

  // Agent picks it up and asks the caller for details.
  await login(page, info, 'agent', `/console/tickets/${number}`);
  await expect(page.locator('.meta [data-state="new"]')).toBeVisible();
  await expect(page.getByTestId('sla-resolution')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('sla-resolution')).toContainText('Standard');
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.locator('.meta [data-state="in_progress"]')).toBeVisible();
  await page.getByRole('button', { name: 'Put on hold' }).click();
  await expect(page.locator('.field-error[data-field="on_hold_reason"]')).toHaveText('Choose why the ticket is on hold');
  await page.getByLabel('On-hold reason').selectOption('awaiting_caller');
  await page.getByRole('button', { name: 'Put on hold' }).click();
  await expect(page.getByTestId('on-hold-reason')).toHaveText('Awaiting caller');
  await expect(page.getByTestId('sla-resolution')).toHaveAttribute('data-state', 'paused');

  // Priority override needs a reason; time is logged.
  await page.locator('#priority-form select[name="priority"]').selectOption('2');
  await page.getByRole('button', { name: 'Update priority' }).click();
  await expect(page.locator('.field-error[data-field="priority_reason"]')).toHaveText('Give a reason for overriding the priority');
  await page.locator('#priority-form select[name="priority"]').selectOption('2');
  await page.getByLabel('Reason for override').fill('Payroll deadline on Friday');
  await page.getByRole('button', { name: 'Update priority' }).click();
  await expect(page.locator('.meta .priority-2')).toBeVisible();
  await page.getByLabel('Minutes').fill('25');
  await page.getByLabel('Work note').fill('Reproduced the export error');
  await page.getByRole('button', { name: 'Log time' }).click();
  await expect(page.getByTestId('time-total')).toHaveText('Total: 25 min');
  await logout(page);

  // The caller answers: work resumes by itself.
  await requesterReplies(page, info, number, 'It happens with the October file only.');
  await login(page, info, 'agent', `/console/tickets/${number}`);
  await expect(page.locator('.meta [data-state="in_progress"]')).toBeVisible();
  await expect(page.getByTestId('on-hold-reason')).toHaveCount(0);
  await resolve(page, 'Re-ran the export with the fixed template.');
  await logout(page);

  // Still broken: the caller's reply reopens it and the reopen is counted.
  await requesterReplies(page, info, number, 'Still failing for me, sorry.');
  await login(page, info, 'agent', `/console/tickets/${number}`);
  await expect(page.locator('.meta [data-state="in_progress"]')).toBeVisible();
  await expect(page.getByTestId('reopen-count')).toHaveText('1');
  await resolve(page, 'Template cache cleared on the payroll server.');
  await page.getByRole('button', { name: 'Close ticket' }).click();
  await expect(page.locator('.meta [data-state="closed"]')).toBeVisible();
  await expect(page.locator('.audit')).toContainText('changed reopen_count: 0 → 1');
  await expect(page.locator('.audit')).toContainText('changed state: resolved → closed');
  await logout(page);

  // A closed ticket takes no more replies.
  await login(page, info, 'requester', `/portal/tickets/${number}`);
  await page.getByLabel('Reply').fill('one more thing');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.locator('.field-error[data-field="body"]')).toContainText('takes no more replies');
  expect(errors).toEqual([]);
});

test('attachments upload with a type check and download', async ({ page }, info) => {
  await login(page, info, 'requester', '/portal');
  const title = unique('Scanner output garbled');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Submit incident' }).click();
  await page.locator('#my-tickets tbody tr', { hasText: title }).getByRole('link').click();
  await page.getByLabel('File').setInputFiles({ name: 'evil.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.locator('.field-error[data-field="file"]')).toHaveText('This type of file cannot be attached');
  await page.getByLabel('File').setInputFiles({ name: 'scan-log.txt', mimeType: 'text/plain', buffer: Buffer.from('page 1: checksum mismatch') });
  await page.getByRole('button', { name: 'Upload' }).click();
  const link = page.locator('#attachments a', { hasText: 'scan-log.txt' });
  await expect(link).toHaveCount(1);
  const res = await page.request.get((await link.getAttribute('href'))!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-disposition']).toContain('attachment; filename="scan-log.txt"');
  expect(await res.text()).toBe('page 1: checksum mismatch');
});
