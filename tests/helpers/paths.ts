/**
 * @file Where tests find the project and the shared, read-only test data (never copied in).
 */
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED_DIR = process.env.KIOSK_SHARED_DIR ?? path.resolve(PROJECT_ROOT, '..', 'shared');
export const SHARED_MODELS_DIR = path.join(SHARED_DIR, 'models');
export const SHARED_FACES_DIR = path.join(SHARED_DIR, 'faces');
export const INSTALLED_MODELS_DIR = path.join(PROJECT_ROOT, 'models');

export function sharedFace(rel: string): string {
  return path.join(SHARED_FACES_DIR, rel);
}
