import type { Browser, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { registerUser, type TestUser } from './api';
import { launchBrowser, signIn, type Session } from './browser';
import { startCluster, startH2Server, type ListSyncServer } from './servers';

/** What a test file works with: its servers, one Chromium, and pages that are closed for it afterwards. */
export class Stage<S> {
  servers!: S;
  private browser!: Browser;
  private readonly sessions: Session[] = [];

  constructor(start: () => Promise<{ servers: S; dispose: () => Promise<void> }>) {
    let dispose: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const started = await start();
      this.servers = started.servers;
      dispose = started.dispose;
      this.browser = await launchBrowser();
    });
    afterAll(async () => {
      for (const session of this.sessions) await session.context.close();
      await this.browser?.close();
      await dispose?.();
    });
  }

  /** A fresh browser profile that is not signed in (a visitor without an account). */
  async visit(server: ListSyncServer, path: string, viewport = { width: 1280, height: 800 },
    options: BrowserContextOptions = {}) {
    const context = await this.browser.newContext({ viewport, ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[visitor] page error:', error));
    await page.goto(server.url + path);
    const session = { context, page };
    this.sessions.push(session);
    return session;
  }

  /** Registers one user per name on `server`. */
  users(server: ListSyncServer, ...names: string[]): Promise<TestUser[]> {
    return Promise.all(names.map((name) => registerUser(server.url, name)));
  }

  /** A fresh browser profile signed in as `user` through the UI, at `path` on `server`. */
  async open(server: ListSyncServer, user: TestUser, path: string, viewport?: { width: number; height: number },
    options?: BrowserContextOptions) {
    const session = await signIn(this.browser, server.url, user, path, viewport, options);
    this.sessions.push(session);
    return session;
  }
}

/** One server on H2 for the test file (started before its tests, stopped after). */
export const h2Stage = (name: string, extraEnv: Record<string, string> = {}) =>
  new Stage<ListSyncServer>(async () => {
    const env = await startH2Server(name, extraEnv);
    return { servers: env.server, dispose: env.dispose };
  });

/** Two servers sharing PostgreSQL and Redis for the test file. */
export const clusterStage = () =>
  new Stage<{ a: ListSyncServer; b: ListSyncServer }>(async () => {
    const cluster = await startCluster();
    return { servers: { a: cluster.a, b: cluster.b }, dispose: cluster.dispose };
  });

