// The page's side of the lint worker: request/response by id, and stale lint results dropped.
import type { BenchReply, LintReply, Request, Response, Results, WorkerMessage } from './protocol';
import type { FixOptions, FixResult, LintOptions, RuleInfo } from './ward-api';

/** The part of a Worker the client uses (a fake one in the unit tests). */
export interface Port {
  postMessage(message: Request): void;
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
}

export interface LintResponse extends LintReply {
  /** The version passed to `lint` (the document version of the page). */
  version: number;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; version?: number };

type Omit2<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export class WardClient {
  /** Resolves with Ward's version once the worker has loaded the wasm module. */
  readonly ready: Promise<{ version: string; ms: number }>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The newest version passed to `lint`: answers for older versions are dropped. */
  private newestLint = -1;
  /** How many lint answers were dropped because a newer lint was requested (for tests). */
  dropped = 0;

  constructor(private readonly port: Port) {
    let settle!: { resolve: (v: { version: string; ms: number }) => void; reject: (e: Error) => void };
    this.ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
    port.onmessage = (event) => {
      const msg = event.data;
      if ('type' in msg) {
        if (msg.type === 'ready') settle.resolve({ version: msg.version, ms: msg.ms });
        else settle.reject(new Error(msg.error));
        return;
      }
      this.receive(msg);
    };
    port.onerror = (event) => {
      const error = new Error(`the lint worker failed: ${event.message || 'unknown error'}`);
      settle.reject(error);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  /**
   * Lints `text` as of document version `version`. Versions must grow. The promise of a lint that a
   * newer one overtook never settles: its result would describe an older document (CodeMirror's
   * linter also ignores results for a document that has changed since it asked).
   */
  lint(text: string, options: LintOptions, version: number): Promise<LintResponse> {
    this.newestLint = Math.max(this.newestLint, version);
    return this.call({ type: 'lint', version, text, options }, version).then((reply) => ({ ...reply, version }));
  }

  applyFixes(text: string, options: FixOptions): Promise<FixResult> {
    return this.call({ type: 'applyFixes', text, options });
  }

  rules(): Promise<RuleInfo[]> {
    return this.call({ type: 'rules' });
  }

  explain(rule: string): Promise<string | null> {
    return this.call({ type: 'explain', rule });
  }

  bench(text: string, options: LintOptions, runs: number): Promise<BenchReply> {
    return this.call({ type: 'bench', text, options, runs });
  }

  private call<R extends Omit2<Request>>(request: R, version?: number): Promise<Results[R['type']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, version });
      this.port.postMessage({ ...request, id } as Request);
    });
  }

  private receive(msg: Response) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (p.version !== undefined && (p.version < this.newestLint || ('stale' in msg && msg.ok))) {
      // Overtaken by a newer lint: drop it; the newer one's answer follows.
      this.dropped++;
      return;
    }
    if (msg.ok) {
      if ('stale' in msg) return; // (not reached: handled above)
      p.resolve(msg.result);
    } else {
      p.reject(new Error(msg.error));
    }
  }
}
