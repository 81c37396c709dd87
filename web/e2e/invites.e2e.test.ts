import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSharedList, listsOf } from './support/api';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { itemRow, screenshot, waitLive } from './support/browser';
import { LIVE_BUDGET_MS } from './support/scenario';
import { h2Stage } from './support/stage';

describe('invite links', () => {
  const stage = h2Stage('invites');

  it('an owner makes a link on the list page; someone without an account opens it, signs up and is in the list', async () => {
    const server = stage.servers;
    const [ann, bob] = await stage.users(server, 'Ann', 'Bob');
    const listId = await createSharedList(server.url, ann!, 'Groceries', []);
    const { page: annPage, context: annContext } = await stage.open(server, ann!, `/lists/${listId}`);
    await annContext.grantPermissions(['clipboard-read', 'clipboard-write']);
    await waitLive(annPage);

    // the members panel, with invite links, is on the list page
    await annPage.getByTestId('open-members').click();
    await annPage.getByTestId('invite-role').selectOption('editor');
    await annPage.getByTestId('invite-expiry').selectOption('P7D');
    await annPage.getByTestId('invite-uses').selectOption('5');
    await annPage.getByTestId('create-invite').click();
    const invite = annPage.getByTestId('invite').first();
    await invite.getByTestId('invite-url').waitFor();
    const link = await invite.getByTestId('invite-url').inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{22,}$`));
    await invite.getByTestId('copy-invite').click();
    await invite.getByTestId('copy-invite').getByText('Copied').waitFor();
    expect(await annPage.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect(await invite.getByTestId('invite-status').textContent()).toMatch(/^0 of 5 joined · expires /);
    await screenshot(annPage, 'invite-links-desktop');
    await expectNoSeriousA11yViolations(annPage, 'list page with members and invite links');

    // Dora has no account: the link tells her what it is for, and carries her through sign-up into the list
    const { page: dora } = await stage.visit(server, new URL(link).pathname);
    await dora.getByTestId('invite-summary').getByText(/Ann invites you to Groceries as an editor/).waitFor();
    await expectNoSeriousA11yViolations(dora, 'invite page, signed out');
    await screenshot(dora, 'invite-desktop');
    await dora.getByTestId('invite-signup').click();
    await dora.getByLabel('Name').fill('Dora');
    await dora.getByLabel('Email').fill(`dora-${randomBytes(4).toString('hex')}@example.com`);
    await dora.getByLabel('Password').fill(`pw-${randomBytes(8).toString('hex')}`);
    await expectNoSeriousA11yViolations(dora, 'sign-up page');
    await dora.getByRole('button', { name: 'Sign up' }).click();
    await dora.waitForURL((url) => url.pathname === `/lists/${listId}`, { timeout: 10_000 });
    await dora.getByTestId('list-title').getByText('Groceries').waitFor();
    expect(await dora.getByTestId('role').first().textContent()).toBe('editor');
    await waitLive(dora);

    // she is an editor: her item reaches Ann live; Ann's panel shows her and counts the use
    await dora.getByTestId('add-item-name').fill('Tortillas');
    await dora.getByTestId('add-item-name').press('Enter');
    await itemRow(annPage, 'Tortillas').waitFor({ timeout: LIVE_BUDGET_MS });
    await annPage.getByTestId('open-members').click(); // close
    await annPage.getByTestId('open-members').click(); // and open again: membership is read when the panel opens
    await annPage.locator('[data-testid="member"]').getByText('Dora').waitFor();
    await invite.getByTestId('invite-status').getByText(/^1 of 5 joined/).waitFor();

    // Bob has an account: on his phone he signs in from the link and joins
    const { page: bobPage } = await stage.visit(server, new URL(link).pathname, { width: 390, height: 844 });
    await bobPage.getByTestId('invite-summary').waitFor();
    await screenshot(bobPage, 'invite-phone');
    await bobPage.getByTestId('invite-signin').click();
    await bobPage.getByLabel('Email').fill(bob!.email);
    await bobPage.getByLabel('Password').fill(bob!.password);
    await expectNoSeriousA11yViolations(bobPage, 'sign-in page');
    await bobPage.getByRole('button', { name: 'Sign in' }).click();
    await bobPage.waitForURL((url) => url.pathname === `/lists/${listId}`, { timeout: 10_000 });
    await itemRow(bobPage, 'Tortillas').waitFor();
    expect((await listsOf(server.url, bob!)).map((l) => l.name)).toContain('Groceries');

    // a signed-in member who opens the link again just gets a button into the list
    await bobPage.goto(link);
    await bobPage.getByTestId('join-list').click();
    await bobPage.waitForURL((url) => url.pathname === `/lists/${listId}`, { timeout: 10_000 });

    // revoked, the link is dead at once, and says so in words
    const row = annPage.getByTestId('invite').first();
    await row.getByTestId('revoke-invite').click();
    await row.getByTestId('revoke-invite-confirm').click();
    await annPage.getByTestId('invite').waitFor({ state: 'detached' });
    const { page: late } = await stage.visit(server, new URL(link).pathname);
    await late.getByTestId('invite-invalid').waitFor();
    await expectNoSeriousA11yViolations(late, 'invite page for a revoked link');
  });
});
