/**
 * @file Write resources/provisioning.schema.json from the zod schema:
 * `npx tsx electron/config/export-provisioning-schema.ts`. A test fails when the file is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildProvisioningJsonSchema } from './provisioning';

export const PROVISIONING_SCHEMA_PATH = path.resolve(__dirname, '..', '..', 'resources', 'provisioning.schema.json');

export function formatProvisioningJsonSchema(): string {
  return `${JSON.stringify(buildProvisioningJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(PROVISIONING_SCHEMA_PATH, formatProvisioningJsonSchema());
  console.log(`wrote ${PROVISIONING_SCHEMA_PATH}`);
}
