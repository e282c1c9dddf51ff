//! Fixture templates with expected findings.
//!
//! Every `*.yaml`, `*.yml`, `*.json` or `*.template` file under `tests/fixtures/` has a sidecar
//! `<file>.expected` listing the active findings, one per line: `RULE RESOURCE LINE:COLUMN`
//! (`-` for a template-level finding); an empty sidecar means no finding. Files under
//! `tests/fixtures/twins/` come in pairs with the same stem, YAML and JSON, which must give the
//! same findings (rule, resource, property).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ward_core::{Config, Report, SourceFile, lint};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn templates(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            templates(&path, out);
        } else if matches!(
            path.extension().and_then(|ext| ext.to_str()),
            Some("yaml" | "yml" | "json" | "template")
        ) {
            out.push(path);
        }
    }
}

fn lint_path(path: &Path) -> (SourceFile, Report) {
    let text =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let file = SourceFile::new(path.display().to_string(), text);
    let report = lint(&file, &Config::default());
    (file, report)
}

fn rendered(file: &SourceFile, report: &Report) -> Vec<String> {
    let mut lines: Vec<String> = report
        .active()
        .map(|finding| {
            let start = file.position(finding.span.start);
            format!(
                "{} {} {}:{}",
                finding.rule.id,
                finding.resource.as_deref().unwrap_or("-"),
                start.line,
                start.column
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn fixtures_give_their_expected_findings() {
    let mut paths = Vec::new();
    templates(&fixtures_dir(), &mut paths);
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for path in &paths {
        let (file, report) = lint_path(path);
        if !report.errors.is_empty() {
            failures.push(format!(
                "{}: syntax errors {:?}",
                path.display(),
                report.errors
            ));
        }
        let expected_path = PathBuf::from(format!("{}.expected", path.display()));
        let Ok(expected) = fs::read_to_string(&expected_path) else {
            failures.push(format!(
                "{}: missing {}",
                path.display(),
                expected_path.display()
            ));
            continue;
        };
        let mut expected: Vec<String> = expected
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_string)
            .collect();
        expected.sort();
        let actual = rendered(&file, &report);
        if actual != expected {
            failures.push(format!(
                "{}:\n  expected {expected:?}\n  actual   {actual:?}\n  messages {:?}",
                path.display(),
                report
                    .active()
                    .map(|finding| &finding.message)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_and_json_twins_agree() {
    let mut paths = Vec::new();
    templates(&fixtures_dir().join("twins"), &mut paths);
    let mut compared = 0;
    for yaml in paths
        .iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
    {
        let json = yaml.with_extension("json");
        assert!(json.exists(), "{} has no JSON twin", yaml.display());
        let summary = |path: &Path| -> BTreeSet<(String, Option<String>, Option<String>, String)> {
            let (_, report) = lint_path(path);
            report
                .active()
                .map(|finding| {
                    (
                        finding.rule.id.to_string(),
                        finding.resource.clone(),
                        finding.property.clone(),
                        finding.message.clone(),
                    )
                })
                .collect()
        };
        let (from_yaml, from_json) = (summary(yaml), summary(&json));
        assert!(
            !from_yaml.is_empty(),
            "{}: twins should have findings to compare",
            yaml.display()
        );
        assert_eq!(from_yaml, from_json, "{}", yaml.display());
        compared += 1;
    }
    assert!(compared > 0, "no twins found");
}
