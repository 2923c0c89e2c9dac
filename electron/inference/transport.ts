/**
 * @file How the inference entry talks to its parent, whichever way it was started:
 * Electron's utilityProcess (`process.parentPort`, messages arrive as `{data}` events) or
 * Node's child_process.fork (`process.send` / `process.on('message')`).
 */

export interface ParentTransport {
  readonly kind: 'electron-utility' | 'node-fork';
  send(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
}

interface ParentPortLike {
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
}

export function connectToParent(proc: NodeJS.Process = process): ParentTransport | null {
  const port = (proc as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (port && typeof port.postMessage === 'function') {
    return {
      kind: 'electron-utility',
      send: (msg) => port.postMessage(msg),
      onMessage: (cb) => port.on('message', (e) => cb(e.data)),
    };
  }
  if (typeof proc.send === 'function') {
    return {
      kind: 'node-fork',
      send: (msg) => {
        proc.send?.(msg);
      },
      onMessage: (cb) => {
        proc.on('message', (m: unknown) => cb(m));
      },
    };
  }
  return null;
}
