// A pipeline: its source, its steps in dependency order, batch size and concurrency.
import type { Connections } from '../db/config.ts';
import type { Source, SystemName } from '../sources/types.ts';
import type { Mapping } from './types.ts';

export interface StepDef {
  mapping: Mapping;
  /** rows per batch (default: the pipeline's) */
  batchSize?: number;
}

export interface PipelineDef {
  name: string;
  system: SystemName;
  openSource(conn: Connections): Source;
  steps: StepDef[];
  /** rows per batch; each batch is one transaction */
  batchSize: number;
  /** key-range partitions of a step run concurrently */
  concurrency: number;
}

export function definePipeline(def: PipelineDef): PipelineDef {
  return def;
}

export function stepName(def: PipelineDef, step: StepDef): string {
  return `${def.system}:${step.mapping.entity}`;
}
