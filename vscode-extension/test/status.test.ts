import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeOf, countWard, statusView } from '../src/status';

describe('countWard', () => {
  it('counts Ward findings and syntax errors, not other sources', () => {
    const counts = countWard([
      { source: 'ward', code: 'DDB001' },
      { source: 'ward', code: { value: 'DDB002' } },
      { source: 'ward', code: 'syntax' },
      { source: 'YAML', code: 0 },
      { source: undefined, code: 'DDB001' },
    ]);
    assert.deepEqual(counts, { findings: 2, syntax: 1 });
  });

  it('reads object and number codes', () => {
    assert.equal(codeOf({ code: { value: 'S3001' } }), 'S3001');
    assert.equal(codeOf({ code: 7 }), '7');
    assert.equal(codeOf({}), undefined);
  });
});

describe('statusView', () => {
  it('shows the server state', () => {
    assert.equal(statusView({ state: 'starting', enabled: true, counts: undefined }).text, '$(loading~spin) Ward');
    assert.equal(statusView({ state: 'stopped', enabled: true, counts: undefined }).text, '$(circle-slash) Ward');
    const error = statusView({ state: 'error', enabled: true, counts: { findings: 3, syntax: 0 } });
    assert.equal(error.text, '$(error) Ward');
    assert.equal(error.error, true);
    assert.match(error.tooltip, /could not run/);
  });

  it('shows the active file finding count when running', () => {
    const view = statusView({ state: 'running', enabled: true, counts: { findings: 2, syntax: 0 }, server: 'bundled server' });
    assert.equal(view.text, '$(warning) Ward: 2');
    assert.equal(view.error, false);
    assert.equal(view.tooltip, 'Ward: running (bundled server). 2 findings in this file. Click to show the Ward output.');
    assert.equal(statusView({ state: 'running', enabled: true, counts: { findings: 1, syntax: 0 } }).tooltip.includes('1 finding in'), true);
    assert.equal(statusView({ state: 'running', enabled: true, counts: { findings: 0, syntax: 0 } }).text, '$(shield) Ward: 0');
    const syntax = statusView({ state: 'running', enabled: true, counts: { findings: 0, syntax: 1 } });
    assert.equal(syntax.text, '$(error) Ward: 0');
    assert.match(syntax.tooltip, /1 syntax error in this file/);
  });

  it('shows no count without a YAML or JSON editor, and off when disabled', () => {
    assert.equal(statusView({ state: 'running', enabled: true, counts: undefined }).text, '$(shield) Ward');
    const off = statusView({ state: 'running', enabled: false, counts: { findings: 4, syntax: 0 } });
    assert.equal(off.text, '$(circle-slash) Ward: off');
    assert.match(off.tooltip, /ward.enable/);
  });
});
