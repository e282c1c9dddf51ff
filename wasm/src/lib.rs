//! Ward in the browser: a wasm-bindgen facade over `ward-core`.
//!
//! Built with `scripts/build-wasm.sh` (`wasm-bindgen --target web`) into `playground/src/wasm/`.
//! Every function is synchronous, does no I/O and never reads the clock; values cross as plain
//! JavaScript objects (`serde_wasm_bindgen`'s JSON-compatible serializer: objects, not `Map`s;
//! `null`, not `undefined`). The DTOs and all logic live in [`dto`], which is tested natively;
//! this file only moves values across the boundary.

pub mod dto;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::dto::Options;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface LintOptions {
  /** `ward.toml` text, layered under the fields below. */
  config?: string | null;
  /** Rule ids, names or categories. */
  select?: string[] | null;
  ignore?: string[] | null;
  severity?: Record<string, 'error' | 'warning' | 'info'> | null;
  /** Strings as CloudFormation receives them (numbers, booleans and lists are accepted too); null: not set here. */
  parameters?: Record<string, string | null> | null;
  /** null: not set here (undecided unless `config` decides it). */
  conditions?: Record<string, boolean | null> | null;
}
export interface FixOptions extends LintOptions {
  /** Default 'safe'. */
  which?: 'safe' | 'all' | null;
}
/** offset: UTF-16 code units from the start of the text; line, column: 1-based, column in characters. */
export interface Pos { offset: number; line: number; column: number }
/** UTF-16 offsets into the original text; a fix's edits go together in one `changes` array. */
export interface Edit { from: number; to: number; insert: string }
export interface Fix { title: string; applicability: 'safe' | 'unsafe'; edits: Edit[] }
export interface Finding {
  rule: string; title: string; severity: 'error' | 'warning' | 'info'; category: string;
  resource: string | null; property: string | null; message: string;
  start: Pos; end: Pos;
  related: { start: Pos; end: Pos; message: string }[];
  fix: Fix | null;
  suppress: Fix | null;
}
export interface SyntaxError { message: string; start: Pos; end: Pos; fatal: boolean }
export interface LintResult {
  isTemplate: boolean;
  findings: Finding[];
  suppressed: number;
  errors: SyntaxError[];
  configError: { message: string; line: number | null; column: number | null } | null;
}
export interface FixResult { text: string; applied: number; rejected: boolean }
export interface RuleInfo {
  id: string; name: string; title: string; category: string; severity: string;
  resourceTypes: string[]; references: { cfnNag: string[]; checkov: string[]; awsConfig: string[] };
  fix: 'safe' | 'unsafe' | null; docs: string;
}
"#;

/// Ward's version.
#[wasm_bindgen]
pub fn version() -> String {
    ward_core::VERSION.to_string()
}

/// Lints a template. Throws only for invalid options; an invalid `config` text is reported in
/// `configError` and the defaults are used.
#[wasm_bindgen(unchecked_return_type = "LintResult")]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LintOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    init();
    let text = read_text(&text, "the template")?;
    let options = read_options(options)?;
    to_js(&dto::lint(&text, &options).map_err(|message| JsError::new(&message))?)
}

/// Applies every fix (`which: 'safe'`, the default, or `'all'`), linting again between rounds.
#[wasm_bindgen(js_name = applyFixes, unchecked_return_type = "FixResult")]
pub fn apply_fixes(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FixOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    init();
    let text = read_text(&text, "the template")?;
    let options = read_options(options)?;
    to_js(&dto::apply_fixes(&text, &options).map_err(|message| JsError::new(&message))?)
}

/// Every rule, in id order, with its Markdown documentation.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsError> {
    init();
    to_js(&dto::rules())
}

/// A rule's Markdown documentation, by id or name in any case; `null` for an unknown rule.
#[wasm_bindgen(unchecked_return_type = "string | null")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
) -> Result<JsValue, JsError> {
    init();
    let id = read_text(&id, "the rule id")?;
    Ok(dto::explain(&id).map_or(JsValue::NULL, |markdown| JsValue::from_str(&markdown)))
}

/// Strings are taken as `JsValue`s and checked: wasm-bindgen's glue for a `&str` parameter
/// does not check its argument, and anything else (`undefined`, an object) traps in the
/// allocator instead of throwing.
fn read_text(value: &JsValue, what: &str) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| {
        let found = value.js_typeof().as_string().unwrap_or_default();
        JsError::new(&format!("{what} must be a string, not {found}"))
    })
}

/// Options from the JavaScript object, through a depth-bounded JSON value (a deep or cyclic
/// object is an error, not a stack overflow). `undefined` and `null` give the defaults.
fn read_options(options: Option<JsValue>) -> Result<Options, JsError> {
    let value = match options {
        None => serde_json::Value::Null,
        Some(options) => dto::bounded_value(serde_wasm_bindgen::Deserializer::from(options))
            .map_err(|error| {
                // serde_wasm_bindgen's errors are JavaScript errors: "Error: message".
                let message = error.to_string();
                let message = message.strip_prefix("Error: ").unwrap_or(&message);
                JsError::new(&format!("invalid options: {message}"))
            })?,
    };
    Options::from_value(value).map_err(|message| JsError::new(&message))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsError::new(&error.to_string()))
}

/// Panic messages on the console, for debugging (the `console_error_panic_hook` feature).
fn init() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}
