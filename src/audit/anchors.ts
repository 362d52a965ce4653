// Anchors of the audit chain: the head (seq, hash) of audit.event as seen at some moment, kept
// OUTSIDE the target database. The chain alone cannot show that rows were cut from its end (nothing
// after them points back); an anchor can: the chain must still hold a row at the anchor's seq with
// the anchor's hash. A deletion in the middle with every later hash recomputed is caught the same
// way, by any anchor beyond the change.
//
// The store is an append-only JSON-lines file beside the check results (one line per anchor),
// keyed per target, so anchors of one database are never held against another. An anchor given
// by hand (`audit verify --anchor SEQ:HASH`) is checked but never stored.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { resultsDir } from '../report/store.ts';
import { ConfigError } from '../core/problems.ts';
import type { Anchor } from './head.ts';

export { chainHead, type Anchor } from './head.ts';

export interface KeptAnchor extends Anchor {
  /** the target it was taken on (targetKey) */
  target: string;
  recordedAt: string;
  /** what recorded it: verify, report, anchor (the CLI command), … */
  by: string;
}

export const ANCHORS_FILE = 'audit-anchors.jsonl';

export function anchorsFile(): string {
  return path.join(resultsDir(), ANCHORS_FILE);
}

const ANCHOR_RE = /^([1-9][0-9]{0,18}):([0-9a-fA-F]{64})$/;

/** `SEQ:HASH` (as `cutover audit anchor` prints it) → an anchor; ConfigError otherwise. */
export function parseAnchor(text: string, option = '--anchor'): Anchor {
  const m = ANCHOR_RE.exec(text.trim());
  if (!m) throw new ConfigError(`${option} must be SEQ:HASH (a seq and a 64-digit hex hash), got ${JSON.stringify(text)}`, 'copy it as `cutover audit anchor` printed it, e.g. 1234:9f86d081…');
  return { seq: m[1]!, hash: m[2]!.toLowerCase() };
}

export const formatAnchor = (a: Anchor): string => `${a.seq}:${a.hash}`;

/**
 * Which target a chain belongs to: the server's system identifier, the database's name and oid
 * (a database dropped and created again under the same name is another chain).
 */
export async function targetKey(client: pg.ClientBase): Promise<string> {
  const { rows: [db] } = await client.query<{ name: string; oid: string }>(
    `SELECT current_database() AS name, oid::text FROM pg_database WHERE datname = current_database()`,
  );
  let server = 'unknown-server';
  try {
    const { rows } = await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
    server = rows[0]?.id ?? server;
  } catch {
    // not allowed to read the control data: the database name and oid still tell targets apart on one server
  }
  return `${server}/${db!.name}/${db!.oid}`;
}

/** Every anchor kept for the target, in the order recorded. A line that does not parse is an error naming it. */
export function readAnchors(target: string, file = anchorsFile()): KeptAnchor[] {
  if (!existsSync(file)) return [];
  const out: KeptAnchor[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let a: Partial<KeptAnchor>;
    try {
      a = JSON.parse(line);
    } catch {
      a = {};
    }
    if (typeof a.target !== 'string' || typeof a.seq !== 'string' || typeof a.hash !== 'string' || !ANCHOR_RE.test(`${a.seq}:${a.hash}`)) {
      throw new ConfigError(`${file}:${i + 1} is not an audit anchor`, 'the file is append-only JSON lines {target, seq, hash, recordedAt, by}: restore the line from a copy');
    }
    if (a.target === target) out.push(a as KeptAnchor);
  }
  return out;
}

/** Append the head as an anchor of the target (nothing when the chain is empty or this head is already the last kept). */
export function keepAnchor(target: string, head: Anchor | null, by: string, file = anchorsFile()): KeptAnchor | null {
  if (!head) return null;
  const kept = readAnchors(target, file);
  const last = kept[kept.length - 1];
  if (last && last.seq === head.seq && last.hash === head.hash) return last;
  const a: KeptAnchor = { target, seq: head.seq, hash: head.hash, recordedAt: new Date().toISOString(), by };
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify(a) + '\n');
  return a;
}
