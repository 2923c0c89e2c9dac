/**
 * @file `kiosk sync`: run the relay until SIGINT/SIGTERM, or `--once` to drain the queue and
 * exit with a summary; `--status` prints the queue state without sending.
 */
import { Command } from 'commander';
import { ConfigError, InvalidInputError, NotFoundError } from '../common/errors';
import { loadSettings } from '../config/settings';
import { loadDevice } from '../sync/device-identity';
import { SyncRelay, type DrainResult, type RelayLogger } from '../sync/relay';
import { getSyncStatus } from '../sync/status';
import { globalOptions } from './context';
import { CommandFailed, printResult } from './output';
import { openSyncDb, openSyncKeys } from './provision';

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new InvalidInputError(`--${name} must be a positive whole number, got "${v}"`);
  return Number(v);
}

/** One line per relay event on stderr; the objects hold ids and counts, never tokens or keys. */
function stderrLogger(quiet: boolean): RelayLogger {
  const line = (level: string, obj: object, msg: string): void => {
    if (!quiet) process.stderr.write(`kiosk sync: ${level} ${msg} ${JSON.stringify(obj)}\n`);
  };
  return { info: (o, m) => line('info', o, m), warn: (o, m) => line('warn', o, m) };
}

interface SyncOpts {
  once?: boolean;
  status?: boolean;
  timeout?: string;
  batchSize?: string;
  requestTimeoutMs?: string;
  backoffBaseMs?: string;
  backoffCapMs?: string;
  idlePollMs?: string;
  quiet?: boolean;
}

export function buildSyncCommand(): Command {
  return new Command('sync')
    .description('send queued attendance events to the cloud (runs until stopped; --once drains and exits)')
    .option('--once', 'drain the queue, print a summary and exit (1 if not everything was delivered)')
    .option('--status', 'print queue length, last success, dead letters and authorisation state, then exit')
    .option('--timeout <seconds>', 'with --once: give up after this long (default 60)')
    .option('--batch-size <n>', 'events per request (default: settings sync.batchSize)')
    .option('--request-timeout-ms <ms>', 'deadline for one request (default 30000)')
    .option('--backoff-base-ms <ms>', 'first retry delay bound (default 1000)')
    .option('--backoff-cap-ms <ms>', 'largest retry delay bound (default 300000)')
    .option('--idle-poll-ms <ms>', 'how often an idle relay looks for new events (default 30000)')
    .option('--quiet', 'no progress lines on stderr')
    .action(async (o: SyncOpts, c: Command) => {
      const g = globalOptions(c);
      const timeoutS = positiveInt('timeout', o.timeout);
      const batchSize = positiveInt('batch-size', o.batchSize);
      const requestTimeoutMs = positiveInt('request-timeout-ms', o.requestTimeoutMs);
      const baseMs = positiveInt('backoff-base-ms', o.backoffBaseMs);
      const capMs = positiveInt('backoff-cap-ms', o.backoffCapMs);
      const idlePollMs = positiveInt('idle-poll-ms', o.idlePollMs);
      const { dataDir, db } = openSyncDb(g);
      try {
        if (o.status) {
          const st = getSyncStatus(db);
          printResult(g, st, () =>
            [
              `queue        ${st.queueLength} event(s)`,
              `last success ${st.lastSuccessAt ?? 'never'}`,
              `dead letters ${st.deadLetters}`,
              st.unauthorised ? `UNAUTHORISED ${st.unauthorisedReason ?? ''}` : `authorised   ${st.provisioned ? 'yes' : 'not provisioned'}`,
              st.lastError ? `last error   ${st.lastError}` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          );
          return;
        }
        const settings = loadSettings(dataDir);
        if (!loadDevice(db)) throw new NotFoundError('this terminal is not provisioned; run: kiosk provision --endpoint URL --tenant ID --device-token TOKEN');
        if (!settings.endpoint) throw new ConfigError('no sync endpoint is set; run: kiosk provision --endpoint URL …');
        const relay = new SyncRelay(db, {
          keys: openSyncKeys(g, dataDir, db),
          getEndpoint: () => loadSettings(dataDir).endpoint,
          batchSize: batchSize ?? settings.sync.batchSize,
          backoff: { ...(baseMs ? { baseMs } : {}), ...(capMs ? { capMs } : {}) },
          ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
          ...(idlePollMs ? { idlePollMs } : {}),
          logger: stderrLogger(o.quiet === true || g.json === true),
        });
        let result: DrainResult;
        if (o.once) {
          result = await relay.drain({ timeoutMs: (timeoutS ?? 60) * 1000 });
        } else {
          relay.start();
          await new Promise<void>((resolve) => {
            const stop = (): void => {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
              resolve();
            };
            process.on('SIGINT', stop);
            process.on('SIGTERM', stop);
          });
          await relay.stop();
          result = { outcome: 'stopped', summary: relay.summary };
        }
        const st = getSyncStatus(db);
        const out = { outcome: result.outcome, ...(result.detail ? { detail: result.detail } : {}), ...result.summary, queueLength: st.queueLength, deadLetters: st.deadLetters, unauthorised: st.unauthorised };
        printResult(g, out, () =>
          `${result.outcome}: ${result.summary.accepted} accepted, ${result.summary.duplicates} duplicate(s), ${result.summary.rejected} rejected, ` +
          `${result.summary.retries} retr${result.summary.retries === 1 ? 'y' : 'ies'} over ${result.summary.requests} request(s); ${st.queueLength} still queued` +
          (result.detail ? ` (${result.detail})` : ''),
        );
        if (o.once && result.outcome !== 'drained') throw new CommandFailed();
      } finally {
        db.close();
      }
    });
}
