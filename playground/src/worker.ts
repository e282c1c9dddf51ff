// The lint worker: loads the wasm build of Ward once and answers the page's requests
// (src/protocol.ts). Everything runs here, so typing in the editor never waits for a lint.
import init, * as ward from './wasm/ward_wasm.js';
// Vite emits the .wasm as an asset of the build and gives its URL (relative to this worker).
import wasmUrl from './wasm/ward_wasm_bg.wasm?url';
import type { Request, Status } from './protocol';
import type { WardApi } from './ward-api';
import { createHandler, errorText } from './worker-core';

const post = (message: unknown) => (self as unknown as Worker).postMessage(message);

const t0 = performance.now();
const ready: Promise<WardApi> = init({ module_or_path: wasmUrl }).then(() => ward as unknown as WardApi);
ready.then(
  (api) => post({ type: 'ready', version: api.version(), ms: performance.now() - t0 } satisfies Status),
  (e) => post({ type: 'failed', error: errorText(e) } satisfies Status),
);

const handle = createHandler(ready);
self.onmessage = async (event: MessageEvent<Request>) => {
  post(await handle(event.data));
};
