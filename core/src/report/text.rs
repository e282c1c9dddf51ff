//! Human-readable output in the style of rustc and ruff: a `path:line:col: severity[RULE] message`
//! header, the source lines with the range underlined, related ranges as secondary annotations,
//! the fix as `help:`, and a one-line summary.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{FileResult, RenderOptions, Summary, plural, sanitize};
use crate::diagnostic::{Applicability, Finding, Severity};
use crate::source::{SourceFile, Span};
use crate::syntax::SyntaxError;

/// Related ranges this many lines or fewer apart from the previous one share a snippet; farther
/// ones get their own, so a finding never drags in (or even scans) the lines between them.
const SNIPPET_GAP_LINES: u32 = 4;

/// Renders every result, then the summary line.
pub fn render(results: &[FileResult], options: &RenderOptions) -> String {
    let mut out = String::new();
    for result in results {
        render_file(&mut out, result, options);
    }
    out.push_str(&summary_line(&Summary::of(results), options));
    out.push('\n');
    out
}

/// Renders one file's read error, syntax errors and findings, without the summary; the language
/// server and tests use it for a single file.
pub fn render_file(out: &mut String, result: &FileResult, options: &RenderOptions) {
    let style = Style::new(options.color);
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);

    if let Some(message) = &result.read_error {
        out.push_str(&format!(
            "{}: {}: could not read the file: {}\n\n",
            style.bold(&sanitize(&result.path)),
            style.severity(Severity::Error, "error"),
            sanitize(message)
        ));
    }
    let Some(source) = &result.source else {
        return;
    };
    for error in &result.report.errors {
        render_syntax_error(out, &result.path, source, error, &style, &renderer);
    }
    for finding in result.shown_findings(options) {
        render_finding(out, &result.path, source, finding, &style, &renderer);
    }
}

fn render_finding(
    out: &mut String,
    path: &str,
    source: &SourceFile,
    finding: &Finding,
    style: &Style,
    renderer: &Renderer,
) {
    let suppressed = if finding.suppressed.is_some() {
        " (suppressed)"
    } else {
        ""
    };
    out.push_str(&header(
        style,
        path,
        source,
        finding.span,
        finding.severity,
        finding.rule.id,
        &format!("{}{suppressed}", finding.message),
    ));

    let mut spans = vec![Marked {
        span: finding.span,
        primary: true,
        label: None,
    }];
    spans.extend(finding.related.iter().map(|related| Marked {
        span: related.span,
        primary: false,
        label: Some(sanitize(&related.message).into_owned()),
    }));
    let mut group =
        Group::with_level(level(finding.severity)).elements(snippets(path, source, &spans));
    if let Some(fix) = &finding.fix {
        let note = match fix.applicability {
            Applicability::Safe => "",
            Applicability::Unsafe => " (unsafe fix)",
        };
        group = group.element(Level::HELP.message(format!("{}{note}", sanitize(&fix.title))));
    }
    if let Some(suppression) = &finding.suppressed {
        group = group.element(Level::NOTE.message(format!(
            "suppressed by {} `{}`: {}",
            suppression_source(suppression.source),
            sanitize(&suppression.id),
            sanitize(&suppression.reason)
        )));
    }
    out.push_str(&renderer.render(&[group]));
    out.push_str("\n\n");
}

fn render_syntax_error(
    out: &mut String,
    path: &str,
    source: &SourceFile,
    error: &SyntaxError,
    style: &Style,
    renderer: &Renderer,
) {
    out.push_str(&header(
        style,
        path,
        source,
        error.span,
        Severity::Error,
        "syntax",
        &error.message,
    ));
    let mut spans = vec![Marked {
        span: error.span,
        primary: true,
        label: None,
    }];
    spans.extend(error.related.iter().map(|(span, message)| Marked {
        span: *span,
        primary: false,
        label: Some(sanitize(message).into_owned()),
    }));
    let group = Group::with_level(Level::ERROR).elements(snippets(path, source, &spans));
    out.push_str(&renderer.render(&[group]));
    out.push_str("\n\n");
}

fn header(
    style: &Style,
    path: &str,
    source: &SourceFile,
    span: Span,
    severity: Severity,
    code: &str,
    message: &str,
) -> String {
    let position = source.position(span.start);
    format!(
        "{}: {}{} {}\n",
        style.bold(&format!(
            "{}:{}:{}",
            sanitize(path),
            position.line,
            position.column
        )),
        style.severity(severity, severity.as_str()),
        style.bold(&format!("[{}]", sanitize(code))),
        sanitize(message)
    )
}

fn suppression_source(source: crate::diagnostic::SuppressionSource) -> &'static str {
    match source {
        crate::diagnostic::SuppressionSource::Ward => "Ward metadata",
        crate::diagnostic::SuppressionSource::CfnNag => "cfn_nag rule",
        crate::diagnostic::SuppressionSource::CfnLint => "cfn-lint check",
        crate::diagnostic::SuppressionSource::Checkov => "checkov check",
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

struct Marked {
    span: Span,
    primary: bool,
    label: Option<String>,
}

/// One snippet per cluster of nearby ranges, each holding only the lines its ranges touch.
fn snippets<'a>(
    path: &str,
    source: &SourceFile,
    marks: &[Marked],
) -> Vec<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let text = source.text();
    let mut order: Vec<&Marked> = marks.iter().collect();
    order.sort_by_key(|mark| (mark.span.start, mark.span.end));

    let mut clusters: Vec<(u32, Vec<&Marked>)> = Vec::new();
    for mark in order {
        let start_line = source.position(mark.span.start).line;
        let end_line = source.position(mark.span.end).line;
        match clusters.last_mut() {
            Some((last_line, members)) if start_line <= *last_line + SNIPPET_GAP_LINES => {
                *last_line = (*last_line).max(end_line);
                members.push(mark);
            }
            _ => clusters.push((end_line, vec![mark])),
        }
    }

    clusters
        .into_iter()
        .enumerate()
        .filter_map(|(index, (_, members))| {
            let first = members.iter().map(|mark| mark.span.start).min()?;
            let last = members.iter().map(|mark| mark.span.end).max()?;
            let start = source.line_start(floor_boundary(text, first as usize));
            let last = floor_boundary(text, last as usize);
            let mut end = text[last..].find('\n').map_or(text.len(), |at| last + at);
            // annotate-snippets understands CRLF between lines but would draw a final `\r`.
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
            let line = source.position(clamp_u32(start)).line as usize;
            let mut snippet = Snippet::source(text[start..end].to_string())
                .line_start(line)
                .fold(true);
            // The header already names the file and position of the first snippet; later ones,
            // often far away, get a `::: path:line:col` line.
            if index > 0 {
                snippet = snippet.path(sanitize(path).into_owned());
            }
            for mark in members {
                let from = floor_boundary(text, mark.span.start as usize).clamp(start, end) - start;
                let to = floor_boundary(text, mark.span.end as usize).clamp(start, end) - start;
                let kind = if mark.primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                snippet =
                    snippet.annotation(kind.span(from..to.max(from)).label(mark.label.clone()));
            }
            Some(snippet)
        })
        .collect()
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn clamp_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The closing line, e.g. `Found 3 findings (2 errors, 1 warning) in 2 of 5 files; 2 fixable
/// with --fix (1 more with --unsafe-fixes); 1 suppressed.`
pub fn summary_line(summary: &Summary, options: &RenderOptions) -> String {
    let style = Style::new(options.color);
    let mut sentences = Vec::new();
    if summary.files == 0 {
        sentences.push("No templates checked.".to_string());
    } else if summary.findings == 0 {
        let mut line = format!("No findings in {}", plural(summary.files, "file", "files"));
        if summary.suppressed > 0 {
            line.push_str(&format!("; {} suppressed", summary.suppressed));
        }
        line.push('.');
        sentences.push(line);
    } else {
        let counts: Vec<String> = [
            (summary.error_findings, "error", "errors"),
            (summary.warning_findings, "warning", "warnings"),
            (summary.info_findings, "info", "info"),
        ]
        .into_iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(count, one, many)| plural(count, one, many))
        .collect();
        let files = if summary.files_with_findings == summary.files {
            plural(summary.files, "file", "files")
        } else {
            format!("{} of {} files", summary.files_with_findings, summary.files)
        };
        let mut line = format!(
            "Found {} ({}) in {files}",
            plural(summary.findings, "finding", "findings"),
            counts.join(", ")
        );
        match (summary.safe_fixes, summary.unsafe_fixes) {
            (0, 0) => {}
            (0, unsafe_fixes) => {
                line.push_str(&format!(
                    "; {unsafe_fixes} fixable with --fix --unsafe-fixes"
                ));
            }
            (safe, 0) => line.push_str(&format!("; {safe} fixable with --fix")),
            (safe, unsafe_fixes) => line.push_str(&format!(
                "; {safe} fixable with --fix ({unsafe_fixes} more with --unsafe-fixes)"
            )),
        }
        if summary.suppressed > 0 {
            line.push_str(&format!("; {} suppressed", summary.suppressed));
        }
        line.push('.');
        sentences.push(line);
    }
    if summary.unreadable > 0 {
        sentences.push(format!(
            "{} could not be read.",
            plural(summary.unreadable, "file", "files")
        ));
    }
    if summary.syntax_errors > 0 {
        sentences.push(format!(
            "{} in {}.",
            plural(summary.syntax_errors, "syntax error", "syntax errors"),
            plural(summary.files_with_syntax_errors, "file", "files")
        ));
    }
    style.bold(&sentences.join(" "))
}

/// ANSI styling for the parts annotate-snippets does not draw (header and summary).
struct Style {
    color: bool,
}

impl Style {
    fn new(color: bool) -> Self {
        Style { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    /// The same colours annotate-snippets uses for its levels.
    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;91",
            Severity::Warning => "1;33",
            Severity::Info => "1;94",
        };
        self.paint(code, text)
    }
}
