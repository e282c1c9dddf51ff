//! Hover: a finding's rule and remediation, what a name points at, the rules for a resource type.

use ward_core::rules;
use ward_core::{Finding, Span};

use crate::analysis::Analysis;

/// The Markdown to show at `offset` and the range it is about.
pub fn hover(analysis: &Analysis, offset: usize) -> Option<(String, Span)> {
    let mut parts = Vec::new();
    let mut range: Option<Span> = None;
    let touches = |span: Span| span.start as usize <= offset && offset <= span.end as usize;
    if analysis.report.is_template {
        for finding in analysis
            .report
            .active()
            .filter(|finding| touches(finding.span))
        {
            parts.push(finding_markdown(analysis, finding));
            range.get_or_insert(finding.span);
        }
    }
    if let Some((markdown, span)) = resource_type(analysis, offset) {
        parts.push(markdown);
        range.get_or_insert(span);
    }
    if let Some(index) = analysis.index()
        && let Some((kind, name, span)) = index.name_at(offset)
        && let Some(description) = index.describe(kind, name)
    {
        parts.push(description);
        range.get_or_insert(span);
    }
    Some((parts.join("\n\n---\n\n"), range?))
}

fn finding_markdown(analysis: &Analysis, finding: &Finding) -> String {
    let rule = finding.rule;
    let mut out = format!("**{}** {}", rule.id, rule.title);
    if let Some(base) = &analysis.settings.docs_base_url {
        out.push_str(&format!(" ([docs]({base}/{}))", rule.id));
    }
    out.push_str(&format!(
        "\n\n{}\n\n{}",
        finding.message,
        rule.docs.rationale.trim()
    ));
    if let Some(fix) = &finding.fix {
        out.push_str(&format!(
            "\n\nQuick fix: {} ({})",
            fix.title,
            fix.applicability.as_str()
        ));
    }
    out.push_str(&format!(
        "\n\nCompliant example:\n\n```yaml\n{}\n```",
        rule.docs.compliant.trim_end()
    ));
    out
}

/// On a resource's `Type` value: the Ward rules that visit that type.
fn resource_type(analysis: &Analysis, offset: usize) -> Option<(String, Span)> {
    let template = analysis.document.template()?;
    let (type_name, span) = template.resources.iter().find_map(|resource| {
        let entry = resource.node.entry("Type")?;
        let span = entry.value.span;
        let inside = span.start as usize <= offset && offset <= span.end as usize;
        inside.then_some((entry.value.as_str()?, span))
    })?;
    let config = &analysis.settings.config;
    let applicable = rules::for_type(type_name);
    if applicable.is_empty() {
        return Some((format!("No Ward rule checks `{type_name}`."), span));
    }
    let mut out = format!("Ward rules for `{type_name}`:\n");
    for rule in applicable {
        let meta = &rule.meta;
        let off = if config.is_enabled(meta) {
            ""
        } else {
            " (disabled)"
        };
        out.push_str(&format!(
            "\n- **{}** ({}) {}{off}",
            meta.id,
            config.severity_of(meta),
            meta.title
        ));
    }
    Some((out, span))
}
