// MoPI retention backlog (compliance.md "Retention"): records whose review date has passed are
// still migrated (review is a human decision); the report counts them per group.
import { z } from 'zod';
import { withClient } from '../db/pool.ts';

/** The stored 'retention' result: the report and the gate parse it with this. */
export const RetentionStoredSchema = z.looseObject({
  asOf: z.string(),
  overdueTotal: z.number().int().nonnegative(),
  groups: z.array(z.looseObject({ group: z.number().int().nullable(), records: z.number().int().nonnegative(), overdue: z.number().int().nonnegative() })),
});
export type RetentionResult = z.output<typeof RetentionStoredSchema>;

export async function retentionBacklog(url: string, asOf = new Date()): Promise<RetentionResult> {
  const day = asOf.toISOString().slice(0, 10);
  const rows = await withClient(url, async (c) => (await c.query<{ group: number | null; records: number; overdue: number }>(
    `SELECT mopi_group AS "group", count(*)::int AS records, count(*) FILTER (WHERE review_due < $1::date)::int AS overdue
     FROM record.event WHERE kind = 'intelligence' GROUP BY mopi_group ORDER BY mopi_group NULLS LAST`, [day])).rows);
  return { asOf: day, overdueTotal: rows.reduce((a, g) => a + g.overdue, 0), groups: rows };
}
