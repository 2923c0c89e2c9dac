/**
 * @file One HTTP(S) POST with a hard deadline, on node:http/https directly so the relay controls
 * timeouts, keep-alive and the mTLS client certificate. Network failures become NetworkError
 * with `details.kind` = 'timeout' | 'connection'.
 */
import http from 'node:http';
import https from 'node:https';
import { NetworkError } from '../common/errors';

export interface PostRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly agent?: http.Agent;
}

export interface PostResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

/** Cap on the response we read: the documented answer is a few ids per event. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface TlsMaterial {
  readonly certPem?: string;
  readonly keyPem?: string;
  readonly caPem?: string;
}

export function createAgent(url: string, tls: TlsMaterial = {}): http.Agent {
  if (url.startsWith('https:')) {
    return new https.Agent({
      keepAlive: true,
      maxSockets: 1,
      ...(tls.certPem && tls.keyPem ? { cert: tls.certPem, key: tls.keyPem } : {}),
      ...(tls.caPem ? { ca: tls.caPem } : {}),
    });
  }
  return new http.Agent({ keepAlive: true, maxSockets: 1 });
}

export function postJson(req: PostRequest): Promise<PostResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(req.url);
    const mod = u.protocol === 'https:' ? https : http;
    const bodyBuf = Buffer.from(req.body, 'utf8');
    let settled = false;
    let gotResponse = false;
    const fail = (kind: 'timeout' | 'connection', message: string): void => {
      if (settled) return;
      settled = true;
      reject(new NetworkError(message, { kind }));
    };
    const r = mod.request(
      u,
      {
        method: 'POST',
        headers: { ...req.headers, 'Content-Length': String(bodyBuf.length) },
        ...(req.agent ? { agent: req.agent } : {}),
      },
      (res) => {
        gotResponse = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            r.destroy();
            fail('connection', `response larger than ${MAX_RESPONSE_BYTES} bytes`);
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => fail('connection', `response interrupted: ${e.message}`));
        res.on('close', () => {
          clearTimeout(timer);
          if (!res.complete) fail('connection', 'connection dropped in the middle of the answer');
        });
      },
    );
    const timer = setTimeout(() => {
      fail('timeout', `no complete answer from ${u.host} within ${req.timeoutMs} ms`);
      r.destroy();
    }, req.timeoutMs);
    r.on('error', (e) => {
      clearTimeout(timer);
      fail('connection', `cannot reach ${u.host}: ${e.message}`);
    });
    r.on('close', () => {
      if (gotResponse) return; // the response's own end/close decides
      clearTimeout(timer);
      fail('connection', `connection to ${u.host} closed before an answer`);
    });
    r.end(bodyBuf);
  });
}
