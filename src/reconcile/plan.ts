// What a reconciliation covers: the pipelines asked for, their steps in run order, the sources
// they read and the value kind of every target column. Shared by reconcile() and plainRead().
import type pg from 'pg';
import { PIPELINES } from '../../pipelines/index.ts';
import { ConfigError } from '../core/problems.ts';
import type { PipelineDef } from '../pipeline/define.ts';
import { stepName } from '../pipeline/define.ts';
import type { Mapping } from '../pipeline/types.ts';
import { openCrisSource } from '../sources/index.ts';
import { JsonExportSource, type ManifestCheck } from '../sources/json-export.ts';
import type { EntityInfo, Source, SystemName } from '../sources/types.ts';
import { manifestTotals } from './control-totals.ts';
import type { ManifestResult } from './types.ts';
import { kindOfPgType, type ValueKind } from './values.ts';

export interface PlannedStep {
  pipeline: string;
  step: string;
  system: SystemName;
  mapping: Mapping;
}

export function resolvePipelines(names: string[] | undefined): PipelineDef[] {
  const known = Object.keys(PIPELINES);
  const wanted = names?.length ? names : known;
  return wanted.map((n) => {
    const def = PIPELINES[n];
    if (!def) throw new ConfigError(`unknown pipeline '${n}'`, `use one of ${known.join(', ')}`);
    return def;
  });
}

export function plannedSteps(defs: PipelineDef[], transform?: (m: Mapping) => Mapping): PlannedStep[] {
  return defs.flatMap((def) => def.steps.map((s) => ({
    pipeline: def.name,
    step: stepName(def, s),
    system: def.system,
    mapping: transform ? transform(s.mapping) : s.mapping,
  })));
}

/** A CRIMINT export whose manifest the reconcile has already checked: read it without checking again. */
export class CheckedExport extends JsonExportSource {
  constructor(dir: string, private readonly checks: ManifestCheck[]) {
    super(dir);
  }

  override verify(): Promise<ManifestCheck[]> {
    return Promise.resolve(this.checks);
  }
}

export interface OpenSources {
  get(system: SystemName): Source;
  info(system: SystemName, entity: string): EntityInfo;
  close(): Promise<void>;
}

/**
 * Open each system's source once, on first use. `crimintChecks`: the manifest checks already made,
 * asked for when the CRIMINT source is opened (its reads then skip the check).
 */
export function openSources(c: { crisUrl: string; crimintDir: string }, systems: Set<SystemName>, poolSize: number, crimintChecks?: () => ManifestCheck[] | undefined): OpenSources {
  const opened = new Map<SystemName, Source>();
  const get = (system: SystemName): Source => {
    let s = opened.get(system);
    if (!s) {
      if (!systems.has(system)) throw new Error(`source ${system} was not planned`);
      s = system === 'CRIS'
        ? openCrisSource(c.crisUrl, { poolSize })
        : crimintChecks?.() ? new CheckedExport(c.crimintDir, crimintChecks()!) : new JsonExportSource(c.crimintDir);
      opened.set(system, s);
    }
    return s;
  };
  return {
    get,
    info(system, entity) {
      const info = get(system).entities().find((e) => e.name === entity);
      if (!info) throw new ConfigError(`the ${system} source has no entity ${entity}`, 'check the pipeline definition and the source');
      return info;
    },
    async close() {
      await Promise.allSettled([...opened.values()].map((s) => s.close()));
    },
  };
}

export interface CheckedSources extends OpenSources {
  /** the CRIMINT export against its manifest, checked once as the sources open (null without CRIMINT) */
  manifest: Promise<ManifestResult | null>;
  /** a system's source once the checks its reads take are made: CRIMINT's waits for the manifest check */
  ready(system: SystemName): Promise<Source>;
}

/**
 * The sources of a reconciliation, with the export hashed once: its manifest is checked as the
 * sources open, and the CRIMINT source, opened once that is done, reads without checking again.
 * CRIS is counted and compared meanwhile.
 */
export function openCheckedSources(c: { crisUrl: string; crimintDir: string }, systems: Set<SystemName>, poolSize: number): CheckedSources {
  let checked: ManifestResult | null = null;
  const manifest = systems.has('CRIMINT') ? manifestTotals(c.crimintDir).then((m) => (checked = m)) : Promise.resolve(null);
  const sources = openSources(c, systems, poolSize, () => (checked && !checked.error ? checked.files : undefined));
  return {
    ...sources,
    manifest,
    async ready(system) {
      if (system === 'CRIMINT') await manifest;
      return sources.get(system);
    },
  };
}

/** `record.person.date_of_birth` → its value kind, from the target's catalog. */
export async function columnKinds(pool: pg.Pool): Promise<Map<string, ValueKind>> {
  const { rows } = await pool.query<{ t: string; c: string; d: string }>(
    `SELECT table_schema || '.' || table_name AS t, column_name AS c, data_type AS d FROM information_schema.columns WHERE table_schema = 'record'`,
  );
  if (!rows.length) throw new ConfigError('the target has no record schema', 'run the pipelines (or `cutover db migrate`) against this database first');
  return new Map(rows.map((r) => [`${r.t}.${r.c}`, kindOfPgType(r.d)]));
}
