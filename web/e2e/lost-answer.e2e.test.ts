import { describe, expect, it } from 'vitest';
import { createSharedList } from './support/api';
import { itemRow, waitLive } from './support/browser';
import { expectScreenMatchesServer } from './support/convergence';
import { items as readItems } from './support/lists';
import { addThroughForm, toggle, waitForWaiting } from './support/offline';
import { AnswerDroppingProxy } from './support/proxy';
import { freePort, startH2Server, type ListSyncServer } from './support/servers';
import { Stage } from './support/stage';

describe('an answer lost on the way back', () => {
  const stage = new Stage<{ server: ListSyncServer; proxy: AnswerDroppingProxy }>(async () => {
    const proxyPort = await freePort();
    const env = await startH2Server('lost-answer', { REALTIME_ALLOWED_ORIGINS: `http://127.0.0.1:${proxyPort}` });
    const proxy = await AnswerDroppingProxy.start(proxyPort, env.server.port);
    return { servers: { server: env.server, proxy }, dispose: async () => { await proxy.close(); await env.dispose(); } };
  });

  it('the app sends the write again with the same Idempotency-Key: the server replays it, and there is one item, not two', async () => {
    const { server, proxy } = stage.servers;
    const [ann] = await stage.users(server, 'Ann');
    const listId = await createSharedList(server.url, ann!, 'Lossy', []);
    // The browser talks to the server only through the proxy.
    const { page } = await stage.open({ url: proxy.url } as ListSyncServer, ann!, `/lists/${listId}`, { width: 390, height: 844 });
    await waitLive(page);

    const createPath = `/api/v1/lists/${listId}/items`;
    proxy.dropNextAnswer((method, path) => method === 'POST' && path === createPath);
    await addThroughForm(page, 'Milk');
    await waitForWaiting(page, 0, 20_000);

    const creates = proxy.log.filter((f) => f.method === 'POST' && f.path === createPath);
    expect(creates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(creates.map((f) => f.idempotencyKey)).size).toBe(1);
    expect(creates[0]).toMatchObject({ status: 201, dropped: true, replayed: false });
    expect(creates.at(-1)).toMatchObject({ status: 201, dropped: false, replayed: true });

    // the same for a check whose answer is lost: applied once, the screen ends as the user left it
    const milk = (await readItems(server.url, ann!, listId)).items.find((it) => it.name === 'Milk')!;
    const checkPath = `/api/v1/lists/${listId}/items/${milk.id}/check`;
    proxy.dropNextAnswer((method, path) => method === 'POST' && path === checkPath);
    await toggle(page, 'Milk');
    await waitForWaiting(page, 0, 20_000);
    const checks = proxy.log.filter((f) => f.path === checkPath);
    expect(new Set(checks.map((f) => f.idempotencyKey)).size).toBe(1);
    expect(checks.at(-1)?.replayed).toBe(true);

    const after = await readItems(server.url, ann!, listId);
    expect(after.items.filter((it) => it.name === 'Milk')).toHaveLength(1);
    expect(after.items[0]?.checked).toBe(true);
    expect(await itemRow(page, 'Milk').count()).toBe(1);
    await expectScreenMatchesServer(page, server.url, ann!, listId);
  });
});
