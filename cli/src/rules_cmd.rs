//! `cfn-ward rules` (list, text or JSON) and `cfn-ward rules explain ID`.

use std::io::IsTerminal;

use serde::Serialize;
use ward_core::{Category, References, RuleMeta, Severity};

use crate::args::{ListFormat, RulesArgs, RulesCommand};
use crate::output::{self, ExitStatus};

/// `rules --format json`: the shape DESIGN.md documents.
#[derive(Serialize)]
struct RuleList<'a> {
    rules: Vec<RuleJson<'a>>,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    name: &'a str,
    title: &'a str,
    category: Category,
    severity: Severity,
    resource_types: &'a [&'a str],
    references: References,
    fixable: bool,
    docs: String,
}

pub fn run(args: &RulesArgs) -> ExitStatus {
    let rules: Vec<&RuleMeta> = ward_core::rules::all()
        .iter()
        .map(|rule| &rule.meta)
        .collect();
    match &args.command {
        Some(RulesCommand::Explain { rule }) => explain(&rules, rule),
        None => {
            let text = match args.format {
                ListFormat::Json => list_json(&rules),
                ListFormat::Text => list_text(&rules),
            };
            output::stdout(&text);
            ExitStatus::Clean
        }
    }
}

fn list_json(rules: &[&RuleMeta]) -> String {
    let list = RuleList {
        rules: rules
            .iter()
            .map(|rule| RuleJson {
                id: rule.id,
                name: rule.name,
                title: rule.title,
                category: rule.category,
                severity: rule.severity,
                resource_types: rule.resource_types,
                references: rule.references,
                fixable: rule.fix.is_some(),
                docs: rule.docs_markdown(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

fn list_text(rules: &[&RuleMeta]) -> String {
    if rules.is_empty() {
        return "No rules are registered.\n".to_string();
    }
    let header = ["ID", "SEVERITY", "CATEGORY", "FIX", "TITLE"];
    let rows: Vec<[String; 5]> = rules
        .iter()
        .map(|rule| {
            [
                rule.id.to_string(),
                rule.severity.to_string(),
                rule.category.to_string(),
                rule.fix.map_or("", |fix| fix.as_str()).to_string(),
                rule.title.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(|title| title.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 5]| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index == cells.len() - 1 {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        text.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    for row in &rows {
        out.push_str(&line([&row[0], &row[1], &row[2], &row[3], &row[4]]));
    }
    out
}

fn explain(rules: &[&RuleMeta], wanted: &str) -> ExitStatus {
    let found = rules.iter().find(|rule| {
        rule.id.eq_ignore_ascii_case(wanted) || rule.name.eq_ignore_ascii_case(wanted)
    });
    let Some(rule) = found else {
        let mut message = format!("unknown rule `{wanted}`");
        if let Some(close) = closest(rules, wanted) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        output::error(&message);
        return ExitStatus::Error;
    };
    let markdown = rule.docs_markdown();
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    output::stdout(&if color {
        highlight(&markdown)
    } else {
        markdown
    });
    ExitStatus::Clean
}

/// Light terminal formatting: headings bold, code blocks dimmed; the text is unchanged.
fn highlight(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 256);
    let mut in_code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            out.push_str(line);
        } else if in_code {
            out.push_str(&format!("\x1b[2m{line}\x1b[0m"));
        } else if line.starts_with('#') {
            out.push_str(&format!("\x1b[1m{line}\x1b[0m"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The id or name nearest to `wanted`, if it is plausibly a typo of it.
fn closest<'a>(rules: &[&'a RuleMeta], wanted: &str) -> Option<&'a str> {
    let wanted = wanted.to_ascii_lowercase();
    rules
        .iter()
        .flat_map(|rule| [rule.id, rule.name])
        .map(|candidate| {
            (
                edit_distance(&wanted, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, candidate)| *distance <= (candidate.chars().count() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ward_core::{Applicability, RuleDocs};

    static RULE: RuleMeta = RuleMeta {
        id: "DDB001",
        name: "dynamodb-table-encryption",
        title: "DynamoDB tables are encrypted with KMS",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::DynamoDB::Table"],
        references: References {
            cfn_nag: &["W74"],
            checkov: &[],
            aws_config: &[],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "r",
            remediation: "m",
            noncompliant: "Resources: {}",
            compliant: "Resources: {}",
        },
    };

    #[test]
    fn did_you_mean() {
        assert_eq!(closest(&[&RULE], "DDB01"), Some("DDB001"));
        assert_eq!(closest(&[&RULE], "ddb002"), Some("DDB001"));
        assert_eq!(
            closest(&[&RULE], "dynamodb-table-encription"),
            Some("dynamodb-table-encryption")
        );
        assert_eq!(closest(&[&RULE], "S3001"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn json_and_text_lists() -> Result<(), serde_json::Error> {
        let value: serde_json::Value = serde_json::from_str(&list_json(&[&RULE]))?;
        let rule = &value["rules"][0];
        assert_eq!(rule["id"], "DDB001");
        assert_eq!(rule["fixable"], true);
        assert_eq!(rule["references"]["cfn_nag"][0], "W74");
        assert!(
            rule["docs"]
                .as_str()
                .is_some_and(|docs| docs.starts_with("# DDB001"))
        );
        let text = list_text(&[&RULE]);
        assert!(
            text.starts_with("ID      SEVERITY  CATEGORY            FIX   TITLE\n"),
            "{text}"
        );
        assert!(
            text.contains("DDB001  warning   encryption-at-rest  safe  DynamoDB"),
            "{text}"
        );
        Ok(())
    }
}
