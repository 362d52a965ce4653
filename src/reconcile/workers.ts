// Step workers on the main side: start a worker thread, hand it steps, collect their
// StepOutputs. From the build (dist/, what bin/cutover.js runs) the thread runs the built
// worker.js; from the TypeScript source (the tests) it loads worker.ts through tsx. When a worker
// cannot start (no tsx, a restricted runtime), start() gives null and the caller runs its steps
// in-thread.
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

/**
 * One step worker: a thread that runs the steps it is handed, one at a time, each on its own
 * target connections and source readers, and posts each StepOutput back.
 */
export class StepWorker {
  private readonly pending = new Map<number, { resolve: (o: StepOutput) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.once('exit', () => { this.exited = true; this.failAll(new Error('the worker thread exited')); });
  }

  /**
   * Start a worker (about a second at scale 100,000 on 2 cores when it loads the modules through tsx);
   * null when it cannot run here.
   */
  static async start(init: WorkerInit): Promise<StepWorker | null> {
    const built = import.meta.url.endsWith('.js');
    const api = built ? null : tsxApiUrl();
    if (!built && !api) return null;
    let worker: Worker | null = null;
    try {
      if (built) {
        worker = new Worker(new URL('./worker.js', import.meta.url));
      } else {
        const entry = new URL('./worker.ts', import.meta.url).href;
        const boot = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
        worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
      }
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
      const sw = new StepWorker(w);
      w.on('message', (m: WorkerReply) => sw.onMessage(m));
      w.on('error', (e) => sw.failAll(e));
      w.postMessage({ kind: 'init', init } satisfies WorkerRequest);
      return sw;
    } catch {
      if (worker) await worker.terminate().catch(() => {});
      return null;
    }
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

  /** False once the thread has exited: its lane then runs its steps on the main thread. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Run one step on the worker. */
  run(pipeline: string, step: string, crimintChecks?: ManifestCheck[]): Promise<StepOutput> {
    if (this.exited) return Promise.reject(new Error('the worker thread exited'));
    const id = this.nextId++;
    return new Promise<StepOutput>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'step', id, pipeline, step, crimintChecks } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      worker.once('exit', done);
      worker.on('message', (m: WorkerReply) => { if (m.kind === 'closed') void worker.terminate().then(done, done); });
      worker.postMessage({ kind: 'close' } satisfies WorkerRequest);
      setTimeout(() => void worker.terminate().then(done, done), 10_000).unref();
    });
  }
}
