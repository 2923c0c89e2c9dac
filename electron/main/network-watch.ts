/**
 * @file Tell the sync relay when the network comes back (or the machine wakes), so events
 * waiting out a network failure go at once instead of after their backoff. The main process has
 * no "online" event, so `net.isOnline()` is sampled; the relay itself is async I/O in this
 * process and never blocks the UI.
 */
import { net, powerMonitor } from 'electron';
import type { Logger } from '../logging/logger';
import { notifyNetworkChanged } from '../sync/relay';

const SAMPLE_MS = 15_000;

export function watchNetwork(log: Logger): () => void {
  let online = net.isOnline();
  const timer = setInterval(() => {
    const now = net.isOnline();
    if (now !== online) {
      online = now;
      log.info({ online }, 'network changed');
      if (online) notifyNetworkChanged();
    }
  }, SAMPLE_MS);
  const onResume = (): void => {
    log.info({}, 'resumed from sleep');
    notifyNetworkChanged();
  };
  powerMonitor.on('resume', onResume);
  return () => {
    clearInterval(timer);
    powerMonitor.off('resume', onResume);
  };
}
