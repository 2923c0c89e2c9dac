/**
 * @file Read the versioned consent notice (resources/consent/<version>/<lang>.md). The newest
 * version folder is current; the version shown is what the consent record stores.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, InvalidInputError } from '../common/errors';

export interface ConsentNoticeText {
  readonly version: string;
  readonly language: string;
  readonly title: string;
  readonly body: string;
}

const VERSION_RE = /^[0-9]{4}-[0-9]{2}$/;

/** The bundled notices folder (source checkout and the `out/` bundle both sit two levels below the root). */
export function resolveConsentDir(): string {
  return path.resolve(__dirname, '..', '..', 'resources', 'consent');
}

export function listConsentVersions(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new ConfigError(`consent notices folder ${dir} does not exist`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && VERSION_RE.test(d.name))
    .map((d) => d.name)
    .sort();
}

export function currentConsentVersion(dir: string): string {
  const versions = listConsentVersions(dir);
  const latest = versions[versions.length - 1];
  if (!latest) throw new ConfigError(`no consent notice version (YYYY-MM folder) in ${dir}`);
  return latest;
}

export function loadConsentNotice(dir: string, language: string, version: string = currentConsentVersion(dir)): ConsentNoticeText {
  if (!VERSION_RE.test(version)) throw new InvalidInputError(`consent notice version must be YYYY-MM, got ${JSON.stringify(version)}`);
  if (!/^[a-z]{2}$/.test(language)) throw new InvalidInputError(`language must be a two-letter code, got ${JSON.stringify(language)}`);
  const file = path.join(dir, version, `${language}.md`);
  if (!fs.existsSync(file)) throw new ConfigError(`consent notice ${version} has no ${language} text (${file})`);
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trim();
  const [first = '', ...rest] = text.split('\n');
  if (!first.startsWith('# ')) throw new ConfigError(`${file}: the first line must be "# <title>"`);
  return { version, language, title: first.slice(2).trim(), body: rest.join('\n').trim() };
}
