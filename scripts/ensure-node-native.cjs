#!/usr/bin/env node
// `npm start` rebuilds better-sqlite3 for Electron's ABI (electron-builder install-app-deps);
// plain Node (tests, the kiosk CLI) then fails with NODE_MODULE_VERSION. Check and rebuild for
// Node only when needed, so the README's commands work in any order.
const { execSync } = require('node:child_process');

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch (e) {
    if (/NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header/.test(String(e && e.message))) return false;
    throw e;
  }
}

if (!loads()) {
  process.stderr.write('kiosk: better-sqlite3 is built for Electron; rebuilding it for Node…\n');
  execSync('npm rebuild better-sqlite3', { stdio: ['ignore', 'ignore', 'inherit'] });
}
