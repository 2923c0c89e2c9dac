/**
 * @file Electron main entry (foundation skeleton; the shell issue hardens and wires it).
 */
import { app, BrowserWindow } from 'electron';
import path from 'node:path';

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1080,
    height: 1920,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  void win.loadFile(path.join(__dirname, '../renderer/index.html'));
}

void app.whenReady().then(createWindow);
