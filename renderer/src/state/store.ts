/**
 * @file The one zustand store: which screen shows, what the service last told us, the camera's
 * state. Screens read slices; actions live in ../app/actions.ts so this file stays data-only.
 */
import { create } from 'zustand';
import type {
  EmployeeSummary,
  FrameResult,
  KioskSettings,
  KioskStatus,
  ManagerSession,
  Punch,
} from '../../../electron/contract/channels';

export type Screen =
  | { name: 'loading' }
  | { name: 'fatal'; message: string }
  | { name: 'setup' }
  | { name: 'idle' }
  | { name: 'result'; employeeId: string; employeeName: string; punch: Punch; similarity: number | null }
  | { name: 'unknown' }
  | { name: 'not_verified' }
  | { name: 'pin' }
  | { name: 'managerLogin' }
  | { name: 'manager'; tab: 'home' | 'enrol' | 'employees' | 'status'; enrolFor?: EmployeeSummary };

export type CameraState =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'live'; stream: MediaStream; label: string }
  | { kind: 'error'; reason: 'denied' | 'missing' | 'unplugged' | 'failed'; detail: string };

export interface KioskState {
  screen: Screen;
  settings: KioskSettings | null;
  status: KioskStatus | null;
  manager: ManagerSession | null;
  camera: CameraState;
  /** Last recognition answer, for the live overlay and guidance. */
  lastFrame: FrameResult | null;
  setScreen(screen: Screen): void;
  setSettings(settings: KioskSettings): void;
  setStatus(status: KioskStatus): void;
  setManager(session: ManagerSession | null): void;
  setCamera(camera: CameraState): void;
  setLastFrame(frame: FrameResult | null): void;
}

export const useKiosk = create<KioskState>()((set) => ({
  screen: { name: 'loading' },
  settings: null,
  status: null,
  manager: null,
  camera: { kind: 'off' },
  lastFrame: null,
  setScreen: (screen) => set({ screen }),
  setSettings: (settings) => set({ settings }),
  setStatus: (status) => set({ status }),
  setManager: (manager) => set({ manager }),
  setCamera: (camera) => set({ camera }),
  setLastFrame: (lastFrame) => set({ lastFrame }),
}));
