import type { WebSocket } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createSharedList } from './support/api';
import { waitLive } from './support/browser';
import { h2Stage } from './support/stage';
import { waitFor } from './support/wait';

describe('keepalive against the real server', () => {
  // Pings every second: the server closes a socket that misses two of them (4408).
  const stage = h2Stage('keepalive', { REALTIME_PING_INTERVAL: 'PT1S' });

  it('answers every ping with a pong, so the server keeps the socket open', async () => {
    const server = stage.servers;
    const [ann] = await stage.users(server, 'Ann');
    const listId = await createSharedList(server.url, ann!, 'Pings', []);
    // Start on the overview, so every socket of the list page is observed from its start (the overview's own
    // socket, /ws/me, is not the one under test).
    const { page } = await stage.open(server, ann!, '/');
    const sockets: WebSocket[] = [];
    const frames = { pings: 0, pongs: 0, closed: false };
    page.on('websocket', (ws) => {
      if (!new URL(ws.url()).pathname.startsWith('/api/v1/ws/lists/')) return;
      sockets.push(ws);
      ws.on('framereceived', ({ payload }) => { if (String(payload).includes('"ping"')) frames.pings++; });
      ws.on('framesent', ({ payload }) => { if (String(payload).includes('"pong"')) frames.pongs++; });
      ws.on('close', () => { frames.closed = true; });
    });
    await page.goto(`${server.url}/lists/${listId}`);
    await waitLive(page);

    await waitFor('four pings', 10_000, () => frames.pings >= 4);
    expect(frames.pongs).toBeGreaterThanOrEqual(frames.pings - 1); // the last ping's pong may be in flight
    expect(frames.closed).toBe(false);
    expect(sockets).toHaveLength(1);
    expect(await page.locator('[data-testid="connection-status"]').getAttribute('data-state')).toBe('live');
  });
});
