// The real wasm build (src/wasm/, made by ../scripts/build-wasm.sh) through the worker's handler and
// the page's mapping: the contract of /src/ward-api.ts, checked on the bundled examples.
// Skipped when the module has not been built, unless WARD_REQUIRE_WASM=1 (scripts/test sets it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toDiagnostics } from '../src/diagnostics';
import type { LintReply } from '../src/protocol';
import { toLintOptions, DEFAULT_SETTINGS } from '../src/settings';
import type { WardApi } from '../src/ward-api';
import { createHandler } from '../src/worker-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WASM_DIR = path.join(HERE, '..', 'src', 'wasm');
const built = fs.existsSync(path.join(WASM_DIR, 'ward_wasm.js')) && fs.existsSync(path.join(WASM_DIR, 'ward_wasm_bg.wasm'));
const example = (name: string) => fs.readFileSync(path.join(HERE, '..', '..', 'examples', name), 'utf8');

if (!built && process.env.WARD_REQUIRE_WASM === '1') {
  throw new Error('src/wasm/ward_wasm.js is missing: run ../scripts/build-wasm.sh (or npm run build)');
}

async function load(): Promise<WardApi> {
  const ward = await import(/* @vite-ignore */ path.join(WASM_DIR, 'ward_wasm.js'));
  ward.initSync({ module: fs.readFileSync(path.join(WASM_DIR, 'ward_wasm_bg.wasm')) });
  return ward as unknown as WardApi;
}

describe.skipIf(!built)('the wasm build', () => {
  it('lints the DynamoDB incident: four findings whose offsets are UTF-16 positions of the text', async () => {
    const ward = await load();
    const text = example('dynamodb-incident.yaml');
    const handle = createHandler(Promise.resolve(ward));
    const res = await handle({ id: 1, type: 'lint', version: 1, text, options: {} });
    expect(res.ok).toBe(true);
    const { result } = (res as { result: LintReply }).result;
    expect(result.isTemplate).toBe(true);
    expect(result.suppressed).toBe(1);
    expect(result.findings.map((f) => `${f.rule} ${f.start.line}:${f.start.column} ${f.severity}`)).toEqual([
      'DDB002 28:7 info',
      'DDB001 29:40 warning',
      'DDB001 33:5 warning',
      'DDB002 33:5 info',
    ]);
    const [, orders, customers] = result.findings;
    expect(text.slice(orders.start.offset, orders.end.offset)).toBe('false');
    expect(text.slice(customers.start.offset, customers.end.offset)).toBe('Properties');
    expect(orders.fix).toMatchObject({ title: 'Set SSEEnabled to true', applicability: 'unsafe' });
    expect(customers.fix).toMatchObject({ title: 'Set SSEEnabled to true', applicability: 'safe' });
    expect(orders.suppress?.title).toBe('Suppress DDB001 for OrdersTable');
    expect(orders.related.map((r) => text.slice(r.start.offset, r.end.offset))).toEqual(['dev', 'IsProd']);

    const diags = toDiagnostics(result, text.length, { applyFix: () => {} });
    expect(diags).toHaveLength(4);
    expect(diags.every((d) => d.source === 'ward')).toBe(true);
  });

  it('counts offsets in UTF-16 code units and columns in characters', async () => {
    const ward = await load();
    // Two astral characters (two UTF-16 units each) before the finding on the same line.
    const text = 'Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {Description: "🔐🔐", SSESpecification: {SSEEnabled: false}}}\n';
    const [f] = ward.lint(text).findings.filter((x) => x.rule === 'DDB001');
    expect(text.slice(f.start.offset, f.end.offset)).toBe('false');
    expect(f.start.column).toBe([...text.split('\n')[1].slice(0, text.split('\n')[1].indexOf('false'))].length + 1);
  });

  it('applies safe fixes, and unsafe ones on request', async () => {
    const ward = await load();
    const text = example('dynamodb-incident.yaml');
    const safe = ward.applyFixes(text, { which: 'safe' });
    expect(safe.rejected).toBe(false);
    expect(safe.applied).toBe(1);
    expect(ward.lint(safe.text).findings.filter((f) => f.rule === 'DDB001').map((f) => f.resource)).toEqual(['OrdersTable']);
    const all = ward.applyFixes(text, { which: 'all' });
    expect(all.applied).toBe(2);
    expect(ward.lint(all.text).findings.filter((f) => f.rule === 'DDB001')).toEqual([]);
  });

  it('takes the settings panel’s options: ignore, parameters, conditions, ward.toml', async () => {
    const ward = await load();
    const text = example('dynamodb-incident.yaml');
    const rules = (settings: Partial<typeof DEFAULT_SETTINGS>) =>
      ward.lint(text, toLintOptions({ ...DEFAULT_SETTINGS, ...settings }).options).findings.map((f) => `${f.rule}:${f.resource}`);
    expect(rules({ ignore: 'DDB002' })).toEqual(['DDB001:OrdersTable', 'DDB001:CustomersTable']);
    expect(rules({ select: 'DDB002' })).toEqual(['DDB002:OrdersTable', 'DDB002:CustomersTable']);
    expect(rules({ ignore: 'DDB002', parameters: 'Environment=prod' })).toEqual(['DDB001:CustomersTable']);
    expect(rules({ ignore: 'DDB002', conditions: 'IsProd=true' })).toEqual(['DDB001:CustomersTable']);
    expect(rules({ config: 'ignore = ["DDB001"]\n' })).toEqual(['DDB002:OrdersTable', 'DDB002:CustomersTable']);
    expect(rules({ config: '[parameters]\nEnvironment = "prod"\n', ignore: 'DDB002' })).toEqual(['DDB001:CustomersTable']);
    for (const config of ['ignore = [', '[rules]\nignore = ["DDB001"]\n']) {
      const bad = ward.lint(text, toLintOptions({ ...DEFAULT_SETTINGS, config }).options);
      expect(bad.configError).toMatchObject({ message: expect.any(String), line: 1 });
      expect(bad.findings).toHaveLength(4); // the defaults
    }
  });

  it('lints the JSON example and reports syntax errors with positions', async () => {
    const ward = await load();
    const json = ward.lint(example('data-platform.json'));
    expect(json.isTemplate).toBe(true);
    expect(json.findings.length).toBeGreaterThan(0);
    const broken = ward.lint('Resources: [');
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors[0]).toMatchObject({ fatal: true, start: { line: 1 } });
    expect(ward.lint('').isTemplate).toBe(false);
    expect(ward.lint('name: build\non: [push]\n')).toMatchObject({ isTemplate: false, findings: [] });
    expect(ward.lint(example('compliant.yaml')).findings).toEqual([]);
  });

  it('lists the rules with their docs, and explains by id or name in any case', async () => {
    const ward = await load();
    const rules = ward.rules();
    expect(rules.length).toBeGreaterThan(40);
    const ddb = rules.find((r) => r.id === 'DDB001');
    expect(ddb).toMatchObject({ category: 'encryption-at-rest', severity: 'warning', fix: 'safe' });
    expect(ddb?.docs).toMatch(/^# DDB001 /);
    expect(ward.explain('ddb001')).toBe(ward.explain(ddb!.name));
    expect(ward.explain('NOPE')).toBeNull();
    expect(ward.version()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
