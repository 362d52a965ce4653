// A step worker that fails does not hang the reconciliation: a step it cannot run, or a thread that
// dies under a step, rejects that step (reconcile() then reports the step as not compared).
// No database is needed: the worker opens its connections only when a step reads.
import { describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { StepWorker } from '../../src/reconcile/workers.ts';
import type { WorkerInit } from '../../src/reconcile/worker.ts';

const init: WorkerInit = {
  databaseUrl: 'postgres://nobody@127.0.0.1:9/none', crisUrl: 'postgres://nobody@127.0.0.1:9/none', crimintDir: '/nonexistent', kinds: [], batchSize: 250,
};

describe('StepWorker', () => {
  it('rejects a step it does not know, and closes', async () => {
    const w = await StepWorker.start(init);
    expect(w).not.toBeNull();
    await expect(w!.run('cris', 'CRIS:NO_SUCH_TABLE')).rejects.toThrow(/no step CRIS:NO_SUCH_TABLE/);
    const t0 = Date.now();
    await w!.close();
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('rejects the running step when its thread exits, and closes at once', async () => {
    const w = await StepWorker.start(init);
    expect(w).not.toBeNull();
    const thread = (w as unknown as { worker: Worker }).worker;
    const running = w!.run('cris', 'CRIS:ADDRESS'); // its connection attempt takes a moment to fail
    await thread.terminate();
    await expect(running).rejects.toThrow(/exited/);
    expect(w!.alive).toBe(false);
    await expect(w!.run('cris', 'CRIS:ADDRESS')).rejects.toThrow(/exited/); // at once, never pending
    const t0 = Date.now();
    await w!.close();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
