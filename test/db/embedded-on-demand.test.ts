// The embedded server starts only when a connection the command uses has no URL. Here its port
// is held by a plain TCP listener, so starting it would fail: commands given the URLs they use
// must succeed without it, and must not even create its data folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createTestDatabase, dropTestDatabase } from '../helpers/db.ts';
import { runCli } from '../helpers/cli.ts';

let holder: net.Server;
let env: Record<string, string>;
let home: string;
let target: string;
let cris: string;

beforeAll(async () => {
  holder = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  home = mkdtempSync(path.join(os.tmpdir(), 'cutover-on-demand-'));
  env = { CUTOVER_HOME: home, CUTOVER_EMBEDDED_PORT: String((holder.address() as net.AddressInfo).port), CUTOVER_DATABASE_URL: '', CUTOVER_CRIS_URL: '' };
  target = await createTestDatabase('on_demand_target');
  cris = await createTestDatabase('on_demand_cris');
});

afterAll(async () => {
  await new Promise((r) => holder.close(r));
  rmSync(home, { recursive: true, force: true });
  if (target) await dropTestDatabase(target);
  if (cris) await dropTestDatabase(cris);
});

describe('the embedded server starts only when needed', () => {
  it('db migrate and status with a target URL (the CRIS default unused)', async () => {
    const m = await runCli(['db', 'migrate', '--database-url', target], env);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    const s = await runCli(['status', '--json', '--database-url', target], env);
    expect(s.code, s.stderr).toBe(0);
    expect(existsSync(path.join(home, 'pg'))).toBe(false);
  });

  it('generate with a CRIS URL (the target default unused)', async () => {
    const g = await runCli(['generate', '--scale', '10', '--cris-url', cris, '--crimint-dir', path.join(home, 'crimint')], env);
    expect(g.code, g.stderr).toBe(0);
    expect(existsSync(path.join(home, 'pg'))).toBe(false);
  });

  it('a command that uses a default does start it (and says why it cannot here)', async () => {
    const r = await runCli(['status', '--json'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('could not start the embedded PostgreSQL on port');
  });
});
