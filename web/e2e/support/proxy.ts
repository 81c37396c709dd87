import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';

/** One request the proxy forwarded, with what the server answered. */
export interface Forwarded {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
  /** The proxy dropped the connection instead of passing the answer on. */
  dropped: boolean;
}

/**
 * A small HTTP + WebSocket proxy in front of one server, for losing answers on purpose: `dropNextAnswer(match)` makes the
 * next matching request go through to the server (which commits it), and then the browser's connection is cut before
 * it sees a byte of the answer. Records every API write it forwards.
 */
export class AnswerDroppingProxy {
  readonly log: Forwarded[] = [];
  private dropNext: ((method: string, path: string) => boolean) | null = null;
  private readonly server: Server;

  private constructor(readonly port: number, private readonly targetPort: number) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const drop = this.dropNext?.(req.method ?? '', req.url ?? '') ?? false;
        if (drop) this.dropNext = null;
        const upstream = request({
          host: '127.0.0.1', port: this.targetPort, method: req.method, path: req.url, headers: req.headers,
        }, (answer: IncomingMessage) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            this.record(req, answer, drop);
            if (drop) {
              req.socket.destroy(); // committed on the server; the browser never hears about it
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        });
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      });
    });
    // WebSockets (and any other upgrade) pass through untouched.
    this.server.on('upgrade', (req, socket, head) => {
      const upstream = connect(this.targetPort, '127.0.0.1', () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
  }

  static async start(port: number, targetPort: number): Promise<AnswerDroppingProxy> {
    const proxy = new AnswerDroppingProxy(port, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  dropNextAnswer(match: (method: string, path: string) => boolean): void {
    this.dropNext = match;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(req: IncomingMessage, answer: IncomingMessage, dropped: boolean): void {
    if (!req.url?.startsWith('/api/') || req.method === 'GET') return;
    const key = req.headers['idempotency-key'];
    this.log.push({
      method: req.method ?? '', path: req.url, idempotencyKey: typeof key === 'string' ? key : null,
      status: answer.statusCode ?? 0, replayed: answer.headers['idempotent-replayed'] === 'true', dropped,
    });
  }
}
