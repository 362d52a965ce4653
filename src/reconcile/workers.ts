// Step workers on the main side: start N worker threads (each loads TypeScript through tsx, as
// bin/cutover.js does), hand them steps, collect their StepOutputs. When a worker cannot start
// (no tsx, a restricted runtime), start() returns null and the caller runs the steps in-thread.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { StepOutput } from './step.ts';
import type { ManifestCheck } from '../sources/json-export.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker.ts';

function tsxApiUrl(): string | null {
  try {
    const resolve = (import.meta as ImportMeta & { resolve?: (s: string) => string }).resolve;
    if (typeof resolve === 'function') return resolve('tsx/esm/api');
  } catch {
    // fall through
  }
  try {
    const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
    const mjs = cjs.replace(/\.cjs$/, '.mjs');
    return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
  } catch {
    return null;
  }
}

interface Slot {
  worker: Worker;
  /** steps running on it now (a worker interleaves several, as the main thread would) */
  running: number;
}

export class StepWorkers {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (o: StepOutput) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  private constructor() {}

  /** Start `n` workers; null when they cannot run here. */
  static async start(n: number, init: WorkerInit): Promise<StepWorkers | null> {
    const api = tsxApiUrl();
    if (!api || n < 1) return null;
    const entry = new URL('./worker.ts', import.meta.url).href;
    const boot = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
    const pool = new StepWorkers();
    let worker: Worker | null = null;
    try {
      for (let i = 0; i < n; i++) {
        worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
        worker.unref();
        const w = worker;
        await new Promise<void>((resolve, reject) => {
          const fail = (e: unknown) => reject(e instanceof Error ? e : new Error(String(e)));
          w.once('error', fail);
          w.once('exit', (code) => fail(new Error(`worker exited (${code}) before it was ready`)));
          w.once('message', (m: WorkerReply) => {
            w.off('error', fail);
            w.removeAllListeners('exit');
            if (m.kind === 'ready') resolve();
            else fail(new Error(`unexpected first message ${m.kind}`));
          });
        });
        worker.on('message', (m: WorkerReply) => pool.onMessage(m));
        worker.on('error', (e) => pool.failAll(e));
        worker.postMessage({ kind: 'init', init } satisfies WorkerRequest);
        pool.slots.push({ worker: w, running: 0 });
        worker = null;
      }
    } catch {
      if (worker) await worker.terminate().catch(() => {});
      await pool.close();
      return null;
    }
    return pool;
  }

  private onMessage(m: WorkerReply): void {
    if (m.kind !== 'done' && m.kind !== 'failed') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.kind === 'done') p.resolve(m.output as StepOutput);
    else p.reject(new Error(m.error));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Whether a worker has no step running (the main thread takes the step otherwise). */
  get idle(): boolean {
    return this.slots.some((s) => s.running === 0);
  }

  /** Run one step on the least busy worker (the caller limits how many run at once). */
  async run(pipeline: string, step: string, crimintChecks?: ManifestCheck[]): Promise<StepOutput> {
    const slot = this.slots.reduce((a, b) => (b.running < a.running ? b : a));
    slot.running++;
    try {
      const id = this.nextId++;
      return await new Promise<StepOutput>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ kind: 'step', id, pipeline, step, crimintChecks } satisfies WorkerRequest);
      });
    } finally {
      slot.running--;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.slots.map(async ({ worker }) => {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        worker.once('exit', done);
        worker.on('message', (m: WorkerReply) => { if (m.kind === 'closed') void worker.terminate().then(done, done); });
        worker.postMessage({ kind: 'close' } satisfies WorkerRequest);
        setTimeout(() => void worker.terminate().then(done, done), 10_000).unref();
      });
    }));
    this.slots.length = 0;
  }
}
