// The engineers' report (`cutover report --personal-data --out DIR --actor U --justification T`):
// the board report's examples with their references resolved — each record's row as the target
// holds it now, each query's parameters where the legacy search log (migrated into audit.event)
// or the workload file gives them. It holds personal data, so it is written only on request, to
// a folder of its own under a banner that says so, logged in audit.event as a `disclosure` with
// the actor and justification (DPA 2018 s.62), and its folder is recorded in the Cutover home
// so the residual scan can look in it after an erasure.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { connect } from '../db/pool.ts';
import { appendAudit } from '../audit/chain.ts';
import { inTransaction, lastAuditSeq, requireText } from '../privacy/common.ts';
import { validateParams } from '../parity/catalog.ts';
import { parseWorkload } from '../parity/workload.ts';
import type { CapabilityId } from '../parity/types.ts';
import { loadResult } from './store.ts';
import { readTarget } from './target.ts';
import { cutoverHome, keyedRef } from './refs.ts';
import { esc } from './html-util.ts';

export interface EngineersReportOptions {
  databaseUrl: string;
  outDir: string;
  actor: string;
  justification: string;
}

export interface EngineersExample {
  source: 'parity' | 'reconcile';
  /** capability (parity) or entity → table and field (reconcile) */
  what: string;
  kind: string;
  /** the board's reference: lineage key, and for parity the parameters' keyed hash */
  identity: string;
  paramsRef: string | null;
  /** resolved: the query's parameters (null when no log or workload file gives them) */
  params: unknown;
  /** resolved: the record as the target holds it now (null when it is not there) */
  record: Record<string, unknown> | null;
}

export interface EngineersReportResult {
  dir: string;
  files: { html: string; json: string };
  auditSeq: string;
  examples: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The folders written so far: `<Cutover home>/engineers-reports.json`. */
export function engineersRegistryFile(): string {
  return path.join(cutoverHome(), 'engineers-reports.json');
}

export function engineersReportDirs(): Array<{ dir: string; writtenAt: string; actor: string; auditSeq: string }> {
  const file = engineersRegistryFile();
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/** The board's examples, with their references. */
function boardExamples(targetId: string): Array<Omit<EngineersExample, 'params' | 'record'> & { capability: string | null; key: { system: string; entity: string; key: string } | null; table: string | null }> {
  const out: ReturnType<typeof boardExamples> = [];
  const parity = loadResult('parity', targetId)?.result;
  for (const c of parity ? parity.capabilities : []) {
    for (const x of c.examples) {
      const [system, entity, ...rest] = x.identity.split(':');
      out.push({
        source: 'parity', what: c.id, kind: x.kind, identity: x.identity, paramsRef: x.paramsRef,
        capability: c.id, key: system && entity && rest.length ? { system, entity, key: rest.join(':') } : null, table: null,
      });
    }
  }
  const reconcile = loadResult('reconcile', targetId)?.result;
  for (const e of reconcile?.entities ?? []) {
    for (const t of e.tables) {
      const found = (kind: string, xs: Array<{ key: string }>, what: string) => {
        for (const x of xs) {
          out.push({
            source: 'reconcile', what, kind, identity: `${e.system}:${e.entity}:${x.key}`, paramsRef: null, capability: null,
            key: { system: e.system, entity: e.entity, key: x.key }, table: t.table,
          });
        }
      };
      for (const f of t.fields) found('mismatch', f.examples, `${e.system} ${e.entity} → ${t.table}.${f.column}`);
      found('missing', t.missing.examples, `${e.system} ${e.entity} → ${t.table}`);
      found('unexpected', t.unexpected.examples, `${e.system} ${e.entity} → ${t.table}`);
    }
  }
  return out;
}

/** paramsRef → parameters, from the legacy searches in audit.event and the workload file. */
async function paramsByRef(c: pg.Client, wanted: Set<string>, targetId: string): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const offer = (capability: unknown, params: unknown) => {
    if (typeof capability !== 'string') return;
    const v = validateParams(capability as CapabilityId, params);
    if (!v.ok) return;
    const ref = keyedRef(v.params);
    if (wanted.has(ref)) out.set(ref, v.params);
  };
  if (wanted.size === 0) return out;
  const { rows } = await c.query<{ detail: Obj }>(`SELECT detail FROM audit.event WHERE entity_type = 'search' AND detail ? 'params'`);
  for (const r of rows) offer(r.detail.capability, r.detail.params);
  const file = loadResult('parity', targetId)?.result.workload.file?.path ?? null;
  if (file !== null && existsSync(file)) for (const q of parseWorkload(readFileSync(file, 'utf8'), file).queries) offer(q.capability, q.params);
  return out;
}

async function recordOf(c: pg.Client, x: { key: { system: string; entity: string; key: string } | null; table: string | null }): Promise<Obj | null> {
  if (!x.key) return null;
  const { rows } = await c.query<{ target_table: string; target_id: string }>(
    `SELECT target_table, target_id::text FROM migration.lineage WHERE source_system = $1 AND source_entity = $2 AND source_key = $3 ${x.table ? 'AND target_table = $4' : ''} ORDER BY parent_key NULLS FIRST LIMIT 1`,
    x.table ? [x.key.system, x.key.entity, x.key.key, x.table] : [x.key.system, x.key.entity, x.key.key],
  );
  const l = rows[0];
  if (!l || !/^[a-z_]+\.[a-z_]+$/.test(l.target_table)) return null;
  const r = await c.query<{ row: Obj }>(`SELECT to_jsonb(t) AS row FROM ${l.target_table} t WHERE id = $1`, [l.target_id]);
  return r.rows[0] ? { table: l.target_table, ...r.rows[0].row } : null;
}

const BANNER = 'PERSONAL DATA — the engineers\' report. It names people in police records: keep it to the engineers who need it, do not forward it, delete it when the fix is done. Its writing is logged as a disclosure.';

function renderHtml(doc: { writtenAt: string; actor: string; justification: string; auditSeq: string; examples: EngineersExample[] }): string {
  const rows = doc.examples.map((x) => `<tr><td>${esc(x.source)}</td><td>${esc(x.what)}</td><td>${esc(x.kind)}</td><td><code>${esc(x.identity)}</code></td>`
    + `<td><code>${esc(x.paramsRef ?? '')}</code>${x.params !== null ? `<br><code>${esc(JSON.stringify(x.params))}</code>` : ''}</td><td><code>${esc(x.record ? JSON.stringify(x.record) : 'not in the target')}</code></td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>PERSONAL DATA: Cutover engineers' report</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}.banner{background:#b3261e;color:#fff;padding:1rem;font-weight:bold;font-size:1.1rem}td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}table{border-collapse:collapse}code{word-break:break-all}</style></head>
<body><p class="banner" role="alert">${esc(BANNER)}</p>
<p>Written ${esc(doc.writtenAt)} for ${esc(doc.actor)} (${esc(doc.justification)}); audit event seq ${esc(doc.auditSeq)}.</p>
<table><caption>Examples of the board's report, resolved</caption><thead><tr><th>Check</th><th>What</th><th>Kind</th><th>Reference</th><th>Query</th><th>Record now in the target</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

export async function writeEngineersReport(opts: EngineersReportOptions): Promise<EngineersReportResult> {
  const actor = requireText(opts.actor, 'actor', 'the engineers\' report holds personal data: its disclosure is logged with who asked');
  const justification = requireText(opts.justification, 'justification', 'the engineers\' report holds personal data: its disclosure is logged with why (s.62)');
  const dir = path.resolve(opts.outDir);
  const c = await connect(opts.databaseUrl);
  try {
    // the examples of this target's stored results
    const targetId = (await readTarget(opts.databaseUrl)).id;
    const board = boardExamples(targetId);
    const params = await paramsByRef(c, new Set(board.map((x) => x.paramsRef).filter((x): x is string => x !== null)), targetId);
    const examples: EngineersExample[] = [];
    for (const x of board) {
      examples.push({ source: x.source, what: x.what, kind: x.kind, identity: x.identity, paramsRef: x.paramsRef, params: x.paramsRef ? params.get(x.paramsRef) ?? null : null, record: await recordOf(c, x) });
    }
    const writtenAt = new Date().toISOString();
    let auditSeq = '';
    const files = { html: path.join(dir, 'index.html'), json: path.join(dir, 'examples.json') };
    await inTransaction(c, async () => {
      await appendAudit(c, [{
        occurred_at: new Date(writtenAt), actor, operation: 'disclosure', justification, recipient: actor,
        entity_type: null, entity_id: null, entity_ref: null,
        detail: { report: 'engineers', examples: examples.length }, origin: 'RMS', legacy_audit_id: null,
      }]);
      auditSeq = await lastAuditSeq(c);
      mkdirSync(dir, { recursive: true });
      const doc = { banner: BANNER, writtenAt, actor, justification, auditSeq, examples };
      writeFileSync(files.json, JSON.stringify(doc, null, 2) + '\n');
      writeFileSync(files.html, renderHtml(doc));
    });
    const registry = engineersReportDirs().filter((r) => r.dir !== dir);
    registry.push({ dir, writtenAt, actor, auditSeq });
    mkdirSync(cutoverHome(), { recursive: true });
    writeFileSync(engineersRegistryFile(), JSON.stringify(registry, null, 2) + '\n');
    return { dir, files, auditSeq, examples: examples.length };
  } finally {
    await c.end();
  }
}
