import { describe, expect, it } from 'vitest';
import { WardClient, type Port } from '../src/client';
import type { Request, WorkerMessage } from '../src/protocol';
import { createHandler } from '../src/worker-core';
import type { LintResult } from '../src/ward-api';
import { createStub } from './stub/ward_wasm_stub';

/** A fake worker: records requests; the test answers them, in any order. */
class FakePort implements Port {
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  sent: Request[] = [];
  postMessage(message: Request) {
    this.sent.push(message);
  }
  deliver(message: WorkerMessage) {
    this.onmessage?.({ data: message } as MessageEvent<WorkerMessage>);
  }
}

const empty = (n: number): LintResult => ({
  isTemplate: true,
  findings: new Array(n).fill(null),
  suppressed: 0,
  errors: [],
  configError: null,
});
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('WardClient', () => {
  it('reports ready with the version', async () => {
    const port = new FakePort();
    const client = new WardClient(port);
    port.deliver({ type: 'ready', version: '1.2.3', ms: 4 });
    expect(await client.ready).toEqual({ version: '1.2.3', ms: 4 });
  });

  it('drops a lint answer that a newer lint overtook, even when the answers come in reverse', async () => {
    const port = new FakePort();
    const client = new WardClient(port);
    const settled: number[] = [];
    const p1 = client.lint('old', {}, 1).then((r) => (settled.push(r.version), r));
    const p2 = client.lint('new', {}, 2).then((r) => (settled.push(r.version), r));
    const [r1, r2] = port.sent;
    expect(r1).toMatchObject({ type: 'lint', version: 1, text: 'old' });
    expect(r2).toMatchObject({ type: 'lint', version: 2, text: 'new' });

    port.deliver({ id: r2.id, ok: true, result: { result: empty(2), ms: 1 } });
    port.deliver({ id: r1.id, ok: true, result: { result: empty(1), ms: 1 } });
    const second = await p2;
    await flush();
    expect(second.result.findings).toHaveLength(2);
    expect(settled).toEqual([2]); // the old answer never settles
    expect(client.dropped).toBe(1);
    void p1;
  });

  it('drops answers the worker marked stale, and passes the newest', async () => {
    const port = new FakePort();
    const client = new WardClient(port);
    let oldSettled = false;
    client.lint('a', {}, 5).then(() => (oldSettled = true));
    const p = client.lint('b', {}, 6);
    port.deliver({ id: port.sent[0].id, ok: true, stale: true });
    port.deliver({ id: port.sent[1].id, ok: true, result: { result: empty(0), ms: 0.5 } });
    expect((await p).ms).toBe(0.5);
    await flush();
    expect(oldSettled).toBe(false);
  });

  it('does not drop other requests that interleave with lints', async () => {
    const port = new FakePort();
    const client = new WardClient(port);
    const explain = client.explain('DDB001');
    client.lint('x', {}, 1);
    port.deliver({ id: port.sent[0].id, ok: true, result: '# docs' });
    expect(await explain).toBe('# docs');
  });

  it('rejects failed requests and everything pending when the worker dies', async () => {
    const port = new FakePort();
    const client = new WardClient(port);
    const failed = client.applyFixes('x', {});
    port.deliver({ id: port.sent[0].id, ok: false, error: 'boom' });
    await expect(failed).rejects.toThrow('boom');
    const pending = client.rules();
    client.ready.catch(() => {});
    port.onerror?.({ message: 'script error' } as ErrorEvent);
    await expect(pending).rejects.toThrow('the lint worker failed: script error');
    await expect(client.ready).rejects.toThrow('script error');
  });
});

describe('worker handler (with the stub module)', () => {
  const TEMPLATE = 'Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: false\n';

  it('answers lint, applyFixes, rules, explain and bench', async () => {
    let t = 0;
    const handle = createHandler(Promise.resolve(createStub()), { now: () => (t += 2) });
    const lint = await handle({ id: 1, type: 'lint', version: 1, text: TEMPLATE, options: {} });
    expect(lint).toMatchObject({ id: 1, ok: true, result: { ms: 2 } });
    const findings = (lint as { result: { result: LintResult } }).result.result.findings;
    expect(findings).toHaveLength(1);
    expect(TEMPLATE.slice(findings[0].start.offset, findings[0].end.offset)).toBe('false');
    expect(findings[0].start).toMatchObject({ line: 6, column: 21 });

    expect(await handle({ id: 2, type: 'applyFixes', text: TEMPLATE, options: { which: 'safe' } })).toEqual({
      id: 2,
      ok: true,
      result: { text: TEMPLATE.replace('false', 'true'), applied: 1, rejected: false },
    });
    expect(await handle({ id: 3, type: 'rules' })).toMatchObject({ id: 3, ok: true, result: [{ id: 'DDB001' }] });
    expect(await handle({ id: 4, type: 'explain', rule: 'ddb001' })).toMatchObject({ id: 4, ok: true, result: expect.stringMatching(/^# DDB001/) });
    expect(await handle({ id: 5, type: 'explain', rule: 'NOPE' })).toEqual({ id: 5, ok: true, result: null });
    expect(await handle({ id: 6, type: 'bench', text: TEMPLATE, options: {}, runs: 3 })).toEqual({
      id: 6,
      ok: true,
      result: { runs: [2, 2, 2], findings: 1 },
    });
  });

  it('passes the options through', async () => {
    const handle = createHandler(Promise.resolve(createStub()));
    const r = await handle({ id: 1, type: 'lint', version: 1, text: TEMPLATE, options: { ignore: ['DDB001'] } });
    expect((r as { result: { result: LintResult } }).result.result.findings).toEqual([]);
  });

  it('skips lints overtaken while the wasm loads', async () => {
    const calls: string[] = [];
    let load!: (api: ReturnType<typeof createStub>) => void;
    const handle = createHandler(new Promise((r) => (load = r)));
    const first = handle({ id: 1, type: 'lint', version: 1, text: TEMPLATE, options: {} });
    const second = handle({ id: 2, type: 'lint', version: 2, text: TEMPLATE, options: {} });
    load(createStub(calls));
    expect(await first).toEqual({ id: 1, ok: true, stale: true });
    expect(await second).toMatchObject({ id: 2, ok: true });
    expect(calls).toEqual(['lint']);
  });

  it('turns exceptions and a failed load into error answers', async () => {
    const throwing = { ...createStub(), lint: () => { throw new Error('panicked'); } };
    expect(await createHandler(Promise.resolve(throwing))({ id: 1, type: 'lint', version: 1, text: '', options: {} })).toEqual({
      id: 1,
      ok: false,
      error: 'panicked',
    });
    const failed = createHandler(Promise.reject(new Error('404')));
    expect(await failed({ id: 2, type: 'rules' })).toEqual({ id: 2, ok: false, error: 'the wasm module did not load: 404' });
  });

  it('end to end through the client', async () => {
    const port = new FakePort();
    const client = new WardClient(port);
    const handle = createHandler(Promise.resolve(createStub()));
    port.postMessage = (req) => void handle(req).then((res) => port.deliver(res));
    const r = await client.lint(TEMPLATE, {}, 1);
    expect(r.version).toBe(1);
    expect(r.result.findings.map((f) => f.rule)).toEqual(['DDB001']);
  });
});
