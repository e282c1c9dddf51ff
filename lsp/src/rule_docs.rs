//! `ward/ruleDocs`, Ward's one custom request: a rule's documentation as Markdown.
//!
//! The VS Code extension's "Explain rule" command asks for it and shows it as a Markdown preview.
//! Request `{"rule": "DDB001"}` (an id or a kebab-case name, any case); answer
//! `{"rule": "DDB001", "markdown": "# DDB001 …"}`, the text `cfn-ward rules explain` prints. An
//! unknown rule or a missing `rule` is an `InvalidParams` error that says what was wrong.

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};

use crate::server::Backend;

/// The request's method name.
pub const METHOD: &str = "ward/ruleDocs";

/// Client input is echoed in errors; this bounds how much of it.
const ECHO_LIMIT: usize = 64;

/// The handler registered with `LspService::build(..).custom_method(METHOD, ..)`.
pub async fn handle(_backend: &Backend, params: Value) -> Result<Value> {
    answer(&params)
}

fn answer(params: &Value) -> Result<Value> {
    let Some(wanted) = params.get("rule").and_then(Value::as_str) else {
        return Err(Error::invalid_params(format!(
            "{METHOD} expects {{\"rule\": \"<rule id or name>\"}}, got {}",
            shorten(&params.to_string())
        )));
    };
    let wanted = wanted.trim();
    let found = ward_core::rules::all()
        .iter()
        .map(|rule| &rule.meta)
        .find(|meta| {
            meta.id.eq_ignore_ascii_case(wanted) || meta.name.eq_ignore_ascii_case(wanted)
        });
    match found {
        Some(meta) => Ok(json!({"rule": meta.id, "markdown": meta.docs_markdown()})),
        None => Err(Error::invalid_params(format!(
            "unknown rule `{}`: `cfn-ward rules` lists the rule ids and names",
            shorten(wanted)
        ))),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= ECHO_LIMIT {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(ECHO_LIMIT).collect();
        short.push('…');
        short
    }
}
