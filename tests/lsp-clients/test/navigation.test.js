'use strict';
// Hover, document symbols, go to definition, references, rename and completion on logical ids.
const test = require('node:test');
const assert = require('node:assert/strict');
const { withServer, positionOf, positionAt } = require('../lib/client');
const { fixture, workspace, withCode } = require('../lib/fixtures');

const TIMEOUT = 30000;

// Lines (0-based) of tests/lsp-clients/fixtures/orders.yaml.
const ENV_LINE = 3;
const TABLE_LINE = 7;
const USES_OF_TABLE = [22 /* DependsOn */, 24 /* ${OrdersTable} */, 28 /* !Ref */, 30 /* !GetAtt */];

function hoverText(hover) {
  assert.ok(hover && hover.contents, `a hover; got ${JSON.stringify(hover)}`);
  const parts = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
  return parts.map((p) => (typeof p === 'string' ? p : p.value)).join('\n');
}

function locations(result) {
  if (!result) return [];
  return (Array.isArray(result) ? result : [result]).map((l) => ({
    uri: l.uri || l.targetUri,
    range: l.range || l.targetSelectionRange,
  }));
}

async function openOrders(c) {
  const doc = await c.open('orders.yaml', fixture('orders.yaml'));
  const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
  return { doc, published };
}

test('hover: on a finding, on a Ref and on a resource type', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc, published } = await openOrders(c);
    const [d] = withCode(published.diagnostics, 'DDB001');
    const onFinding = hoverText(await c.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: d.range.start }));
    assert.match(onFinding, /DDB001/);
    assert.match(onFinding, /encrypted with a KMS key/i, 'the rule title');
    assert.match(onFinding, /SSEEnabled: true/, 'the compliant example');

    const onRef = hoverText(await c.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: positionOf(doc.text, '!Ref OrdersTable', { delta: 7 }) }));
    assert.match(onRef, /AWS::DynamoDB::Table/, 'a Ref hover says what it points at');

    const onType = hoverText(await c.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: positionOf(doc.text, 'AWS::DynamoDB::Table', { delta: 6 }) }));
    assert.match(onType, /DDB001/, 'a resource type hover lists the rules for it');
  });
});

test('documentSymbol: parameters, resources with their types, outputs', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc } = await openOrders(c);
    const symbols = await c.request('textDocument/documentSymbol', { textDocument: { uri: doc.uri } });
    assert.ok(Array.isArray(symbols) && symbols.length > 0, `symbols; got ${JSON.stringify(symbols)}`);
    const all = [];
    const walk = (list) => {
      for (const s of list) {
        all.push(s);
        walk(s.children || []);
      }
    };
    walk(symbols);
    const names = all.map((s) => s.name);
    for (const name of ['Env', 'OrdersTable', 'OrdersQueue', 'TableName', 'TableArn']) {
      assert.ok(names.includes(name), `symbol ${name}; got ${JSON.stringify(names)}`);
    }
    const table = all.find((s) => s.name === 'OrdersTable');
    const range = table.selectionRange || table.location.range;
    assert.equal(range.start.line, TABLE_LINE);
    if (table.detail !== undefined) assert.match(table.detail, /AWS::DynamoDB::Table/);
  });
});

test('definition and references of a logical id through Ref, GetAtt, Sub and DependsOn', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc } = await openOrders(c);
    const definitionAt = async (position) =>
      locations(await c.request('textDocument/definition', { textDocument: { uri: doc.uri }, position }));

    for (const [what, position, line] of [
      ['!Ref', positionOf(doc.text, '!Ref OrdersTable', { delta: 8 }), TABLE_LINE],
      ['!GetAtt', positionOf(doc.text, '!GetAtt OrdersTable.Arn', { delta: 10 }), TABLE_LINE],
      ['DependsOn', positionOf(doc.text, 'DependsOn: OrdersTable', { delta: 12 }), TABLE_LINE],
      ['${…} in !Sub', positionOf(doc.text, '${OrdersTable}', { delta: 3 }), TABLE_LINE],
      ['${Env} in !Sub', positionOf(doc.text, '${Env}', { delta: 3 }), ENV_LINE],
    ]) {
      const found = await definitionAt(position);
      assert.equal(found.length, 1, `one definition from ${what}; got ${JSON.stringify(found)}`);
      assert.equal(found[0].uri, doc.uri);
      assert.deepEqual(found[0].range.start, { line, character: 2 }, `definition from ${what}`);
    }

    const refs = locations(
      await c.request('textDocument/references', {
        textDocument: { uri: doc.uri },
        position: { line: TABLE_LINE, character: 4 },
        context: { includeDeclaration: true },
      }),
    );
    const lines = [...new Set(refs.map((r) => r.range.start.line))].sort((a, b) => a - b);
    assert.deepEqual(lines, [TABLE_LINE, ...USES_OF_TABLE], `references; got ${JSON.stringify(refs)}`);
  });
});

test('rename: a resource and every use of it', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc } = await openOrders(c);
    const position = positionOf(doc.text, '!Ref OrdersTable', { delta: 6 });
    if (c.serverCapabilities.renameProvider?.prepareProvider) {
      const prepared = await c.request('textDocument/prepareRename', { textDocument: { uri: doc.uri }, position });
      const range = prepared?.range || prepared;
      assert.equal(doc.text.split('\n')[range.start.line].slice(range.start.character, range.end.character), 'OrdersTable',
        `prepareRename covers the name; got ${JSON.stringify(prepared)}`);
    }
    const edit = await c.request('textDocument/rename', { textDocument: { uri: doc.uri }, position, newName: 'PurchasesTable' });
    await c.applyWorkspaceEdit(edit);
    assert.doesNotMatch(doc.text, /OrdersTable/, `every use renamed:\n${doc.text}`);
    for (const use of ['  PurchasesTable:\n', 'DependsOn: PurchasesTable\n', '"${PurchasesTable}-feed"', '!Ref PurchasesTable\n', '!GetAtt PurchasesTable.Arn\n']) {
      assert.ok(doc.text.includes(use), `${JSON.stringify(use)} in the renamed text`);
    }
    const after = await c.waitForPublish(doc.uri, { version: doc.version });
    const [d] = withCode(after.diagnostics, 'DDB001');
    assert.ok(d && /PurchasesTable/.test(d.message), `the finding follows the new name; got ${JSON.stringify(after.diagnostics.map((x) => x.message))}`);
  });
});

test('completion: logical ids and parameters after !Ref', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const { doc } = await openOrders(c);
    const end = positionAt(doc.text, doc.text.length);
    await c.edit(doc, [{ range: { start: end, end }, newText: '  QueueName:\n    Value: !Ref ' }]);
    const position = positionAt(doc.text, doc.text.length);
    const result = await c.request('textDocument/completion', { textDocument: { uri: doc.uri }, position, context: { triggerKind: 1 } });
    const labels = (Array.isArray(result) ? result : result?.items || []).map((i) => i.label);
    for (const name of ['OrdersTable', 'OrdersQueue', 'Env']) {
      assert.ok(labels.includes(name), `${name} offered; got ${JSON.stringify(labels)}`);
    }
  });
});
