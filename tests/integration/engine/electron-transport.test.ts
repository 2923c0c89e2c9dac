/**
 * The inference entry speaking the utilityProcess API (`process.parentPort`), driven by the real
 * InferenceClient through a custom InferenceLauncher — the same seam electron/main uses.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InferenceClient, type InferenceChild } from '../../../electron/inference/client';
import { resolveInferenceEntry } from '../../../electron/inference/fork-launcher';
import { connectToParent } from '../../../electron/inference/transport';
import { INSTALLED_MODELS_DIR, sharedFace } from '../../helpers/paths';

function parentPortLauncher(): InferenceChild {
  const entry = resolveInferenceEntry();
  const child = fork(entry.file, [], {
    execArgv: [...entry.execArgv, '--require', path.join(__dirname, 'parentport-shim.cjs')],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return {
    send: (m) => child.send(m as never),
    onMessage: (cb) => child.on('message', (m) => cb(m)),
    onExit: (cb) => child.once('exit', (code) => cb(code)),
    kill: () => child.kill('SIGKILL'),
    pid: child.pid,
  };
}

describe('inference entry under the utilityProcess API', () => {
  it('answers through process.parentPort', async () => {
    const client = await InferenceClient.start({ modelsDir: INSTALLED_MODELS_DIR, embedder: 'mobilefacenet-128', launcher: parentPortLauncher });
    try {
      const a = await client.analyzeFile(sharedFace('deepface/img1.jpg'));
      expect(a.faces).toHaveLength(1);
      expect(a.embedding).toBeInstanceOf(Float32Array);
      await expect(client.analyzeEncoded(new Uint8Array(3))).rejects.toThrow(/empty|not a JPEG/);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('prefers parentPort over process.send and reports no transport when neither exists', () => {
    const sent: unknown[] = [];
    const handlers: Array<(e: { data: unknown }) => void> = [];
    const fakeProc = {
      parentPort: { on: (_: 'message', cb: (e: { data: unknown }) => void) => handlers.push(cb), postMessage: (m: unknown) => sent.push(m) },
      send: () => {
        throw new Error('must not use process.send when parentPort exists');
      },
    } as unknown as NodeJS.Process;
    const t = connectToParent(fakeProc)!;
    expect(t.kind).toBe('electron-utility');
    const got: unknown[] = [];
    t.onMessage((m) => got.push(m));
    handlers[0]!({ data: { id: 1 } });
    t.send({ id: 1, ok: true });
    expect(got).toEqual([{ id: 1 }]);
    expect(sent).toEqual([{ id: 1, ok: true }]);
    expect(connectToParent({} as NodeJS.Process)).toBeNull();
  });
});
