/**
 * @file `kiosk employees list|delete`.
 */
import { Command } from 'commander';
import { deleteEmployee } from '../store/erasure';
import { listEmployees } from '../store/employees';
import { listEmployeesNeedingReenrolment } from '../store/templates';
import { globalOptions } from './context';
import { printResult } from './output';
import { activeEmbedderOf, openStoreContext } from './store-context';

export function buildEmployeesCommand(): Command {
  const employees = new Command('employees').description('list and delete enrolled employees');

  employees
    .command('list')
    .description('employees of this terminal: role, status, templates, PIN, last seen')
    .action((_o: unknown, cmd: Command) => {
      const g = globalOptions(cmd);
      const ctx = openStoreContext(g);
      try {
        const { model } = activeEmbedderOf(g, ctx.settings);
        const reenrol = new Set(listEmployeesNeedingReenrolment(ctx.db, ctx.tenantId, model.id));
        const rows = listEmployees(ctx.db, { tenantId: ctx.tenantId }).map((e) => ({
          id: e.id,
          name: e.displayName,
          role: e.role,
          status: e.status,
          templates: e.templateCount,
          hasPin: e.hasPin,
          lastSeenAt: e.lastSeenAt,
          needsReenrolment: reenrol.has(e.id),
        }));
        printResult(g, rows, () =>
          rows.length === 0
            ? 'no employees'
            : rows
                .map((r) => `${r.id.padEnd(16)} ${r.name.padEnd(28)} ${r.role.padEnd(8)} ${r.status.padEnd(8)} ${String(r.templates).padStart(2)} templates${r.hasPin ? '  PIN' : ''}${r.needsReenrolment ? '  needs re-enrolment' : ''}`)
                .join('\n'),
        );
      } finally {
        ctx.close();
      }
    });

  employees
    .command('delete')
    .description('delete an employee: templates and PIN are erased now; an audit tombstone remains')
    .argument('<id>', 'employee id')
    .option('--reason <text>', 'why (kept in the audit log)', 'deleted with kiosk CLI')
    .action((id: string, o: { reason: string }, cmd: Command) => {
      const g = globalOptions(cmd);
      const ctx = openStoreContext(g);
      try {
        const r = deleteEmployee(ctx.db, id, { actor: 'cli', reason: o.reason });
        printResult(g, r, () => `deleted ${r.employeeId}: ${r.templatesRemoved} templates erased`);
      } finally {
        ctx.close();
      }
    });

  return employees;
}
