/// <reference types="vite/client" />

// The wasm-bindgen glue is generated (../scripts/build-wasm.sh); these are the parts the worker uses,
// for type checking before the first build.
declare module '*/wasm/ward_wasm.js' {
  export default function init(
    input?: { module_or_path: RequestInfo | URL | Response | BufferSource | WebAssembly.Module } | string | URL,
  ): Promise<unknown>;
  export function initSync(input: { module: BufferSource | WebAssembly.Module }): unknown;
  export function version(): string;
  export function lint(text: string, options?: unknown): unknown;
  export function applyFixes(text: string, options?: unknown): unknown;
  export function rules(): unknown;
  export function explain(id: string): string | undefined | null;
}
