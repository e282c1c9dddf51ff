import { describe, expect, it, vi } from 'vitest';
import {
  countBySeverity,
  detectLanguage,
  editsToChanges,
  filterFindings,
  minimalChange,
  toDiagnostics,
} from '../src/diagnostics';
import type { Finding, LintResult } from '../src/ward-api';

const pos = (offset: number, line = 1, column = offset + 1) => ({ offset, line, column });

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'DDB001',
    title: 'DynamoDB tables should be encrypted with a KMS key',
    severity: 'warning',
    category: 'encryption-at-rest',
    resource: 'OrdersTable',
    property: null,
    message: 'DynamoDB table OrdersTable is not encrypted with a KMS key',
    start: pos(10),
    end: pos(15),
    related: [],
    fix: null,
    suppress: null,
    ...over,
  };
}

const safeFix = { title: 'Set SSEEnabled to true', applicability: 'safe' as const, edits: [{ from: 10, to: 15, insert: 'true' }] };
const unsafeFix = { ...safeFix, applicability: 'unsafe' as const };
const suppress = {
  title: 'Suppress DDB001 for OrdersTable',
  applicability: 'unsafe' as const, // as the wasm build says; labelled without "(unsafe)"
  edits: [{ from: 3, to: 3, insert: 'Metadata: …' }],
};

describe('findings to CodeMirror diagnostics', () => {
  it('maps offsets, severity, source, message and actions', () => {
    const result: LintResult = {
      isTemplate: true,
      findings: [
        finding({ fix: safeFix, suppress }),
        finding({ rule: 'S3001', severity: 'error', start: pos(2), end: pos(4), fix: unsafeFix }),
        finding({ rule: 'DDB002', severity: 'info', start: pos(20), end: pos(20) }),
      ],
      suppressed: 0,
      errors: [],
      configError: null,
    };
    const applyFix = vi.fn();
    const diags = toDiagnostics(result, 100, { applyFix });
    expect(diags.map(({ from, to, severity, source, message }) => ({ from, to, severity, source, message }))).toEqual([
      { from: 2, to: 4, severity: 'error', source: 'ward', message: 'S3001: DynamoDB table OrdersTable is not encrypted with a KMS key' },
      { from: 10, to: 15, severity: 'warning', source: 'ward', message: 'DDB001: DynamoDB table OrdersTable is not encrypted with a KMS key' },
      { from: 20, to: 20, severity: 'info', source: 'ward', message: 'DDB002: DynamoDB table OrdersTable is not encrypted with a KMS key' },
    ]);
    expect(diags[0].actions?.map((a) => a.name)).toEqual(['Set SSEEnabled to true (unsafe)']);
    expect(diags[1].actions?.map((a) => a.name)).toEqual(['Set SSEEnabled to true', 'Suppress DDB001 for OrdersTable']);
    expect(diags[2].actions).toEqual([]);
    expect(diags[1].renderMessage).toBeUndefined();

    const view = {} as never;
    diags[1].actions?.[1].apply(view, 10, 15);
    expect(applyFix).toHaveBeenCalledWith(view, suppress);
  });

  it('renders the tooltip through the hook', () => {
    const render = vi.fn(() => ({}) as Node);
    const f = finding({});
    const [d] = toDiagnostics({ isTemplate: true, findings: [f], suppressed: 0, errors: [], configError: null }, 100, {
      applyFix: () => {},
      render,
    });
    d.renderMessage?.({} as never);
    expect(render).toHaveBeenCalledWith({}, f);
  });

  it('maps syntax errors and clamps ranges to the document', () => {
    const result: LintResult = {
      isTemplate: false,
      findings: [finding({ start: pos(90), end: pos(120) })],
      suppressed: 0,
      errors: [{ message: 'did not find expected key', start: pos(50), end: pos(40), fatal: true }],
      configError: null,
    };
    const diags = toDiagnostics(result, 95, { applyFix: () => {} });
    expect(diags.map(({ from, to, severity, message }) => ({ from, to, severity, message }))).toEqual([
      { from: 50, to: 50, severity: 'error', message: 'Syntax error: did not find expected key' },
      { from: 90, to: 95, severity: 'warning', message: 'DDB001: DynamoDB table OrdersTable is not encrypted with a KMS key' },
    ]);
  });

  it('sorts a fix’s edits for one dispatch', () => {
    expect(
      editsToChanges([
        { from: 30, to: 30, insert: 'b' },
        { from: 5, to: 7, insert: 'a' },
      ]),
    ).toEqual([
      { from: 5, to: 7, insert: 'a' },
      { from: 30, to: 30, insert: 'b' },
    ]);
  });
});

describe('finding filter', () => {
  const all = [
    finding({ rule: 'A1', severity: 'error', category: 'encryption-at-rest' }),
    finding({ rule: 'B1', severity: 'warning', category: 'network', message: 'open to 0.0.0.0/0', resource: 'Sg' }),
    finding({ rule: 'C1', severity: 'info', category: 'logging' }),
  ];
  const every = new Set(['error', 'warning', 'info'] as const);

  it('filters by severity, category and text', () => {
    expect(filterFindings(all, { severities: every, category: '' }).map((f) => f.rule)).toEqual(['A1', 'B1', 'C1']);
    expect(filterFindings(all, { severities: new Set(['error', 'info']), category: '' }).map((f) => f.rule)).toEqual(['A1', 'C1']);
    expect(filterFindings(all, { severities: every, category: 'network' }).map((f) => f.rule)).toEqual(['B1']);
    expect(filterFindings(all, { severities: new Set(['error']), category: 'network' })).toEqual([]);
    expect(filterFindings(all, { severities: every, category: '', text: ' 0.0.0.0 ' }).map((f) => f.rule)).toEqual(['B1']);
    expect(filterFindings(all, { severities: every, category: '', text: 'sg' }).map((f) => f.rule)).toEqual(['B1']);
    expect(filterFindings(all, { severities: every, category: '', text: 'c1' }).map((f) => f.rule)).toEqual(['C1']);
  });

  it('counts by severity', () => {
    expect(countBySeverity(all)).toEqual({ error: 1, warning: 1, info: 1 });
    expect(countBySeverity([])).toEqual({ error: 0, warning: 0, info: 0 });
  });
});

describe('helpers', () => {
  it('finds the smallest change', () => {
    expect(minimalChange('abc', 'abc')).toBeNull();
    expect(minimalChange('SSEEnabled: false\n', 'SSEEnabled: true\n')).toEqual({ from: 12, to: 16, insert: 'tru' }); // the shared 'e' stays
    expect(minimalChange('aaa', 'aaaa')).toEqual({ from: 3, to: 3, insert: 'a' });
    expect(minimalChange('abcd', 'ad')).toEqual({ from: 1, to: 3, insert: '' });
    const before = 'x: 1\ny: 2\n';
    const after = 'x: 1\n  z: 3\ny: 2\n';
    const c = minimalChange(before, after)!;
    expect(before.slice(0, c.from) + c.insert + before.slice(c.to)).toBe(after);
  });

  it('detects JSON by the first non-blank character', () => {
    expect(detectLanguage('{"Resources": {}}')).toBe('json');
    expect(detectLanguage('\n  \t{')).toBe('json');
    expect(detectLanguage('Resources: {}')).toBe('yaml');
    expect(detectLanguage('# {\nResources: {}')).toBe('yaml');
    expect(detectLanguage('')).toBe('yaml');
  });
});
