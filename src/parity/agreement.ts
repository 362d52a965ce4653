// Whether the target's answer to a query is the expected one, checked a piece at a time.
//
// Most parity queries agree, the widest too (S14 for a common word: ~170,000 records at scale
// 200,000). Compared as two whole lists of identity strings, one query's answer was the part of
// the parity run that grew with the extract. Here the oracle's answer stays a set of slots; the
// target's ids are read (searchPieces) and mapped through lineage a piece at a time, and each
// identity takes its slot out of the set. The check is exact: it says "the same" only when every
// target record is an expected one, once, and no expected record is left over. The expected
// answer is the oracle's, or, when that holds records the migration did not load, what the
// target can reach, as in metrics.ts. Anything else, and every S20 answer (several kinds of
// record), goes to the full comparison of metrics.ts, which finds what differs.
import type { IdentityMapper } from './lineage.ts';
import type { Oracle, RunOptions, Single, SlotTable } from './oracle.ts';
import type { Query } from './types.ts';

/** Target ids mapped and checked per piece. */
export const AGREEMENT_PIECE = 10_000;

export interface AgreementContext {
  oracle: Oracle;
  mapper: IdentityMapper;
  /** Restricted records, excluded from the legacy answer as in the full comparison. */
  restricted: RunOptions['restricted'];
  /** The records the migration did not load (readNotMigrated). */
  notMigrated: Set<string>;
  /** Membership in `notMigrated`, also for the inline items of a record in it (notMigratedMatcher). */
  isNotMigrated: (identity: string) => boolean;
  piece?: number;
}

/** Two answers found the same: the records both sides found, and the legacy ones the target cannot have. */
export interface Same {
  records: number;
  /** Identities of the oracle's answer that were not migrated (found only with them present); with `absent`. */
  notMigrated: string[];
}

/**
 * Whether the target returned exactly the oracle's answer, each record once: null when they may
 * differ, and for S20. Without `absent`, the oracle's whole answer, none of it known as not
 * migrated (the common case). With `absent` (the records the migration did not load), the answer
 * the target can reach, as the full comparison measures it: the rest of the oracle's answer is
 * returned as not migrated. The target's ids come whole or in pieces
 * (TargetSearchAdapter.searchPieces); a whole answer is checked `piece` ids at a time. A
 * difference stops the reading (a cursor is closed).
 */
export async function sameAnswer(query: Query, target: readonly string[] | AsyncIterable<string[]>, ctx: AgreementContext, absent?: Set<string>): Promise<Same | null> {
  if (query.capability === 'S20') return null;
  const cap = query.capability as Single;
  let found: ReturnType<typeof answer> | null = null;
  function answer() {
    const run = { restricted: ctx.restricted };
    const { table, slots } = ctx.oracle.findSlots(cap, query.params, absent ? { ...run, absent } : run);
    const notMigrated: string[] = [];
    if (absent) {
      // the same search with every record present finds these too (a superset: see metrics.ts)
      const all = ctx.oracle.findSlots(cap, query.params, run).slots;
      if (all.size !== slots.size) for (const s of all) if (!slots.has(s)) notMigrated.push(ctx.oracle.store[table].identity(s));
    }
    return { table, slots, records: slots.size, notMigrated };
  }
  for await (const ids of isArray(target) ? inPieces(target, ctx.piece ?? AGREEMENT_PIECE) : target) {
    // the piece's lineage lookup runs on the server while the oracle answers (first piece) or waits
    const mapping = ctx.mapper.map(ids);
    mapping.catch(() => {}); // awaited just below, unless the oracle throws first
    found ??= answer();
    const { table, slots } = found;
    for (const r of await mapping) {
      const slot = ctx.oracle.slotOf(table, r.identity);
      // not the oracle's, or the same record twice (a repeated id in one piece is mapped once,
      // as the full comparison does; across pieces it shows here and is settled there)
      if (slot === undefined || !slots.delete(slot) || (!absent && ctx.isNotMigrated(r.identity))) return null;
    }
  }
  found ??= answer();
  return found.slots.size === 0 ? { records: found.records, notMigrated: found.notMigrated } : null;
}

/**
 * sameAnswer against the oracle's answer, then, when records were not migrated, against what the
 * target can reach (`read` again: a cursor read to its end, or stopped, is not read twice).
 */
export async function sameOrReachable(query: Query, read: () => readonly string[] | AsyncIterable<string[]>, ctx: AgreementContext): Promise<Same | null> {
  return (await sameAnswer(query, read(), ctx)) ?? (ctx.notMigrated.size > 0 ? sameAnswer(query, read(), ctx, ctx.notMigrated) : null);
}

const isArray = (t: readonly string[] | AsyncIterable<string[]>): t is readonly string[] => Array.isArray(t);

function* inPieces(ids: readonly string[], piece: number): Generator<string[]> {
  for (let at = 0; at < ids.length; at += piece) yield ids.slice(at, at + piece);
}
