/**
 * @file Options every command shares and the objects they resolve to.
 */
import type { Command } from 'commander';
import { resolveDataDir, resolveModelsDir } from '../config/paths';
import { loadManifest, type Manifest } from '../models/manifest';

export interface GlobalOptions {
  readonly json?: boolean;
  readonly dataDir?: string;
  readonly modelsDir?: string;
  readonly keyFile?: string;
}

/** Options of the root program merged with the command's own (commander keeps them apart). */
export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export function modelsDirOf(opts: GlobalOptions): string {
  return resolveModelsDir(opts.modelsDir);
}

export function dataDirOf(opts: GlobalOptions): string {
  return resolveDataDir(opts.dataDir);
}

export function manifestOf(opts: GlobalOptions): Manifest {
  return loadManifest(modelsDirOf(opts));
}
