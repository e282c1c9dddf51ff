import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, changedSettings, normalizeSettings, splitList, toLintOptions } from '../src/settings';

describe('settings to LintOptions', () => {
  it('leaves everything out by default, so Ward’s defaults apply', () => {
    expect(toLintOptions(DEFAULT_SETTINGS)).toEqual({ options: {}, problems: [] });
  });

  it('maps every field', () => {
    const { options, problems } = toLintOptions({
      select: 'DDB001, encryption-at-rest  S3001',
      ignore: 'DDB002',
      parameters: 'Environment=prod\n# a comment\n\nBucketName: "my bucket"\nEmpty=',
      conditions: 'IsProd=true\nIsDev = no\nHasKey=1',
      config: '[rules]\nignore = ["X"]\n',
      unsafe: true,
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      select: ['DDB001', 'encryption-at-rest', 'S3001'],
      ignore: ['DDB002'],
      parameters: { Environment: 'prod', BucketName: 'my bucket', Empty: '' },
      conditions: { IsProd: true, IsDev: false, HasKey: true },
      config: '[rules]\nignore = ["X"]\n',
    });
  });

  it('reports lines it cannot read, with their line numbers, and keeps the rest', () => {
    const { options, problems } = toLintOptions({
      ...DEFAULT_SETTINGS,
      parameters: 'Environment=prod\njust-a-word',
      conditions: '\nIsProd=maybe\nIsDev=false',
    });
    expect(options).toEqual({ parameters: { Environment: 'prod' }, conditions: { IsDev: false } });
    expect(problems).toEqual([
      { field: 'parameters', line: 2, message: 'expected Name=value, got `just-a-word`' },
      { field: 'conditions', line: 2, message: 'IsProd: expected true or false, got `maybe`' },
    ]);
  });

  it('keeps `=` inside a value', () => {
    expect(toLintOptions({ ...DEFAULT_SETTINGS, parameters: 'Expr=a=b' }).options).toEqual({ parameters: { Expr: 'a=b' } });
  });

  it('ignores a blank ward.toml', () => {
    expect(toLintOptions({ ...DEFAULT_SETTINGS, config: '  \n' }).options).toEqual({});
  });

  it('splits lists on commas and white space', () => {
    expect(splitList(' a,b  c,\n,d ')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitList('')).toEqual([]);
  });

  it('normalizes untrusted settings and lists only changed ones', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ select: 'X', unsafe: true, config: 3 })).toEqual({ ...DEFAULT_SETTINGS, select: 'X', unsafe: true });
    expect(changedSettings({ ...DEFAULT_SETTINGS, ignore: 'Y' })).toEqual({ ignore: 'Y' });
  });
});
