// The page's side of the worker: requests with promises, and a reset that abandons a long run by
// terminating the worker (the page never waits on the simulator).

import type { Reply, Request } from './protocol.js';

export class Cancelled extends Error {
  constructor() { super('cancelled'); }
}

export class SimClient {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (p: unknown) => void }>();

  constructor(private readonly make: () => Worker) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = this.make();
    w.onmessage = (ev: MessageEvent<Reply>) => {
      const m = ev.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) { p.progress?.(m.progress); return; }
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.data);
      else p.reject(new Error(m.error));
    };
    w.onerror = (ev) => {
      for (const p of this.pending.values()) p.reject(new Error(`the simulation worker failed: ${ev.message}`));
      this.pending.clear();
    };
    return w;
  }

  get busy(): boolean { return this.pending.size > 0; }

  call<T>(req: Request, progress?: (p: never) => void): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(progress ? { progress: progress as (p: unknown) => void } : {}) });
      this.worker.postMessage({ ...req, id });
    });
  }

  /** Abandons every pending request: the worker is terminated and a fresh one started. */
  reset(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Cancelled());
    this.pending.clear();
    this.worker = this.start();
  }
}
