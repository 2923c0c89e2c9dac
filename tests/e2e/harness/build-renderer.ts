/**
 * @file Build the real renderer bundle with the vite CLI into a temp dir for the e2e server.
 * Spawned rather than imported: vite 8 (rolldown) driven through tsx's CommonJS loader fails in
 * its manifest plugin, while the CLI builds the same config cleanly.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../helpers/paths';

export function buildRenderer(outDir: string): string {
  const vite = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = path.join(__dirname, 'vite.renderer.config.mts');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', config, '--outDir', outDir], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0 || !fs.existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(`renderer build failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
  return outDir;
}
