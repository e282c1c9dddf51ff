//! End-to-end tests that need real rules: they use `DDB001` (a DynamoDB table without
//! `SSESpecification`; its safe fix adds `SSESpecification: {SSEEnabled: true}`, and with
//! `SSEEnabled: !Ref P` whose default is false, its unsafe fix sets it to true). While the rule
//! registry is empty these tests fail; everything else in `cli/tests` holds without rules.

mod common;

use common::*;

const UNENCRYPTED: &str = "\
AWSTemplateFormatVersion: \"2010-09-09\"
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
";

const BY_PARAMETER: &str = "\
Parameters:
  EnableSse:
    Type: String
    Default: \"false\"
    AllowedValues: [\"true\", \"false\"]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !Ref EnableSse
";

fn ddb001_count(value: &serde_json::Value) -> usize {
    value["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter(|finding| finding["rule"] == "DDB001")
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn finding_exits_1_and_fail_on_error_exits_0() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("orders.yaml", UNENCRYPTED)?;
    let output = scratch.run(&["check", "--select", "DDB001", "orders.yaml"]);
    assert_code(&output, 1);
    let text = stdout(&output);
    assert!(text.starts_with("orders.yaml:"), "{text}");
    assert!(text.contains(": warning[DDB001] "), "{text}");
    let output = scratch.run(&[
        "check",
        "--select",
        "DDB001",
        "--fail-on",
        "error",
        "orders.yaml",
    ]);
    assert_code(&output, 0);
    let output = scratch.run(&[
        "check",
        "--ignore",
        "DDB001",
        "--format",
        "json",
        "orders.yaml",
    ]);
    assert_eq!(ddb001_count(&json(&output)), 0);
    Ok(())
}

#[test]
fn json_finding_has_every_documented_field() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("orders.yaml", UNENCRYPTED)?;
    let value = json(&scratch.run(&["check", "--format", "json", "orders.yaml"]));
    let finding = value["findings"]
        .as_array()
        .and_then(|findings| findings.iter().find(|finding| finding["rule"] == "DDB001"))
        .ok_or("no DDB001 finding")?;
    let mut keys: Vec<&String> = finding.as_object().ok_or("finding")?.keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "category",
            "end",
            "fix",
            "message",
            "path",
            "property",
            "references",
            "resource",
            "rule",
            "severity",
            "start",
            "title"
        ]
    );
    assert_eq!(finding["path"], "orders.yaml");
    assert_eq!(finding["resource"], "Orders");
    assert_eq!(finding["fix"]["applicability"], "safe");
    assert!(finding["fix"]["edits"][0]["start"]["line"].is_u64());
    assert!(value["summary"]["fixable"].as_u64() >= Some(1));
    Ok(())
}

#[test]
fn fix_applies_safe_fixes_in_place() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("orders.yaml", UNENCRYPTED)?;
    let output = scratch.run(&["check", "--fix", "--select", "DDB001", "orders.yaml"]);
    assert_code(&output, 0);
    let fixed = scratch.read("orders.yaml")?;
    assert!(fixed.contains("SSESpecification:"), "{fixed}");
    assert!(fixed.contains("SSEEnabled: true"), "{fixed}");
    assert!(
        fixed.starts_with(UNENCRYPTED.trim_end()),
        "only an insertion:\n{fixed}"
    );
    assert!(
        stderr(&output).contains("Fixed 1 finding in 1 file."),
        "{}",
        stderr(&output)
    );

    let value = json(&scratch.run(&["check", "--format", "json", "orders.yaml"]));
    assert_eq!(ddb001_count(&value), 0);
    Ok(())
}

#[test]
fn fix_leaves_unsafe_fixes_unless_asked() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("orders.yaml", BY_PARAMETER)?;
    let output = scratch.run(&["check", "--fix", "--select", "DDB001", "orders.yaml"]);
    assert_code(&output, 1);
    assert_eq!(scratch.read("orders.yaml")?, BY_PARAMETER);

    let output = scratch.run(&[
        "check",
        "--fix",
        "--unsafe-fixes",
        "--select",
        "DDB001",
        "orders.yaml",
    ]);
    assert_code(&output, 0);
    assert_ne!(scratch.read("orders.yaml")?, BY_PARAMETER);
    Ok(())
}

#[test]
fn fix_on_stdin_prints_the_fixed_template() -> TestResult {
    let scratch = Scratch::new()?;
    let output = scratch
        .command()
        .args(["check", "--fix", "--select", "DDB001", "-"])
        .write_stdin(UNENCRYPTED)
        .output()?;
    assert_code(&output, 0);
    assert!(
        stdout(&output).contains("SSEEnabled: true"),
        "{}",
        stdout(&output)
    );
    Ok(())
}

#[test]
fn diff_prints_and_writes_nothing() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("orders.yaml", UNENCRYPTED)?;
    let output = scratch.run(&["check", "--diff", "--select", "DDB001", "orders.yaml"]);
    assert_code(&output, 1);
    let diff = stdout(&output);
    assert!(
        diff.starts_with("--- orders.yaml\n+++ orders.yaml\n"),
        "{diff}"
    );
    assert!(diff.contains("+      SSESpecification:"), "{diff}");
    assert_eq!(scratch.read("orders.yaml")?, UNENCRYPTED);
    Ok(())
}

#[test]
fn parameter_values_change_the_outcome() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("orders.yaml", BY_PARAMETER)?;
    scratch.write(
        "cfn.json",
        r#"[{"ParameterKey": "EnableSse", "ParameterValue": "true"}]"#,
    )?;
    scratch.write("nag.json", r#"{"Parameters": {"EnableSse": "true"}}"#)?;
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--format",
            "json",
            "--select",
            "DDB001",
            "orders.yaml",
        ];
        args.extend_from_slice(extra);
        ddb001_count(&json(&scratch.run(&args)))
    };
    assert_eq!(
        check(&[]),
        1,
        "the default `false` leaves the table unencrypted"
    );
    assert_eq!(check(&["--parameter", "EnableSse=true"]), 0);
    assert_eq!(check(&["--parameters-file", "cfn.json"]), 0);
    assert_eq!(check(&["--parameters-file", "nag.json"]), 0);
    // --parameter wins over the file.
    assert_eq!(
        check(&[
            "--parameters-file",
            "nag.json",
            "--parameter",
            "EnableSse=false"
        ]),
        1
    );
    // And the file's values win over ward.toml's.
    scratch.write("ward.toml", "[parameters]\nEnableSse = \"true\"\n")?;
    assert_eq!(check(&[]), 0);
    assert_eq!(check(&["--parameter", "EnableSse=false"]), 1);
    Ok(())
}
