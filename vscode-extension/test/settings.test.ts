import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapConfigurationResult, needsRestart, toServerSettings, traceOn } from '../src/settings';

describe('toServerSettings', () => {
  it('maps the nested VS Code section to the server shape and drops the extension keys', () => {
    // What workspace.getConfiguration('ward') holds for these settings.json entries.
    const raw = {
      enable: true,
      server: { path: '/opt/cfn-ward' },
      rules: { select: ['encryption-at-rest', ' DDB001 '], ignore: ['DDB002'] },
      severity: { S3001: 'error', logging: 'info' },
      parameters: { Environment: 'prod', Count: 3 },
      conditions: { IsProd: true },
      trace: { server: 'verbose' },
    };
    assert.deepEqual(toServerSettings(raw), {
      enable: true,
      rules: { select: ['encryption-at-rest', 'DDB001'], ignore: ['DDB002'] },
      severity: { S3001: 'error', logging: 'info' },
      parameters: { Environment: 'prod', Count: 3 },
      conditions: { IsProd: true },
    });
  });

  it('gives the defaults for nothing or nonsense', () => {
    const defaults = {
      enable: true,
      rules: { select: [], ignore: [] },
      severity: {},
      parameters: {},
      conditions: {},
    };
    assert.deepEqual(toServerSettings(undefined), defaults);
    assert.deepEqual(toServerSettings(null), defaults);
    assert.deepEqual(toServerSettings('ward'), defaults);
    assert.deepEqual(toServerSettings([1, 2]), defaults);
    assert.deepEqual(toServerSettings({ enable: 'no', rules: [], severity: [], parameters: 'x', conditions: 7 }), defaults);
  });

  it('passes enable: false through', () => {
    assert.equal(toServerSettings({ enable: false }).enable, false);
  });

  it('accepts a comma-separated rule string and keeps odd entries for the server to report', () => {
    const settings = toServerSettings({ rules: { select: 'DDB001, S3001,,', ignore: ['', 'IAM001', 42, null] } });
    assert.deepEqual(settings.rules, { select: ['DDB001', 'S3001'], ignore: ['IAM001', 42] });
  });

  it('keeps docsBaseUrl when set', () => {
    assert.equal(toServerSettings({ docsBaseUrl: ' https://example.com/rules ' }).docsBaseUrl, 'https://example.com/rules');
    assert.equal('docsBaseUrl' in toServerSettings({ docsBaseUrl: '  ' }), false);
  });

  it('copies objects so later edits do not leak into the settings', () => {
    const severity = { DDB001: 'error' };
    const settings = toServerSettings({ severity });
    severity.DDB001 = 'info';
    assert.deepEqual(settings.severity, { DDB001: 'error' });
  });
});

describe('mapConfigurationResult', () => {
  it('rewrites only the ward items', () => {
    const items = [{ section: 'ward' }, { section: 'editor' }, {}];
    const mapped = mapConfigurationResult(items, [{ enable: false, server: { path: 'x' } }, { tabSize: 2 }, null]);
    assert.deepEqual(mapped, [
      { enable: false, rules: { select: [], ignore: [] }, severity: {}, parameters: {}, conditions: {} },
      { tabSize: 2 },
      null,
    ]);
  });
});

describe('needsRestart and traceOn', () => {
  it('restarts only for ward.server.path', () => {
    assert.equal(needsRestart((section) => section === 'ward.server.path'), true);
    assert.equal(needsRestart((section) => section === 'ward.rules.select'), false);
  });

  it('traces for messages and verbose', () => {
    assert.equal(traceOn('messages'), true);
    assert.equal(traceOn('verbose'), true);
    assert.equal(traceOn('off'), false);
    assert.equal(traceOn(undefined), false);
  });
});
