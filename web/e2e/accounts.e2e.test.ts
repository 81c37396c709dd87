import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listsOf } from './support/api';
import { launchBrowser } from './support/browser';
import { h2Stage } from './support/stage';

describe('accounts and the lists overview, through the UI only', () => {
  const stage = h2Stage('accounts');

  it('signs up, creates, renames and shares a list; the other person sees their role and can leave', async () => {
    const server = stage.servers;
    const [bob] = await stage.users(server, 'Bob');
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(server.url + '/');
      await page.getByRole('link', { name: 'Create an account' }).click();
      const email = `dora-${randomBytes(4).toString('hex')}@example.com`;
      await page.getByLabel('Name').fill('Dora');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(`pw-${randomBytes(8).toString('hex')}`);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Your lists' }).waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('current-user').textContent()).toBe('Dora');

      // Create and rename with the keyboard.
      await page.getByTestId('new-list-name').fill('Camping');
      await page.getByTestId('new-list-name').press('Enter');
      const card = page.locator('[data-testid="list-card"][data-name="Camping"]');
      await card.waitFor({ timeout: 5_000 });
      await card.getByTestId('rename-list').click();
      await page.getByRole('textbox', { name: 'List name', exact: true }).fill('Camping trip');
      await page.getByRole('textbox', { name: 'List name', exact: true }).press('Enter');
      const renamed = page.locator('[data-testid="list-card"][data-name="Camping trip"]');
      await renamed.waitFor({ timeout: 5_000 });

      // Share with Bob as a viewer; an unknown address is refused in words.
      await renamed.getByRole('button', { name: 'Share', exact: true }).click();
      await renamed.getByLabel('Email to share with').fill('nobody@example.com');
      await renamed.getByRole('button', { name: 'Share', exact: true }).last().click();
      await page.getByTestId('share-error').waitFor({ timeout: 5_000 });
      await renamed.getByLabel('Email to share with').fill(bob!.email);
      await renamed.getByLabel('Role to give').selectOption('viewer');
      await renamed.locator('form[aria-label="Share"] button[type="submit"]').click();
      await renamed.locator(`[data-testid="member"][data-email="${bob!.email}"]`).waitFor({ timeout: 5_000 });

      // Signing out forgets the session; signing in again finds the list.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await page.evaluate(() => localStorage.getItem('listsync.session'))).toBeNull();

      const bobs = await stage.open(server, bob!, '/');
      const bobCard = bobs.page.locator('[data-testid="list-card"][data-name="Camping trip"]');
      await bobCard.waitFor({ timeout: 5_000 });
      expect(await bobCard.getByTestId('role').textContent()).toBe('viewer');
      await bobCard.getByTestId('leave-list').click();
      await bobCard.getByTestId('leave-list-confirm').click();
      await bobCard.waitFor({ state: 'detached', timeout: 5_000 });
      expect((await listsOf(server.url, bob!)).map((l) => l.name)).not.toContain('Camping trip');
    } finally {
      await browser.close();
    }
  });
});
