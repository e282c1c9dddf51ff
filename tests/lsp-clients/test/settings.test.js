'use strict';
// Client settings (`ward.*` through workspace/configuration and didChangeConfiguration) and ward.toml.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { withServer } = require('../lib/client');
const { fixture, workspace, withCode } = require('../lib/fixtures');

const TIMEOUT = 30000;
const hasDDB001 = (ds) => withCode(ds, 'DDB001').length > 0;
const noDDB001 = (ds) => !hasDDB001(ds);

/** Opens orders.yaml, changes the settings, and returns the first publish after the change that `match`es. */
async function afterSettings(c, settings, match, text = fixture('orders.yaml')) {
  const doc = await c.open('orders.yaml', text);
  await c.waitForPublish(doc.uri, { match: hasDDB001 });
  const seq = c.publishes.length;
  await c.setSettings(settings);
  return c.waitForPublish(doc.uri, { after: seq, match });
}

test('settings: rules.ignore through didChangeConfiguration removes DDB001', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const published = await afterSettings(c, { rules: { ignore: ['DDB001'] } }, noDDB001);
    assert.ok(withCode(published.diagnostics, 'DDB002').length > 0, 'other rules still run');
  });
});

test('settings: the initial workspace/configuration answer applies from the first publish', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t), settings: { rules: { ignore: ['DDB001'] } } }, async (c) => {
    const doc = await c.open('orders.yaml', fixture('orders.yaml'));
    const published = await c.waitForPublish(doc.uri, { match: (ds) => ds.length > 0 });
    // Otherwise an editor flashes the findings the user turned off, until the settings arrive.
    assert.deepEqual(withCode(published.diagnostics, 'DDB001'), [],
      'the first publish already honours the settings the client gave in answer to workspace/configuration');
    assert.ok(c.serverRequests.includes('workspace/configuration'), 'the server asked for its settings');
  });
});

test('settings: rules.select keeps only the selected rules', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const published = await afterSettings(c, { rules: { select: ['DDB002'] } }, noDDB001);
    assert.deepEqual([...new Set(published.diagnostics.map((d) => d.code))], ['DDB002']);
  });
});

test('settings: a severity override regrades DDB001 to error', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const published = await afterSettings(c, { severity: { DDB001: 'error' } }, (ds) => withCode(ds, 'DDB001')[0]?.severity === 1);
    assert.equal(withCode(published.diagnostics, 'DDB001')[0].severity, 1);
  });
});

test('settings: enable=false clears the diagnostics', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const published = await afterSettings(c, { enable: false }, (ds) => ds.length === 0);
    assert.deepEqual(published.diagnostics, []);
  });
});

test('settings: parameters and conditions decide the incident template', { timeout: TIMEOUT }, async (t) => {
  const incident = fixture('examples/dynamodb-incident.yaml');
  const ordersFinding = (ds) => withCode(ds, 'DDB001').some((d) => /OrdersTable/.test(d.message));
  for (const settings of [{ parameters: { Environment: 'prod' } }, { conditions: { IsProd: true } }]) {
    await withServer({ rootDir: workspace(t) }, async (c) => {
      const doc = await c.open('incident.yaml', incident);
      await c.waitForPublish(doc.uri, { match: ordersFinding });
      const seq = c.publishes.length;
      await c.setSettings(settings);
      const published = await c.waitForPublish(doc.uri, { after: seq, match: (ds) => !ordersFinding(ds) });
      assert.ok(withCode(published.diagnostics, 'DDB001').some((d) => /CustomersTable/.test(d.message)),
        `${JSON.stringify(settings)}: CustomersTable has no SSESpecification at all, so it keeps its finding`);
    });
  }
});

test('settings: docsBaseUrl gives each diagnostic a codeDescription link', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const base = 'https://ward.example/rules/';
    const published = await afterSettings(c, { docsBaseUrl: base }, (ds) => withCode(ds, 'DDB001')[0]?.codeDescription);
    const href = withCode(published.diagnostics, 'DDB001')[0].codeDescription.href;
    assert.ok(href.startsWith(base) && href.includes('DDB001'), href);
  });
});

test('ward.toml next to the template is honoured, and re-read when it changes', { timeout: TIMEOUT }, async (t) => {
  const dir = workspace(t);
  const toml = path.join(dir, 'ward.toml');
  fs.writeFileSync(toml, 'ignore = ["DDB001"]\n');
  await withServer({ rootDir: dir }, async (c) => {
    const doc = await c.open('orders.yaml', fixture('orders.yaml'));
    const first = await c.waitForPublish(doc.uri, { match: (ds) => ds.length > 0 });
    assert.deepEqual(withCode(first.diagnostics, 'DDB001'), [], 'ignored by ward.toml');

    const seq = c.publishes.length;
    fs.writeFileSync(toml, 'ignore = []\n');
    await c.notifyServer('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(toml).href, type: 2 }] });
    await c.waitForPublish(doc.uri, { after: seq, match: hasDDB001 });
  });
});
