import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { TestUser } from './api';
import { logFrames } from './frames';
import { targetDir } from './servers';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
}

/** A fresh browser profile that signs in through the UI, starting from `path` (a deep link survives the sign-in). */
export async function signIn(browser: Browser, baseUrl: string, user: TestUser, path = '/',
  viewport = { width: 1280, height: 800 }, options: BrowserContextOptions = {}): Promise<Session> {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${user.displayName}] page error:`, error));
  logFrames(page, user.displayName);
  await page.goto(baseUrl + path);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === path, { timeout: 10_000 });
  return { context, page };
}

export const itemRow = (page: Page, name: string): Locator =>
  page.locator(`[data-testid="item"][data-name="${name}"]`);

export const connection = (page: Page): Locator => page.getByTestId('connection-status');

/** Waits until the page's socket is live. */
export async function waitLive(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('[data-testid="connection-status"][data-state="live"]').waitFor({ timeout });
}

/**
 * Runs `action`, then waits for `condition` with whatever is left of `budgetMs`, measured from the start of the action.
 * Returns the time it took, for the log.
 */
export async function within(budgetMs: number, action: () => Promise<unknown>, condition: (remainingMs: number) => Promise<unknown>)
  : Promise<number> {
  const started = Date.now();
  await action();
  const remaining = Math.max(1, budgetMs - (Date.now() - started));
  await condition(remaining);
  return Date.now() - started;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(targetDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
