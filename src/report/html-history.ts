// The rehearsal history in the board's report: one row per measure, one column per rehearsal, a
// sparkline (inline SVG) or a strip of lights per row, and whether the latest rehearsal is better
// or worse than the first. Colour is never the only signal: words in every cell, arrows spelled out.
import { esc, n, percent, when } from './html-util.ts';
import { LIGHT_WORD, VERDICT_CLASS } from './html-areas.ts';
import { trendRows, type Rehearsal, type TrendRow } from './history.ts';
import type { Light } from './schema.ts';

/** The newest rehearsals shown as columns (the sparkline covers all of them). */
const COLUMNS = 8;

const RANK: Record<string, number> = { green: 3, amber: 2, grey: 1, red: 0, PARITY: 2, DEGRADED: 1, LOST: 0, GO: 1, 'NO-GO': 0 };
const CLASS: Record<string, Light> = { ...VERDICT_CLASS, GO: 'green', 'NO-GO': 'red', green: 'green', amber: 'amber', red: 'red', grey: 'grey' };

function cell(row: TrendRow, v: string | number | null): string {
  if (v === null) return '<span class="nullv">—</span>';
  if (typeof v === 'number') return row.measure === 'quarantine share' ? percent(v) : row.group === 'Phase seconds' ? v.toFixed(1) : n(v);
  const word = LIGHT_WORD[v as Light] ?? v;
  return `<span class="badge ${CLASS[v] ?? 'grey'}">${esc(word)}</span>`;
}

/** A sparkline of a numeric series, or a strip of coloured squares for lights and verdicts. */
function spark(row: TrendRow): string {
  const w = 120;
  const h = 22;
  const vals = row.values;
  const label = `${row.measure}: ${vals.map((v) => (v === null ? 'unknown' : typeof v === 'number' ? (row.measure === 'quarantine share' ? percent(v) : String(Number(v.toFixed(2)))) : LIGHT_WORD[v as Light] ?? v)).join(' → ')}`;
  const svg = (body: string) => `<svg class="spark" role="img" aria-label="${esc(label)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><title>${esc(label)}</title>${body}</svg>`;
  if (row.better === 'light') {
    const step = w / Math.max(vals.length, 1);
    const colour: Record<Light, string> = { green: '#2e7d32', amber: '#e0a100', red: '#b3261e', grey: '#9e9e9e' };
    return svg(vals.map((v, i) => `<rect x="${(i * step + 1).toFixed(1)}" y="4" width="${Math.max(step - 2, 2).toFixed(1)}" height="${h - 8}" fill="${v === null ? '#fff' : colour[CLASS[v as string] ?? 'grey']}" stroke="#888" stroke-width="0.5"/>`).join(''));
  }
  const nums = vals.filter((v): v is number => typeof v === 'number');
  if (!nums.length) return svg('');
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const x = (i: number) => (vals.length === 1 ? w / 2 : 3 + (i * (w - 6)) / (vals.length - 1));
  const y = (v: number) => (hi === lo ? h / 2 : h - 3 - ((v - lo) / (hi - lo)) * (h - 6));
  const pts = vals.map((v, i) => (typeof v === 'number' ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean).join(' ');
  const last = vals.length - 1;
  const lastV = vals[last];
  return svg(`<polyline points="${pts}" fill="none" stroke="#1b4f8a" stroke-width="1.5"/>${typeof lastV === 'number' ? `<circle cx="${x(last).toFixed(1)}" cy="${y(lastV).toFixed(1)}" r="2.5" fill="#1b4f8a"/>` : ''}`);
}

/** First rehearsal against the latest: better, worse or the same (in words). */
function change(row: TrendRow): string {
  const known = row.values.filter((v) => v !== null);
  if (known.length < 2 || row.better === 'none') return '';
  const [a, b] = [known[0]!, known[known.length - 1]!];
  let d = 0;
  if (row.better === 'light') d = (RANK[b as string] ?? 0) - (RANK[a as string] ?? 0);
  else if (typeof a === 'number' && typeof b === 'number') d = row.better === 'lower' ? a - b : b - a;
  return d > 0 ? '<span class="fine">▲ better</span>' : d < 0 ? '<strong class="bad">▼ worse</strong>' : 'same';
}

export function historySection(rehearsals: Rehearsal[]): string {
  const head = '<h2 id="history-h">Rehearsal history</h2>';
  if (!rehearsals.length) return '';
  const shown = rehearsals.slice(-COLUMNS);
  const offset = rehearsals.length - shown.length;
  const intro = rehearsals.length === 1
    ? `<p class="reason">This is the first rehearsal on this target: the trend appears from the second.</p>`
    : `<p class="reason">${rehearsals.length} rehearsals on this target, from ${when(rehearsals[0]!.at)} to ${when(rehearsals[rehearsals.length - 1]!.at)}${offset ? `; the latest ${shown.length} shown as columns, the trend line covers all` : ''}. "Change" compares the first rehearsal with this one.</p>`;
  const rows = trendRows(rehearsals);
  const body = rows.map((r) => `<tr><th scope="row">${esc(r.group)}: ${esc(r.measure)}</th><td>${spark(r)}</td>${shown.map((_, i) => `<td class="num">${cell(r, r.values[offset + i] ?? null)}</td>`).join('')}<td>${change(r)}</td></tr>`).join('');
  const cols = shown.map((x, i) => `<th scope="col" class="num">#${offset + i + 1}<br><span class="muted">${when(x.at)}</span></th>`).join('');
  return `<section class="area" id="history" aria-labelledby="history-h">${head}${intro}<div class="tablewrap"><table class="trend"><caption>Each measure per rehearsal, oldest first; lights and verdicts in words, counts and shares as numbers</caption><thead><tr><th scope="col">Measure</th><th scope="col">Trend</th>${cols}<th scope="col">Change</th></tr></thead><tbody>${body}</tbody></table></div></section>`;
}
