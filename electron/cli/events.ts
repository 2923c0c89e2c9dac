/**
 * @file `kiosk events export|verify`: payroll export and an integrity check of the local log.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { exportEvents, type ExportFormat } from '../attendance/export';
import { verifyEventChain } from '../attendance/verify-chain';
import { globalOptions } from './context';
import { CommandFailed, printResult } from './output';
import { openSyncDb } from './provision';

export function buildEventsCommand(): Command {
  const events = new Command('events').description('attendance events on this terminal');

  events
    .command('export')
    .description('export events for payroll (CSV or JSON) to stdout or --out')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .option('--from <iso>', 'first instant, inclusive (2026-12-01 or 2026-12-01T00:00:00+01:00)')
    .option('--to <iso>', 'end instant, exclusive')
    .option('--employee <id>', 'only this employee')
    .option('--out <file>', 'write to a file (mode 0600) instead of stdout')
    .action((o: { format: ExportFormat; from?: string; to?: string; employee?: string; out?: string }, c: Command) => {
      const g = globalOptions(c);
      const { db } = openSyncDb(g);
      try {
        const text = exportEvents(db, {
          format: o.format,
          ...(o.from ? { from: o.from } : {}),
          ...(o.to ? { to: o.to } : {}),
          ...(o.employee ? { employeeId: o.employee } : {}),
        });
        if (o.out) {
          fs.writeFileSync(o.out, text, { mode: 0o600 });
          process.stderr.write(`kiosk: wrote ${o.out}\n`);
        } else {
          // The export is the output in either format; --json does not wrap it.
          process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        }
      } finally {
        db.close();
      }
    });

  events
    .command('verify')
    .description('check the hash chain and gap-free seq of the local event log; exits 1 when broken')
    .action((_o: unknown, c: Command) => {
      const g = globalOptions(c);
      const { db } = openSyncDb(g);
      try {
        const r = verifyEventChain(db);
        printResult(g, r, () => (r.ok ? `ok: ${r.events} events, chain intact` : `BROKEN at seq ${r.firstBreak!.seq} (${r.firstBreak!.problem}) after ${r.events} good events`));
        if (!r.ok) throw new CommandFailed();
      } finally {
        db.close();
      }
    });

  return events;
}
