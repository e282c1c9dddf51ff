//! Findings and syntax errors as LSP diagnostics.

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, TextEdit, Uri,
};
use ward_core::{Edit, Finding, Severity, SourceFile, SyntaxError};

use crate::analysis::Analysis;
use crate::encoding::{self, Encoding};

/// `Diagnostic.source` of everything Ward reports.
pub const SOURCE: &str = "ward";

/// `Diagnostic.code` of syntax errors (and other problems that are not a rule's finding).
pub const SYNTAX_CODE: &str = "syntax";

/// Where diagnostics go and what the client takes.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub encoding: Encoding,
    /// The client declared `publishDiagnostics.relatedInformation`. Without it the related
    /// locations are left out: the client cannot show them, and they are a fifth of the JSON.
    pub related: bool,
}

/// The diagnostics of an analysis: none for a document that is not a template or whose linting
/// is off; suppressed findings are left out.
pub fn of(analysis: &Analysis, target: &Target<'_>) -> Vec<Diagnostic> {
    if !analysis.report.is_template {
        return Vec::new();
    }
    let file = analysis.file();
    let errors = analysis
        .report
        .errors
        .iter()
        .map(|error| syntax(file, error, target));
    let findings = analysis
        .report
        .active()
        .map(|finding| self::finding(analysis, finding, target));
    errors.chain(findings).collect()
}

pub fn finding(analysis: &Analysis, finding: &Finding, target: &Target<'_>) -> Diagnostic {
    let file = analysis.file();
    let code_description = analysis
        .settings
        .docs_base_url
        .as_deref()
        .and_then(|base| format!("{base}/{}", finding.rule.id).parse::<Uri>().ok())
        .map(|href| CodeDescription { href });
    Diagnostic {
        range: encoding::range(file, finding.span, target.encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.id.to_string())),
        code_description,
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        related_information: related(
            file,
            target,
            finding
                .related
                .iter()
                .map(|related| (related.span, related.message.as_str())),
        ),
        tags: None,
        // No payload: code actions re-read the analysis of the same text. With 800 findings a
        // payload costs tens of KiB of JSON and milliseconds per keystroke.
        data: None,
    }
}

fn syntax(file: &SourceFile, error: &SyntaxError, target: &Target<'_>) -> Diagnostic {
    Diagnostic {
        range: encoding::range(file, error.span, target.encoding),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(SYNTAX_CODE.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: error.message.clone(),
        related_information: related(
            file,
            target,
            error
                .related
                .iter()
                .map(|(span, message)| (*span, message.as_str())),
        ),
        tags: None,
        data: None,
    }
}

fn related<'a>(
    file: &SourceFile,
    target: &Target<'_>,
    items: impl Iterator<Item = (ward_core::Span, &'a str)>,
) -> Option<Vec<DiagnosticRelatedInformation>> {
    if !target.related {
        return None;
    }
    let items: Vec<DiagnosticRelatedInformation> = items
        .map(|(span, message)| DiagnosticRelatedInformation {
            location: Location {
                uri: target.uri.clone(),
                range: encoding::range(file, span, target.encoding),
            },
            message: message.to_string(),
        })
        .collect();
    (!items.is_empty()).then_some(items)
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

pub fn text_edits(file: &SourceFile, edits: &[Edit], encoding: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|edit| TextEdit {
            range: encoding::range(file, edit.span, encoding),
            new_text: edit.text.clone(),
        })
        .collect()
}
