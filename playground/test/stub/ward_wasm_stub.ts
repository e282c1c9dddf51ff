// A hand-written stand-in for the wasm module (same API as src/ward-api.ts's WardApi), for unit tests
// that must not depend on the wasm build. It knows one rule: `SSEEnabled: false` is DDB001.
import type { FixOptions, FixResult, LintOptions, LintResult, Pos, RuleInfo, WardApi } from '../../src/ward-api';

function pos(text: string, offset: number): Pos {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { offset, line, column };
}

export const RULES: RuleInfo[] = [
  {
    id: 'DDB001',
    name: 'dynamodb-table-encrypted',
    title: 'DynamoDB tables should be encrypted with a KMS key',
    category: 'encryption-at-rest',
    severity: 'warning',
    resourceTypes: ['AWS::DynamoDB::Table'],
    references: { cfnNag: ['W28'], checkov: ['CKV_AWS_28'], awsConfig: [] },
    fix: 'safe',
    docs: '# DDB001 dynamodb-table-encrypted: DynamoDB tables should be encrypted with a KMS key\n\n## Why\n\nTables hold data.\n',
  },
];

export function createStub(calls: string[] = []): WardApi {
  return {
    version: () => '0.0.0-stub',
    lint(text: string, options: LintOptions = {}): LintResult {
      calls.push('lint');
      const isTemplate = /^Resources\s*:/m.test(text) || /"Resources"\s*:/.test(text);
      if (!isTemplate) return { isTemplate, findings: [], suppressed: 0, errors: [], configError: null };
      const ignored = (options.ignore ?? []).includes('DDB001');
      const findings = [];
      const re = /SSEEnabled: false/g;
      for (let m = re.exec(text); m && !ignored; m = re.exec(text)) {
        const from = m.index + 'SSEEnabled: '.length;
        const to = from + 'false'.length;
        findings.push({
          rule: 'DDB001',
          title: RULES[0].title,
          severity: 'warning' as const,
          category: 'encryption-at-rest',
          resource: 'Table',
          property: 'SSESpecification.SSEEnabled',
          message: 'DynamoDB table Table is not encrypted with a KMS key',
          start: pos(text, from),
          end: pos(text, to),
          related: [],
          fix: { title: 'Set SSEEnabled to true', applicability: 'safe' as const, edits: [{ from, to, insert: 'true' }] },
          suppress: null,
        });
      }
      return { isTemplate, findings, suppressed: 0, errors: [], configError: null };
    },
    applyFixes(text: string, options: FixOptions = {}): FixResult {
      calls.push('applyFixes');
      const fixed = this.lint(text, options).findings.length;
      return { text: text.replace(/SSEEnabled: false/g, 'SSEEnabled: true'), applied: fixed, rejected: false };
    },
    rules: () => RULES,
    explain: (id: string) => (id.toUpperCase() === 'DDB001' ? RULES[0].docs : null),
  };
}
