//! Condition- and parameter-aware evaluation, seen through DDB001 (DynamoDB tables must use KMS).

use ward_core::{Config, Finding, Report, SourceFile, lint};

fn lint_with(text: &str, config: &Config) -> (SourceFile, Report) {
    let file = SourceFile::new("template.yaml", text);
    let report = lint(&file, config);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    (file, report)
}

fn ddb001(report: &Report) -> Vec<&Finding> {
    report
        .active()
        .filter(|finding| finding.rule.id == "DDB001")
        .collect()
}

const CONDITIONAL: &str = r#"Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: []
      SSESpecification:
        SSEEnabled: !If [IsProd, true, false]
"#;

#[test]
fn fn_if_reports_the_branch_and_names_the_condition() {
    let (file, report) = lint_with(CONDITIONAL, &Config::default());
    let findings = ddb001(&report);
    assert_eq!(findings.len(), 1);
    let finding = findings[0];
    assert!(
        finding.message.contains("when condition IsProd is false"),
        "{}",
        finding.message
    );
    // Points at the `false` branch.
    assert_eq!(file.slice(finding.span), "false");
    assert!(
        finding
            .related
            .iter()
            .any(|related| file.slice(related.span) == "IsProd")
    );
}

#[test]
fn a_configured_parameter_decides_the_condition() {
    let mut config = Config::default();
    config.parameters.insert("Env".into(), "prod".into());
    let (_, report) = lint_with(CONDITIONAL, &config);
    assert!(ddb001(&report).is_empty());

    config.parameters.insert("Env".into(), "dev".into());
    let (_, report) = lint_with(CONDITIONAL, &config);
    assert_eq!(ddb001(&report).len(), 1);
}

#[test]
fn a_configured_condition_value_decides_the_branch() {
    let mut config = Config::default();
    config.conditions.insert("IsProd".into(), true);
    let (_, report) = lint_with(CONDITIONAL, &config);
    assert!(ddb001(&report).is_empty());
}

#[test]
fn parameter_default_is_named_with_a_related_range() {
    let text = r#"Parameters:
  EnableSse:
    Type: String
    Default: "false"
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !Ref EnableSse
"#;
    let (file, report) = lint_with(text, &Config::default());
    let findings = ddb001(&report);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let finding = findings[0];
    assert!(finding.message.contains("EnableSse"), "{}", finding.message);
    assert!(finding.message.contains("default"), "{}", finding.message);
    assert_eq!(file.slice(finding.span), "!Ref EnableSse");
    assert!(
        finding
            .related
            .iter()
            .any(|related| file.slice(related.span) == "\"false\"")
    );
    // The fix replaces a function: it must not be applied without review.
    let fix = finding.fix.as_ref().map(|fix| fix.applicability);
    assert_eq!(fix, Some(ward_core::Applicability::Unsafe));
}

#[test]
fn unknown_values_never_produce_a_finding() {
    let text = r#"Parameters:
  EnableSse:
    Type: String
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !Ref EnableSse
  Other:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !ImportValue SharedFlag
"#;
    let (_, report) = lint_with(text, &Config::default());
    assert!(ddb001(&report).is_empty());
}

#[test]
fn booleans_accept_what_cloudformation_accepts() {
    for value in ["true", "\"true\"", "True", "'TRUE'"] {
        let text = format!(
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: {value}\n"
        );
        let (_, report) = lint_with(&text, &Config::default());
        assert!(ddb001(&report).is_empty(), "{value}");
    }
    for value in ["false", "\"false\"", "False"] {
        let text = format!(
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: {value}\n"
        );
        let (_, report) = lint_with(&text, &Config::default());
        assert_eq!(ddb001(&report).len(), 1, "{value}");
    }
}

#[test]
fn no_value_removes_the_property() {
    let text = r#"Conditions:
  UseSse: !Equals [a, b]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification: !If [UseSse, {SSEEnabled: true}, !Ref AWS::NoValue]
"#;
    let (_, report) = lint_with(text, &Config::default());
    let findings = ddb001(&report);
    assert_eq!(findings.len(), 1);
    // The condition folds to false (`a` is never `b`): the finding holds in every deployment.
    assert!(
        findings[0].message.contains("UseSse is false") || !findings[0].message.contains("when")
    );
}

#[test]
fn resources_that_are_never_deployed_are_not_checked() {
    let text = r#"Conditions:
  Never: !Equals [a, b]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Condition: Never
    Properties: {}
"#;
    let (_, report) = lint_with(text, &Config::default());
    assert!(ddb001(&report).is_empty());
}

#[test]
fn correlated_conditions_do_not_give_impossible_cases() {
    let text = r#"Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsNotProd: !Not [!Condition IsProd]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    Properties:
      SSESpecification:
        SSEEnabled: !If [IsNotProd, false, true]
"#;
    let (_, report) = lint_with(text, &Config::default());
    assert!(ddb001(&report).is_empty(), "{:?}", ddb001(&report));
}

#[test]
fn find_in_map_and_sub_are_folded() {
    let text = r#"Mappings:
  Settings:
    prod:
      Sse: "true"
    dev:
      Sse: "false"
Parameters:
  Env:
    Type: String
    Default: dev
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !FindInMap [Settings, !Ref Env, Sse]
"#;
    let (_, report) = lint_with(text, &Config::default());
    let findings = ddb001(&report);
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].message.contains("parameter Env"),
        "{}",
        findings[0].message
    );

    let mut config = Config::default();
    config.parameters.insert("Env".into(), "prod".into());
    let (_, report) = lint_with(text, &config);
    assert!(ddb001(&report).is_empty());
}

#[test]
fn sam_globals_apply_to_serverless_resources() {
    let text = r#"Transform: AWS::Serverless-2016-10-31
Globals:
  SimpleTable:
    SSESpecification:
      SSEEnabled: true
Resources:
  Covered:
    Type: AWS::Serverless::SimpleTable
  Uncovered:
    Type: AWS::Serverless::SimpleTable
    Properties:
      SSESpecification:
        SSEEnabled: false
"#;
    let (_, report) = lint_with(text, &Config::default());
    let findings = ddb001(&report);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].resource.as_deref(), Some("Uncovered"));
}

#[test]
fn a_finding_in_both_branches_is_unconditional() {
    let text = r#"Conditions:
  IsProd: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      SSESpecification:
        SSEEnabled: !If [IsProd, false, "false"]
"#;
    let (_, report) = lint_with(text, &Config::default());
    let findings = ddb001(&report);
    assert_eq!(findings.len(), 1);
    assert!(
        !findings[0].message.contains("when"),
        "{}",
        findings[0].message
    );
}
