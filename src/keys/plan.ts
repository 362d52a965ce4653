// Which step of which pipeline each line of a keys file belongs to, and the lines that name no
// re-migratable legacy record (each kept with its reason: nothing is dropped silently).
import { stepName, type PipelineDef } from '../pipeline/define.ts';
import type { KeyRequest } from './file.ts';

/** A line of the keys file that was not re-migrated, and why. */
export interface Unresolved {
  line: number;
  kind: string | null;
  system: string | null;
  entity: string | null;
  key: string | null;
  table: string | null;
  targetId: string | null;
  reason: string;
}

export const unresolved = (r: KeyRequest, reason: string): Unresolved => ({ ...r, reason });

export interface KeysPlan {
  /** pipeline name → step name → requested key → the lines naming it */
  steps: Map<string, Map<string, Map<string, KeyRequest[]>>>;
  notMigratable: Unresolved[];
  /** lines of the file */
  lines: number;
}

const NO_SOURCE = 'no legacy record traces this row (the migration did not write it): investigate it in the target';
const AUDIT = 'legacy audit entries are appended once and never rewritten: compare them with `cutover audit reconcile`';

export function planKeys(requests: KeyRequest[], all: PipelineDef[], selected: ReadonlySet<string>): KeysPlan {
  const plan: KeysPlan = { steps: new Map(), notMigratable: [], lines: requests.length };
  for (const r of requests) {
    if (r.system === null || r.entity === null || r.key === null) {
      plan.notMigratable.push(unresolved(r, r.kind === 'untraced' || r.system === null ? NO_SOURCE : 'no source entity and key'));
      continue;
    }
    const def = all.find((d) => d.system === r.system);
    if (!def) {
      plan.notMigratable.push(unresolved(r, `no pipeline migrates system ${r.system}`));
      continue;
    }
    if (!selected.has(def.name)) {
      plan.notMigratable.push(unresolved(r, `its pipeline ${def.name} was not selected`));
      continue;
    }
    const step = def.steps.find((s) => s.mapping.entity === r.entity);
    if (!step) {
      plan.notMigratable.push(unresolved(r, `no step of pipeline ${def.name} migrates ${r.entity}`));
      continue;
    }
    if (step.mapping.audit) {
      plan.notMigratable.push(unresolved(r, AUDIT));
      continue;
    }
    let steps = plan.steps.get(def.name);
    if (!steps) plan.steps.set(def.name, (steps = new Map()));
    const name = stepName(def, step);
    let keys = steps.get(name);
    if (!keys) steps.set(name, (keys = new Map()));
    const lines = keys.get(r.key);
    if (lines) lines.push(r);
    else keys.set(r.key, [r]);
  }
  return plan;
}
