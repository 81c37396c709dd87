import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addItem, createSharedList, registerUser, type TestUser } from './support/api';
import { launchBrowser, waitLive } from './support/browser';
import { startH2Server } from './support/servers';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Watched = Window & { __cspViolations: string[]; __inlineRan?: boolean };

/**
 * Records every Content-Security-Policy violation the page reports: the DOM's `securitypolicyviolation` events
 * (collected by a script the browser injects before any of the page's own, on every navigation) and the console's
 * "Refused to ..." messages.
 */
async function watchViolations(page: Page): Promise<{ reported: () => Promise<string[]>; console: string[] }> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as Watched).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return { console, reported: () => page.evaluate(() => (window as unknown as Watched).__cspViolations) };
}

describe('the web app under its Content-Security-Policy', () => {
  let env: Awaited<ReturnType<typeof startH2Server>>;
  let browser: Browser;
  let ann: TestUser;
  let listId: string;

  beforeAll(async () => {
    env = await startH2Server('csp');
    browser = await launchBrowser();
    ann = await registerUser(env.server.url, 'Ann');
    listId = await createSharedList(env.server.url, ann, 'Camping', []);
    await addItem(env.server.url, ann, listId, 'Tent');
  });

  afterAll(async () => {
    await browser?.close();
    await env?.dispose();
  });

  it('signs in, shows the lists and a list with its socket open, with no CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations = await watchViolations(page);

    const answer = await page.goto(env.server.url + '/');
    const policy = answer?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(answer?.headers()['x-frame-options']).toBe('DENY');

    // the sign-in page
    await page.getByLabel('Email').fill(ann.email);
    await page.getByLabel('Password').fill(ann.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // the list overview
    await page.getByRole('heading', { name: 'Your lists' }).waitFor({ timeout: 10_000 });
    const card = page.locator('[data-testid="list-card"][data-name="Camping"]');
    await card.waitFor({ timeout: 10_000 });
    // a list page, its WebSocket open (connect-src 'self' covers ws: to this origin)
    await card.getByRole('link', { name: 'Camping' }).click();
    await page.locator('[data-testid="item"][data-name="Tent"]').waitFor({ timeout: 10_000 });
    await waitLive(page);
    // and a deep link loaded afresh
    await page.reload();
    await waitLive(page);

    expect(await violations.reported()).toEqual([]);
    expect(violations.console).toEqual([]);

    // The policy is enforced and the watch sees it: an inline script is refused and reported.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.appendChild(script);
    });
    await page.waitForFunction(() => (window as unknown as Watched).__cspViolations.length > 0, null, { timeout: 5_000 });
    expect(await page.evaluate(() => (window as unknown as Watched).__inlineRan)).toBeUndefined();
    expect((await violations.reported())[0]).toContain('script-src');
    await context.close();
  });

  it('cannot be framed by another page (frame-ancestors \'none\')', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const refused = page.waitForEvent('console', {
      predicate: (message) => /frame-ancestors/.test(message.text()), timeout: 10_000,
    });
    await page.setContent(`<iframe src="${env.server.url}/"></iframe>`);
    expect((await refused).text()).toContain("frame-ancestors 'none'");
    await context.close();
  });
});
