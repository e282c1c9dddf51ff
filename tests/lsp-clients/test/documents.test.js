'use strict';
// Which documents get diagnostics, and text that must not take the server down.
const test = require('node:test');
const assert = require('node:assert/strict');
const { withServer, sleep, positionAt } = require('../lib/client');
const { fixture, workspace, withCode } = require('../lib/fixtures');

const TIMEOUT = 60000;

test('a YAML or JSON file that is not a template gets no diagnostics (push)', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const yaml = await c.open('workflow.yaml', fixture('not-a-template.yaml'));
    const json = await c.open('package.json', JSON.stringify({ name: 'x', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2), { languageId: 'json' });
    // Edit the non-template too, then open a template and wait for its diagnostics: by then the
    // server has had every chance to publish for the other two.
    await c.edit(yaml, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 8 } }, newText: 'build' }]);
    const template = await c.open('orders.yaml', fixture('orders.yaml'));
    await c.waitForPublish(template.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    await sleep(300);
    for (const doc of [yaml, json]) {
      const nonEmpty = c.publishes.filter((p) => p.uri === doc.uri && p.diagnostics.length > 0);
      assert.deepEqual(nonEmpty, [], `no diagnostics for ${doc.uri}`);
    }
  });
});

test('a file that is not a template gets an empty pull report', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t), pull: true }, async (c) => {
    const yaml = await c.open('workflow.yaml', fixture('not-a-template.yaml'));
    const report = await c.pull(yaml);
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.items, []);
  });
});

test('syntax errors in a template are diagnostics with code `syntax`', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const yaml = await c.open('broken.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties: {SSESpecification: [\n');
    const json = await c.open('broken.json', '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Table": {"Type": "AWS::DynamoDB::Table",\n');
    for (const doc of [yaml, json]) {
      const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'syntax').length > 0 });
      const [d] = withCode(published.diagnostics, 'syntax');
      assert.equal(d.severity, 1, 'a syntax error is an error');
      assert.equal(d.source, 'ward');
      const lines = doc.text.split('\n').length;
      assert.ok(d.range.start.line < lines, `the position is inside the text: ${JSON.stringify(d.range)}`);
    }
  });
});

function alive(c, doc) {
  return c.request('textDocument/documentSymbol', { textDocument: { uri: doc.uri } }, { timeout: 15000 });
}

test('garbage, deep nesting, huge and binary text do not take the server down', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    // Deterministic pseudo-random printable and control characters, valid UTF-16 only.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pool = 'Resources:AWSTemplateFormatVersion!Ref!GetAtt!Sub{}[]:,-&*|>"\'#\t\n\r \u0000\u0007\u00e9\u20ac😀\ufeff';
    const chars = [...pool];
    const garbage = Array.from({ length: 20000 }, () => chars[Math.floor(rand() * chars.length)]).join('');

    const cases = [
      ['garbage.yaml', garbage],
      ['garbage-template.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + garbage],
      ['deep.yaml', 'Resources:\n  A: ' + '['.repeat(100000)],
      ['deep.json', '{"Resources": ' + '{"a": '.repeat(50000)],
      ['deep-block.yaml', 'Resources:\n' + Array.from({ length: 2000 }, (_, i) => ' '.repeat(i + 1) + 'k:').join('\n')],
      ['aliases.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\na: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill('*' + String.fromCharCode(97 + i)).join(',')}]`).join('\n') + '\nResources: {}\n'],
      ['tags.yaml', 'Resources:\n  T:\n    Type: !!binary AAAA\n    Properties: !Unknown {a: !If [!Not, !Ref, !GetAtt .]}\n'],
      ['half.yaml', fixture('orders.yaml').slice(0, 400)],
      ['empty.yaml', ''],
      ['nul.json', '{"Resources": {"\u0000": 1}}'],
      ['huge.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + Array.from({ length: 40000 }, (_, i) => `  Q${i}:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: q${i}}\n`).join('')],
    ];
    for (const [name, text] of cases) {
      const doc = await c.open(name, text, { write: false });
      await alive(c, doc);
      assert.equal(c.exit, undefined, `server alive after ${name}`);
    }
    // A later ordinary request still answers correctly.
    const doc = await c.open('orders.yaml', fixture('orders.yaml'), { write: false });
    await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    await c.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 7, character: 4 } });
  });
});

test('typing a template one character at a time: every result is for the newest version', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const target = fixture('orders.yaml');
    const doc = await c.open('typing.yaml', '', { write: false });
    for (let i = 0; i < target.length; i++) {
      const end = positionAt(doc.text, doc.text.length);
      await c.edit(doc, [{ range: { start: end, end }, newText: target[i] }]);
      // Requests in between, as an editor asks for hovers and symbols while typing.
      if (i % 97 === 0) await alive(c, doc);
    }
    assert.equal(doc.text, target);
    const last = await c.waitForPublish(doc.uri, { version: doc.version, timeout: 20000 });
    assert.ok(withCode(last.diagnostics, 'DDB001').length > 0, `DDB001 in the final version; got ${JSON.stringify(last.diagnostics.map((d) => d.code))}`);
    await sleep(300);
    assert.deepEqual(c.versionRegressions, [], 'no publish for an older version after a newer one');
    assert.equal(c.latestPublish(doc.uri).version, doc.version, 'the last publish is for the last version');
  });
});

test('changes with CRLF line ends and a full-text replace', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const crlf = fixture('orders.yaml').replace(/\n/g, '\r\n');
    const doc = await c.open('crlf.yaml', crlf);
    const published = await c.waitForPublish(doc.uri, { match: (ds) => withCode(ds, 'DDB001').length > 0 });
    const [d] = withCode(published.diagnostics, 'DDB001');
    assert.deepEqual(d.range, { start: { line: 19, character: 20 }, end: { line: 19, character: 25 } });
    const actions = await c.codeActions(doc, d.range, { diagnostics: [d] });
    await c.applyWorkspaceEdit(actions.find((a) => a.title === 'Set SSEEnabled to true').edit);
    assert.ok(doc.text.includes('SSEEnabled: true\r\n'));
    const fixed = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(withCode(fixed.diagnostics, 'DDB001'), []);
    await c.replace(doc, crlf);
    const again = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.equal(withCode(again.diagnostics, 'DDB001').length, 1);
  });
});

test('a document that stops being a template has its diagnostics cleared, and so has a closed one', { timeout: TIMEOUT }, async (t) => {
  await withServer({ rootDir: workspace(t) }, async (c) => {
    const doc = await c.open('changing.yaml', 'name: not yet a template\n');
    await c.replace(doc, fixture('orders.yaml'));
    const template = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.ok(withCode(template.diagnostics, 'DDB001').length > 0, 'a template once its text is one');
    await c.replace(doc, 'name: no longer a template\n');
    const cleared = await c.waitForPublish(doc.uri, { version: doc.version });
    assert.deepEqual(cleared.diagnostics, [], 'an empty publish for the version that is not a template');

    await c.replace(doc, fixture('orders.yaml'));
    await c.waitForPublish(doc.uri, { version: doc.version, match: (ds) => ds.length > 0 });
    const seq = c.publishes.length;
    await c.close(doc);
    const closed = await c.waitForPublish(doc.uri, { after: seq });
    assert.deepEqual(closed.diagnostics, [], 'closing a document clears its diagnostics');
  });
});
