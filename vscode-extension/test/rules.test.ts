import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docsPath, parseRuleList, ruleOfDocsPath, rulesAt } from '../src/rules';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

describe('rulesAt', () => {
  const diagnostics = [
    { source: 'ward', code: 'DDB001', range: range(8, 4, 14) },
    { source: 'ward', code: { value: 'DDB002' }, range: range(8, 4, 14) },
    { source: 'ward', code: 'DDB001', range: range(8, 0, 20) },
    { source: 'ward', code: 'syntax', range: range(8, 0, 20) },
    { source: 'YAML', code: 'x', range: range(8, 0, 20) },
    { source: 'ward', code: 'S3001', range: { start: { line: 2, character: 2 }, end: { line: 4, character: 0 } } },
  ];

  it('finds the Ward rules under the cursor, once each, ends included', () => {
    assert.deepEqual(rulesAt(diagnostics, { line: 8, character: 4 }), ['DDB001', 'DDB002']);
    assert.deepEqual(rulesAt(diagnostics, { line: 8, character: 14 }), ['DDB001', 'DDB002']);
    assert.deepEqual(rulesAt(diagnostics, { line: 8, character: 17 }), ['DDB001']);
    assert.deepEqual(rulesAt(diagnostics, { line: 3, character: 80 }), ['S3001']);
    assert.deepEqual(rulesAt(diagnostics, { line: 4, character: 1 }), []);
    assert.deepEqual(rulesAt(diagnostics, { line: 9, character: 0 }), []);
  });
});

describe('parseRuleList', () => {
  it('reads cfn-ward rules --format json', () => {
    const stdout = JSON.stringify({
      rules: [
        { id: 'DDB001', name: 'dynamodb-sse', title: 'DynamoDB table encrypted', category: 'encryption-at-rest', severity: 'warning' },
        { id: 'S3001' },
        { name: 'no-id' },
      ],
    });
    assert.deepEqual(parseRuleList(stdout), [
      { id: 'DDB001', name: 'dynamodb-sse', title: 'DynamoDB table encrypted', category: 'encryption-at-rest' },
      { id: 'S3001', name: '', title: '', category: '' },
    ]);
  });

  it('gives nothing for bad output', () => {
    assert.deepEqual(parseRuleList(''), []);
    assert.deepEqual(parseRuleList('{"rules": 3}'), []);
    assert.deepEqual(parseRuleList('null'), []);
  });
});

describe('docs document paths', () => {
  it('round-trips rule ids', () => {
    assert.equal(docsPath('DDB001'), '/DDB001.md');
    assert.equal(ruleOfDocsPath(docsPath('DDB001')), 'DDB001');
    assert.equal(docsPath('../x y'), '/___x_y.md');
  });
});
