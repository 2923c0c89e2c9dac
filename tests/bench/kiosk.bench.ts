/**
 * @file Kiosk service per-frame cost: one 640x480 RGBA camera frame through the real service
 * (contract validation, inference process round trip, open-set identification, agreement
 * tracking, frame wipe) and a full 3-frame decision ending in a recorded punch. The
 * face-enters-frame → result-card latency in Chromium is measured by tests/e2e/kiosk.e2e.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTRACT } from '../../electron/contract/channels';
import { dispatchChannel } from '../../electron/contract/dispatch';
import { saveSettings } from '../../electron/config/settings';
import { startKioskRuntime } from '../../electron/kiosk/runtime';
import { openFileKeyProvider } from '../../electron/store/keys/file-key-provider';
import { INSTALLED_MODELS_DIR } from '../helpers/paths';
import { cameraFrameOf, copyFrame } from '../unit/kiosk/face-frames';

const FRAMES = 90;

function pct(ms: number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
}

export default async function benchKiosk(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-'));
  // Repeat window 0 so every decision records a punch; 3 agreeing frames as shipped.
  saveSettings(dir, { recognition: { agreeingFrames: 3 }, punch: { repeatWindowSeconds: 0 } });
  const rt = await startKioskRuntime({
    dataDir: dir,
    modelsDir: INSTALLED_MODELS_DIR,
    keys: openFileKeyProvider(path.join(dir, 'kiosk.key'), { create: true }),
    embedder: process.env.KIOSK_EMBEDDER ?? 'mobilefacenet-128',
  });
  const call = async (ch: keyof typeof CONTRACT, payload: unknown = {}) => {
    const r = await dispatchChannel(CONTRACT, rt.service, ch, payload);
    if (!r.ok) throw new Error(`${ch}: ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  try {
    await call('setupManager', { employeeId: 'm1', name: 'Manager', pin: '2468' });
    await call('createEmployee', { employeeId: 'e1', name: 'Ana' });
    const { sessionId, needed } = (await call('enrolBegin', { employeeId: 'e1' })) as { sessionId: string; needed: number };
    const notice = (await call('consentNotice', { language: 'en' })) as { version: string };
    await call('enrolConsent', { sessionId, decision: 'accepted', noticeVersion: notice.version });
    const enrolFrame = await cameraFrameOf('deepface/img1.jpg');
    for (let i = 0; i < needed; i += 1) await call('enrolAddFrame', { sessionId, frame: copyFrame(enrolFrame) });
    await call('enrolCommit', { sessionId });

    const probe = await cameraFrameOf('deepface/img2.jpg');
    const perFrame: number[] = [];
    const perDecision: number[] = [];
    let decisionStart = performance.now();
    for (let i = 0; i < 10; i += 1) await call('processFrame', { frame: copyFrame(probe) }); // warm-up
    await call('resetRecognition');
    for (let i = 0; i < FRAMES; i += 1) {
      const frame = copyFrame(probe);
      const t = performance.now();
      const r = await call('processFrame', { frame });
      perFrame.push(performance.now() - t);
      if (r.kind === 'recognized') {
        perDecision.push(performance.now() - decisionStart);
        await call('resetRecognition');
        decisionStart = performance.now();
      }
    }
    const f = (x: number) => x.toFixed(1);
    return [
      '### Kiosk service: `npm run bench -- kiosk` (tests/bench/kiosk.bench.ts)',
      '',
      `${FRAMES} frames of deepface/img2.jpg (640x480 RGBA) against a gallery with that person enrolled; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}.`,
      '',
      '| what | p50 / p95 ms |',
      '|---|---|',
      `| one \`processFrame\` through dispatchChannel (validation, inference round trip, identify, agreement, wipe) | ${f(pct(perFrame, 0.5))} / ${f(pct(perFrame, 0.95))} |`,
      `| one decision: 3 agreeing frames back to back + punch recorded (${perDecision.length} decisions) | ${f(pct(perDecision, 0.5))} / ${f(pct(perDecision, 0.95))} |`,
    ].join('\n');
  } finally {
    await rt.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
