// HTML building blocks: escaping (data is hostile), value cells, tables, and a tiny SVG bar chart.
import { display } from './read.ts';

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/**
 * Escape any value for HTML text and attribute values. Also: lone surrogates made well-formed,
 * C0 controls shown as their visible Control Pictures (␀, ␛…), and bidi overrides shown as
 * `⟨U+202E⟩` so a hostile name cannot reorder the text around it.
 */
export function esc(v: unknown): string {
  const s = typeof v === 'string' ? v : display(v);
  return s
    .toWellFormed()
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\u007F/g, '\u2421')
    .replace(BIDI, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`)
    .replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** `3 records`, `1 record` (irregular plurals passed in full). */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An ISO instant for people: `1 May 2024 08:00 UTC` (the ISO text stays in a title attribute). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `<time datetime="${esc(d.toISOString())}" title="${esc(iso)}">${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())} UTC</time>`;
}

/** A number for display; null reads "—" (not known). */
export const n = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toLocaleString('en-GB'));
export const ratio = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '—' : v.toFixed(d));
export const percent = (v: number | null | undefined): string => {
  if (v === null || v === undefined) return '—';
  const p = v * 100;
  if (p === 0 || p === 100) return `${p}%`;
  if (p > 99.99 && p < 100) return '>99.99%';
  return `${p < 0.01 ? '<0.01' : (p < 10 ? p.toFixed(2) : p.toFixed(1)).replace(/\.?0+$/, '')}%`;
};

/** A legacy or target value in an example cell: NULL and empty string made visible, long text cut. */
export function valueCell(v: unknown, max = 200): string {
  if (v === null || v === undefined) return '<em class="nullv">NULL</em>';
  const s = display(v);
  if (s === '') return '<em class="nullv">empty</em>';
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `<code>${esc(cut)}</code>${s.length > max ? ` <span class="muted">(${n(s.length)} chars)</span>` : ''}`;
}

export interface Column<T> {
  head: string;
  cell: (row: T) => string;
  /** right-align numbers */
  num?: boolean;
}

/** A table with a caption and header cells; cells are HTML (escape in `cell`). */
export function table<T>(caption: string, cols: Column<T>[], rows: T[], empty = 'None.'): string {
  if (rows.length === 0) return `<p class="empty">${esc(caption)}: ${esc(empty)}</p>`;
  return `<div class="tablewrap"><table><caption>${esc(caption)}</caption><thead><tr>${cols.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.head)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cols.map((c, i) => (i === 0 ? `<th scope="row">${c.cell(r)}</th>` : `<td${c.num ? ' class="num"' : ''}>${c.cell(r)}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

/** A collapsible drill-down; opened for printing. */
export const details = (summary: string, body: string, open = false): string =>
  `<details${open ? ' open' : ''}><summary>${esc(summary)}</summary><div class="drill">${body}</div></details>`;

export interface Series {
  name: string;
  colour: string;
  /** fill pattern, so series differ in grey print and for colour-blind readers */
  pattern?: 'solid' | 'hatch' | 'dots' | 'cross';
}

export interface BarRow {
  label: string;
  /** one value per series */
  values: number[];
  /** text shown after the bar (default: the values) */
  note?: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  /** one sentence for screen readers: what the chart shows */
  desc: string;
  series: Series[];
  rows: BarRow[];
  /** stacked segments in one bar (default), or one bar per series */
  stacked?: boolean;
  /** scale maximum (default: the largest bar) */
  max?: number;
  /** stacked bars as shares of their row total (each bar 100%) */
  normalize?: boolean;
  format?: (v: number) => string;
  width?: number;
}

let chartSeq = 0;

/** A horizontal bar chart as inline SVG: labels left, bars, values right, legend above. No scripts. */
export function barChart(o: BarChartOptions): string {
  const id = `${o.id.replace(/[^a-z0-9-]/gi, '')}-${++chartSeq}`;
  const fmtV = o.format ?? ((v: number) => v.toLocaleString('en-GB'));
  const stacked = o.stacked ?? true;
  const width = o.width ?? 980;
  const labelW = 200;
  const noteW = 300;
  const barArea = width - labelW - noteW - 16;
  const barH = stacked || o.series.length === 1 ? 16 : 8;
  const rowH = stacked || o.series.length === 1 ? 24 : o.series.length * (barH + 2) + 8;
  const legendH = o.series.length > 1 ? 26 : 4;
  const height = legendH + o.rows.length * rowH + 6;
  const totals = o.rows.map((r) => (stacked ? r.values.reduce((a, b) => a + Math.max(0, b), 0) : Math.max(0, ...r.values)));
  const max = o.normalize ? 1 : o.max ?? Math.max(0, ...totals);
  const scale = (v: number, ri = -1) => {
    const x = o.normalize && ri >= 0 ? (totals[ri]! > 0 ? Math.max(0, v) / totals[ri]! : 0) : Math.max(0, v);
    return max > 0 ? (Math.min(x, max) / max) * barArea : 0;
  };
  const fillOf = (i: number) => {
    const s = o.series[i]!;
    return !s.pattern || s.pattern === 'solid' ? s.colour : `url(#${id}-p${i})`;
  };
  const defs = o.series
    .map((s, i) => {
      if (!s.pattern || s.pattern === 'solid') return '';
      const mark = s.pattern === 'hatch'
        ? `<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="${s.colour}" stroke-width="1.6"/>`
        : s.pattern === 'dots' ? `<circle cx="3" cy="3" r="1.5" fill="${s.colour}"/>` : `<path d="M0,0 L6,6 M6,0 L0,6" stroke="${s.colour}" stroke-width="1.2"/>`;
      return `<pattern id="${id}-p${i}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/>${mark}</pattern>`;
    })
    .join('');
  let legend = '';
  if (o.series.length > 1) {
    let x = labelW;
    legend = o.series
      .map((s, i) => {
        const item = `<g transform="translate(${x},6)"><rect width="14" height="14" fill="${fillOf(i)}" stroke="${s.colour}"/><text x="19" y="11.5">${esc(s.name)}</text></g>`;
        x += 28 + s.name.length * 7;
        return item;
      })
      .join('');
  }
  const bars = o.rows
    .map((r, ri) => {
      const y = legendH + ri * rowH;
      const label = r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label;
      let segs = '';
      if (stacked) {
        let x = labelW;
        r.values.forEach((v, i) => {
          const w = scale(v, ri);
          if (v > 0) segs += `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(w, 3).toFixed(1)}" height="${barH}" fill="${fillOf(i)}" stroke="${o.series[i]!.colour}" stroke-width="0.5"><title>${esc(`${r.label}: ${o.series[i]!.name} ${fmtV(v)}`)}</title></rect>`;
          x += w;
        });
      } else {
        r.values.forEach((v, i) => {
          const yy = y + 3 + i * (barH + 2);
          segs += `<rect x="${labelW}" y="${yy}" width="${Math.max(scale(v), v > 0 ? 2 : 0).toFixed(1)}" height="${barH}" fill="${fillOf(i)}" stroke="${o.series[i]!.colour}" stroke-width="0.5"><title>${esc(`${r.label}: ${o.series[i]!.name} ${fmtV(v)}`)}</title></rect>`;
        });
      }
      const note = r.note ?? (o.series.length === 1 ? fmtV(r.values[0] ?? 0) : r.values.map((v, i) => `${o.series[i]!.name.toLowerCase()} ${fmtV(v)}`).join(' · '));
      const noteX = labelW + (stacked ? (o.normalize ? barArea : scale(totals[ri]!)) : Math.max(...r.values.map((v) => scale(v)))) + 6;
      return `<g><text class="lbl" x="${labelW - 8}" y="${y + 3 + (stacked ? barH : rowH - 8) / 2 + 4}" text-anchor="end"><title>${esc(r.label)}</title>${esc(label)}</text>${segs}<text class="val" x="${noteX.toFixed(1)}" y="${y + 3 + (stacked ? barH : rowH - 8) / 2 + 4}">${esc(note)}</text></g>`;
    })
    .join('');
  return `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" font-family="system-ui, sans-serif" font-size="12"><title id="${id}-t">${esc(o.title)}</title><desc id="${id}-d">${esc(o.desc)}</desc><defs>${defs}</defs><line x1="${labelW}" y1="${legendH}" x2="${labelW}" y2="${height - 4}" stroke="#888"/>${legend}${bars}</svg><figcaption>${esc(o.title)}</figcaption></figure>`;
}
