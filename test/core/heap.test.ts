import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { heapGuard, HEAP_STOP, readHeap } from '../../src/core/heap.ts';
import { CutoverError } from '../../src/core/problems.ts';

const MB = 1048576;

describe('the heap guard of work that grows with the legacy data', () => {
  const LIMIT = 304 * MB; // a 256 MB old space and its young generation

  it('lets the work go on below the threshold, without collecting', () => {
    let gcs = 0;
    const guard = heapGuard(() => ({ used: 200 * MB, limit: LIMIT }), () => gcs++);
    guard(() => 'x');
    expect(gcs).toBe(0);
  });

  it('near the limit, collects and goes on when garbage was the difference; collects again only after the heap grew by a tenth', () => {
    let used = 240 * MB;
    let gcs = 0;
    const guard = heapGuard(() => ({ used, limit: LIMIT }), () => { gcs++; used = 225 * MB; });
    guard(() => 'x');
    expect(gcs).toBe(1);
    used = 240 * MB; // above the threshold again, but only 15 MB more than after the collection
    guard(() => 'x');
    expect(gcs).toBe(1);
    used = 260 * MB; // 35 MB more: collect again
    guard(() => 'x');
    expect(gcs).toBe(2);
  });

  it('still near the limit after a collection: a CutoverError naming the work and CUTOVER_HEAP_MB', () => {
    const guard = heapGuard(() => ({ used: 250 * MB, limit: LIMIT }), () => {});
    const run = () => guard(() => 'the parity oracle (120,000 records read so far)');
    expect(run).toThrow(CutoverError);
    expect(run).toThrow(/the parity oracle \(120,000 records read so far\) does not fit in the JavaScript heap: 250 MB of its 304 MB limit/);
    expect(run).toThrow(/CUTOVER_HEAP_MB=1024 cutover/);
  });

  it("reads this process's real heap, below the threshold here, and runs a real full collection before it stops the work", () => {
    const h = readHeap();
    expect(h.limit).toBeGreaterThan(64 * MB);
    expect(h.used).toBeGreaterThan(0);
    expect(h.used).toBeLessThan(HEAP_STOP * h.limit);
    // forced down to a threshold of ~0: the real collection runs, and the guard then throws
    const guard = heapGuard(() => ({ used: readHeap().used, limit: 1 }));
    expect(() => guard(() => 'this test')).toThrow(/this test does not fit in the JavaScript heap/);
  });
});

describe('bin/cutover.js with CUTOVER_HEAP_MB', () => {
  // each Node process started prints its heap limit (NODE_OPTIONS reaches the child too)
  const dir = mkdtempSync(path.join(tmpdir(), 'cutover-heap-'));
  const probe = path.join(dir, 'limit.mjs');
  writeFileSync(probe, 'import { getHeapStatistics } from "node:v8";\nprocess.stderr.write(`heap-limit-mb=${Math.round(getHeapStatistics().heap_size_limit / 1048576)}\\n`);\n');
  const cli = (env: Record<string, string>) => spawnSync(process.execPath, ['--max-old-space-size=256', path.resolve('bin/cutover.js'), '--version'], {
    env: { ...process.env, NODE_OPTIONS: `--import=${probe}`, ...env }, encoding: 'utf8',
  });
  const limits = (stderr: string) => [...stderr.matchAll(/heap-limit-mb=(\d+)/g)].map((m) => Number(m[1]));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the CLI again with that heap limit, and passes its output and exit code through', () => {
    const r = cli({ CUTOVER_HEAP_MB: '768' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const [parent, child, ...more] = limits(r.stderr);
    expect(more).toEqual([]);
    expect(parent).toBeLessThan(400);
    expect(child).toBeGreaterThanOrEqual(768);
    expect(child).toBeLessThan(900);
  });

  it('without it runs in the one process; a value that is not a size is a usage error', () => {
    const plain = cli({ CUTOVER_HEAP_MB: '' });
    expect(plain.status).toBe(0);
    expect(limits(plain.stderr)).toHaveLength(1);
    const bad = cli({ CUTOVER_HEAP_MB: '1GB' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/CUTOVER_HEAP_MB=1GB: give the JavaScript heap's limit in MB/);
  });
});
