// Records erased on the new platform (DPA 2018 s.47): their rows, lineage and control rows are
// physically gone and only salted tokens remain (migration.erasure_token, src/privacy). A source
// record whose rows were erased is not missing: it is recognised by its target ids, with the
// privacy module's own lookup. Asked only about records the target has no outcome for, and only
// when an erasure ever happened, so a target without erasures pays nothing.
import type pg from 'pg';
import { erasedIds } from '../privacy/tokens.ts';

export class Erasures {
  private constructor(private readonly pool: pg.Pool, readonly any: boolean) {}

  static async open(pool: pg.Pool): Promise<Erasures> {
    const { rows } = await pool.query<{ any: string | boolean }>(
      `SELECT CASE WHEN to_regclass('migration.erasure_token') IS NULL THEN false
                   ELSE EXISTS (SELECT 1 FROM migration.erasure_token) END AS any`,
    ).catch(() => ({ rows: [{ any: false }] }));
    const any = rows[0]?.any === true || rows[0]?.any === 't';
    return new Erasures(pool, any);
  }

  /** The ids among `ids` that were erased. */
  async erased(ids: string[]): Promise<Set<string>> {
    if (!this.any || ids.length === 0) return new Set();
    return erasedIds(this.pool as unknown as pg.PoolClient, ids);
  }
}
