/**
 * Intelligence grading (compliance.md "Intelligence grading"; legacy-data.md intelligence report).
 */

export interface Grading {
  source: string;
  intel: string;
  handling: string;
}

export type ConvertedGrading = Grading & { legacy: string; warning: null | 'grading_ambiguous' };

const SOURCE_5: Record<string, string> = { A: '1', B: '1', C: '2', D: '3', E: '2' };
const INTEL_5: Record<string, string> = { '1': 'A', '2': 'A', '3': 'B', '4': 'D', '5': 'E' };
const HANDLING_5: Record<string, string> = { '1': 'P', '2': 'C', '3': 'C', '4': 'C', '5': 'C' };

const SOURCE_3 = new Set(['1', '2', '3']);
const INTEL_3 = new Set(['A', 'B', 'C', 'D', 'E']);
const HANDLING_3 = new Set(['P', 'C']);

function norm(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v).trim().toUpperCase() : '';
}

/**
 * Converts a recorded grading into the 3x5x2 columns.
 * - `5x5x5` (source A–E, intel 1–5, handling 1–5) → source A,B→1; C,E→2 (C warns
 *   `grading_ambiguous`); D→3; intel 1,2→A, 3→B, 4→D, 5→E; handling 1→P, 2–5→C.
 * - `3x5x2` (source 1–3, intel A–E, handling P/C) → stored as recorded.
 * `legacy` is the grading as recorded (after trim/upper-case): `5x5x5:B21`, `3x5x2:1AP`.
 * Values are trimmed and upper-cased (numbers accepted); an unknown scheme or value → error.
 */
export function convertGrading(
  scheme: string,
  g: { source: string; intel: string; handling: string },
): ConvertedGrading | { error: string } {
  const sc = norm(scheme).toLowerCase();
  if (g === null || typeof g !== 'object') return { error: 'grading missing' };
  const source = norm(g.source);
  const intel = norm(g.intel);
  const handling = norm(g.handling);
  const recorded = `${sc}:${source}${intel}${handling}`;
  if (sc === '5x5x5') {
    const s = SOURCE_5[source];
    const i = INTEL_5[intel];
    const h = HANDLING_5[handling];
    if (s === undefined) return { error: `invalid 5x5x5 source ${JSON.stringify(g.source)}` };
    if (i === undefined) return { error: `invalid 5x5x5 intelligence ${JSON.stringify(g.intel)}` };
    if (h === undefined) return { error: `invalid 5x5x5 handling ${JSON.stringify(g.handling)}` };
    return { source: s, intel: i, handling: h, legacy: recorded, warning: source === 'C' ? 'grading_ambiguous' : null };
  }
  if (sc === '3x5x2') {
    if (!SOURCE_3.has(source)) return { error: `invalid 3x5x2 source ${JSON.stringify(g.source)}` };
    if (!INTEL_3.has(intel)) return { error: `invalid 3x5x2 intelligence ${JSON.stringify(g.intel)}` };
    if (!HANDLING_3.has(handling)) return { error: `invalid 3x5x2 handling ${JSON.stringify(g.handling)}` };
    return { source, intel, handling, legacy: recorded, warning: null };
  }
  return { error: `unknown grading scheme ${JSON.stringify(scheme)}` };
}
