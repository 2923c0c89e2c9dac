/**
 * @file `npm run bench`: imports every tests/bench/*.bench.ts, runs its default export
 * (`async () => markdown section`) one after another, and prints the sections.
 * Pass names to run only some: `npm run bench -- engine`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(__dirname, f)).href)) as { default?: unknown };
    const run = typeof mod.default === 'function' ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
    if (typeof run !== 'function') throw new Error(`${f} has no default export function`);
    process.stderr.write(`bench: ${f}\n`);
    process.stdout.write(`${String(await (run as () => Promise<string>)())}\n\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
