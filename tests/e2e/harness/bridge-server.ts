/**
 * @file The e2e stand-in for Electron's IPC: a loopback HTTP server that serves the built
 * renderer and answers `POST /__kiosk/<channel>` by calling the real kiosk service through the
 * same dispatchChannel the Electron main process uses. Only the transport differs.
 *
 * Wire format (request): uint32 LE header length, JSON header `{ payload, bins: number[] }` where
 * each Uint8Array in the payload was replaced by `{ "$bin": i }`, then the binaries back to back.
 * Responses are JSON IpcResults (they never carry binary data).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CONTRACT } from '../../../electron/contract/channels';
import { dispatchChannel } from '../../../electron/contract/dispatch';
import type { KioskService } from '../../../electron/kiosk/kiosk-service';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function decodeBridgeBody(body: Buffer): unknown {
  if (body.length < 4) throw new Error('bridge body too short');
  const headerLen = body.readUInt32LE(0);
  if (4 + headerLen > body.length) throw new Error('bridge header length out of range');
  const header = JSON.parse(body.subarray(4, 4 + headerLen).toString('utf8')) as { payload: unknown; bins: number[] };
  const bins: Uint8Array[] = [];
  let at = 4 + headerLen;
  for (const len of header.bins) {
    if (at + len > body.length) throw new Error('bridge binary out of range');
    bins.push(new Uint8Array(body.buffer.slice(body.byteOffset + at, body.byteOffset + at + len)));
    at += len;
  }
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$bin === 'number' && Object.keys(o).length === 1) return bins[o.$bin];
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
    }
    return v;
  };
  return revive(header.payload);
}

export interface BridgeServer {
  readonly url: string;
  readonly calls: Map<string, number>;
  close(): Promise<void>;
}

export async function startBridgeServer(staticDir: string, service: KioskService): Promise<BridgeServer> {
  const calls = new Map<string, number>();
  const root = path.resolve(staticDir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname.startsWith('/__kiosk/')) {
      const channel = decodeURIComponent(url.pathname.slice('/__kiosk/'.length));
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) req.destroy();
        else chunks.push(c);
      });
      req.on('end', () => {
        let payload: unknown;
        try {
          payload = decodeBridgeBody(Buffer.concat(chunks));
        } catch (e) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end((e as Error).message);
          return;
        }
        calls.set(channel, (calls.get(channel) ?? 0) + 1);
        void dispatchChannel(CONTRACT, service, channel, payload).then((result) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        });
      });
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Browser-side half, injected with page.addInitScript before the renderer loads: defines
 * `window.kiosk` with one method per channel, each posting to the server above. Plain JS string
 * because it runs in the page, not in Node.
 */
export function bridgeInitScript(): string {
  const channels = JSON.stringify(Object.keys(CONTRACT));
  return `(() => {
  const encode = (payload) => {
    const bins = [];
    const walk = (v) => {
      if (v instanceof Uint8Array) { bins.push(v); return { $bin: bins.length - 1 }; }
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') { const o = {}; for (const k of Object.keys(v)) o[k] = walk(v[k]); return o; }
      return v;
    };
    const header = new TextEncoder().encode(JSON.stringify({ payload: walk(payload), bins: bins.map((b) => b.byteLength) }));
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, header.byteLength, true);
    // A Blob of parts: the frame bytes go to blob storage, not into a fresh JS-heap copy per frame.
    return new Blob([len, header, ...bins]);
  };
  const kiosk = {};
  for (const ch of ${channels}) {
    kiosk[ch] = async (payload) => {
      const res = await fetch('/__kiosk/' + encodeURIComponent(ch), { method: 'POST', body: encode(payload ?? {}) });
      if (!res.ok) return { ok: false, error: { name: 'Error', code: 'INTERNAL', message: 'bridge HTTP ' + res.status } };
      return res.json();
    };
  }
  Object.defineProperty(window, 'kiosk', { value: Object.freeze(kiosk), writable: false });
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasks = null; }
  window.__marks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__marks.push({ name: e.name, t: e.startTime }); })
    .observe({ type: 'mark', buffered: true });
})();`;
}
