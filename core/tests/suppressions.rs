//! Metadata suppressions: Ward's own (reason required), cfn_nag's and checkov's through the rules'
//! cross-references.

use ward_core::{Config, SourceFile, SuppressionSource, lint};

fn table(metadata: &str) -> String {
    format!(
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n{metadata}    Properties:\n      KeySchema: []\n"
    )
}

fn suppression_of(text: &str, rule: &str) -> (Option<SuppressionSource>, usize) {
    let report = lint(&SourceFile::new("t.yaml", text), &Config::default());
    let finding = report
        .findings
        .iter()
        .find(|finding| finding.rule.id == rule);
    (
        finding.and_then(|finding| finding.suppressed.as_ref().map(|s| s.source)),
        report.errors.len(),
    )
}

#[test]
fn ward_suppression_with_reason_silences_the_rule() {
    let text = table(
        "    Metadata:\n      ward:\n        suppress:\n          - rule: DDB001\n            reason: Public reference data\n",
    );
    assert_eq!(
        suppression_of(&text, "DDB001"),
        (Some(SuppressionSource::Ward), 0)
    );
}

#[test]
fn ward_suppression_without_reason_is_refused_with_an_error() {
    let text = table("    Metadata:\n      ward:\n        suppress:\n          - rule: DDB001\n");
    let report = lint(
        &SourceFile::new("t.yaml", text.as_str()),
        &Config::default(),
    );
    assert!(report.active().any(|finding| finding.rule.id == "DDB001"));
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].message.contains("reason"));
}

#[test]
fn cfn_nag_suppression_applies_through_cross_references() {
    let text = table(
        "    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - id: W74\n            reason: legacy\n",
    );
    assert_eq!(
        suppression_of(&text, "DDB001"),
        (Some(SuppressionSource::CfnNag), 0)
    );
    // W74 says nothing about customer managed keys (DDB002), so that rule is untouched.
    let report = lint(
        &SourceFile::new("t.yaml", text.as_str()),
        &Config::default(),
    );
    assert!(
        report
            .findings
            .iter()
            .filter(|f| f.rule.id != "DDB001")
            .all(|f| f.suppressed.is_none())
    );
}

#[test]
fn checkov_skip_applies_through_cross_references() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Metadata:\n      checkov:\n        skip:\n          - id: CKV_AWS_119\n            comment: AWS managed key is enough here\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n";
    assert_eq!(
        suppression_of(text, "DDB002"),
        (Some(SuppressionSource::Checkov), 0)
    );
}

#[test]
fn suppression_on_another_resource_does_not_apply() {
    let text = "Resources:\n  Other:\n    Type: AWS::DynamoDB::Table\n    Metadata:\n      ward:\n        suppress:\n          - rule: DDB001\n            reason: fine\n    Properties:\n      SSESpecification: {SSEEnabled: true}\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties: {}\n";
    let report = lint(&SourceFile::new("t.yaml", text), &Config::default());
    let orders = report.findings.iter().find(|finding| {
        finding.rule.id == "DDB001" && finding.resource.as_deref() == Some("Orders")
    });
    assert!(orders.is_some_and(|finding| finding.suppressed.is_none()));
}

/// Applies the suppression action for the first active DDB001 finding and checks that the
/// finding is then suppressed, that the text is still a valid template, and returns the text.
fn suppressed_by_action(text: &str) -> String {
    let file = SourceFile::new("t", text);
    let document = ward_core::Document::new(file.clone());
    let report = document.lint(&Config::default());
    let finding = report
        .active()
        .find(|finding| finding.rule.id == "DDB001")
        .expect("a DDB001 finding");
    let template = document.template().expect("a template");
    let fix = ward_core::suppress::suppression_fix(&file, &template, finding).expect("a fix");
    let fixed = ward_core::apply_fixes(text, [&fix]).text;
    let after = lint(&SourceFile::new("t", fixed.as_str()), &Config::default());
    assert!(after.errors.is_empty(), "{:?}\n{fixed}", after.errors);
    assert!(
        !after.active().any(|finding| finding.rule.id == "DDB001"),
        "{fixed}"
    );
    fixed
}

#[test]
fn suppress_action_adds_metadata_in_block_yaml() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []\n";
    assert_eq!(
        suppressed_by_action(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []\n    Metadata:\n      ward:\n        suppress:\n          - rule: DDB001\n            reason: 'TODO explain why this finding is acceptable'\n"
    );
}

#[test]
fn suppress_action_appends_to_an_existing_list() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Metadata:\n      ward:\n        suppress:\n          - rule: DDB002\n            reason: fine\n    Properties: {}\n";
    assert_eq!(
        suppressed_by_action(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Metadata:\n      ward:\n        suppress:\n          - rule: DDB002\n            reason: fine\n          - rule: DDB001\n            reason: 'TODO explain why this finding is acceptable'\n    Properties: {}\n"
    );
}

#[test]
fn suppress_action_keeps_json() {
    let text = "{\n  \"Resources\": {\n    \"Orders\": {\n      \"Type\": \"AWS::DynamoDB::Table\",\n      \"Metadata\": {\"cfn_nag\": {}},\n      \"Properties\": {}\n    }\n  }\n}\n";
    let fixed = suppressed_by_action(text);
    assert!(
        fixed.contains("\"Metadata\": {\"cfn_nag\": {}, \"ward\": {\"suppress\": [{\"rule\": \"DDB001\", \"reason\": \"TODO explain why this finding is acceptable\"}]}}"),
        "{fixed}"
    );
}

#[test]
fn suppress_action_keeps_flow_yaml() {
    let text = "Resources:\n  Orders: {Type: AWS::DynamoDB::Table, Properties: {}}\n";
    assert_eq!(
        suppressed_by_action(text),
        "Resources:\n  Orders: {Type: AWS::DynamoDB::Table, Properties: {}, Metadata: {ward: {suppress: [{rule: DDB001, reason: 'TODO explain why this finding is acceptable'}]}}}\n"
    );
}
