'use strict';
// initialize, shutdown and exit.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('../lib/client');
const { fixture, workspace, withCode } = require('../lib/fixtures');

const TIMEOUT = 20000;

for (const args of [['lsp', '--stdio'], ['lsp']]) {
  test(`\`cfn-ward ${args.join(' ')}\`: initialize, a diagnostic, shutdown + exit → status 0`, { timeout: TIMEOUT }, async (t) => {
    const c = new Client({ rootDir: workspace(t), args });
    try {
      const init = await c.initialize();
      assert.ok(init.capabilities, 'capabilities');
      assert.ok(init.capabilities.codeActionProvider, 'code actions');
      assert.ok(init.capabilities.hoverProvider, 'hover');
      assert.ok(init.capabilities.renameProvider, 'rename');
      const doc = await c.open('orders.yaml', fixture('orders.yaml'));
      await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
      const status = await c.shutdown();
      assert.deepEqual(status, { code: 0, signal: null });
    } finally {
      await c.dispose();
    }
  });
}

test('requests after shutdown are refused, exit still ends with status 0', { timeout: TIMEOUT }, async (t) => {
  const c = new Client({ rootDir: workspace(t) });
  try {
    await c.initialize();
    const doc = await c.open('orders.yaml', fixture('orders.yaml'));
    await c.request('shutdown', null);
    await assert.rejects(c.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 7, character: 4 } }, { timeout: 5000 }),
      (err) => typeof err.code === 'number',
      'an error response (InvalidRequest), not silence');
    await c.notifyServer('exit');
    const status = await c.exited;
    assert.deepEqual(status, { code: 0, signal: null });
  } finally {
    await c.dispose();
  }
});
