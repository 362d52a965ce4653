// Provenance of a report: code version, options, source identities (secrets masked), start and end.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { maskUrl } from '../core/log.ts';
import { ROOT } from '../core/paths.ts';
import type { Provenance } from './schema.ts';
import type { ResultKind, StoredResult } from './store.ts';
import { inputOf } from './read.ts';
import { runsOf } from './areas-records.ts';

export interface ProvenanceInput {
  /** Options the run and checks were given; secrets are masked. */
  options?: Record<string, unknown>;
  /** Source identities: `[{name, identity}]` or `{name: url}`. Default: the run results' sources. */
  sources?: Array<{ name: string; identity?: string | null; url?: string | null }> | Record<string, string | null | undefined>;
  startedAt?: string | Date | null;
  endedAt?: string | Date | null;
  /** Default: package.json version and `git rev-parse --short HEAD` of the repository. */
  codeVersion?: { version?: string | null; commit?: string | null; dirty?: boolean | null };
}

const REPO = ROOT;
const SECRET_KEY = /pass(word)?|pwd|secret|token|credential|api[-_]?key|private/i;

/** Mask passwords in connection URLs (user:pw@, ?password=) inside any string. */
export function maskSecrets(s: string): string {
  let out = s.includes('://') ? s.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (u) => maskUrl(u)) : s;
  out = out.replace(/([?&;](?:password|pwd|secret|token|access_token)=)[^&;\s"']*/gi, '$1****');
  // ADO-style connection strings: Password=…;
  out = out.replace(/((?:^|;)\s*(?:password|pwd)\s*=)[^;]*/gi, '$1****');
  return out;
}

/** Options with secrets masked: secret-looking keys blanked, URLs masked, recursively. */
export function maskOptions(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return maskSecrets(v);
  if (depth > 8) return '…';
  if (Array.isArray(v)) return v.map((x) => maskOptions(x, depth + 1));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) && x !== null && x !== undefined && x !== false ? '****' : maskOptions(x, depth + 1);
    return out;
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function' || typeof v === 'symbol') return String(v);
  return v ?? null;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return null;
  }
}

/** package.json version, short commit, and whether tracked files differ from the commit. */
export function codeVersion(): Provenance['codeVersion'] {
  let version: string | null = null;
  try {
    version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    version = null;
  }
  const commit = git(['rev-parse', '--short', 'HEAD']) || null;
  const status = commit ? git(['status', '--porcelain', '--untracked-files=no']) : null;
  return { version, commit, dirty: status === null ? null : status !== '' };
}

const iso = (d: string | Date | null | undefined): string | null => (d instanceof Date ? d.toISOString() : d ?? null);

export function buildProvenance(input: ProvenanceInput | Provenance | undefined, results: Partial<Record<ResultKind, StoredResult>>): Provenance {
  const p = (input ?? {}) as ProvenanceInput;
  let sources: Provenance['sources'] = [];
  if (Array.isArray(p.sources)) sources = p.sources.map((s) => ({ name: String(s.name), identity: maskSecrets(String(s.identity ?? s.url ?? '')) }));
  else if (p.sources) sources = Object.entries(p.sources).filter(([, v]) => v).map(([name, v]) => ({ name, identity: maskSecrets(String(v)) }));
  const runs = runsOf(inputOf('run', results.run).result);
  if (sources.length === 0) for (const r of runs) if (r.source) sources.push({ name: r.pipeline, identity: maskSecrets(r.source) });
  const times = Object.values(results).flatMap((r) => (r ? [r.savedAt] : []));
  const runStarts = runs.map((r) => r.startedAt).filter((x) => x !== '');
  const runEnds = runs.map((r) => r.endedAt).filter((x) => x !== '');
  const min = (xs: string[]) => (xs.length ? xs.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) : null);
  const max = (xs: string[]) => (xs.length ? xs.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null);
  const cv = p.codeVersion;
  return {
    codeVersion: cv && (cv.version !== undefined || cv.commit !== undefined)
      ? { version: cv.version ?? null, commit: cv.commit ?? null, dirty: cv.dirty ?? null }
      : codeVersion(),
    options: (maskOptions(p.options ?? {}) as Record<string, unknown>) ?? {},
    sources,
    startedAt: iso(p.startedAt) ?? min([...runStarts, ...times]),
    endedAt: iso(p.endedAt) ?? max([...runEnds, ...times]),
  };
}
