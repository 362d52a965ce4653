// A step worker: runs reconcileStep() for the steps the main thread hands it, on its own target
// pool and its own source readers, and posts each StepOutput back. The mapping, the comparison and
// the profiles are CPU work; workers spread it over the machine's cores.
import { parentPort } from 'node:worker_threads';
import type pg from 'pg';
import { reconcilePool } from './db.ts';
import { openSources, plannedSteps, resolvePipelines, type OpenSources } from './plan.ts';
import { reconcileStep } from './step.ts';
import type { ManifestCheck } from '../sources/json-export.ts';
import type { SystemName } from '../sources/types.ts';
import type { ValueKind } from './values.ts';

export interface WorkerInit {
  databaseUrl: string;
  crisUrl: string;
  crimintDir: string;
  kinds: Array<[string, ValueKind]>;
  batchSize: number;
}

export type WorkerRequest =
  | { kind: 'init'; init: WorkerInit }
  /** crimintChecks: the manifest checks the main thread made (CRIMINT reads then skip the check) */
  | { kind: 'step'; id: number; pipeline: string; step: string; crimintChecks?: ManifestCheck[] }
  | { kind: 'close' };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'done'; id: number; output: unknown }
  | { kind: 'failed'; id: number; error: string }
  | { kind: 'closed' };

let init: WorkerInit | null = null;
let pool: pg.Pool | null = null;
let sources: OpenSources | null = null;
let kinds: Map<string, ValueKind> | null = null;
let crimintChecks: ManifestCheck[] | undefined;

const port = parentPort!;
const post = (m: WorkerReply) => port.postMessage(m);

port.on('message', (m: WorkerRequest) => {
  void handle(m).catch((err) => post({ kind: 'failed', id: (m as { id?: number }).id ?? -1, error: (err as Error).message }));
});
post({ kind: 'ready' });

async function handle(m: WorkerRequest): Promise<void> {
  if (m.kind === 'init') {
    init = m.init;
    kinds = new Map(init.kinds);
    pool = reconcilePool(init.databaseUrl, 10);
    sources = openSources(init, new Set<SystemName>(['CRIS', 'CRIMINT']), 3, () => crimintChecks);
    return;
  }
  if (m.kind === 'close') {
    await sources?.close();
    await pool?.end();
    post({ kind: 'closed' });
    return;
  }
  crimintChecks ??= m.crimintChecks;
  const s = plannedSteps(resolvePipelines([m.pipeline])).find((x) => x.step === m.step);
  if (!s || !pool || !sources || !kinds || !init) throw new Error(`worker: no step ${m.step} in pipeline ${m.pipeline}, or not initialised`);
  const output = await reconcileStep({
    pool, pipeline: s.pipeline, step: s.step, mapping: s.mapping, source: sources.get(s.system),
    info: sources.info(s.system, s.mapping.entity), kinds, batchSize: init.batchSize,
  });
  post({ kind: 'done', id: m.id, output });
}
