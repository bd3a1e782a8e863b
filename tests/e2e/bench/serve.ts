import fs from 'node:fs/promises';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

// A static HTTPS server for the side-by-side benchmark: both clients are served the way a real
// deployment serves a bundle of static files (HTTP/2, as Caddy does by default and nginx.conf
// asks for; compressed; revalidated on every load), on 127.0.0.1 with the bench Prosody's
// certificate, so neither gets an advantage from the server.

export type StaticOptions = {
  /** The directory served at `/`. */
  root: string;
  port: number;
  /** Extra files held in memory, by URL path (`/index.html`): they win over files in `root`. */
  files?: Record<string, string | Buffer>;
  /** Headers added to every answer. */
  headers?: Record<string, string>;
  /** Paths compressed before the server resolves, so the first measured load does not pay for it. */
  precompress?: string[];
};

export type StaticServer = { url: string; close(): Promise<void> };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

// Already compressed formats gain nothing from another pass.
const INCOMPRESSIBLE = new Set(['.png', '.woff2', '.woff', '.mp3', '.ogg']);

type Encoding = 'br' | 'gzip' | 'identity';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The best encoding the client accepts (RFC 9110 §12.5.3), ignoring q-values but q=0. */
function pickEncoding(accept: string | undefined): Encoding {
  const offered = new Set(
    (accept ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => !/;\s*q=0(\.0*)?$/.test(part))
      .map((part) => part.split(';')[0].trim()),
  );
  if (offered.has('br')) return 'br';
  if (offered.has('gzip')) return 'gzip';
  return 'identity';
}

async function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'br') {
    // Quality 11, as a deployment that compresses its static files ahead of time would.
    return brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  if (encoding === 'gzip') return gzip(body, { level: 9 });
  return body;
}

export async function serveStatic(options: StaticOptions): Promise<StaticServer> {
  const certPath = process.env.PARLEY_TEST_CA;
  if (!certPath) throw new Error('PARLEY_TEST_CA is not set (source .run/bench/env)');
  const [cert, key] = await Promise.all([fs.readFile(certPath), fs.readFile(path.join(path.dirname(certPath), 'localhost.key'))]);
  const root = path.resolve(options.root);
  const memory = new Map(Object.entries(options.files ?? {}).map(([p, body]) => [p, Buffer.from(body)]));
  // One promise per file and encoding: concurrent first requests share one compression.
  const cache = new Map<string, Promise<Buffer | null>>();

  /** The file's bytes, or null when there is no such file (or it is not a plain file). */
  async function read(urlPath: string): Promise<Buffer | null> {
    const inMemory = memory.get(urlPath);
    if (inMemory) return inMemory;
    const file = path.join(root, urlPath);
    // Decoded `..` segments, or anything else that leaves the root, is refused.
    if (file !== root && !file.startsWith(root + path.sep)) return null;
    try {
      const stat = await fs.stat(file);
      return stat.isFile() ? await fs.readFile(file) : null;
    } catch {
      return null;
    }
  }

  function body(urlPath: string, encoding: Encoding): Promise<Buffer | null> {
    const key = `${encoding} ${urlPath}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = read(urlPath).then((raw) => (raw === null ? null : compress(raw, encoding)));
      cache.set(key, entry);
    }
    return entry;
  }

  // HTTP/1.1 still answered, for a client that does not offer h2 in ALPN.
  const server = http2.createSecureServer({ cert, key, allowHTTP1: true }, async (req, res) => {
    const headers: Record<string, string> = { 'Cache-Control': 'no-cache', ...options.headers };
    const fail = (status: number, text: string) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed\n');
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname);
    } catch {
      return fail(400, 'bad request\n');
    }
    if (urlPath.includes('\0') || urlPath.split('/').includes('..')) return fail(403, 'forbidden\n');
    // A directory is served by its index.html only: never listed.
    if (urlPath.endsWith('/')) urlPath += 'index.html';

    const ext = path.extname(urlPath).toLowerCase();
    const encoding = INCOMPRESSIBLE.has(ext) ? 'identity' : pickEncoding(req.headers['accept-encoding']);
    try {
      const data = await body(urlPath, encoding);
      if (data === null) return fail(404, 'not found\n');
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[ext] ?? 'application/octet-stream',
        'Content-Length': String(data.length),
        ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
        Vary: 'Accept-Encoding',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch (err) {
      fail(500, `${(err as Error).message}\n`);
    }
  });

  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await Promise.all((options.precompress ?? []).map((p) => body(p, 'br')));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    // The certificate names localhost; the host resolver rules let the browser reach nothing else.
    url: `https://localhost:${options.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
