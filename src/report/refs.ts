// Stable references to personal values for the board's report: a keyed hash (HMAC-SHA256 under a
// per-installation secret kept in the Cutover home, never in a report), so equal values give
// equal references and nobody without the secret can test a guess against them. An engineer
// resolves a reference with `cutover report --personal-data`, which recomputes it over the values
// it reads from the sources and the target.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function cutoverHome(): string {
  return path.resolve(process.env.CUTOVER_HOME ?? '.cutover');
}

/** The secret's file: `<Cutover home>/reference.key` (mode 0600), created on first use. */
export function referenceKeyFile(): string {
  return path.join(cutoverHome(), 'reference.key');
}

let cached: { file: string; key: Buffer } | null = null;

function referenceKey(): Buffer {
  const file = referenceKeyFile();
  if (cached?.file === file) return cached.key;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process made it first
    }
    chmodSync(file, 0o600);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  cached = { file, key };
  return key;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` give one reference. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** `h:` and 16 hex digits of HMAC-SHA256(secret, canonical JSON of the value). */
export function keyedRef(value: unknown): string {
  return `h:${createHmac('sha256', referenceKey()).update(canonical(value)).digest('hex').slice(0, 16)}`;
}

/** What kind of query, in words, from its parameter names: `{surname, birthYear}` → `surname + birth year`. */
export function queryKind(params: unknown): string {
  if (params === null || typeof params !== 'object') return 'no parameters';
  const names = Object.keys(params as object).map((k) => k.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase());
  return names.length ? names.join(' + ') : 'no parameters';
}
