import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/settings';
import { decodeShare, encodeShare, fromBase64Url, toBase64Url } from '../src/share';

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: false # ünïcödé, emoji 🔐 and a tab:\t
`;

describe('share links', () => {
  it('round-trips a template and settings through the compressed form', async () => {
    const settings = { ...DEFAULT_SETTINGS, ignore: 'DDB002', parameters: 'Environment=prod', unsafe: true };
    const hash = await encodeShare({ text: TEMPLATE, settings });
    expect(hash).toMatch(/^#z=[A-Za-z0-9_-]+$/);
    expect(await decodeShare(hash)).toEqual({ text: TEMPLATE, settings });
  });

  it('round-trips through the plain fallback', async () => {
    const settings = { ...DEFAULT_SETTINGS, conditions: 'IsProd=true' };
    const hash = await encodeShare({ text: TEMPLATE, settings }, false);
    expect(hash).toMatch(/^#j=[A-Za-z0-9_-]+$/);
    expect(await decodeShare(hash)).toEqual({ text: TEMPLATE, settings });
  });

  it('compresses: a large template gives a much shorter link', async () => {
    const big = TEMPLATE.repeat(200);
    const z = await encodeShare({ text: big, settings: DEFAULT_SETTINGS });
    const j = await encodeShare({ text: big, settings: DEFAULT_SETTINGS }, false);
    expect(z.length * 10).toBeLessThan(j.length);
  });

  it('carries only the settings that differ from the defaults', async () => {
    const hash = await encodeShare({ text: 'x', settings: { ...DEFAULT_SETTINGS, select: 'DDB001' } }, false);
    const json = JSON.parse(new TextDecoder().decode(fromBase64Url(hash.slice(3))));
    expect(json).toEqual({ v: 1, text: 'x', settings: { select: 'DDB001' } });
  });

  it('rejects damaged, foreign or unknown fragments', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#section-2')).toBeNull();
    expect(await decodeShare('#z=notdeflate')).toBeNull();
    expect(await decodeShare('#j=' + toBase64Url(new TextEncoder().encode('{"v":2,"text":"x"}')))).toBeNull();
    expect(await decodeShare('#j=' + toBase64Url(new TextEncoder().encode('[1,2]')))).toBeNull();
    expect(await decodeShare('#j=' + toBase64Url(new Uint8Array([0xff, 0xfe])))).toBeNull();
  });

  it('drops settings of the wrong type from a link', async () => {
    const raw = { v: 1, text: 't', settings: { select: 42, ignore: 'X', unsafe: 'yes', extra: 1 } };
    const shared = await decodeShare('#j=' + toBase64Url(new TextEncoder().encode(JSON.stringify(raw))));
    expect(shared).toEqual({ text: 't', settings: { ...DEFAULT_SETTINGS, ignore: 'X' } });
  });

  it('base64url round-trips every byte value', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect(fromBase64Url(text)).toEqual(bytes);
    expect(fromBase64Url(toBase64Url(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });
});
