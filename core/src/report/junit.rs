//! JUnit XML for CI test reports (GitLab, Jenkins, Azure Pipelines, GitHub test-report actions).
//!
//! One `<testsuite>` per file. Each active finding is a failed `<testcase>` named after the rule
//! and resource, so a report lists "DDB001 OrdersTable" rather than one opaque failure per file;
//! a clean file is one passing test case; a read or syntax error is an `<error>` test case;
//! suppressed findings (with `show_suppressed`) are `<skipped>` with their reason.
//! No timestamps or durations: the output depends on the results only.

use std::fmt::Write as _;

use super::{FileResult, RenderOptions};
use crate::diagnostic::{Applicability, Finding};

struct Case {
    name: String,
    file: String,
    line: Option<u32>,
    outcome: Outcome,
}

enum Outcome {
    Pass,
    Failure {
        kind: String,
        message: String,
        body: String,
    },
    Error {
        message: String,
        body: String,
    },
    Skipped {
        message: String,
    },
}

/// Renders a `<testsuites>` document.
pub fn render(results: &[FileResult], options: &RenderOptions) -> String {
    let suites: Vec<(&FileResult, Vec<Case>)> = results
        .iter()
        .map(|result| (result, cases(result, options)))
        .collect();
    let total = Counts::of(suites.iter().flat_map(|(_, cases)| cases));

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"cfn-ward\"{}>", total.attributes());
    for (result, cases) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\"{}>",
            escape_attribute(&result.path),
            Counts::of(cases).attributes()
        );
        for case in cases {
            write_case(&mut out, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Counts {
        let mut counts = Counts::default();
        for case in cases {
            counts.tests += 1;
            match case.outcome {
                Outcome::Pass => {}
                Outcome::Failure { .. } => counts.failures += 1,
                Outcome::Error { .. } => counts.errors += 1,
                Outcome::Skipped { .. } => counts.skipped += 1,
            }
        }
        counts
    }

    fn attributes(&self) -> String {
        format!(
            " tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

fn write_case(out: &mut String, case: &Case) {
    let line = case
        .line
        .map(|line| format!(" line=\"{line}\""))
        .unwrap_or_default();
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line}",
        escape_attribute(&case.name),
        escape_attribute(&case.file),
        escape_attribute(&case.file),
    );
    match &case.outcome {
        Outcome::Pass => out.push_str("/>\n"),
        Outcome::Failure {
            kind,
            message,
            body,
        } => {
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                escape_attribute(message),
                escape_attribute(kind),
                escape_text(body)
            );
        }
        Outcome::Error { message, body } => {
            let _ = writeln!(
                out,
                ">\n      <error message=\"{}\" type=\"error\">{}</error>\n    </testcase>",
                escape_attribute(message),
                escape_text(body)
            );
        }
        Outcome::Skipped { message } => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                escape_attribute(message)
            );
        }
    }
}

fn cases(result: &FileResult, options: &RenderOptions) -> Vec<Case> {
    let mut cases = Vec::new();
    if let Some(message) = &result.read_error {
        cases.push(Case {
            name: "read".to_string(),
            file: result.path.clone(),
            line: None,
            outcome: Outcome::Error {
                message: format!("could not read the file: {message}"),
                body: format!("{}: could not read the file: {message}", result.path),
            },
        });
    }
    for error in &result.report.errors {
        let position = result.position(error.span.start);
        let place = position.map_or_else(
            || result.path.clone(),
            |position| format!("{}:{}:{}", result.path, position.line, position.column),
        );
        cases.push(Case {
            name: "syntax".to_string(),
            file: result.path.clone(),
            line: position.map(|position| position.line),
            outcome: Outcome::Error {
                message: error.message.clone(),
                body: format!("{place}: {}", error.message),
            },
        });
    }
    for finding in result.shown_findings(options) {
        cases.push(finding_case(result, finding));
    }
    if cases.is_empty() {
        cases.push(Case {
            name: "security checks".to_string(),
            file: result.path.clone(),
            line: None,
            outcome: Outcome::Pass,
        });
    }
    cases
}

fn finding_case(result: &FileResult, finding: &Finding) -> Case {
    let position = result.position(finding.span.start);
    let name = match (&finding.resource, &finding.property) {
        (Some(resource), Some(property)) => format!("{} {resource}.{property}", finding.rule.id),
        (Some(resource), None) => format!("{} {resource}", finding.rule.id),
        (None, _) => finding.rule.id.to_string(),
    };
    let outcome = if let Some(suppression) = &finding.suppressed {
        Outcome::Skipped {
            message: format!(
                "suppressed ({} {}): {}",
                suppression.source.as_str(),
                suppression.id,
                suppression.reason
            ),
        }
    } else {
        let place = position.map_or_else(
            || result.path.clone(),
            |position| format!("{}:{}:{}", result.path, position.line, position.column),
        );
        let mut body = format!(
            "{place}: {}[{}] {}\n{}",
            finding.severity, finding.rule.id, finding.message, finding.rule.title
        );
        if let Some(fix) = &finding.fix {
            let note = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (unsafe fix)",
            };
            let _ = write!(body, "\nhelp: {}{note}", fix.title);
        }
        Outcome::Failure {
            kind: finding.severity.as_str().to_string(),
            message: finding.message.clone(),
            body,
        }
    };
    Case {
        name,
        file: result.path.clone(),
        line: position.map(|position| position.line),
        outcome,
    }
}

/// Escapes an attribute value; line breaks become character references so parsers keep them.
fn escape_attribute(text: &str) -> String {
    escape(text, true)
}

fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF) are written as
/// visible `\u{..}` escapes; lone surrogates cannot occur in a Rust string.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\r' | '\t' => out.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}
