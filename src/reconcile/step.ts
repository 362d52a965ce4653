// One step, one pass: stream the source entity in key order and, in the same order, the target's
// outcomes, rows (one cursor per target table) and links (one per link table); merge-join them a
// group at a time. Each source record goes through the SAME mapping the pipeline ran (expected.ts).
// Memory: the current group and a few cursor batches; nothing is kept per record.
import type pg from 'pg';
import type { Mapping } from '../pipeline/types.ts';
import type { EntityInfo, Source } from '../sources/types.ts';
import { expectedOf } from './expected.ts';
import { fieldRulesFor } from './field-rules.ts';
import { LinkChecker, linkDefects } from './links.ts';
import { linkPlansFor } from './link-plan.ts';
import { compareKeys, keyText, KeyScheme, type GroupKey } from './order.ts';
import { OrphanLookup } from './orphans.ts';
import { Erasures } from './erasures.ts';
import { OutcomeChecker, outcomeDefects, type GroupRecord } from './outcomes.ts';
import { RowChecker, tableDefects, type ColumnKinds } from './rows.ts';
import type { EntityResult, LinkResult, StepCounts } from './types.ts';
import type { TargetTable } from '../pipeline/types.ts';
import type { DifferenceSink } from './differences.ts';

export interface StepInput {
  pool: pg.Pool;
  pipeline: string;
  step: string;
  mapping: Mapping;
  source: Source;
  info: EntityInfo;
  kinds: ColumnKinds;
  batchSize: number;
  /** every difference, as found (`reconcile --differences`) */
  differences?: DifferenceSink | null;
}

export interface StepOutput {
  entity: EntityResult;
  links: LinkResult[];
  /** link tables the mapping wrote that no plan traces (a new mapping needs a LINK_PLAN entry) */
  unplannedLinks: string[];
  /**
   * The step's outcomes in the target tables, counted as the merge-join read them (every row, matched
   * or not): for conservation. Null when the merge-join did not finish.
   */
  counts: StepCounts | null;
}

export async function reconcileStep(input: StepInput): Promise<StepOutput> {
  const t0 = Date.now();
  const ck = await openCheckers(input);
  const unplanned = new Set<string>();
  let error: string | null = null;
  try {
    await mergeJoin(input, ck, unplanned);
    await finishCheckers(ck);
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await Promise.allSettled([ck.outcomes.close(), ...ck.rows.map((r) => r.close()), ...ck.links.map((l) => l.close())]);
  }
  return stepOutput(input, ck, error, (Date.now() - t0) / 1000, unplanned);
}

/** Every checker of one step, each with its own target cursor. */
interface Checkers {
  scheme: KeyScheme;
  outcomes: OutcomeChecker;
  /** one per target table */
  rows: RowChecker[];
  /** one per link table a plan traces */
  links: LinkChecker[];
  orphans: OrphanLookup;
  /** the link tables some plan traces */
  planned: Set<string>;
}

async function openCheckers(input: StepInput): Promise<Checkers> {
  const { pool, mapping, info, batchSize } = input;
  const { system, entity } = mapping;
  const scheme = KeyScheme.of(system, info);
  const rules = fieldRulesFor(system, entity);
  const tables = Object.keys(mapping.schemas) as TargetTable[];
  const erasures = await Erasures.open(pool);
  const diff = input.differences ?? null;
  const outcomes = new OutcomeChecker(pool, scheme, mapping, erasures, batchSize, diff);
  const rows = tables.map((t) => new RowChecker(pool, scheme, system, entity, t, input.kinds, rules.filter((r) => r.table === t), batchSize, diff));
  const plans = linkPlansFor(system, entity);
  const links = plans.map((p) => new LinkChecker(pool, scheme, input.pipeline, input.step, p, batchSize, diff));
  const orphans = new OrphanLookup(pool, system, entity, erasures);
  return { scheme, outcomes, rows, links, orphans, planned: new Set<string>(plans.map((p) => p.table)) };
}

/**
 * The check of one group. Each group goes through every checker as soon as the source has given
 * all of it. The readers fetch a batch of target rows at a time: only then is there something to
 * wait for, so most groups are checked without a single promise (and their objects die young).
 * Each function below returns a promise only when it has to wait.
 */
function groupCheck({ outcomes, rows, links, orphans }: Checkers): (key: GroupKey, group: GroupRecord[]) => Promise<void> | undefined {
  const readers = [outcomes.reader, ...rows.map((r) => r.reader), ...links.map((l) => l.reader)];
  const checkGroup = (key: GroupKey, group: GroupRecord[]): Promise<void> | undefined => {
    let waits: Array<Promise<void>> | null = null;
    for (const r of readers) {
      const p = r.fill(key);
      if (p) (waits ??= []).push(p);
    }
    return waits ? Promise.all(waits).then(() => checkFilled(key, group)) : checkFilled(key, group);
  };
  const checkFilled = (key: GroupKey, group: GroupRecord[]): Promise<void> | undefined => {
    const p = outcomes.check(key, group); // decides which records are live, for the rows and links
    return p ? p.then(() => checkRowsAndLinks(key, group)) : checkRowsAndLinks(key, group);
  };
  const checkRowsAndLinks = (key: GroupKey, group: GroupRecord[]): Promise<void> | undefined => {
    for (const r of rows) r.check(key, group);
    for (const l of links) l.check(key, group, orphans);
    return orphans.full ? orphans.flush() : undefined;
  };
  return checkGroup;
}

/**
 * The merge-join: the source entity in key order, a group (the records sharing a group key) at a
 * time, each group checked before the next is read. Notes the link tables the mapping wrote that
 * no plan traces in `unplanned`.
 */
async function mergeJoin(input: StepInput, ck: Checkers, unplanned: Set<string>): Promise<void> {
  const { mapping, source } = input;
  const { scheme, planned } = ck;
  const checkGroup = groupCheck(ck);
  let group: GroupRecord[] | null = null; // a new array per group, made with its first record
  let key: GroupKey | null = null;
  for await (const rec of source.read(mapping.entity)) {
    const k = scheme.sourceKey(rec);
    if (key !== null) {
      const c = compareKeys(k, key);
      if (c < 0) throw new Error(`the source returned ${mapping.entity} keys out of order (${keyText(k)} after ${keyText(key)}): the merge-join needs key order`);
      if (c > 0) {
        const p = checkGroup(key, group!);
        if (p) await p;
        group = null;
      }
    }
    key = k;
    const exp = expectedOf(mapping, rec);
    if (exp.kind === 'loaded') for (const l of exp.links) if (!planned.has(l.table)) unplanned.add(l.table);
    const g: GroupRecord = { rec, exp, live: false, state: '' };
    if (group === null) group = [g];
    else group.push(g);
  }
  if (key !== null) await checkGroup(key, group!);
}

/** After the last group: the target rows past it, the pending superseded claims, the profiles, the orphans. */
async function finishCheckers({ outcomes, rows, links, orphans }: Checkers): Promise<void> {
  await outcomes.finish();
  await Promise.all(rows.map((r) => r.finish()));
  await orphans.flush();
  await Promise.all(links.map((l) => l.finish()));
}

/**
 * The step's result, read from its checkers: each finish() completes and returns its checker's own
 * `result`, so a step that failed midway reports what it had found.
 */
function stepOutput(input: StepInput, ck: Checkers, error: string | null, seconds: number, unplanned: Set<string>): StepOutput {
  const { mapping } = input;
  const { outcomes, rows, links } = ck;
  const tables = rows.map((r) => r.result);
  const ok = error === null && outcomeDefects(outcomes.result) === 0 &&
    tables.every((t) => tableDefects(t) === 0 && t.profiles.every((p) => p.differs.length === 0));
  const entity: EntityResult = {
    pipeline: input.pipeline, system: mapping.system, entity: mapping.entity, step: input.step, kind: mapping.linkOnly ? 'link' : 'record', keyKind: input.info.keyKind,
    outcomes: outcomes.result, tables, error, seconds, ok,
  };
  const linkResults = links.map((l) => l.result);
  for (const l of linkResults) l.ok = error === null && linkDefects(l) === 0;
  const counts: StepCounts | null = error !== null ? null : {
    // loaded: a record step's lineage main rows with their row present; a link-only step's link
    // rows traced through the lineage of both records (as control-totals.ts counts them by query)
    loaded: mapping.linkOnly ? links.reduce((n, l) => n + l.bothTraced, 0) : rows.reduce((n, r) => n + r.mainRows, 0),
    quarantined: outcomes.claimed.quarantined,
    excluded: outcomes.claimed.excluded,
    superseded: outcomes.claimed.superseded,
  };
  return { entity, links: linkResults, unplannedLinks: [...unplanned], counts };
}
