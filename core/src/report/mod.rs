//! Renderers: text for terminals, JSON for scripts, SARIF 2.1.0 for code-scanning services and
//! JUnit XML for CI test reports.
//!
//! Every renderer is a pure function of a slice of [`FileResult`]s (in the order they should be
//! shown) and [`RenderOptions`]; none does I/O, so the CLI, the language server and the wasm build
//! can all use them.

pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use crate::Report;
use crate::diagnostic::{Applicability, Finding, Severity};
use crate::source::{Position, SourceFile};

/// The outcome of checking one file, as the renderers receive it.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The path as the user should see it (relative when the user gave a relative path).
    pub path: String,
    /// The text that was linted; `None` when the file could not be read.
    pub source: Option<SourceFile>,
    pub report: Report,
    /// Why the file could not be read (then `source` is `None` and `report` is empty).
    pub read_error: Option<String>,
}

impl FileResult {
    /// A file that was read and linted; the path is the source's name.
    pub fn checked(source: SourceFile, report: Report) -> Self {
        FileResult {
            path: source.name().to_string(),
            source: Some(source),
            report,
            read_error: None,
        }
    }

    /// A file that could not be read.
    pub fn unreadable(path: impl Into<String>, message: impl Into<String>) -> Self {
        FileResult {
            path: path.into(),
            source: None,
            report: Report::default(),
            read_error: Some(message.into()),
        }
    }

    /// The line/column of a byte offset, when the text is known.
    pub fn position(&self, offset: u32) -> Option<Position> {
        self.source.as_ref().map(|source| source.position(offset))
    }

    /// Read errors and syntax errors (fatal or not): what makes `cfn-ward check` exit with 2.
    pub fn error_count(&self) -> usize {
        self.report.errors.len() + usize::from(self.read_error.is_some())
    }

    /// The findings a renderer shows: the active ones, plus the suppressed ones when asked.
    pub fn shown_findings(&self, options: &RenderOptions) -> impl Iterator<Item = &Finding> {
        let show_suppressed = options.show_suppressed;
        self.report
            .findings
            .iter()
            .filter(move |finding| show_suppressed || finding.suppressed.is_none())
    }
}

/// Options shared by the renderers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// ANSI colours (text output only).
    pub color: bool,
    /// Also show findings silenced by a Metadata suppression, marked as such. SARIF always
    /// carries them, with a `suppressions` entry, because code-scanning services track them.
    pub show_suppressed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Text,
    Json,
    Sarif,
    Junit,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 4] = [
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Junit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Junit => "junit",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutputFormat {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("unknown format `{text}` (expected text, json, sarif or junit)"))
    }
}

/// Renders `results` in `format`. SARIF describes every registered rule.
pub fn render(format: OutputFormat, results: &[FileResult], options: &RenderOptions) -> String {
    match format {
        OutputFormat::Text => text::render(results, options),
        OutputFormat::Json => json::render(results, options),
        OutputFormat::Sarif => {
            let rules: Vec<_> = crate::rules::all().iter().map(|rule| &rule.meta).collect();
            sarif::render(results, &rules, options)
        }
        OutputFormat::Junit => junit::render(results, options),
    }
}

/// Counts over a set of results. Finding counts are over active (unsuppressed) findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Files checked, including those that could not be read or parsed.
    pub files: usize,
    /// Files with at least one active finding.
    pub files_with_findings: usize,
    pub findings: usize,
    pub error_findings: usize,
    pub warning_findings: usize,
    pub info_findings: usize,
    /// Active findings with a safe fix (`--fix` applies them).
    pub safe_fixes: usize,
    /// Active findings with an unsafe fix (`--fix --unsafe-fixes` applies them).
    pub unsafe_fixes: usize,
    pub suppressed: usize,
    /// Syntax errors, fatal or not.
    pub syntax_errors: usize,
    /// Files with at least one syntax error.
    pub files_with_syntax_errors: usize,
    /// Files that could not be read.
    pub unreadable: usize,
}

impl Summary {
    pub fn of(results: &[FileResult]) -> Summary {
        let mut summary = Summary {
            files: results.len(),
            ..Summary::default()
        };
        for result in results {
            let mut any = false;
            for finding in result.report.active() {
                any = true;
                summary.findings += 1;
                match finding.severity {
                    Severity::Error => summary.error_findings += 1,
                    Severity::Warning => summary.warning_findings += 1,
                    Severity::Info => summary.info_findings += 1,
                }
                match finding.fix.as_ref().map(|fix| fix.applicability) {
                    Some(Applicability::Safe) => summary.safe_fixes += 1,
                    Some(Applicability::Unsafe) => summary.unsafe_fixes += 1,
                    None => {}
                }
            }
            summary.files_with_findings += usize::from(any);
            summary.suppressed += result.report.suppressed().count();
            summary.syntax_errors += result.report.errors.len();
            summary.files_with_syntax_errors += usize::from(!result.report.errors.is_empty());
            summary.unreadable += usize::from(result.read_error.is_some());
        }
        summary
    }

    /// Findings with a fix of either applicability.
    pub fn fixable(&self) -> usize {
        self.safe_fixes + self.unsafe_fixes
    }

    /// Syntax errors plus unreadable files: the `errors` of the JSON summary.
    pub fn errors(&self) -> usize {
        self.syntax_errors + self.unreadable
    }
}

/// Text from templates (messages echo values) may hold control characters; in a terminal they
/// could move the cursor or fake output, and in XML most of them are not allowed at all.
pub(crate) fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{fffe}' | '\u{ffff}')
}

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
