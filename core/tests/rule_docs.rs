//! Every rule's documented examples are real: the non-compliant one gives exactly one finding of
//! the rule, the compliant one none, and the fix (where the rule has one) makes the resource
//! compliant without a new finding.

use std::collections::BTreeSet;

use ward_core::{Config, Report, SourceFile, apply_fixes, lint, rules};

fn lint_text(name: &str, text: &str) -> Report {
    lint(&SourceFile::new(name, text), &Config::default())
}

fn keys(report: &Report) -> BTreeSet<(String, Option<String>)> {
    report
        .active()
        .map(|finding| (finding.rule.id.to_string(), finding.resource.clone()))
        .collect()
}

#[test]
fn documented_examples_behave_as_documented() {
    let mut failures = Vec::new();
    for rule in rules::all() {
        let meta = &rule.meta;
        let bad = lint_text("noncompliant.yaml", meta.docs.noncompliant);
        let good = lint_text("compliant.yaml", meta.docs.compliant);
        for (label, report) in [("non-compliant", &bad), ("compliant", &good)] {
            if !report.errors.is_empty() || !report.is_template {
                failures.push(format!(
                    "{}: {label} example does not parse: {:?}",
                    meta.id, report.errors
                ));
            }
        }
        let hits: Vec<_> = bad
            .active()
            .filter(|finding| finding.rule.id == meta.id)
            .collect();
        if hits.len() != 1 {
            failures.push(format!(
                "{}: non-compliant example gives {} findings of the rule",
                meta.id,
                hits.len()
            ));
            continue;
        }
        if good.active().any(|finding| finding.rule.id == meta.id) {
            failures.push(format!(
                "{}: compliant example gives a finding of the rule",
                meta.id
            ));
        }
        let finding = hits[0];
        match (meta.fix, &finding.fix) {
            (None, Some(_)) => {
                failures.push(format!("{}: rule declares no fix but offers one", meta.id))
            }
            (Some(_), None) => failures.push(format!(
                "{}: rule declares a fix but the example has none",
                meta.id
            )),
            (Some(_), Some(fix)) => {
                let fixed = apply_fixes(meta.docs.noncompliant, [fix]);
                let after = lint_text("fixed.yaml", &fixed.text);
                if !after.errors.is_empty() {
                    failures.push(format!(
                        "{}: fixed example does not parse:\n{}",
                        meta.id, fixed.text
                    ));
                }
                if after.active().any(|finding| finding.rule.id == meta.id) {
                    failures.push(format!(
                        "{}: finding remains after the fix:\n{}",
                        meta.id, fixed.text
                    ));
                }
                let new: Vec<_> = keys(&after).difference(&keys(&bad)).cloned().collect();
                if !new.is_empty() {
                    failures.push(format!(
                        "{}: the fix adds findings {new:?}:\n{}",
                        meta.id, fixed.text
                    ));
                }
            }
            (None, None) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_metadata_is_complete_and_ids_are_unique() {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in rules::all() {
        let meta = &rule.meta;
        assert!(ids.insert(meta.id), "duplicate id {}", meta.id);
        assert!(names.insert(meta.name), "duplicate name {}", meta.name);
        assert!(
            !meta.title.is_empty() && !meta.resource_types.is_empty(),
            "{}",
            meta.id
        );
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}",
            meta.id
        );
        assert!(
            !meta.docs.rationale.is_empty() && !meta.docs.remediation.is_empty(),
            "{}",
            meta.id
        );
        let docs = meta.docs_markdown();
        assert!(
            docs.contains(meta.docs.noncompliant.trim_end()),
            "{}",
            meta.id
        );
    }
}
