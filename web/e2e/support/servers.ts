import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const serverJar = resolve(webDir, '../server/target/listsync.jar');
export const targetDir = join(webDir, 'target');

/**
 * A free TCP port on loopback, below Linux's ephemeral range (32768 and up): the server binds it only after it
 * started, and a port the OS could hand to an outgoing connection meanwhile (another server's database pool, a
 * browser) would be taken from under it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port in 20000-32000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });
}

/** One `java -jar listsync.jar` process, restartable on the same port and data. */
export class ListSyncServer {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  readonly url: string;
  /** The jar the next start runs: another build can be deployed by a stop, a new jar, and a start (same port, data). */
  jar = serverJar;

  private constructor(readonly name: string, readonly port: number, private readonly env: Record<string, string>) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(name: string, port: number, env: Record<string, string>): Promise<ListSyncServer> {
    const server = new ListSyncServer(name, port, env);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    if (!existsSync(this.jar)) throw new Error(`${this.jar} is missing: build it with mvn -pl server -am -DskipTests package`);
    const javaHome = process.env.JAVA_HOME;
    const java = javaHome ? join(javaHome, 'bin', 'java') : 'java';
    const logDir = join(targetDir, 'e2e-logs');
    mkdirSync(logDir, { recursive: true });
    const log = createWriteStream(join(logDir, `${this.name}.log`), { flags: 'a' });
    const child = spawn(java, ['-jar', this.jar], {
      env: { ...process.env, SERVER_PORT: String(this.port), SERVER_HOST: '127.0.0.1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.process = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    let died = false;
    void this.exited.then(() => { died = true; });
    await waitFor(`${this.name} to answer on ${this.url}`, 60_000, async () => {
      if (died) throw new Error(`${this.name} exited during start-up; see target/e2e-logs/${this.name}.log`);
      const response = await fetch(`${this.url}/api/v1/me`);
      return response.status === 401;
    }).catch((error: unknown) => {
      if (died) throw new Error(`${this.name} exited during start-up; see target/e2e-logs/${this.name}.log`);
      throw error;
    });
  }

  /** A graceful stop (SIGTERM): the server closes its sockets with 1001. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => {
      // Worth knowing: a server that ignores SIGTERM would also hang a rolling deploy.
      console.warn(`${this.name} did not stop within 15 s of SIGTERM; killing it`);
      child.kill('SIGKILL');
    }, 15_000);
    await this.exited;
    clearTimeout(killer);
    this.process = null;
  }
}

/** A scratch directory under the OS temp dir, removed by `dispose`. */
export function scratchDir(prefix: string): { path: string; dispose: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

export const jwtSecret = (): string => randomBytes(32).toString('hex');

/** One server on an H2 file database in a scratch directory (survives restarts). */
export async function startH2Server(name: string, extraEnv: Record<string, string> = {}) {
  const dir = scratchDir('listsync-e2e-');
  const port = await freePort();
  const server = await ListSyncServer.start(name, port, {
    DATA_DIR: dir.path,
    DB_CONNECTION_URL: `jdbc:h2:file:${join(dir.path, 'db')};DATABASE_TO_LOWER=TRUE`,
    AUTH_JWT_SECRET: jwtSecret(),
    BROKER_TYPE: 'inmemory',
    ...extraEnv,
  });
  return { server, dispose: async () => { await server.stop(); dir.dispose(); } };
}

function psql(sql: string): void {
  const result = spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
}

/** Two servers sharing a fresh PostgreSQL database and Redis, each allowing both origins. */
export async function startCluster() {
  const database = `listsync_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  psql(`create database ${database}`);
  const [portA, portB] = [await freePort(), await freePort()];
  const origins = [portA, portB].map((p) => `http://127.0.0.1:${p}`).join(',');
  const dirs = [scratchDir('listsync-e2e-a-'), scratchDir('listsync-e2e-b-')];
  const common = {
    DB_CONNECTION_URL: `jdbc:postgresql://127.0.0.1:5432/${database}`,
    DB_CONNECTION_USERNAME: 'postgres',
    BROKER_TYPE: 'redis',
    BROKER_REDIS_URI: process.env.E2E_REDIS_URI ?? 'redis://127.0.0.1:6379',
    BROKER_REDIS_CHANNEL_PREFIX: `${database}:`,
    AUTH_JWT_SECRET: jwtSecret(),
    REALTIME_ALLOWED_ORIGINS: origins,
  };
  // One after the other: the first runs the schema migration alone.
  const a = await ListSyncServer.start('cluster-a', portA, { ...common, DATA_DIR: dirs[0]!.path });
  const b = await ListSyncServer.start('cluster-b', portB, { ...common, DATA_DIR: dirs[1]!.path });
  return {
    a, b,
    dispose: async () => {
      await Promise.all([a.stop(), b.stop()]);
      for (const dir of dirs) dir.dispose();
      psql(`drop database if exists ${database}`);
    },
  };
}
