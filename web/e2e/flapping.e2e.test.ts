import { describe, expect, it } from 'vitest';
import { addItem, createSharedList } from './support/api';
import { waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { activity, items as readItems, listVersion } from './support/lists';
import { addThroughForm, toggle, waitForWaiting } from './support/offline';
import { h2Stage } from './support/stage';

const NAMES = Array.from({ length: 24 }, (_, i) => `Thing ${String(i + 1).padStart(2, '0')}`);
const ADDED = Array.from({ length: 8 }, (_, i) => `New ${i + 1}`);
const FLAP_MS = 250;

/** Every event of the list after `since`, paging back through the activity log. */
async function eventsSince(url: string, user: Parameters<typeof activity>[1], listId: string, since: number) {
  const all: { version: number; type: string; data: Record<string, unknown> }[] = [];
  let before: number | null = null;
  for (;;) {
    const page = await activity(url, user, listId, `?limit=100${before === null ? '' : `&before=${before}`}`);
    const fresh = page.events.filter((e) => e.version > since);
    all.push(...fresh);
    if (fresh.length < page.events.length || page.events.length < 100) return all;
    before = page.events.at(-1)!.version;
  }
}

describe('a network that comes and goes every few hundred ms', () => {
  const stage = h2Stage('flapping');

  it('applies every queued edit exactly once', async () => {
    const server = stage.servers;
    const [ann] = await stage.users(server, 'Ann');
    const listId = await createSharedList(server.url, ann!, 'Flaky', []);
    for (const name of NAMES) await addItem(server.url, ann!, listId, name);
    const { context, page } = await stage.open(server, ann!, `/lists/${listId}`, { width: 390, height: 844 });
    await waitLive(page);
    const startVersion = await listVersion(server.url, ann!, listId);

    let flapping = true;
    let flips = 0;
    const flapper = (async () => {
      while (flapping) {
        await context.setOffline(flips % 2 === 0);
        flips++;
        // the rhythm of the flapping network itself, not a wait for a condition
        await new Promise((resolve) => setTimeout(resolve, FLAP_MS));
      }
      await context.setOffline(false);
    })();

    const expected = new Map<string, boolean>();
    let clicks = 0;
    for (const [i, name] of NAMES.entries()) {
      const times = (i % 3) + 1;
      let state = false;
      for (let t = 0; t < times; t++) state = await toggle(page, name);
      expected.set(name, state);
      clicks += times;
      if (i % 3 === 0) await addThroughForm(page, ADDED[i / 3]!);
    }
    flapping = false;
    await flapper;
    expect(flips).toBeGreaterThan(6);

    await waitLive(page, 40_000);
    await waitForWaiting(page, 0, 60_000);

    const { items } = await readItems(server.url, ann!, listId);
    expect(items).toHaveLength(NAMES.length + ADDED.length);
    for (const [name, checked] of expected) expect(items.find((it) => it.name === name)?.checked, name).toBe(checked);
    for (const name of ADDED) expect(items.filter((it) => it.name === name), name).toHaveLength(1);

    // Exactly once, from the server's own log: one event per click and per add, none lost, none repeated.
    const events = await eventsSince(server.url, ann!, listId, startVersion);
    expect(events.filter((e) => e.type === 'item_checked' || e.type === 'item_unchecked')).toHaveLength(clicks);
    expect(events.filter((e) => e.type === 'item_created')).toHaveLength(ADDED.length);
    await expectScreenMatchesServer(page, server.url, ann!, listId, 10_000);
  });
});
