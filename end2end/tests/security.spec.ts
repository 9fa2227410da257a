import { test, expect } from '@playwright/test';
import { hydrated, login, open, watchConsole } from './helpers';

// Every page is served with a strict Content-Security-Policy (scripts from this site or with the
// page's nonce, WebAssembly allowed, nothing inline otherwise); the app must still hydrate and
// work under it, with no violation reported.
for (const [user, path] of [['requester', '/portal'], ['requester', '/portal/kb'], ['agent', '/console'], ['agent', '/console/cmdb'], ['admin', '/admin/sla']]) {
  test(`${path} works under its Content-Security-Policy`, async ({ page }, info) => {
    const errors = watchConsole(page);
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await login(page, info, user, path);
    const res = await page.goto(path);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).not.toContain('unsafe-inline');
    if (hydrated(info)) {
      await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
      const fired = await page.evaluate(() => new Promise<number>((resolve) => {
        let n = 0;
        document.addEventListener('securitypolicyviolation', () => { n += 1; });
        setTimeout(() => resolve(n), 500);
      }));
      expect(fired).toBe(0);
    }
    await open(page, info, path);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
}
