import type { PipelineDef } from '../src/pipeline/define.ts';
import cris from './cris.ts';
import crimint from './crimint.ts';

/** Pipelines by name, in the order `cutover run` runs them. */
export const PIPELINES: Record<string, PipelineDef> = { cris, crimint };
