//! Fixes keep the file's style: block YAML, flow YAML and JSON, indentation and line ends.

use ward_core::{Config, SourceFile, fix_all, lint};

fn fixed(text: &str) -> String {
    let file = SourceFile::new("t", text);
    let config = Config::default();
    let fixed = fix_all(&file, lint(&file, &config), &config, false);
    assert!(!fixed.rejected, "{}", fixed.source.text());
    let after = lint(&fixed.source, &config);
    assert!(
        after.errors.is_empty(),
        "{:?}\n{}",
        after.errors,
        fixed.source.text()
    );
    assert!(
        !after.active().any(|finding| finding.rule.id == "DDB001"),
        "{}",
        fixed.source.text()
    );
    fixed.source.text().to_string()
}

#[test]
fn block_yaml_gets_a_nested_block_at_the_same_indentation() {
    let text = "Resources:\n    Orders:\n        Type: AWS::DynamoDB::Table\n        Properties:\n            KeySchema: []   # keys\n        Metadata: {}\n";
    assert_eq!(
        fixed(text),
        "Resources:\n    Orders:\n        Type: AWS::DynamoDB::Table\n        Properties:\n            KeySchema: []   # keys\n            SSESpecification:\n                SSEEnabled: true\n        Metadata: {}\n"
    );
}

#[test]
fn missing_properties_are_added() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n";
    assert_eq!(
        fixed(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n"
    );
}

#[test]
fn false_is_replaced_in_place() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: false # off\n";
    assert_eq!(
        fixed(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true # off\n"
    );
}

#[test]
fn flow_yaml_stays_flow() {
    let text = "Resources:\n  Orders: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: []}}\n";
    assert_eq!(
        fixed(text),
        "Resources:\n  Orders: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [], SSESpecification: {SSEEnabled: true}}}\n"
    );
}

#[test]
fn json_gets_commas_and_indentation() {
    let text = "{\n  \"Resources\": {\n    \"Orders\": {\n      \"Type\": \"AWS::DynamoDB::Table\",\n      \"Properties\": {\n        \"KeySchema\": []\n      }\n    }\n  }\n}\n";
    assert_eq!(
        fixed(text),
        "{\n  \"Resources\": {\n    \"Orders\": {\n      \"Type\": \"AWS::DynamoDB::Table\",\n      \"Properties\": {\n        \"KeySchema\": [],\n        \"SSESpecification\": {\n          \"SSEEnabled\": true\n        }\n      }\n    }\n  }\n}\n"
    );
}

#[test]
fn json_empty_properties() {
    let text =
        "{\"Resources\": {\"Orders\": {\"Type\": \"AWS::DynamoDB::Table\", \"Properties\": {}}}}";
    assert_eq!(
        fixed(text),
        "{\"Resources\": {\"Orders\": {\"Type\": \"AWS::DynamoDB::Table\", \"Properties\": {\"SSESpecification\": {\"SSEEnabled\": true}}}}}"
    );
}

#[test]
fn crlf_line_ends_are_kept() {
    let text = "Resources:\r\n  Orders:\r\n    Type: AWS::DynamoDB::Table\r\n    Properties:\r\n      KeySchema: []\r\n";
    assert_eq!(
        fixed(text),
        "Resources:\r\n  Orders:\r\n    Type: AWS::DynamoDB::Table\r\n    Properties:\r\n      KeySchema: []\r\n      SSESpecification:\r\n        SSEEnabled: true\r\n"
    );
}

#[test]
fn last_line_without_newline() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []";
    assert_eq!(
        fixed(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: []\n      SSESpecification:\n        SSEEnabled: true"
    );
}

#[test]
fn block_scalar_before_the_insertion_point() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: |\n        orders\n\n";
    let out = fixed(text);
    assert!(
        out.contains("      SSESpecification:\n        SSEEnabled: true\n"),
        "{out}"
    );
}

#[test]
fn non_ascii_text_before_the_fix() {
    let text = "Description: Données clients 😀\nResources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification: {SSEEnabled: false}\n";
    assert_eq!(
        fixed(text),
        "Description: Données clients 😀\nResources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification: {SSEEnabled: true}\n"
    );
}

#[test]
fn empty_values_are_filled_in() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n  Other:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled:";
    assert_eq!(
        fixed(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n  Other:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true"
    );
}

#[test]
fn empty_properties_are_filled_in() {
    let text = "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n";
    assert_eq!(
        fixed(text),
        "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n"
    );
}
