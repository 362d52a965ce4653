// Library entry point of `cutover run --keys FILE` (README "Re-migrating exactly the records that
// differ"): read and check the file, hand each pipeline its keys, collect what was not re-migrated.
import { readFileSync } from 'node:fs';
import { PIPELINES } from '../../pipelines/index.ts';
import { eachPipeline } from '../delta/index.ts';
import { readKeysFile, type KeyRequest } from './file.ts';
import { planKeys, type Unresolved } from './plan.ts';
import { fileDigest, runKeys, type KeysOptions, type KeysResult } from './run.ts';
import type { Connections } from '../db/config.ts';

export interface KeysRunResult {
  file: string;
  /** lines of the file */
  lines: number;
  runs: KeysResult[];
  /** lines the file names that no selected pipeline re-migrates (untraced rows, audit entries …) */
  notMigratable: Unresolved[];
}

/** Pipelines a keys file needs: those of its systems (all of `names` when given, in run order). */
export function keysPipelines(requests: readonly KeyRequest[], names: string[]): string[] {
  const systems = new Set(requests.map((r) => r.system));
  return Object.keys(PIPELINES).filter((n) => (names.length ? names.includes(n) : systems.has(PIPELINES[n]!.system)));
}

export async function runKeysFile(c: Connections, file: string, names: string[], opts: KeysOptions = {}): Promise<KeysRunResult> {
  const requests = readKeysFile(file);
  const digest = fileDigest(readFileSync(file));
  const selected = keysPipelines(requests, names);
  const plan = planKeys(requests, Object.values(PIPELINES), new Set(selected));
  const runs = await eachPipeline(c, selected, opts.signal,
    (def, source, pool) => runKeys(def, source, pool, plan.steps.get(def.name) ?? new Map(), file, digest, opts));
  return { file, lines: plan.lines, runs, notMigratable: plan.notMigratable };
}

export type { KeysResult } from './run.ts';
export type { Unresolved } from './plan.ts';
