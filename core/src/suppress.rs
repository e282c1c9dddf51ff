//! Metadata suppressions: Ward's own, and those of cfn_nag and checkov through the rules'
//! cross-references, so that a template already annotated for another tool needs no new comments.
//!
//! ```yaml
//! Metadata:
//!   ward:
//!     suppress:
//!       - rule: DDB001            # a Ward id or rule name
//!         reason: Data is public   # required
//!   cfn_nag:
//!     rules_to_suppress:
//!       - id: W74
//!         reason: …
//!   checkov:
//!     skip:
//!       - id: CKV_AWS_119
//!         comment: …
//! ```

use crate::diagnostic::{Applicability, Finding, Fix, RuleMeta, Suppression, SuppressionSource};
use crate::fix::{self, NewValue};
use crate::source::{SourceFile, Span};
use crate::syntax::{Node, SyntaxError};
use crate::template::{Resource, Template};

/// One suppression entry read from a resource's metadata.
struct Entry<'a> {
    source: SuppressionSource,
    id: &'a str,
    reason: &'a str,
    span: Span,
}

/// Marks suppressed findings. Returns problems with Ward's own suppressions (an entry without a
/// reason is not honoured, and says so).
pub fn apply(template: &Template<'_>, findings: &mut [Finding]) -> Vec<SyntaxError> {
    let mut problems = Vec::new();
    let mut entries_by_resource: Vec<(&str, Vec<Entry<'_>>)> = Vec::new();
    for resource in &template.resources {
        let entries = read(resource, &mut problems);
        if !entries.is_empty() {
            entries_by_resource.push((resource.logical_id, entries));
        }
    }
    if entries_by_resource.is_empty() {
        return problems;
    }
    for finding in findings.iter_mut() {
        let Some(resource) = finding.resource.as_deref() else {
            continue;
        };
        let Some((_, entries)) = entries_by_resource.iter().find(|(id, _)| *id == resource) else {
            continue;
        };
        if let Some(entry) = entries.iter().find(|entry| matches(entry, finding.rule)) {
            finding.suppressed = Some(Suppression {
                source: entry.source,
                id: entry.id.to_string(),
                reason: entry.reason.to_string(),
                span: entry.span,
            });
        }
    }
    problems
}

fn matches(entry: &Entry<'_>, rule: &RuleMeta) -> bool {
    let id = entry.id.trim();
    match entry.source {
        SuppressionSource::Ward => {
            id.eq_ignore_ascii_case(rule.id) || id.eq_ignore_ascii_case(rule.name)
        }
        SuppressionSource::CfnNag => rule
            .references
            .cfn_nag
            .iter()
            .any(|known| known.eq_ignore_ascii_case(id)),
        SuppressionSource::Checkov => rule
            .references
            .checkov
            .iter()
            .any(|known| known.eq_ignore_ascii_case(id)),
        SuppressionSource::CfnLint => false,
    }
}

fn read<'a>(resource: &Resource<'a>, problems: &mut Vec<SyntaxError>) -> Vec<Entry<'a>> {
    let Some(metadata) = resource.metadata else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    let lists: [(SuppressionSource, &[&str], &str, &str); 3] = [
        (
            SuppressionSource::Ward,
            &["ward", "suppress"],
            "rule",
            "reason",
        ),
        (
            SuppressionSource::CfnNag,
            &["cfn_nag", "rules_to_suppress"],
            "id",
            "reason",
        ),
        (
            SuppressionSource::Checkov,
            &["checkov", "skip"],
            "id",
            "comment",
        ),
    ];
    for (source, path, id_key, reason_key) in lists {
        let list = path
            .iter()
            .try_fold(metadata, |node: &Node, key| node.get(key))
            .and_then(Node::as_sequence)
            .unwrap_or_default();
        for item in list {
            let Some(id) = item.get(id_key).and_then(Node::as_str) else {
                continue;
            };
            let reason = item
                .get(reason_key)
                .and_then(Node::as_str)
                .unwrap_or_default();
            if source == SuppressionSource::Ward && reason.trim().is_empty() {
                problems.push(SyntaxError {
                    message: format!(
                        "the suppression of {id} on {} has no reason, so it is not applied; add `reason: …`",
                        resource.logical_id
                    ),
                    span: item.span,
                    related: Vec::new(),
                    fatal: false,
                });
                continue;
            }
            entries.push(Entry {
                source,
                id,
                reason,
                span: item.span,
            });
        }
    }
    entries
}

/// The placeholder a "suppress" action writes; it counts as a reason so the suppression works at
/// once, and says plainly that it should be replaced.
pub const REASON_PLACEHOLDER: &str = "TODO explain why this finding is acceptable";

/// A fix that suppresses `finding` on its resource with Ward's own Metadata entry and a reason
/// placeholder, creating `Metadata`, `ward` and `suppress` as needed, in the file's style.
pub fn suppression_fix(
    file: &SourceFile,
    template: &Template<'_>,
    finding: &Finding,
) -> Option<Fix> {
    let resource = template.resource(finding.resource.as_deref()?)?;
    let item = NewValue::Map(vec![
        ("rule", NewValue::Str(finding.rule.id)),
        ("reason", NewValue::Str(REASON_PLACEHOLDER)),
    ]);
    let edit = match resource.metadata {
        None => fix::insert_entry(
            file,
            resource.node,
            "Metadata",
            &NewValue::nested(&["ward", "suppress"], NewValue::List(vec![item])),
        )?,
        Some(metadata) => match metadata.get("ward") {
            None => fix::insert_entry(
                file,
                metadata,
                "ward",
                &NewValue::nested(&["suppress"], NewValue::List(vec![item])),
            )?,
            Some(ward) => match ward.get("suppress") {
                None => fix::insert_entry(file, ward, "suppress", &NewValue::List(vec![item]))?,
                Some(list) => fix::append_item(file, list, &item)?,
            },
        },
    };
    Some(Fix {
        title: format!("Suppress {} for {}", finding.rule.id, resource.logical_id),
        // Never part of "fix all": silencing a finding is a decision, not a repair.
        applicability: Applicability::Unsafe,
        edits: vec![edit],
    })
}
