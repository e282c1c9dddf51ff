//! Ward's analysis core: everything that knows CloudFormation.
//!
//! Text goes in through [`SourceFile`], [`lint`] returns a [`Report`] of findings (each with an
//! optional [`Fix`]) and syntax errors, and [`apply_fixes`] edits the text. Core does no I/O, uses
//! no threads and builds for wasm32; the CLI, the language server and the browser build are thin
//! adapters over this API.

pub mod config;
pub mod diagnostic;
pub mod eval;
pub mod fix;
pub mod navigation;
pub mod parameters;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod template;

pub use config::{Config, ConfigError};
pub use diagnostic::{
    Applicability, Category, Edit, Finding, Fix, References, Related, RuleDocs, RuleMeta, Severity,
    Suppression, SuppressionSource,
};
pub use source::{Format, Position, SourceFile, Span};
pub use syntax::SyntaxError;

/// Ward's version, as printed by the CLI and carried in JSON and SARIF output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The outcome of linting one file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Every finding, suppressed ones included (see [`Finding::suppressed`]), in text order.
    pub findings: Vec<Finding>,
    /// Syntax errors. A fatal one means no rule ran.
    pub errors: Vec<SyntaxError>,
    /// False for YAML or JSON that is not a CloudFormation template (no `Resources` and no
    /// `AWSTemplateFormatVersion`) and for an empty file: such files are skipped silently.
    pub is_template: bool,
}

impl Report {
    /// The findings that are not suppressed.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.suppressed.is_none())
    }

    pub fn suppressed(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.suppressed.is_some())
    }
}

/// Lints one template with the rules and values `config` selects.
pub fn lint(file: &SourceFile, config: &Config) -> Report {
    lint_parsed(file, &syntax::parse(file), config)
}

/// Lints an already parsed template (see [`Document`]).
fn lint_parsed(file: &SourceFile, parsed: &syntax::Parsed, config: &Config) -> Report {
    let mut report = Report {
        findings: Vec::new(),
        errors: parsed.errors.clone(),
        is_template: false,
    };
    let Some(root) = &parsed.root else {
        // Text that does not parse cannot say whether it is a template: it counts as one when it
        // mentions a template's keys. The errors stay, for callers that report them anyway (a
        // file the user named, a document open in an editor).
        report.is_template = !report.errors.is_empty() && looks_like_template(file.text());
        return report;
    };
    let Some(template) = template::Template::new(root) else {
        report.errors.clear();
        return report;
    };
    report.is_template = true;
    let context = eval::Context::new(&template, config);
    let mut findings = rules::run(&context, config, file);
    report
        .errors
        .extend(suppress::apply(&template, &mut findings));
    findings.sort_by_key(|finding| (finding.span.start, finding.rule.id));
    report.findings = findings;
    report
}

/// A template parsed once, for callers that ask several questions of the same text (the
/// language server lints it, lists its symbols and answers hovers from one parse).
#[derive(Debug, Clone)]
pub struct Document {
    source: SourceFile,
    parsed: syntax::Parsed,
}

impl Document {
    pub fn new(source: SourceFile) -> Self {
        let parsed = syntax::parse(&source);
        Document { source, parsed }
    }

    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    pub fn parsed(&self) -> &syntax::Parsed {
        &self.parsed
    }

    /// The template view, when the text parses into a CloudFormation template.
    pub fn template(&self) -> Option<template::Template<'_>> {
        template::Template::new(self.parsed.root.as_ref()?)
    }

    pub fn lint(&self, config: &Config) -> Report {
        lint_parsed(&self.source, &self.parsed, config)
    }
}

/// Cheap test used only when the text does not parse: does it mention a template's top-level keys?
fn looks_like_template(text: &str) -> bool {
    text.contains("Resources") || text.contains("AWSTemplateFormatVersion")
}

/// Applies the edits of `fixes` to `text`. Fixes whose edits overlap an already applied fix are
/// left out; the result says how many were applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> FixOutcome {
    fix::apply(text, fixes)
}

pub use fix::FixOutcome;

/// How many lint-and-fix rounds [`fix_all`] runs at most; fixes that touch the same place are
/// applied one per round.
const MAX_FIX_ROUNDS: usize = 10;

/// A file after [`fix_all`].
#[derive(Debug, Clone)]
pub struct FixedFile {
    /// The fixed text (the original when nothing applied).
    pub source: SourceFile,
    /// The lint of the fixed text: what is left.
    pub report: Report,
    /// How many fixes were applied.
    pub applied: usize,
    /// True when a round of fixes would have broken the file's syntax and was dropped (a bug in
    /// a rule's fix; the file keeps the rounds before it).
    pub rejected: bool,
}

/// Applies every fix of the enabled rules (only `safe` ones unless `include_unsafe`), linting
/// again after each round so that fixes which overlapped one another still land. `report` is the
/// lint of `file` under `config`. Files with syntax errors are left alone.
pub fn fix_all(
    file: &SourceFile,
    report: Report,
    config: &Config,
    include_unsafe: bool,
) -> FixedFile {
    let mut fixed = FixedFile {
        source: file.clone(),
        report,
        applied: 0,
        rejected: false,
    };
    if !fixed.report.errors.is_empty() || !fixed.report.is_template {
        return fixed;
    }
    for _ in 0..MAX_FIX_ROUNDS {
        let fixes: Vec<&Fix> = fixed
            .report
            .active()
            .filter_map(|finding| finding.fix.as_ref())
            .filter(|fix| include_unsafe || fix.applicability == Applicability::Safe)
            .collect();
        if fixes.is_empty() {
            break;
        }
        let outcome = apply_fixes(fixed.source.text(), fixes);
        if outcome.applied == 0 || outcome.text == fixed.source.text() {
            break;
        }
        let source = SourceFile::new(file.name(), outcome.text);
        let report = lint(&source, config);
        if !report.errors.is_empty() || !report.is_template {
            fixed.rejected = true;
            break;
        }
        fixed.applied += outcome.applied;
        fixed.source = source;
        fixed.report = report;
    }
    fixed
}
