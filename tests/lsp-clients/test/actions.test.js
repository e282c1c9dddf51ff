'use strict';
// Code actions beyond the rule's own fix: suppressions and source.fixAll.ward.
const test = require('node:test');
const assert = require('node:assert/strict');
const { withServer, positionAt } = require('../lib/client');
const { fixture, workspace, withCode, codes } = require('../lib/fixtures');

const TIMEOUT = 30000;

async function openWithFinding(c, name, text) {
  const doc = await c.open(name, text);
  const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
  return { doc, published };
}

test('suppress: "Suppress DDB001 for OrdersTable" writes ward Metadata and silences DDB001', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc, published } = await openWithFinding(c, 'orders.yaml', fixture('orders.yaml'));
    const [d] = withCode(published.diagnostics, 'DDB001');
    const actions = await c.codeActions(doc, d.range, { diagnostics: [d] });
    const suppress = actions.find((a) => a.title === 'Suppress DDB001 for OrdersTable');
    assert.ok(suppress, `suppress action offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(suppress.kind, 'quickfix');
    assert.ok(!suppress.isPreferred, 'a suppression is never the preferred fix');

    await c.applyWorkspaceEdit(suppress.edit);
    assert.match(doc.text, /^ {4}Metadata:\n {6}ward:\n {8}suppress:\n +- rule: DDB001\n +reason: \S/m, `Metadata in block style:\n${doc.text}`);
    const after = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(withCode(after.diagnostics, 'DDB001'), [], 'DDB001 suppressed');
    assert.deepEqual(withCode(after.diagnostics, 'syntax'), [], 'the edit keeps the YAML valid');
    assert.ok(codes(after.diagnostics).includes('DDB002'), 'only DDB001 is suppressed');
  });
});

test('suppress: in a JSON template the suppression is JSON', { timeout: TIMEOUT }, async (t) => {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      OrdersTable: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          SSESpecification: { SSEEnabled: false },
        },
      },
    },
  };
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc, published } = await openWithFinding(c, 'orders.json', JSON.stringify(template, null, 2) + '\n');
    const [d] = withCode(published.diagnostics, 'DDB001');
    const actions = await c.codeActions(doc, d.range, { diagnostics: [d] });
    const suppress = actions.find((a) => a.title === 'Suppress DDB001 for OrdersTable');
    assert.ok(suppress, `suppress action offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    await c.applyWorkspaceEdit(suppress.edit);
    const parsed = JSON.parse(doc.text);
    const entry = parsed.Resources.OrdersTable.Metadata?.ward?.suppress?.[0];
    assert.equal(entry?.rule, 'DDB001', doc.text);
    assert.equal(typeof entry.reason, 'string');
    const after = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(withCode(after.diagnostics, 'DDB001'), []);
  });
});

test('source.fixAll.ward applies every safe fix and no suppression', { timeout: TIMEOUT }, async (t) => {
  const text = fixture('orders.yaml').replace(
    '  OrdersQueue:\n',
    [
      '  CustomersTable:',
      '    Type: AWS::DynamoDB::Table',
      '    Properties:',
      '      BillingMode: PAY_PER_REQUEST',
      '      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]',
      '      KeySchema: [{AttributeName: id, KeyType: HASH}]',
      '      SSESpecification: {SSEEnabled: false}',
      '  OrdersQueue:',
      '',
    ].join('\n'),
  );
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc, published } = await openWithFinding(c, 'orders.yaml', text);
    assert.equal(withCode(published.diagnostics, 'DDB001').length, 2, 'two tables without KMS');
    const whole = { start: { line: 0, character: 0 }, end: positionAt(doc.text, doc.text.length) };

    const actions = await c.codeActions(doc, whole, { only: ['source.fixAll.ward'] });
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.ward'], `one fix-all action; got ${JSON.stringify(actions.map((a) => [a.kind, a.title]))}`);
    // Editors ask for the parent kind on save (editor.codeActionsOnSave: source.fixAll).
    const onSave = await c.codeActions(doc, whole, { only: ['source.fixAll'] });
    assert.ok(onSave.some((a) => a.kind === 'source.fixAll.ward'), `source.fixAll.ward answers only: [source.fixAll]; got ${JSON.stringify(onSave.map((a) => a.kind))}`);
    // And it is not mixed into the quick fixes.
    const quick = await c.codeActions(doc, whole, { only: ['quickfix'] });
    assert.ok(quick.every((a) => a.kind === 'quickfix'), `only quickfix kinds; got ${JSON.stringify(quick.map((a) => a.kind))}`);

    await c.applyWorkspaceEdit(actions[0].edit);
    assert.doesNotMatch(doc.text, /suppress/, 'fix-all never suppresses');
    assert.match(doc.text, /SSEEnabled: true\n/);
    assert.match(doc.text, /SSESpecification: \{SSEEnabled: true\}/);
    const after = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(withCode(after.diagnostics, 'DDB001'), []);
    assert.deepEqual(withCode(after.diagnostics, 'syntax'), []);
  });
});
