'use strict';
// Push mode: a client without the textDocument.diagnostic capability gets publishDiagnostics.
const test = require('node:test');
const assert = require('node:assert/strict');
const { withServer, editsFor } = require('../lib/client');
const { fixture, workspace, withCode, codes } = require('../lib/fixtures');

const TIMEOUT = 30000;

test('push: DDB001 is published with its range, the quick fix removes it in the next version', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const sync = c.serverCapabilities.textDocumentSync;
    assert.equal(typeof sync === 'number' ? sync : sync?.change, 2, `incremental sync; got ${JSON.stringify(sync)}`);
    const doc = await c.open('orders.yaml', fixture('orders.yaml'));
    const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    assert.equal(published.version, 1, 'the publish carries the document version');

    const [d] = withCode(published.diagnostics, 'DDB001');
    assert.deepEqual(d.range, { start: { line: 19, character: 20 }, end: { line: 19, character: 25 } }, 'DDB001 points at `false` in `SSEEnabled: false`');
    assert.equal(d.source, 'ward');
    assert.equal(d.severity, 2, 'DDB001 is a warning');
    assert.match(d.message, /OrdersTable/);
    assert.equal(d.data, undefined, 'code actions re-read the analysis: diagnostics carry no payload');

    const actions = await c.codeActions(doc, d.range, { diagnostics: [d] });
    const fix = actions.find((a) => a.title === 'Set SSEEnabled to true');
    assert.ok(fix, `quick fix offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true, 'a safe fix is preferred');
    assert.ok(fix.edit?.documentChanges, 'documentChanges, since the client declares support');
    const edits = editsFor(fix.edit, doc.uri);
    assert.deepEqual(edits, [{ range: d.range, newText: 'true' }]);

    await c.applyWorkspaceEdit(fix.edit);
    assert.match(doc.text.split('\n')[19], /^ {8}SSEEnabled: true$/);
    const after = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(withCode(after.diagnostics, 'DDB001'), [], `DDB001 gone in version ${doc.version}`);
    assert.ok(codes(after.diagnostics).includes('DDB002'), 'the other finding on the table stays');
    assert.deepEqual(c.versionRegressions, [], 'never a result for an older version after a newer one');
  });
});

test('push: UTF-16 columns, and `changes` for a client without documentChanges', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t), documentChanges: false }, async (c) => {
    const doc = await c.open('utf16.yaml', fixture('utf16.yaml'));
    const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    const [d] = withCode(published.diagnostics, 'DDB001');
    // `      SSESpecification: {Note: "😀 café", SSEEnabled: false}`: 😀 is two UTF-16 code units.
    assert.deepEqual(d.range, { start: { line: 9, character: 54 }, end: { line: 9, character: 59 } });

    const actions = await c.codeActions(doc, d.range, { diagnostics: [d] });
    const fix = actions.find((a) => a.title === 'Set SSEEnabled to true');
    assert.ok(fix, `quick fix offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.edit.documentChanges, undefined, 'no documentChanges for a client that did not declare them');
    assert.ok(fix.edit.changes?.[doc.uri], 'the edit comes as `changes`');
    await c.applyWorkspaceEdit(fix.edit);
    assert.equal(doc.text.split('\n')[9], '      SSESpecification: {Note: "😀 café", SSEEnabled: true}');
    const after = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(withCode(after.diagnostics, 'DDB001'), []);
  });
});

test('push: related information points at the condition that causes the finding', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const text = fixture('examples/dynamodb-incident.yaml');
    const doc = await c.open('incident.yaml', text);
    const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    const orders = withCode(published.diagnostics, 'DDB001').find((d) => /OrdersTable/.test(d.message));
    assert.ok(orders, `DDB001 for OrdersTable; got ${JSON.stringify(published.diagnostics.map((d) => d.message))}`);
    const related = orders.relatedInformation || [];
    assert.ok(related.length > 0, 'relatedInformation names the cause');
    const lines = text.split('\n');
    const cited = related.map((r) => {
      assert.equal(r.location.uri, doc.uri);
      return lines[r.location.range.start.line];
    });
    assert.ok(
      cited.some((line) => /IsProd|Environment|Default: dev/.test(line)),
      `a related location on the condition or parameter; got lines ${JSON.stringify(cited)}`,
    );
  });
});

test('push: a client that offers UTF-8 positions gets byte columns', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t), positionEncodings: ['utf-8', 'utf-16'] }, async (c) => {
    assert.equal(c.serverCapabilities.positionEncoding, 'utf-8');
    const doc = await c.open('utf16.yaml', fixture('utf16.yaml'));
    const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    const [d] = withCode(published.diagnostics, 'DDB001');
    // 😀 is 4 bytes and é 2: `false` starts at byte 57 of its line.
    assert.deepEqual(d.range, { start: { line: 9, character: 57 }, end: { line: 9, character: 62 } });
  });
});
