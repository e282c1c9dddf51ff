// The lint worker's logic, apart from loading the wasm (src/worker.ts), so that unit tests can drive
// it with a stub module.
import type { Request, Response } from './protocol';
import type { WardApi } from './ward-api';

export interface Clock {
  now(): number;
}

/**
 * Answers requests with `api`, once `ready` resolves. Lint requests carry a version; one that a
 * newer lint request overtook while it waited for the wasm to load is answered `stale` without
 * linting (the page would drop its result anyway).
 */
export function createHandler(ready: Promise<WardApi>, clock: Clock = performance) {
  let newestLint = -1;
  return async function handle(req: Request): Promise<Response> {
    if (req.type === 'lint') newestLint = Math.max(newestLint, req.version);
    let api: WardApi;
    try {
      api = await ready;
    } catch (e) {
      return { id: req.id, ok: false, error: `the wasm module did not load: ${errorText(e)}` };
    }
    try {
      switch (req.type) {
        case 'lint': {
          if (req.version < newestLint) return { id: req.id, ok: true, stale: true };
          const t0 = clock.now();
          const result = api.lint(req.text, req.options);
          return { id: req.id, ok: true, result: { result, ms: clock.now() - t0 } };
        }
        case 'applyFixes':
          return { id: req.id, ok: true, result: api.applyFixes(req.text, req.options) };
        case 'rules':
          return { id: req.id, ok: true, result: api.rules() };
        case 'explain':
          return { id: req.id, ok: true, result: api.explain(req.rule) ?? null };
        case 'bench': {
          const runs: number[] = [];
          let findings = 0;
          for (let i = 0; i < req.runs; i++) {
            const t0 = clock.now();
            findings = api.lint(req.text, req.options).findings.length;
            runs.push(clock.now() - t0);
          }
          return { id: req.id, ok: true, result: { runs, findings } };
        }
        default:
          return { id: (req as { id: number }).id, ok: false, error: `unknown request ${(req as { type: string }).type}` };
      }
    } catch (e) {
      return { id: req.id, ok: false, error: errorText(e) };
    }
  };
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
