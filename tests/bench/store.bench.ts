/**
 * @file Store and matching benchmarks: 1:N search over 100,000 templates (Wasm SIMD kernel vs the
 * scalar JS loop) and cold start (open database, unwrap key, decrypt 100,000 rows, build gallery).
 * Synthetic unit vectors (the matcher never looks at where an embedding came from).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Gallery } from '../../electron/matching/gallery';
import { loadGallery } from '../../electron/matching/load-gallery';
import { openDatabase } from '../../electron/store/database';
import { openFileKeyProvider } from '../../electron/store/keys/file-key-provider';
import { packSealed, sealTemplate } from '../../electron/store/template-seal';
import { ensureTenantKey } from '../../electron/store/tenant-keys';
import { nearby, randomUnit, seededRandom } from '../unit/store/store-fixtures';

const N_TEMPLATES = 100_000;
const PER_EMPLOYEE = 4;
const DIM = 128;
const MODEL = 'mobilefacenet-128';

function stats(ms: number[]): { median: number; p95: number; min: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!, min: s[0]! };
}
const f2 = (v: number): string => v.toFixed(2);

async function buildDatabase(dir: string): Promise<Float32Array[]> {
  const db = openDatabase(path.join(dir, 'kiosk.db'));
  const keys = openFileKeyProvider(path.join(dir, 'kek.key'), { create: true });
  const dk = await ensureTenantKey(db, keys, 'default');
  const rand = seededRandom(42);
  const bases: Float32Array[] = [];
  const now = new Date().toISOString();
  const insE = db.prepare("INSERT INTO employees (id, tenant_id, display_name, created_at, updated_at) VALUES (?, 'default', ?, ?, ?)");
  const insT = db.prepare("INSERT INTO templates (id, employee_id, tenant_id, model_id, quality, sealed, created_at) VALUES (?, ?, 'default', ?, 0.9, ?, ?)");
  db.transaction(() => {
    for (let e = 0; e < N_TEMPLATES / PER_EMPLOYEE; e += 1) {
      const id = `E${e}`;
      insE.run(id, `Employee ${e}`, now, now);
      const base = randomUnit(rand, DIM);
      bases.push(base);
      for (let t = 0; t < PER_EMPLOYEE; t += 1) {
        const tid = `${id}-t${t}`;
        const sealed = sealTemplate(dk, { tenantId: 'default', employeeId: id, templateId: tid, modelId: MODEL }, nearby(base, rand, 0.5));
        insT.run(tid, id, MODEL, packSealed(sealed), now);
      }
    }
  })();
  db.close();
  return bases;
}

export default async function run(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-store-'));
  try {
    const t0 = performance.now();
    const bases = await buildDatabase(dir);
    const buildMs = performance.now() - t0;
    const dbBytes = fs.statSync(path.join(dir, 'kiosk.db')).size;

    // Cold start, 5 runs each: open DB + key file, unwrap the tenant key, decrypt every row into the
    // gallery — on worker threads (the default for ≥ 5,000 templates) and on the main thread only.
    const coldStart = async (workers: number): Promise<{ wall: number[]; cpu: number[]; gallery: Gallery }> => {
      const wall: number[] = [];
      const cpu: number[] = [];
      let last: Gallery | null = null;
      for (let i = 0; i < 5; i += 1) {
        last?.clear();
        const u0 = process.cpuUsage();
        const c0 = performance.now();
        const db = openDatabase(path.join(dir, 'kiosk.db'));
        const keys = openFileKeyProvider(path.join(dir, 'kek.key'));
        const { gallery: g, report } = await loadGallery({ db, keys, tenantId: 'default', modelId: MODEL, dim: DIM, workers });
        wall.push(performance.now() - c0);
        const u = process.cpuUsage(u0);
        cpu.push((u.user + u.system) / 1000);
        db.close();
        if (report.templates !== N_TEMPLATES || report.tampered.length) throw new Error(`cold start loaded ${report.templates}, tampered ${report.tampered.length}`);
        last = g;
      }
      return { wall, cpu, gallery: last! };
    };
    const coldSeq = await coldStart(0);
    coldSeq.gallery.clear();
    const coldPar = await coldStart(Math.max(2, Math.min(os.availableParallelism(), 4)));
    const cold = coldPar.wall;
    const coldCpu = coldPar.cpu;
    const gallery = coldPar.gallery;
    const g = gallery!;

    // Search: 300 probes near enrolled people, after 20 warm-up probes.
    const rand = seededRandom(7);
    const probes = Array.from({ length: 320 }, (_, i) => nearby(bases[(i * 7919) % bases.length]!, rand, 0.5));
    const sdb = openDatabase(path.join(dir, 'kiosk.db'));
    const { gallery: scalar } = await loadGallery({ db: sdb, keys: openFileKeyProvider(path.join(dir, 'kek.key')), tenantId: 'default', modelId: MODEL, dim: DIM, simd: false });
    sdb.close();
    const time = (gal: Gallery, n: number): { ms: number[]; ids: string[] } => {
      const ms: number[] = [];
      const ids: string[] = [];
      for (let i = 0; i < n; i += 1) {
        const s0 = performance.now();
        const m = gal.search(probes[i]!)!;
        const dt = performance.now() - s0;
        if (i >= 20) {
          ms.push(dt);
          ids.push(m.employeeId);
        }
      }
      return { ms, ids };
    };
    const simdRun = time(g, 320);
    const scalarRun = time(scalar, 120);
    const load = os.loadavg()[0]!;
    const agree = scalarRun.ids.every((id, i) => id === simdRun.ids[i]);
    const correct = simdRun.ids.filter((id, i) => id === `E${((i + 20) * 7919) % bases.length}`).length;
    const sS = stats(simdRun.ms);
    const sJ = stats(scalarRun.ms);
    const sC = stats(cold);
    const sCpu = stats(coldCpu);
    const sSeq = stats(coldSeq.wall);
    const sSeqCpu = stats(coldSeq.cpu);
    const mb = (N_TEMPLATES * DIM * 4) / 1e6;
    return [
      '## Store and matching',
      '',
      `Machine: ${os.cpus().length}-core ${os.arch()} (${os.cpus()[0]?.model ?? 'unknown CPU'}), shared with other jobs; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. Run: \`npm run bench -- store\`.`,
      '',
      `Gallery: ${N_TEMPLATES.toLocaleString('en')} templates (${N_TEMPLATES / PER_EMPLOYEE} employees × ${PER_EMPLOYEE}), ${DIM}-d float32 = ${mb.toFixed(1)} MB contiguous; database ${(dbBytes / 1e6).toFixed(1)} MB (built in ${(buildMs / 1000).toFixed(1)} s).`,
      '',
      '| measurement | median | p95 | min | target |',
      '|---|---|---|---|---|',
      `| 1:N search, Wasm SIMD kernel (one thread) | ${f2(sS.median)} ms | ${f2(sS.p95)} ms | ${f2(sS.min)} ms | ≤ 5 ms |`,
      `| 1:N search, scalar JS loop (fallback) | ${f2(sJ.median)} ms | ${f2(sJ.p95)} ms | ${f2(sJ.min)} ms | — |`,
      `| cold start: open DB + key file, unwrap, decrypt ${N_TEMPLATES.toLocaleString('en')} rows, build gallery — worker threads (default unless the machine is saturated), wall, 5 runs | ${f2(sC.median)} ms | — | ${f2(sC.min)} ms | ≤ 1000 ms |`,
      `| cold start — main thread only (workers: 0), wall, 5 runs | ${f2(sSeq.median)} ms | — | ${f2(sSeq.min)} ms | — |`,
      `| cold start CPU time, main-thread path (user+sys) | ${f2(sSeqCpu.median)} ms | — | ${f2(sSeqCpu.min)} ms | — |`,
      `| cold start CPU time, worker path (all threads) | ${f2(sCpu.median)} ms | — | ${f2(sCpu.min)} ms | — |`,
      '',
      `SIMD reads ${mb.toFixed(1)} MB per probe in ${f2(sS.median)} ms ≈ ${(mb / 1000 / (sS.median / 1000)).toFixed(1)} GB/s, i.e. at the memory-bandwidth limit the issue expects; float32 is kept (no int8) since it already meets the target with unchanged accuracy. ` +
        `SIMD and scalar picked the same employee for all ${scalarRun.ids.length} common probes: ${agree ? 'yes' : 'NO'}; rank-1 correct ${correct}/${simdRun.ids.length}. Cold start runs with the OS page cache warm (the database was just written). 1-min load average during the run: ${load.toFixed(1)} on ${os.cpus().length} cores.`,
    ].join('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
