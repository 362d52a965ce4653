// The freeze window's figures, kept per target beside its other results
// (.cutover/results/<target id>/freeze-window.json): every `cutover run --delta` with the target's
// change-tracking state before and after it, the latest `reconcile --delta` and the latest
// `parity --delta`. Counts, step names, run ids and timings only — no key, value or search
// parameter — so the board's report may show all of it. The report's freeze-window section and
// the carrying forward of a full reconciliation (verify.ts) read it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BindingSchema, bindingOf, targetResultsDir } from '../report/store.ts';
import { TargetStateSchema, type SourceIdentity, type TargetNow } from '../report/target.ts';
import { log } from '../core/log.ts';
import type { DeltaResult } from './run.ts';

const counts = z.record(z.string(), z.number());

const DeltaSchema = z.object({
  pipeline: z.string(),
  runId: z.string(),
  status: z.enum(['completed', 'partial']),
  resumed: z.boolean(),
  startedAt: z.string(),
  endedAt: z.string(),
  seconds: z.number(),
  /** changes by kind (delta/batch.ts ChangeLabel) */
  changes: counts,
  removed: z.number(),
  steps: z.array(z.object({ step: z.string(), entity: z.string(), changes: counts, removed: z.number(), seconds: z.number(), method: z.string().optional() })),
});

/** One `cutover run --delta`: its deltas, the target's state before (null: no change tracking) and its binding after. */
const AppliedSchema = z.object({ before: TargetStateSchema.nullable(), binding: BindingSchema, seconds: z.number(), deltas: z.array(DeltaSchema) });

const VerifySchema = z.object({
  before: TargetStateSchema.nullable(),
  binding: BindingSchema,
  ok: z.boolean(),
  runs: z.array(z.string()),
  keys: z.number(),
  defects: z.number(),
  conservationOk: z.boolean(),
  manifestOk: z.boolean().nullable(),
  seconds: z.number(),
  /** whether the full reconciliation was carried forward to now (verify.ts), and why not */
  carried: z.boolean(),
  carryReason: z.string(),
});

const ParitySchema = z.object({
  binding: BindingSchema,
  ok: z.boolean(),
  /** queries of the workload, and those replayed (their results the deltas can have changed) */
  workload: z.number(),
  replayed: z.number(),
  capabilities: z.array(z.object({ id: z.string(), queries: z.number(), verdict: z.string() })),
  seconds: z.number(),
});

export const FreezeWindowSchema = z.object({
  applied: z.array(AppliedSchema),
  verify: VerifySchema.nullable(),
  parity: ParitySchema.nullable().default(null),
});
export type FreezeWindow = z.output<typeof FreezeWindowSchema>;
export type DeltaApplied = z.output<typeof AppliedSchema>;
export type DeltaVerify = z.output<typeof VerifySchema>;
export type DeltaParity = z.output<typeof ParitySchema>;

const EMPTY: FreezeWindow = { applied: [], verify: null, parity: null };
/** Deltas kept per target (the oldest go first). */
const KEEP = 50;
const file = (targetId: string) => path.join(targetResultsDir(targetId), 'freeze-window.json');

/** The freeze window of a target, only what was taken in the database's current epoch (a recreated database starts empty). */
export function loadFreezeWindow(target: Pick<TargetNow, 'id' | 'state'>): FreezeWindow {
  const f = file(target.id);
  if (!existsSync(f)) return EMPTY;
  let fw: FreezeWindow;
  try {
    fw = FreezeWindowSchema.parse(JSON.parse(readFileSync(f, 'utf8')));
  } catch (err) {
    log.warn(`${f} cannot be read (${(err as Error).message.split('\n')[0]}): the freeze window starts again`);
    return EMPTY;
  }
  const here = (b: { binding: { state: { epoch: string } | null } }) => b.binding.state?.epoch === target.state?.epoch;
  return { applied: fw.applied.filter(here), verify: fw.verify && here(fw.verify) ? fw.verify : null, parity: fw.parity && here(fw.parity) ? fw.parity : null };
}

function save(targetId: string, fw: FreezeWindow) {
  const f = file(targetId);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(`${f}.tmp`, JSON.stringify(FreezeWindowSchema.parse(fw), null, 2));
  renameSync(`${f}.tmp`, f);
}

/** Keep one `run --delta`: `before` and `after` are the target read before its first write and after its last. */
export function rememberDeltas(before: TargetNow, after: TargetNow, sources: SourceIdentity[], results: DeltaResult[]): void {
  const fw = loadFreezeWindow(after);
  // the deltas run side by side: from the first one's start to the last one's end, not their sum
  const seconds = results.length ? (Math.max(...results.map((r) => Date.parse(r.endedAt))) - Math.min(...results.map((r) => Date.parse(r.startedAt)))) / 1000 : 0;
  const applied: DeltaApplied = { before: before.state, binding: bindingOf(after, sources), seconds, deltas: results };
  save(after.id, { ...fw, applied: [...fw.applied, applied].slice(-KEEP) });
}

export function rememberDeltaVerify(targetId: string, v: DeltaVerify): void {
  const fw = loadFreezeWindow({ id: targetId, state: v.binding.state });
  save(targetId, { ...fw, verify: v });
}

export function rememberDeltaParity(targetId: string, p: DeltaParity): void {
  const fw = loadFreezeWindow({ id: targetId, state: p.binding.state });
  save(targetId, { ...fw, parity: p });
}
