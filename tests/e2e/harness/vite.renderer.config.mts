// The renderer build used by the e2e tests: same root and React plugin as the renderer section
// of electron.vite.config.ts, relative base so the bundle can be served from any folder.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.resolve(here, '..', '..', '..', 'renderer'),
  plugins: [react()],
  base: './',
  logLevel: 'warn',
  build: { emptyOutDir: true, sourcemap: false },
});
