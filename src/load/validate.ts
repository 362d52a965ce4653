// The loader's acceptance test of a mapped record: every target row valid against the mapping's
// zod schema, and no NUL character (PostgreSQL text cannot hold one). Used by the loader, the dry
// run and reconciliation alike, so all three agree on what gets quarantined as schema_violation.
import type { Problem } from '../core/problems.ts';
import type { Mapping, RowOut } from '../pipeline/types.ts';

export function rowProblem(mapping: Mapping, rows: RowOut[], key: string): Problem | null {
  for (const r of rows) {
    const schema = mapping.schemas[r.table];
    if (schema) {
      const res = schema.safeParse(r.row);
      if (!res.success) {
        const issue = res.error.issues[0]!;
        return { code: 'schema_violation', field: issue.path.join('.') || null, sourceKey: key, message: `${r.table}: ${issue.message}` };
      }
    }
    for (const [col, v] of Object.entries(r.row)) {
      if (typeof v === 'string' && v.includes('\0')) {
        return { code: 'schema_violation', field: col, sourceKey: key, message: `${r.table}.${col} contains a NUL character` };
      }
    }
  }
  return null;
}
