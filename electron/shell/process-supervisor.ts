/**
 * @file Keep one child process running: start it, and when it exits unexpectedly start a new
 * one after the backoff delay. Works for anything with `onExit` and `kill` — Electron's
 * `utilityProcess` (the inference process in the app) or `child_process.fork` (tests, CLI).
 */
import type { BackoffPolicy } from './restart-backoff';
import { RestartBackoff } from './restart-backoff';

export interface SupervisedChild {
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface SupervisorLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface SupervisorOptions<T extends SupervisedChild> {
  readonly name: string;
  readonly start: () => T;
  readonly policy: BackoffPolicy;
  readonly log: SupervisorLog;
  /** Called with each new child (first start and every restart), e.g. to re-send init data. */
  readonly onStarted?: (child: T, restart: boolean) => void;
  readonly now?: () => number;
}

export interface Supervisor<T extends SupervisedChild> {
  /** The live child, or null while waiting to restart or after stop(). */
  current(): T | null;
  readonly restarts: number;
  /** Stop supervising and kill the child; no restart follows. */
  stop(): void;
}

export function superviseProcess<T extends SupervisedChild>(opts: SupervisorOptions<T>): Supervisor<T> {
  const backoff = new RestartBackoff(opts.policy, opts.now);
  let child: T | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let restarts = 0;

  const launch = (restart: boolean): void => {
    const c = opts.start();
    child = c;
    backoff.recordStart();
    c.onExit((code) => {
      if (child !== c) return;
      child = null;
      if (stopped) return;
      const delayMs = backoff.recordCrash();
      opts.log.warn({ process: opts.name, code, delayMs, consecutiveCrashes: backoff.consecutiveCrashes }, 'process exited; restarting after backoff');
      timer = setTimeout(() => {
        timer = null;
        if (stopped) return;
        restarts += 1;
        launch(true);
      }, delayMs);
    });
    opts.onStarted?.(c, restart);
    if (restart) opts.log.info({ process: opts.name, restarts }, 'process restarted');
  };

  launch(false);
  return {
    current: () => child,
    get restarts() {
      return restarts;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = child;
      child = null;
      c?.kill();
    },
  };
}
