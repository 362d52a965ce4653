// Writes src/report/summary.schema.json from the zod SummarySchema: `npx tsx src/report/emit-schema.ts`.
// test/report/schema.test.ts fails when the committed file and the zod schema drift apart.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summaryJsonSchema } from './schema.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('./summary.schema.json', import.meta.url));

export function schemaFileText(): string {
  return JSON.stringify(summaryJsonSchema(), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaFileText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
