/**
 * @file `kiosk clock`: a manager's corrected punch from the command line (audited).
 * Face and PIN punches happen on the kiosk screen, so the CLI accepts only --method manager.
 */
import os from 'node:os';
import { Command, Option } from 'commander';
import { isKnownEmployee, recordCorrection } from '../attendance/punch';
import { EVENT_TYPES, type EventType } from '../attendance/types';
import { InvalidInputError } from '../common/errors';
import { globalOptions } from './context';
import { printResult } from './output';
import { openSyncDb } from './provision';

export function buildClockCommand(): Command {
  return new Command('clock')
    .description('record a corrected punch for an employee (method manager, with a reason; audited)')
    .requiredOption('--employee <id>', 'employee id')
    .addOption(new Option('--type <type>', 'event type').choices([...EVENT_TYPES]).makeOptionMandatory())
    .requiredOption('--at <iso8601>', 'when it really happened, with a zone, e.g. 2026-12-03T08:00:00+01:00')
    .requiredOption('--reason <text>', 'why the correction is needed (kept with the event and in the audit log)')
    .option('--method <method>', 'only "manager": corrections are manager punches', 'manager')
    .option('--actor <id>', 'who makes the correction (default: cli:<OS user>)')
    .option('--tz-offset <minutes>', 'terminal offset from UTC in minutes east (default: this machine at --at)')
    .option('--corrects <eventId>', 'the event this correction answers, if any')
    .action((o: { employee: string; type: EventType; at: string; reason: string; method: string; actor?: string; tzOffset?: string; corrects?: string }, c: Command) => {
      const g = globalOptions(c);
      if (o.method !== 'manager') throw new InvalidInputError(`--method must be manager (face and PIN punches are made at the kiosk), got "${o.method}"`);
      let tz: number | undefined;
      if (o.tzOffset !== undefined) {
        if (!/^[+-]?\d{1,3}$/.test(o.tzOffset)) throw new InvalidInputError(`--tz-offset must be whole minutes, got "${o.tzOffset}"`);
        tz = Number(o.tzOffset);
      }
      const { db } = openSyncDb(g);
      try {
        const e = recordCorrection(db, {
          employeeId: o.employee,
          type: o.type,
          at: o.at,
          reason: o.reason,
          actor: o.actor ?? `cli:${os.userInfo().username}`,
          ...(tz !== undefined ? { tzOffsetMinutes: tz } : {}),
          ...(o.corrects ? { correctsEventId: o.corrects } : {}),
        });
        if (!isKnownEmployee(db, e.employeeId)) process.stderr.write(`kiosk: warning: employee ${e.employeeId} is not known on this terminal (recorded anyway)\n`);
        printResult(g, e, () => `recorded ${e.type} for ${e.employeeId} at ${e.occurredAt} (seq ${e.seq}, event ${e.id})`);
      } finally {
        db.close();
      }
    });
}
