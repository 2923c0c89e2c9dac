import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../helpers/paths';

async function lintAs(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: PROJECT_ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layering lint rule', () => {
  it('fails an electron import in Node-only code', async () => {
    for (const file of ['electron/engine/fixture.ts', 'electron/store/fixture.ts', 'electron/cli/fixture.ts', 'electron/sync/fixture.ts']) {
      const msgs = await lintAs(file, "import { app } from 'electron';\nexport const x = app;\n");
      expect(msgs.some((m) => m.startsWith('no-restricted-imports') && /must not import electron/.test(m)), file).toBe(true);
    }
  });

  it('allows electron in the main process and preload', async () => {
    for (const file of ['electron/main/fixture.ts', 'electron/preload/fixture.ts']) {
      expect(await lintAs(file, "import { app } from 'electron';\nexport const x = app;\n"), file).toEqual([]);
    }
  });

  it('keeps Node and Electron out of the renderer and the shared contract', async () => {
    for (const file of ['renderer/src/fixture.ts', 'electron/contract/fixture.ts']) {
      const msgs = await lintAs(file, "import fs from 'node:fs';\nexport const x = fs;\n");
      expect(msgs.some((m) => m.startsWith('no-restricted-imports')), file).toBe(true);
    }
  });
});
