//! Snapshots of every renderer over one hand-built set of results, and SARIF schema validation.

use super::*;
use crate::diagnostic::{
    Category, Edit, Fix, References, Related, RuleDocs, RuleMeta, Suppression, SuppressionSource,
};
use crate::source::Span;
use crate::syntax::SyntaxError;

const DOCS: RuleDocs = RuleDocs {
    rationale: "Tables hold customer data.\n\nAWS encrypts with an AWS owned key by default.",
    remediation: "Set `SSESpecification.SSEEnabled` to `true`.",
    noncompliant: "Resources: {}",
    compliant: "Resources: {}",
};

static DDB001: RuleMeta = RuleMeta {
    id: "DDB001",
    name: "dynamodb-table-encryption",
    title: "DynamoDB tables are encrypted at rest with KMS",
    category: Category::EncryptionAtRest,
    severity: Severity::Warning,
    resource_types: &["AWS::DynamoDB::Table"],
    references: References {
        cfn_nag: &["W74"],
        checkov: &["CKV_AWS_119"],
        aws_config: &["DYNAMODB_TABLE_ENCRYPTED_KMS"],
    },
    fix: Some(Applicability::Safe),
    docs: DOCS,
};

static DDB002: RuleMeta = RuleMeta {
    id: "DDB002",
    name: "dynamodb-sse-not-disabled",
    title: "DynamoDB server-side encryption is not switched off",
    category: Category::EncryptionAtRest,
    severity: Severity::Error,
    resource_types: &["AWS::DynamoDB::Table"],
    references: References {
        cfn_nag: &[],
        checkov: &[],
        aws_config: &[],
    },
    fix: Some(Applicability::Unsafe),
    docs: DOCS,
};

static IAM001: RuleMeta = RuleMeta {
    id: "IAM001",
    name: "iam-no-wildcard-action",
    title: "IAM policies do not allow every action",
    category: Category::Iam,
    severity: Severity::Error,
    resource_types: &["AWS::IAM::Role", "AWS::IAM::Policy"],
    references: References {
        cfn_nag: &["F3"],
        checkov: &["CKV_AWS_109"],
        aws_config: &[],
    },
    fix: None,
    docs: DOCS,
};

static S3001: RuleMeta = RuleMeta {
    id: "S3001",
    name: "s3-bucket-logging",
    title: "S3 buckets log access",
    category: Category::Logging,
    severity: Severity::Warning,
    resource_types: &["AWS::S3::Bucket"],
    references: References {
        cfn_nag: &["W35"],
        checkov: &["CKV_AWS_18"],
        aws_config: &["S3_BUCKET_LOGGING_ENABLED"],
    },
    fix: None,
    docs: DOCS,
};

const APP: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Bestellungen für den Shop — 注文
Parameters:
  EnableSse:
    Type: String
    Default: "false"
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: bestellungen
  CacheTable:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !Ref EnableSse
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: alles
          PolicyDocument:
            Statement:
              - {Sid: "Zugriff für Größe", Effect: Allow, Action: "*", Resource: "*"}
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W35
            reason: Öffentliche Website <ohne> "Logs" & Co
"#;

const BROKEN: &str = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Type: AWS::SQS::Queue\n";

fn span_of(text: &str, needle: &str) -> Span {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in fixture"));
    Span::new(start, start + needle.len())
}

fn span_after(text: &str, before: &str, needle: &str) -> Span {
    let from = span_of(text, before).end as usize;
    let start = from
        + text[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}"));
    Span::new(start, start + needle.len())
}

fn finding(rule: &'static RuleMeta, resource: &str, property: Option<&str>, span: Span) -> Finding {
    Finding {
        rule,
        severity: rule.severity,
        resource: Some(resource.to_string()),
        property: property.map(str::to_string),
        message: String::new(),
        span,
        related: Vec::new(),
        fix: None,
        suppressed: None,
    }
}

fn app_result() -> FileResult {
    let source = SourceFile::new("templates/app.yaml", APP);
    let properties_end = span_after(APP, "OrdersTable:", "Properties:\n").end as usize;

    let mut orders = finding(&DDB001, "OrdersTable", None, span_of(APP, "OrdersTable"));
    orders.message = "DynamoDB table OrdersTable has no SSESpecification".to_string();
    orders.fix = Some(Fix {
        title: "Enable server-side encryption with KMS".to_string(),
        applicability: Applicability::Safe,
        edits: vec![Edit {
            span: Span::empty(properties_end),
            text: "      SSESpecification:\n        SSEEnabled: true\n        SSEType: KMS\n"
                .to_string(),
        }],
    });

    let sse_ref = span_of(APP, "!Ref EnableSse");
    let mut cache = finding(
        &DDB002,
        "CacheTable",
        Some("SSESpecification.SSEEnabled"),
        sse_ref,
    );
    cache.message = "DynamoDB table CacheTable is not encrypted with the default of parameter \
                     EnableSse"
        .to_string();
    cache.related = vec![Related {
        span: span_of(APP, "\"false\""),
        message: "parameter EnableSse defaults to \"false\"".to_string(),
    }];
    cache.fix = Some(Fix {
        title: "Set SSEEnabled to true".to_string(),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: sse_ref,
            text: "true".to_string(),
        }],
    });

    // Non-ASCII characters earlier on the line: columns must count characters, not bytes.
    let action = span_after(APP, "Action: ", "\"*\"");
    let mut admin = finding(
        &IAM001,
        "AdminRole",
        Some("Policies[0].PolicyDocument.Statement[0].Action"),
        action,
    );
    admin.message = "IAM role AdminRole allows every action (`*`)".to_string();

    let mut bucket = finding(
        &S3001,
        "Bucket",
        None,
        span_after(APP, "Resource: \"*\"}\n", "Bucket"),
    );
    bucket.message = "S3 bucket Bucket does not log access".to_string();
    bucket.suppressed = Some(Suppression {
        source: SuppressionSource::CfnNag,
        id: "W35".to_string(),
        reason: "Öffentliche Website <ohne> \"Logs\" & Co".to_string(),
        span: span_of(APP, "- id: W35"),
    });

    FileResult::checked(
        source,
        Report {
            findings: vec![orders, cache, admin, bucket],
            errors: Vec::new(),
            is_template: true,
        },
    )
}

fn broken_result() -> FileResult {
    let second = span_after(BROKEN, "Topic\n", "Type");
    FileResult::checked(
        SourceFile::new("broken.yaml", BROKEN),
        Report {
            findings: Vec::new(),
            errors: vec![SyntaxError {
                message: "duplicate key `Type`".to_string(),
                span: second,
                related: vec![(span_of(BROKEN, "Type"), "first defined here".to_string())],
                fatal: false,
            }],
            is_template: true,
        },
    )
}

fn clean_result() -> FileResult {
    FileResult::checked(
        SourceFile::new("clean.json", "{\"Resources\": {}}\n"),
        Report {
            is_template: true,
            ..Report::default()
        },
    )
}

fn results() -> Vec<FileResult> {
    vec![
        app_result(),
        broken_result(),
        clean_result(),
        FileResult::unreadable("missing.yaml", "No such file or directory (os error 2)"),
    ]
}

const PLAIN: RenderOptions = RenderOptions {
    color: false,
    show_suppressed: false,
};

const WITH_SUPPRESSED: RenderOptions = RenderOptions {
    color: false,
    show_suppressed: true,
};

/// The version changes with every release; snapshots should not.
fn without_version(text: String) -> String {
    text.replace(crate::VERSION, "[VERSION]")
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!(text::render(&results(), &PLAIN));
}

#[test]
fn text_snapshot_with_suppressed() {
    insta::assert_snapshot!(text::render(&results(), &WITH_SUPPRESSED));
}

#[test]
fn text_colour_marks_severity_and_is_off_by_default() {
    let colored = text::render(
        &[app_result()],
        &RenderOptions {
            color: true,
            show_suppressed: false,
        },
    );
    assert!(colored.contains("\x1b["), "{colored}");
    assert!(!text::render(&[app_result()], &PLAIN).contains('\x1b'));
}

#[test]
fn text_escapes_control_characters_from_templates() {
    let mut result = app_result();
    result.report.findings[0].message = "evil \x1b[2J message\nforged: line".to_string();
    let out = text::render(&[result], &PLAIN);
    assert!(!out.contains('\x1b'), "{out}");
    assert!(
        out.contains("evil \\u{1b}[2J message\\u{a}forged: line"),
        "{out}"
    );
}

#[test]
fn text_renders_crlf_and_far_apart_related_ranges() {
    let mut text = String::from("Parameters:\r\n  P:\r\n    Default: x\r\n");
    for index in 0..50 {
        text.push_str(&format!("# filler {index}\r\n"));
    }
    text.push_str("Resources:\r\n  T:\r\n    Type: AWS::DynamoDB::Table\r\n");
    let mut far = finding(&DDB001, "T", None, span_of(&text, "T:"));
    far.message = "far".to_string();
    far.related = vec![Related {
        span: span_of(&text, "x\r"),
        message: "because of this".to_string(),
    }];
    let result = FileResult::checked(
        SourceFile::new("crlf.yaml", text.as_str()),
        Report {
            findings: vec![far],
            errors: Vec::new(),
            is_template: true,
        },
    );
    insta::assert_snapshot!(text::render(&[result], &PLAIN));
}

#[test]
fn text_survives_odd_spans() {
    let text = "Resources:\r\n  T:\r\n    Type: X\r\n";
    let odd = [
        Span::empty(text.len()),
        Span::new(text.len() - 2, text.len()),
        Span::new(text.len() - 1, text.len() + 10),
        Span::new(0, text.len()),
        Span::new(1000, 2000),
    ];
    for span in odd {
        let mut result = finding(&DDB001, "T", None, span);
        result.related = vec![Related {
            span: Span::new(text.len() - 1, text.len()),
            message: "end".to_string(),
        }];
        let result = FileResult::checked(
            SourceFile::new("odd.yaml", text),
            Report {
                findings: vec![result],
                errors: Vec::new(),
                is_template: true,
            },
        );
        for format in OutputFormat::ALL {
            let out = render(format, std::slice::from_ref(&result), &PLAIN);
            assert!(!out.is_empty(), "{span:?} {format}");
        }
    }
}

#[test]
fn summary_lines() {
    let line = |results: &[FileResult]| text::summary_line(&Summary::of(results), &PLAIN);
    assert_eq!(line(&[]), "No templates checked.");
    assert_eq!(line(&[clean_result()]), "No findings in 1 file.");
    assert_eq!(
        line(&[app_result(), clean_result()]),
        "Found 3 findings (2 errors, 1 warning) in 1 of 2 files; 1 fixable with --fix \
         (1 more with --unsafe-fixes); 1 suppressed."
    );
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!(without_version(json::render(&results(), &PLAIN)));
}

#[test]
fn json_snapshot_with_suppressed() {
    insta::assert_snapshot!(without_version(json::render(&results(), &WITH_SUPPRESSED)));
}

#[test]
fn json_follows_the_documented_contract() {
    let value: serde_json::Value = match serde_json::from_str(&json::render(&results(), &PLAIN)) {
        Ok(value) => value,
        Err(error) => panic!("invalid JSON: {error}"),
    };
    let keys = |value: &serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = value
            .as_object()
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    assert_eq!(keys(&value), ["errors", "findings", "summary", "version"]);
    let findings = value["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 3, "suppressed findings are left out");
    assert_eq!(
        keys(&findings[0]),
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
    // Non-ASCII text precedes `"*"` on its line: the column counts characters, not bytes.
    let admin = &findings[2];
    assert_eq!(admin["rule"], "IAM001");
    let offset = span_after(APP, "Action: ", "\"*\"").start as usize;
    let line_start = APP[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    let line = APP[..offset].matches('\n').count() as u64 + 1;
    let column = APP[line_start..offset].chars().count() as u64 + 1;
    assert!(
        column < (offset - line_start) as u64 + 1,
        "the fixture must have non-ASCII text"
    );
    assert_eq!(admin["start"]["line"], line);
    assert_eq!(admin["start"]["column"], column);
    assert_eq!(admin["end"]["column"], column + 3);
    assert_eq!(value["summary"]["files"], 4);
    assert_eq!(value["summary"]["findings"], 3);
    assert_eq!(value["summary"]["errors"], 2);
    assert_eq!(value["summary"]["fixable"], 2);
    assert_eq!(value["summary"]["suppressed"], 1);
    assert!(
        value["errors"][1]["start"].is_null(),
        "read errors have no position"
    );
}

#[test]
fn sarif_snapshot() {
    let rules = [&DDB001, &IAM001];
    insta::assert_snapshot!(without_version(sarif::render(&results(), &rules, &PLAIN)));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(junit::render(&results(), &WITH_SUPPRESSED));
}

#[test]
fn artifact_uris() {
    assert_eq!(sarif::artifact_uri("./a/b c.yaml"), "a/b%20c.yaml");
    assert_eq!(sarif::artifact_uri("a\\b.yaml"), "a/b.yaml");
    assert_eq!(
        sarif::artifact_uri("/tmp/ü.yaml"),
        "file:///tmp/%C3%BC.yaml"
    );
    assert_eq!(sarif::artifact_uri("C:\\x\\t.json"), "file:///C:/x/t.json");
    assert_eq!(sarif::artifact_uri("<stdin>"), "%3Cstdin%3E");
}

fn sarif_value() -> serde_json::Value {
    let rules = [&DDB001, &IAM001];
    match serde_json::from_str(&sarif::render(&results(), &rules, &PLAIN)) {
        Ok(value) => value,
        Err(error) => panic!("SARIF output is not JSON: {error}"),
    }
}

fn schema_errors(schema_text: &str, instance: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = match serde_json::from_str(schema_text) {
        Ok(schema) => schema,
        Err(error) => panic!("vendored schema is not JSON: {error}"),
    };
    let validator = match jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
    {
        Ok(validator) => validator,
        Err(error) => panic!("vendored schema does not compile: {error}"),
    };
    validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

const SARIF_SCHEMA: &str = include_str!("../../tests/schemas/sarif-schema-2.1.0.json");

#[test]
fn sarif_output_is_valid_against_the_sarif_2_1_0_schema() {
    let errors = schema_errors(SARIF_SCHEMA, &sarif_value());
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_describing_every_registered_rule_is_valid() {
    let rules: Vec<&RuleMeta> = crate::rules::all().iter().map(|rule| &rule.meta).collect();
    let rendered = sarif::render(&results(), &rules, &PLAIN);
    let value: serde_json::Value = match serde_json::from_str(&rendered) {
        Ok(value) => value,
        Err(error) => panic!("SARIF output is not JSON: {error}"),
    };
    let errors = schema_errors(SARIF_SCHEMA, &value);
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Guards the tests above: the validator must actually reject broken SARIF.
#[test]
fn schema_validation_rejects_invalid_sarif() {
    let mut missing_driver_name = sarif_value();
    if let Some(driver) = missing_driver_name["runs"][0]["tool"]["driver"].as_object_mut() {
        driver.remove("name");
    }
    let mut bad_level = sarif_value();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    let mut zero_line = sarif_value();
    zero_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    for broken in [&missing_driver_name, &bad_level, &zero_line] {
        assert!(
            !schema_errors(SARIF_SCHEMA, broken).is_empty(),
            "{broken:#}"
        );
    }
}

#[test]
fn sarif_indexes_and_fingerprints() {
    let value = sarif_value();
    let run = &value["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .map(|rules| {
            rules
                .iter()
                .filter_map(|rule| rule["id"].as_str())
                .collect()
        })
        .unwrap_or_default();
    // The two passed in first, then those only findings name.
    assert_eq!(rules, ["DDB001", "IAM001", "DDB002", "S3001"]);
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 4, "suppressed findings are kept, marked");
    for result in &results {
        let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules.get(index).copied(), result["ruleId"].as_str());
    }
    assert_eq!(results[3]["suppressions"][0]["kind"], "inSource");
    let again = sarif_value();
    assert_eq!(
        results[0]["partialFingerprints"],
        again["runs"][0]["results"][0]["partialFingerprints"]
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn junit_is_well_formed_enough() {
    let out = junit::render(&results(), &WITH_SUPPRESSED);
    assert!(out.contains("&lt;ohne&gt; &quot;Logs&quot; &amp; Co"));
    assert_eq!(out.matches("<testsuite ").count(), 4);
    assert_eq!(
        out.matches("<testsuite ").count(),
        out.matches("</testsuite>").count()
    );
    assert!(out.contains(
        "<testsuites name=\"cfn-ward\" tests=\"7\" failures=\"3\" errors=\"2\" skipped=\"1\">"
    ));
}
