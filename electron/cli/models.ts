/**
 * @file `kiosk models install|fetch|verify|list`.
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { selectModels } from '../models/manifest';
import { fetchModels, installModelsFrom, verifyModels, type FetchProgress, type InstallResult } from '../models/provision';
import { globalOptions, manifestOf, modelsDirOf } from './context';
import { CommandFailed, printResult } from './output';

function parseOnly(value: string | undefined): string[] | undefined {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

function describeInstall(results: InstallResult[]): string {
  return results.map((r) => `${r.status.padEnd(17)} ${r.id}${r.reason ? `  (${r.reason})` : ''}`).join('\n');
}

function progressBar(): FetchProgress {
  const bar = new cliProgress.SingleBar(
    { format: '{id} [{bar}] {percentage}% {value}/{total} bytes', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (id, total) => bar.start(total, 0, { id }),
    tick: (n) => bar.increment(n),
    stop: () => bar.stop(),
  };
}

export function buildModelsCommand(): Command {
  const models = new Command('models').description('install, download and verify the face models');

  models
    .command('install')
    .description('copy models from a folder (offline install), verifying size and SHA-256 of each')
    .requiredOption('--from <dir>', 'folder holding the .onnx files')
    .option('--only <ids>', 'comma-separated model ids (default: every model found)')
    .action(async (o: { from: string; only?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const results = await installModelsFrom(manifestOf(g), o.from, modelsDirOf(g), parseOnly(o.only));
      printResult(g, { modelsDir: modelsDirOf(g), results }, () => describeInstall(results));
      if (results.some((r) => r.status === 'refused')) throw new CommandFailed();
    });

  models
    .command('fetch')
    .description('download models from their upstream URLs (needs a network), verifying each')
    .option('--only <ids>', 'comma-separated model ids (default: all)')
    .action(async (o: { only?: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const progress = g.json || !process.stderr.isTTY ? undefined : progressBar();
      const results = await fetchModels(manifestOf(g), modelsDirOf(g), {
        ...(parseOnly(o.only) ? { only: parseOnly(o.only) } : {}),
        ...(progress ? { progress } : {}),
      });
      printResult(g, { modelsDir: modelsDirOf(g), results }, () => describeInstall(results));
      if (results.some((r) => r.status === 'refused')) throw new CommandFailed();
    });

  models
    .command('verify')
    .description('check every installed model file; exits 1 if one is corrupt or an active model is missing')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globalOptions(cmd);
      const manifest = manifestOf(g);
      const reports = await verifyModels(manifest, modelsDirOf(g));
      const sel = selectModels(manifest);
      const active = new Set([sel.detector.id, sel.embedder.id, ...sel.liveness.map((m) => m.id)]);
      const rows = reports.map((r) => ({ ...r, active: active.has(r.id) }));
      const ok = rows.every((r) => r.status === 'ok' || (r.status === 'missing' && !r.active));
      printResult(g, { modelsDir: modelsDirOf(g), ok, models: rows }, () =>
        rows
          .map((r) => `${r.status.padEnd(8)} ${r.id.padEnd(22)} ${r.active ? 'active ' : '       '}${r.reason ? ` ${r.reason}` : ''}`)
          .join('\n'),
      );
      if (!ok) throw new CommandFailed();
    });

  models
    .command('list')
    .description('list the models the manifest knows')
    .action((_o: unknown, cmd: Command) => {
      const g = globalOptions(cmd);
      const manifest = manifestOf(g);
      printResult(g, manifest.models, () =>
        manifest.models.map((m) => `${m.id.padEnd(22)} ${m.kind.padEnd(9)} ${m.license.padEnd(11)} ${m.file}`).join('\n'),
      );
    });

  return models;
}
