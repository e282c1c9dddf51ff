// Messages between the page (src/client.ts) and the lint worker (src/worker.ts).
import type { FixOptions, FixResult, LintOptions, LintResult, RuleInfo } from './ward-api';

export type Request =
  | { id: number; type: 'lint'; version: number; text: string; options: LintOptions }
  | { id: number; type: 'applyFixes'; text: string; options: FixOptions }
  | { id: number; type: 'rules' }
  | { id: number; type: 'explain'; rule: string }
  | { id: number; type: 'bench'; text: string; options: LintOptions; runs: number };

export interface LintReply {
  result: LintResult;
  /** Milliseconds the wasm `lint` call took inside the worker. */
  ms: number;
}

export interface BenchReply {
  /** One entry per run: milliseconds of each wasm `lint` call. */
  runs: number[];
  findings: number;
}

/** The result type of each request type. */
export interface Results {
  lint: LintReply;
  applyFixes: FixResult;
  rules: RuleInfo[];
  explain: string | null;
  bench: BenchReply;
}

export type Response =
  | { id: number; ok: true; result: unknown }
  /** A lint request that a newer one made pointless before the worker got to it. */
  | { id: number; ok: true; stale: true }
  | { id: number; ok: false; error: string };

/** Sent by the worker once, unprompted: the wasm module is loaded (or failed to load). */
export type Status = { type: 'ready'; version: string; ms: number } | { type: 'failed'; error: string };

export type WorkerMessage = Response | Status;
