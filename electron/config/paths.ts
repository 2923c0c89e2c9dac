/**
 * @file Where things live on disk. Pure functions of environment and platform so the
 * Electron main process and the CLI agree on one data directory without importing `electron`.
 */
import os from 'node:os';
import path from 'node:path';

/** Must match electron-builder's productName: Electron derives `userData` from it. */
export const PRODUCT_NAME = 'IntelliFace Kiosk';

export interface PathEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
}

const defaultPathEnv = (): PathEnv => ({ env: process.env, platform: process.platform, homedir: os.homedir() });

/**
 * The per-user application data directory, identical to Electron's `app.getPath('userData')`
 * (appData + productName), so `kiosk` CLI commands and the app see the same database.
 */
export function resolveDefaultDataDir(pe: PathEnv = defaultPathEnv()): string {
  const { env, platform, homedir } = pe;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(homedir, '.config'), PRODUCT_NAME);
}

/** `--data-dir` beats `KIOSK_DATA_DIR` beats the per-OS default. */
export function resolveDataDir(flag: string | undefined, pe: PathEnv = defaultPathEnv()): string {
  if (flag) return path.resolve(flag);
  if (pe.env.KIOSK_DATA_DIR) return path.resolve(pe.env.KIOSK_DATA_DIR);
  return resolveDefaultDataDir(pe);
}

/** The project's `models/` folder (source checkout or `out/` bundle both sit two levels below it). */
export function resolveBundledModelsDir(): string {
  return path.resolve(__dirname, '..', '..', 'models');
}

/** `--models-dir` beats `KIOSK_MODELS_DIR` beats the bundled folder. */
export function resolveModelsDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.KIOSK_MODELS_DIR) return path.resolve(env.KIOSK_MODELS_DIR);
  return resolveBundledModelsDir();
}

/**
 * Machine-wide configuration directory where IT or MDM drops `provisioning.json`.
 * Windows: %ProgramData%; macOS: /Library/Application Support; Linux: /etc.
 */
export function resolveMachineConfigDir(pe: PathEnv = defaultPathEnv()): string {
  const { env, platform } = pe;
  if (env.KIOSK_MACHINE_CONFIG_DIR) return path.resolve(env.KIOSK_MACHINE_CONFIG_DIR);
  if (platform === 'win32') return path.join(env.ProgramData ?? 'C:\\ProgramData', PRODUCT_NAME);
  if (platform === 'darwin') return path.join('/Library/Application Support', PRODUCT_NAME);
  return path.join('/etc', 'intelliface-kiosk');
}
