/**
 * @file The templates repository: sealed embeddings, several per employee, each tagged with the
 * model that produced it. Plaintext embeddings exist only in memory; this module seals before
 * insert and hands sealed rows to the gallery.
 */
import { v4 as uuidv4 } from 'uuid';
import { InvalidInputError, NotFoundError } from '../common/errors';
import type { Db } from './database';
import { packSealed, sealTemplate, unpackSealed, type SealedTemplate, type TemplateBinding } from './template-seal';
import { assertEmployeeId, assertTenantId } from './validate';

export interface NewTemplate {
  readonly employeeId: string;
  readonly tenantId: string;
  readonly modelId: string;
  /** Quality score of the sample it came from (0..1, higher is better). */
  readonly quality: number;
  readonly embedding: Float32Array;
}

export interface TemplateRecord {
  readonly id: string;
  readonly employeeId: string;
  readonly tenantId: string;
  readonly modelId: string;
  readonly quality: number;
  readonly createdAt: string;
}

export interface SealedTemplateRow extends TemplateBinding, SealedTemplate {}

/** Seal and insert one template (call inside the caller's transaction for several). */
export function storeTemplate(db: Db, dataKey: Uint8Array, t: NewTemplate, now: Date = new Date()): TemplateRecord {
  assertEmployeeId(t.employeeId);
  assertTenantId(t.tenantId);
  if (typeof t.modelId !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(t.modelId)) throw new InvalidInputError(`invalid model id ${JSON.stringify(t.modelId)}`);
  if (!Number.isFinite(t.quality)) throw new InvalidInputError('template quality must be a finite number');
  const owner = db.prepare('SELECT tenant_id FROM employees WHERE id = ?').pluck().get(t.employeeId) as string | undefined;
  if (owner === undefined) throw new NotFoundError(`employee ${t.employeeId} not found; create the employee before storing templates`, { employeeId: t.employeeId });
  if (owner !== t.tenantId) throw new InvalidInputError(`employee ${t.employeeId} belongs to tenant ${owner}, not ${t.tenantId}`);
  const id = uuidv4();
  const sealed = sealTemplate(dataKey, { tenantId: t.tenantId, employeeId: t.employeeId, templateId: id, modelId: t.modelId }, t.embedding);
  const createdAt = now.toISOString();
  db.prepare('INSERT INTO templates (id, employee_id, tenant_id, model_id, quality, sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    t.employeeId,
    t.tenantId,
    t.modelId,
    t.quality,
    packSealed(sealed),
    createdAt,
  );
  return { id, employeeId: t.employeeId, tenantId: t.tenantId, modelId: t.modelId, quality: t.quality, createdAt };
}

/** Every sealed template of a tenant and model, ordered by employee (for the gallery). */
export function listSealedTemplates(db: Db, tenantId: string, modelId: string): SealedTemplateRow[] {
  assertTenantId(tenantId);
  return (
    db
      .prepare('SELECT id AS templateId, employee_id AS employeeId, tenant_id AS tenantId, model_id AS modelId, sealed FROM templates WHERE tenant_id = ? AND model_id = ? ORDER BY employee_id, id')
      .all(tenantId, modelId) as Array<TemplateBinding & { sealed: Buffer }>
  ).map(({ sealed, ...b }) => ({ ...b, ...unpackSealed(sealed) }));
}

/**
 * The cheapest read for cold start: [templateId, employeeId, sealed blob] tuples straight from
 * better-sqlite3's raw mode, in table order.
 */
export function iterateSealedBlobs(db: Db, tenantId: string, modelId: string): IterableIterator<[string, string, Buffer]> {
  assertTenantId(tenantId);
  return db.prepare('SELECT id, employee_id, sealed FROM templates WHERE tenant_id = ? AND model_id = ?').raw(true).iterate(tenantId, modelId) as IterableIterator<
    [string, string, Buffer]
  >;
}

/** Number of templates of a tenant and model (to size the gallery before loading). */
export function countTemplates(db: Db, tenantId: string, modelId: string): number {
  assertTenantId(tenantId);
  return db.prepare('SELECT COUNT(*) FROM templates WHERE tenant_id = ? AND model_id = ?').pluck().get(tenantId, modelId) as number;
}

export function listSealedTemplatesOf(db: Db, employeeId: string, modelId: string): SealedTemplateRow[] {
  assertEmployeeId(employeeId);
  return (
    db
      .prepare('SELECT id AS templateId, employee_id AS employeeId, tenant_id AS tenantId, model_id AS modelId, sealed FROM templates WHERE employee_id = ? AND model_id = ? ORDER BY id')
      .all(employeeId, modelId) as Array<TemplateBinding & { sealed: Buffer }>
  ).map(({ sealed, ...b }) => ({ ...b, ...unpackSealed(sealed) }));
}

export interface ModelTemplateCount {
  readonly modelId: string;
  readonly templates: number;
  readonly employees: number;
}

/** How many templates (and employees) each model id has in a tenant. */
export function countTemplatesByModel(db: Db, tenantId: string): ModelTemplateCount[] {
  assertTenantId(tenantId);
  return db
    .prepare('SELECT model_id AS modelId, COUNT(*) AS templates, COUNT(DISTINCT employee_id) AS employees FROM templates WHERE tenant_id = ? GROUP BY model_id ORDER BY model_id')
    .all(tenantId) as ModelTemplateCount[];
}

/** Template counts of every model of a tenant except `modelId` (index range scans; cheap when the other models are few). */
export function countOtherModelTemplates(db: Db, tenantId: string, modelId: string): ModelTemplateCount[] {
  assertTenantId(tenantId);
  return db
    .prepare(
      `SELECT model_id AS modelId, COUNT(*) AS templates, COUNT(DISTINCT employee_id) AS employees FROM templates
       WHERE tenant_id = ? AND (model_id < ? OR model_id > ?) GROUP BY model_id ORDER BY model_id`,
    )
    .all(tenantId, modelId, modelId) as ModelTemplateCount[];
}

/** Employees of a tenant with templates of some other model but none of `modelId`: they need re-enrolment. */
export function listEmployeesNeedingReenrolment(db: Db, tenantId: string, modelId: string): string[] {
  assertTenantId(tenantId);
  return db
    .prepare(
      `SELECT DISTINCT t.employee_id FROM templates t WHERE t.tenant_id = ? AND (t.model_id < ? OR t.model_id > ?)
       AND NOT EXISTS (SELECT 1 FROM templates a WHERE a.employee_id = t.employee_id AND a.model_id = ?) ORDER BY t.employee_id`,
    )
    .pluck()
    .all(tenantId, modelId, modelId, modelId) as string[];
}

export function deleteTemplatesOf(db: Db, employeeId: string): number {
  assertEmployeeId(employeeId);
  return db.prepare('DELETE FROM templates WHERE employee_id = ?').run(employeeId).changes;
}
