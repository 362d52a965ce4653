// What `cutover run --keys FILE` prints: per pipeline how many records it rewrote, left unchanged,
// removed and quarantined, then every line of the file it did not re-migrate, with the reason.
import type { KeysRunResult, Unresolved } from '../keys/index.ts';

const n = (x: number) => x.toLocaleString('en-GB');
/** Lines listed in the text summary; `--json` lists all. */
const LISTED = 50;

function lines(title: string, list: Unresolved[], withReason: boolean) {
  if (!list.length) return;
  console.log(`${title} (${n(list.length)}):`);
  for (const u of list.slice(0, LISTED)) {
    console.log(`  line ${u.line}: ${[u.kind, u.system, u.entity, u.key ?? u.targetId].filter((x) => x !== null).join(' ')}${withReason ? ` — ${u.reason}` : ''}`);
  }
  if (list.length > LISTED) console.log(`  … and ${n(list.length - LISTED)} more (\`--json\` lists every one)`);
}

export function printKeysSummary(r: KeysRunResult) {
  console.log(`run --keys ${r.file}: ${n(r.lines)} line(s)`);
  for (const k of r.runs) {
    console.log(`${k.pipeline}: re-migration ${k.status}${k.resumed ? ' (continued)' : ''} (run #${k.runId}) in ${k.seconds.toFixed(1)} s`);
    console.log(`  rewrote ${n(k.rewritten)}, unchanged ${n(k.unchanged)}, removed ${n(k.removed)} (no longer in the source), quarantined ${n(k.quarantined)} (of the rewritten), not found ${n(k.notFound.length)}`
      + (k.dependent ? `; ${n(k.dependent)} linked record(s) re-derived` : ''));
  }
  lines('Not found in the source (nor in the target)', r.runs.flatMap((k) => k.notFound), false);
  lines('Not re-migrated', [...r.notMigratable, ...r.runs.flatMap((k) => k.notMigratable)], true);
}

/** 1 when the run stopped early or a line of the file was not re-migrated. */
export function keysExitCode(r: KeysRunResult): number {
  const left = r.notMigratable.length + r.runs.reduce((s, k) => s + k.notFound.length + k.notMigratable.length, 0);
  return r.runs.some((k) => k.status === 'partial') || left ? 1 : 0;
}
