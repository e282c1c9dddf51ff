// Share links: the template and the settings, compressed into the URL's fragment (#…). Browsers do
// not send the fragment to the server, so a link carries the template without uploading it.
//
//   #z=<base64url(deflate-raw(JSON))>   when the browser has CompressionStream
//   #j=<base64url(JSON)>                 otherwise (plain UTF-8, no compression)
// with JSON = {"v":1,"text":"…","settings":{…only the settings that differ from the defaults…}}.
import { changedSettings, normalizeSettings, type Settings } from './settings';

export interface SharedState {
  text: string;
  settings: Settings;
}

const VERSION = 1;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export function hasCompression(): boolean {
  return typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';
}

/** The fragment (with its leading `#`) for `state`. `compress: false` forces the plain form. */
export async function encodeShare(state: SharedState, compress = hasCompression()): Promise<string> {
  const json = JSON.stringify({ v: VERSION, text: state.text, settings: changedSettings(state.settings) });
  const bytes = new TextEncoder().encode(json);
  if (compress) {
    try {
      return '#z=' + toBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
    } catch {
      // An engine without deflate-raw: fall through to the plain form.
    }
  }
  return '#j=' + toBase64Url(bytes);
}

/** The state in a fragment made by `encodeShare`, or null when `hash` holds none (or is damaged). */
export async function decodeShare(hash: string): Promise<SharedState | null> {
  const m = /^#?([zj])=([A-Za-z0-9_-]*)$/.exec(hash.trim());
  if (!m) return null;
  try {
    let bytes = fromBase64Url(m[2]);
    if (m[1] === 'z') {
      if (!hasCompression()) return null;
      bytes = await pipe(bytes, new DecompressionStream('deflate-raw'));
    }
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
    if (!value || typeof value !== 'object') return null;
    const v = value as { v?: unknown; text?: unknown; settings?: unknown };
    if (v.v !== VERSION || typeof v.text !== 'string') return null;
    return { text: v.text, settings: normalizeSettings(v.settings) };
  } catch {
    return null;
  }
}
