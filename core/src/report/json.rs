//! `--format json`: the machine-readable contract of DESIGN.md ("Contracts other tools rely on").
//! Lines and columns are 1-based and columns count characters.

use serde::Serialize;

use super::{FileResult, RenderOptions, Summary};
use crate::diagnostic::{Applicability, Category, Finding, References, Severity};
use crate::source::Position;

#[derive(Serialize)]
struct Output<'a> {
    version: &'static str,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: &'a str,
    rule: &'static str,
    title: &'static str,
    severity: Severity,
    category: Category,
    resource: Option<&'a str>,
    property: Option<&'a str>,
    message: &'a str,
    start: Option<Position>,
    end: Option<Position>,
    fix: Option<JsonFix<'a>>,
    references: References,
    /// Present (possibly null) only when suppressed findings are asked for, so the default
    /// shape is exactly the documented one.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Option<JsonSuppression<'a>>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: Option<Position>,
    end: Option<Position>,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    source: &'static str,
    id: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: String,
    /// Null when the file could not be read.
    start: Option<Position>,
}

#[derive(Serialize)]
struct JsonSummary {
    /// Files checked (templates, plus files that could not be read or parsed).
    files: usize,
    /// Active findings; suppressed ones are counted in `suppressed`.
    findings: usize,
    /// Syntax errors plus files that could not be read.
    errors: usize,
    /// Active findings with a fix, safe or unsafe (see each fix's `applicability`).
    fixable: usize,
    suppressed: usize,
}

/// Renders the results as one pretty-printed JSON object followed by a newline.
pub fn render(results: &[FileResult], options: &RenderOptions) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys and no
    // serialisers that return errors.
    let mut out =
        serde_json::to_string_pretty(&build(results, options)).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

/// The JSON output as a value, for callers that embed it in something else. (Its objects'
/// keys come out sorted; [`render`] keeps the documented order.)
pub fn to_value(results: &[FileResult], options: &RenderOptions) -> serde_json::Value {
    serde_json::to_value(build(results, options)).unwrap_or(serde_json::Value::Null)
}

fn build<'a>(results: &'a [FileResult], options: &RenderOptions) -> Output<'a> {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        if let Some(message) = &result.read_error {
            errors.push(JsonError {
                path: &result.path,
                message: format!("could not read the file: {message}"),
                start: None,
            });
        }
        for error in &result.report.errors {
            errors.push(JsonError {
                path: &result.path,
                message: error.message.clone(),
                start: result.position(error.span.start),
            });
        }
        for finding in result.shown_findings(options) {
            findings.push(json_finding(result, finding, options));
        }
    }
    let summary = Summary::of(results);
    Output {
        version: crate::VERSION,
        findings,
        errors,
        summary: JsonSummary {
            files: summary.files,
            findings: summary.findings,
            errors: summary.errors(),
            fixable: summary.fixable(),
            suppressed: summary.suppressed,
        },
    }
}

fn json_finding<'a>(
    result: &'a FileResult,
    finding: &'a Finding,
    options: &RenderOptions,
) -> JsonFinding<'a> {
    JsonFinding {
        path: &result.path,
        rule: finding.rule.id,
        title: finding.rule.title,
        severity: finding.severity,
        category: finding.rule.category,
        resource: finding.resource.as_deref(),
        property: finding.property.as_deref(),
        message: &finding.message,
        start: result.position(finding.span.start),
        end: result.position(finding.span.end),
        fix: finding.fix.as_ref().map(|fix| JsonFix {
            title: &fix.title,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    start: result.position(edit.span.start),
                    end: result.position(edit.span.end),
                    text: &edit.text,
                })
                .collect(),
        }),
        references: finding.rule.references,
        suppressed: options.show_suppressed.then(|| {
            finding
                .suppressed
                .as_ref()
                .map(|suppression| JsonSuppression {
                    source: suppression.source.as_str(),
                    id: &suppression.id,
                    reason: &suppression.reason,
                })
        }),
    }
}
