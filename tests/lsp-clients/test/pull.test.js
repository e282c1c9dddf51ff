'use strict';
// Pull mode: a client that declares textDocument.diagnostic asks with textDocument/diagnostic.
const test = require('node:test');
const assert = require('node:assert/strict');
const { withServer, sleep } = require('../lib/client');
const { fixture, workspace, withCode } = require('../lib/fixtures');

const TIMEOUT = 30000;

function items(report) {
  assert.equal(report.kind, 'full', `a full report; got ${JSON.stringify(report).slice(0, 200)}`);
  return report.items;
}

test('pull: DDB001 through textDocument/diagnostic, gone after the quick fix', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t), pull: true }, async (c) => {
    const dynamic = (c.registrations || []).some((r) => r.method === 'textDocument/diagnostic');
    assert.ok(c.serverCapabilities.diagnosticProvider || dynamic, 'the server offers pull diagnostics');

    const doc = await c.open('orders.yaml', fixture('orders.yaml'));
    const first = await c.pull(doc);
    const [d] = withCode(items(first), 'DDB001');
    assert.ok(d, `DDB001 pulled; got ${JSON.stringify(items(first).map((x) => x.code))}`);
    assert.deepEqual(d.range, { start: { line: 19, character: 20 }, end: { line: 19, character: 25 } });
    assert.equal(d.source, 'ward');

    const actions = await c.codeActions(doc, d.range, { diagnostics: [d] });
    const fix = actions.find((a) => a.title === 'Set SSEEnabled to true');
    assert.ok(fix, `quick fix offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    await c.applyWorkspaceEdit(fix.edit);

    const second = await c.pull(doc, first.resultId);
    assert.deepEqual(withCode(items(second), 'DDB001'), [], 'DDB001 gone after the fix');
    assert.ok(withCode(items(second), 'DDB002').length > 0, 'DDB002 still there');

    // A pull client must not also get pushed diagnostics (editors would show them twice).
    await sleep(300);
    const pushed = c.publishes.filter((p) => p.uri === doc.uri && p.diagnostics.length > 0);
    assert.deepEqual(pushed, [], 'no non-empty publishDiagnostics to a pull client');
  });
});

test('pull: an unchanged document may answer `unchanged` for its previous result id', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t), pull: true }, async (c) => {
    const doc = await c.open('orders.yaml', fixture('orders.yaml'));
    const first = await c.pull(doc);
    const second = await c.pull(doc, first.resultId);
    if (second.kind === 'unchanged') {
      assert.equal(second.resultId, first.resultId);
    } else {
      assert.deepEqual(second.items.map((d) => d.code).sort(), first.items.map((d) => d.code).sort());
    }
  });
});
