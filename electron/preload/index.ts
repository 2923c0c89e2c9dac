/**
 * @file Sandboxed preload (foundation skeleton): exposes the contract as `window.kiosk`.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('kiosk', {});
