//! The public corpus (`../shared/corpus`, when present) end to end through `lint` and `fix_all`:
//! no panic, every template the corpus marks as parseable is linted without a fatal error, and
//! applying every fix (unsafe ones included) leaves a template that still parses and has no finding
//! the fixes were meant to remove.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ward_core::{Config, SourceFile, fix_all, lint};

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// `(source/path, parse status)` for every template of the manifest.
fn manifest(root: &Path) -> Vec<(PathBuf, bool)> {
    let Ok(text) = fs::read_to_string(root.join("MANIFEST.tsv")) else {
        return Vec::new();
    };
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let [source, path, .., status] = columns.as_slice() else {
                return None;
            };
            Some((root.join(source).join(path), *status == "ok"))
        })
        .collect()
}

#[test]
fn corpus_lints_and_fixes_cleanly() {
    let root = corpus_root();
    if !root.is_dir() {
        eprintln!("corpus not found at {}; skipped", root.display());
        return;
    }
    let entries = manifest(&root);
    assert!(
        entries.len() > 1000,
        "the manifest lists {} templates",
        entries.len()
    );
    let config = Config::default();
    let mut failures = Vec::new();
    let (mut templates, mut findings, mut fixed_files) = (0, 0, 0);
    for (path, parses) in &entries {
        let Ok(text) = fs::read_to_string(path) else {
            failures.push(format!("{}: unreadable", path.display()));
            continue;
        };
        let file = SourceFile::new(path.display().to_string(), text);
        let report = lint(&file, &config);
        if *parses && report.errors.iter().any(|error| error.fatal) {
            failures.push(format!(
                "{}: fatal error {:?}",
                path.display(),
                report.errors
            ));
        }
        if report.is_template {
            templates += 1;
        }
        findings += report.findings.len();
        let fixable: BTreeSet<(String, Option<String>)> = report
            .active()
            .filter(|finding| finding.fix.is_some())
            .map(|finding| (finding.rule.id.to_string(), finding.resource.clone()))
            .collect();
        if fixable.is_empty() || !report.errors.is_empty() {
            continue;
        }
        let fixed = fix_all(&file, report, &config, true);
        if fixed.rejected {
            failures.push(format!("{}: a fix broke the template", path.display()));
            continue;
        }
        let after = fixed.report;
        let left: Vec<_> = after
            .active()
            .filter(|finding| finding.fix.is_some())
            .map(|finding| (finding.rule.id.to_string(), finding.resource.clone()))
            .filter(|key| fixable.contains(key))
            .collect();
        if !left.is_empty() {
            failures.push(format!(
                "{}: fixable findings left after fixing: {left:?}",
                path.display()
            ));
        }
        fixed_files += 1;
    }
    eprintln!("corpus: {templates} templates, {findings} findings, {fixed_files} files fixed");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
