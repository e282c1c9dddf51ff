//! Native tests of the DTO conversion: what the browser receives, without a browser.

use serde_json::{Value, json};
use ward_core::{SourceFile, apply_fixes as core_apply_fixes};

use super::*;

const INCIDENT: &str = include_str!("../../../examples/dynamodb-incident.yaml");

/// A template with non-ASCII text before its findings: é (2 bytes, 1 UTF-16 unit) and 😀
/// (4 bytes, 2 units).
const UNICODE: &str = "AWSTemplateFormatVersion: \"2010-09-09\"
Description: Café orders 😀 table
Resources:
  Orders😀Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: café-😀
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: false
";

fn options(value: Value) -> Options {
    match Options::from_value(value) {
        Ok(options) => options,
        Err(message) => panic!("options rejected: {message}"),
    }
}

fn lint_ok(text: &str, options: &Options) -> LintResult {
    match lint(text, options) {
        Ok(result) => result,
        Err(message) => panic!("lint failed: {message}"),
    }
}

fn fix_ok(text: &str, options: &Options) -> FixResult {
    match apply_fixes(text, options) {
        Ok(result) => result,
        Err(message) => panic!("applyFixes failed: {message}"),
    }
}

/// The JavaScript string index of the byte offset (what `Pos.offset` must be).
fn js_index(text: &str, byte: usize) -> u32 {
    text[..byte].encode_utf16().count() as u32
}

/// Applies UTF-16 edits (all referring to the original text) to the text as JavaScript holds
/// it, the way CodeMirror applies one `changes` array.
fn apply_utf16(text: &str, edits: &[EditDto]) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|edit| (edit.from, edit.to));
    let mut out: Vec<u16> = Vec::new();
    let mut cursor = 0usize;
    for edit in &sorted {
        assert!(edit.from as usize >= cursor, "edits overlap: {edits:?}");
        assert!(edit.to >= edit.from && edit.to as usize <= units.len());
        out.extend_from_slice(&units[cursor..edit.from as usize]);
        out.extend(edit.insert.encode_utf16());
        cursor = edit.to as usize;
    }
    out.extend_from_slice(&units[cursor..]);
    String::from_utf16(&out).unwrap_or_else(|error| panic!("edits split a surrogate pair: {error}"))
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

// ---------------------------------------------------------------------------------------------
// Positions

#[test]
fn positions_agree_with_core_and_javascript_at_every_offset() {
    let long_line = format!("a: \"{}😀{}é\"\nb: 1\n", "x".repeat(700), "y".repeat(1200));
    let texts = [
        String::new(),
        "a: 1\nb: 2\n".to_string(),
        "a: é\nb: 😀x\n".to_string(),
        "a: é\r\nb: 😀x\r\n\r\nc: 3".to_string(),
        "\u{feff}a: 1\nb: 😀\n".to_string(),
        "\u{feff}a: 1\r\nb: 2\r\n".to_string(),
        long_line,
        UNICODE.to_string(),
        crlf(UNICODE),
    ];
    for text in &texts {
        let file = SourceFile::new("t", text.as_str());
        let positions = Positions::new(text);
        for byte in 0..=text.len() + 3 {
            let pos = positions.pos(byte as u32);
            let core = file.position(byte as u32);
            assert_eq!(
                (pos.line, pos.column),
                (core.line, core.column),
                "line/column of byte {byte} in {text:?}"
            );
            assert_eq!(
                pos.offset,
                js_index(text, core.offset as usize),
                "UTF-16 offset of byte {byte} in {text:?}"
            );
        }
    }
}

#[test]
fn a_bom_counts_as_one_utf16_unit_and_one_column() {
    let positions = Positions::new("\u{feff}ab\n😀c");
    assert_eq!(
        positions.pos(3),
        Pos {
            offset: 1,
            line: 1,
            column: 2
        }
    );
    assert_eq!(
        positions.pos(4),
        Pos {
            offset: 2,
            line: 1,
            column: 3
        }
    );
    // After the line end: line 2, then 😀 is 2 UTF-16 units but one column.
    assert_eq!(
        positions.pos(6),
        Pos {
            offset: 4,
            line: 2,
            column: 1
        }
    );
    assert_eq!(
        positions.pos(10),
        Pos {
            offset: 6,
            line: 2,
            column: 2
        }
    );
    // Inside 😀: moved back to its start.
    assert_eq!(
        positions.pos(8),
        Pos {
            offset: 4,
            line: 2,
            column: 1
        }
    );
    // Past the end: the end.
    assert_eq!(
        positions.pos(99),
        Pos {
            offset: 7,
            line: 2,
            column: 3
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Lint

#[test]
fn incident_template_reports_ddb001_with_utf16_offsets() {
    let result = lint_ok(INCIDENT, &Options::default());
    assert!(result.is_template);
    assert!(result.errors.is_empty());
    assert_eq!(result.config_error, None);
    assert_eq!(result.suppressed, 1, "AuditTable's DDB002 is suppressed");
    let ids: Vec<(&str, Option<&str>)> = result
        .findings
        .iter()
        .map(|finding| (finding.rule, finding.resource.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("DDB002", Some("OrdersTable")),
            ("DDB001", Some("OrdersTable")),
            ("DDB001", Some("CustomersTable")),
            ("DDB002", Some("CustomersTable")),
        ]
    );
    let orders = &result.findings[1];
    let at = INCIDENT
        .find("true, false]")
        .map(|index| index + 6)
        .unwrap_or_default();
    assert_eq!(
        orders.start,
        Pos {
            offset: at as u32,
            line: 29,
            column: 40
        }
    );
    assert_eq!(orders.end.offset, at as u32 + 5);
    assert_eq!(orders.severity, "warning");
    assert_eq!(orders.category, "encryption-at-rest");
    assert!(orders.message.contains("when condition IsProd is false"));
    assert!(
        !orders.related.is_empty(),
        "the parameter default is a related place"
    );
    assert_eq!(
        orders.fix.as_ref().map(|fix| fix.applicability),
        Some("unsafe")
    );
    let customers = &result.findings[2];
    assert_eq!(
        customers.fix.as_ref().map(|fix| fix.applicability),
        Some("safe")
    );
    assert_eq!((customers.start.line, customers.start.column), (33, 5));
}

#[test]
fn findings_after_non_ascii_text_have_javascript_offsets() {
    for text in [
        UNICODE.to_string(),
        crlf(UNICODE),
        format!("\u{feff}{UNICODE}"),
    ] {
        let result = lint_ok(&text, &Options::default());
        let ddb001 = result
            .findings
            .iter()
            .find(|finding| finding.rule == "DDB001")
            .unwrap_or_else(|| panic!("no DDB001 in {result:?}"));
        assert_eq!(ddb001.resource.as_deref(), Some("Orders😀Table"));
        let byte = text.find("false").unwrap_or_default();
        assert_eq!(ddb001.start.offset, js_index(&text, byte));
        assert_eq!(ddb001.end.offset, js_index(&text, byte) + 5);
        let line = text[..byte].matches('\n').count() as u32 + 1;
        assert_eq!((ddb001.start.line, ddb001.start.column), (line, 21));
        // The UTF-16 offset is 2 units past the byte-less count of characters because of 😀 …
        let chars = text[..byte].chars().count() as u32;
        let astral = text[..byte].matches('😀').count() as u32;
        assert_eq!(ddb001.start.offset, chars + astral);
    }
}

#[test]
fn every_fix_and_suppression_applied_in_utf16_gives_cores_text() {
    for text in [
        INCIDENT.to_string(),
        UNICODE.to_string(),
        crlf(UNICODE),
        format!("\u{feff}{}", crlf(UNICODE)),
    ] {
        let result = lint_ok(&text, &Options::default());
        let document = Document::new(SourceFile::new("t", text.as_str()));
        let report = document.lint(&Config::default());
        let template = document.template();
        let active: Vec<&Finding> = report.active().collect();
        assert_eq!(active.len(), result.findings.len());
        let mut checked = 0;
        for (finding, dto) in active.iter().zip(&result.findings) {
            if let (Some(fix), Some(fix_dto)) = (&finding.fix, &dto.fix) {
                let expected = core_apply_fixes(&text, [fix]).text;
                assert_eq!(
                    apply_utf16(&text, &fix_dto.edits),
                    expected,
                    "{}",
                    fix.title
                );
                checked += 1;
            }
            let core_suppress = template
                .as_ref()
                .and_then(|template| suppression_fix(document.source(), template, finding));
            let (Some(fix), Some(fix_dto)) = (core_suppress, &dto.suppress) else {
                panic!("no suppression fix for {} on {:?}", dto.rule, dto.resource);
            };
            assert_eq!(fix_dto.applicability, "unsafe");
            assert_eq!(
                fix_dto.title,
                format!(
                    "Suppress {} for {}",
                    dto.rule,
                    dto.resource.as_deref().unwrap_or_default()
                )
            );
            let expected = core_apply_fixes(&text, [&fix]).text;
            assert_eq!(
                apply_utf16(&text, &fix_dto.edits),
                expected,
                "{}",
                fix.title
            );
        }
        assert!(checked > 0, "no fix checked in {text:?}");
    }
}

#[test]
fn applying_the_suppression_silences_the_finding() {
    let result = lint_ok(UNICODE, &Options::default());
    let before = result.findings.len();
    let ddb001 = result
        .findings
        .iter()
        .find(|finding| finding.rule == "DDB001");
    let suppress = ddb001.and_then(|finding| finding.suppress.as_ref());
    let Some(suppress) = suppress else {
        panic!("no suppression for DDB001: {result:?}")
    };
    let text = apply_utf16(UNICODE, &suppress.edits);
    let after = lint_ok(&text, &Options::default());
    assert!(after.errors.is_empty(), "{:?}", after.errors);
    assert_eq!(after.findings.len(), before - 1);
    assert_eq!(after.suppressed, result.suppressed + 1);
    assert!(
        after
            .findings
            .iter()
            .all(|finding| finding.rule != "DDB001")
    );
}

#[test]
fn non_templates_and_empty_text_are_not_templates() {
    for text in [
        "",
        "   \n",
        "name: app\nversion: 3\n",
        "{\"name\": \"app\"}",
        "[1, 2]",
    ] {
        let result = lint_ok(text, &Options::default());
        assert!(!result.is_template, "{text:?}");
        assert!(result.findings.is_empty(), "{text:?}");
        assert!(result.errors.is_empty(), "{text:?}: {:?}", result.errors);
    }
}

#[test]
fn syntax_errors_have_positions() {
    let text = "Resources:\n  A: [1, 2\n  B: é\n";
    let result = lint_ok(text, &Options::default());
    assert!(result.is_template);
    assert!(result.findings.is_empty());
    let error = result.errors.first().unwrap_or_else(|| panic!("no error"));
    assert!(error.fatal);
    assert!(error.start.line >= 2, "{error:?}");
    assert!(error.start.offset as usize <= text.encode_utf16().count());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for text in ["[".repeat(200_000), "{\"a\":".repeat(100_000)] {
        let result = lint_ok(&text, &Options::default());
        assert!(
            !result.errors.is_empty(),
            "no error for {} bytes",
            text.len()
        );
        assert!(result.findings.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Fixes

#[test]
fn apply_fixes_safe_by_default_and_all_on_request() {
    let safe = fix_ok(INCIDENT, &Options::default());
    assert_eq!(safe.applied, 1, "{}", safe.text);
    assert!(!safe.rejected);
    let after = lint_ok(&safe.text, &Options::default());
    let ddb001: Vec<_> = after
        .findings
        .iter()
        .filter(|finding| finding.rule == "DDB001")
        .map(|finding| finding.resource.as_deref())
        .collect();
    assert_eq!(ddb001, [Some("OrdersTable")], "the unsafe fix is left");
    assert_eq!(safe, fix_ok(INCIDENT, &options(json!({"which": "safe"}))));

    let all = fix_ok(INCIDENT, &options(json!({"which": "all"})));
    assert!(all.applied >= 2);
    let after = lint_ok(&all.text, &Options::default());
    assert!(
        after
            .findings
            .iter()
            .all(|finding| finding.rule != "DDB001")
    );

    // The same as core's fix_all, on non-ASCII text with CRLF line ends.
    let text = format!("\u{feff}{}", crlf(UNICODE));
    let fixed = fix_ok(&text, &options(json!({"which": "all"})));
    let file = SourceFile::new("t", text.as_str());
    let report = ward_core::lint(&file, &Config::default());
    let core = ward_core::fix_all(&file, report, &Config::default(), true);
    assert_eq!(fixed.text, core.source.text());
    assert!(fixed.text.contains("\r\n") && !fixed.text.replace("\r\n", "").contains('\n'));
}

#[test]
fn apply_fixes_leaves_broken_and_non_templates_alone() {
    for text in ["", "name: app\n", "Resources:\n  A: [1\n"] {
        let result = fix_ok(text, &options(json!({"which": "all"})));
        assert_eq!(
            (result.text.as_str(), result.applied, result.rejected),
            (text, 0, false)
        );
    }
}

#[test]
fn apply_fixes_respects_the_selected_rules() {
    let result = fix_ok(
        INCIDENT,
        &options(json!({"ignore": ["DDB001"], "which": "all"})),
    );
    assert_eq!(result.text, INCIDENT);
    assert_eq!(result.applied, 0);
}

// ---------------------------------------------------------------------------------------------
// Options

#[test]
fn options_absent_or_null_are_the_defaults() {
    assert_eq!(options(Value::Null), Options::default());
    assert_eq!(options(json!({})), Options::default());
    let nulls = json!({"config": null, "select": null, "ignore": null, "severity": null,
        "parameters": null, "conditions": null, "which": null});
    assert_eq!(options(nulls), Options::default());
}

#[test]
fn options_with_wrong_types_are_errors_that_name_the_field() {
    let cases = [
        (
            json!("DDB001"),
            "expected an options object, found a string",
        ),
        (json!(true), "expected an options object, found a boolean"),
        (json!([]), "expected an options object, found an array"),
        (
            json!({"select": "DDB001"}),
            "`select`: invalid type: string",
        ),
        (
            json!({"select": [1]}),
            "`select[0]`: invalid type: integer `1`",
        ),
        (
            json!({"severity": {"DDB001": "fatal"}}),
            "`severity.DDB001`: unknown variant `fatal`",
        ),
        (
            json!({"conditions": {"IsProd": "yes"}}),
            "`conditions.IsProd`: invalid type: string",
        ),
        (json!({"config": 3}), "`config`: invalid type: integer `3`"),
        (
            json!({"which": "unsafe"}),
            "`which`: unknown variant `unsafe`",
        ),
        (json!({"paramters": {}}), "unknown field `paramters`"),
        (
            json!({"parameters": {"Env": {"a": 1}}}),
            "`parameters.Env`: invalid type: map, expected a string, number, boolean or a list of those",
        ),
        (
            json!({"parameters": {"Env": ["a", ["b"]]}}),
            "`parameters.Env[1]`: invalid type: sequence, expected a string, number or boolean",
        ),
    ];
    for (value, expected) in cases {
        match Options::from_value(value.clone()) {
            Ok(options) => panic!("{value} was accepted as {options:?}"),
            Err(message) => {
                assert!(message.starts_with("invalid options: "), "{message}");
                assert!(message.contains(expected), "{value}: {message}");
            }
        }
    }
}

#[test]
fn unknown_rules_in_options_are_errors() {
    let cases = [
        (
            json!({"select": ["DDB999"]}),
            "`select`: `DDB999` is neither a Ward rule id nor a category",
        ),
        (json!({"ignore": ["nope"]}), "`ignore`: `nope` is neither"),
        (
            json!({"severity": {"nope": "info"}}),
            "`severity`: `nope` is neither",
        ),
    ];
    for (value, expected) in cases {
        let result = options(value.clone()).resolve();
        match result {
            Ok(_) => panic!("{value} was accepted"),
            Err(message) => assert!(message.contains(expected), "{value}: {message}"),
        }
        assert!(lint(INCIDENT, &options(value.clone())).is_err());
        assert!(apply_fixes(INCIDENT, &options(value)).is_err());
    }
}

#[test]
fn options_accept_ids_names_categories_in_any_case() {
    let value = json!({"select": [" ddb001 ", "DynamoDB-Table-KMS-Encryption", "Encryption-At-Rest"],
        "severity": {"ddb001": "info", "logging": "error"}});
    let opts = options(value);
    let (config, error) = opts.resolve().unwrap_or_else(|message| panic!("{message}"));
    assert_eq!(error, None);
    assert_eq!(
        config.select,
        [
            "ddb001",
            "DynamoDB-Table-KMS-Encryption",
            "Encryption-At-Rest"
        ]
    );
    let result = lint_ok(INCIDENT, &opts);
    assert!(
        result
            .findings
            .iter()
            .filter(|finding| finding.rule == "DDB001")
            .all(|finding| finding.severity == "info")
    );
}

#[test]
fn parameters_are_text_as_cloudformation_receives_it() {
    let opts = options(
        json!({"parameters": {"A": "prod", "B": 5, "C": 2.5, "D": true, "E": ["a", 1, false]}}),
    );
    let (config, _) = opts.resolve().unwrap_or_else(|message| panic!("{message}"));
    let texts: Vec<(&str, &str)> = config
        .parameters
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("A", "prod"),
            ("B", "5"),
            ("C", "2.5"),
            ("D", "true"),
            ("E", "a,1,false")
        ]
    );
    // JavaScript numbers arrive as doubles.
    let (config, _) = options(json!({"parameters": {"B": 5.0}}))
        .resolve()
        .unwrap_or_else(|message| panic!("{message}"));
    assert_eq!(config.parameters.get("B").map(String::as_str), Some("5"));
}

#[test]
fn null_parameters_and_conditions_are_unset() {
    let opts = options(json!({
        "config": "[parameters]\nEnvironment = \"prod\"\n[conditions]\nIsProd = true\n",
        "parameters": {"Environment": null, "Other": null},
        "conditions": {"IsProd": null},
    }));
    let (config, _) = opts.resolve().unwrap_or_else(|message| panic!("{message}"));
    // A null field does not override the text's value either: it adds nothing.
    assert_eq!(config.parameters.len(), 1);
    assert_eq!(config.conditions.get("IsProd"), Some(&true));
    let (config, _) = options(json!({"parameters": {"A": null}, "conditions": {"B": null}}))
        .resolve()
        .unwrap_or_else(|message| panic!("{message}"));
    assert_eq!(config, Config::default());
}

#[test]
fn parameters_and_conditions_change_the_findings() {
    let orders_ddb001 = |result: &LintResult| {
        result.findings.iter().any(|finding| {
            finding.rule == "DDB001" && finding.resource.as_deref() == Some("OrdersTable")
        })
    };
    assert!(orders_ddb001(&lint_ok(INCIDENT, &Options::default())));
    let prod = options(json!({"parameters": {"Environment": "prod"}}));
    assert!(!orders_ddb001(&lint_ok(INCIDENT, &prod)));
    let is_prod = options(json!({"conditions": {"IsProd": true}}));
    assert!(!orders_ddb001(&lint_ok(INCIDENT, &is_prod)));
}

#[test]
fn options_layer_over_the_config_text_fields_win_and_lists_extend() {
    let toml = "ignore = [\"DDB002\"]\n[parameters]\nEnvironment = \"dev\"\n[conditions]\nIsProd = false\n[severity]\nDDB001 = \"info\"\n";
    let opts = options(json!({
        "config": toml,
        "ignore": ["S3001"],
        "parameters": {"Environment": "prod"},
        "severity": {"DDB001": "warning"},
    }));
    let (config, error) = opts.resolve().unwrap_or_else(|message| panic!("{message}"));
    assert_eq!(error, None);
    assert_eq!(config.ignore, ["DDB002", "S3001"], "lists extend");
    assert_eq!(
        config.parameters.get("Environment").map(String::as_str),
        Some("prod")
    );
    assert_eq!(
        config.conditions.get("IsProd"),
        Some(&false),
        "kept from the text"
    );
    assert_eq!(
        config.severity.get("DDB001"),
        Some(&Severity::Warning),
        "fields win"
    );

    let result = lint_ok(INCIDENT, &opts);
    let rules: Vec<(&str, &str)> = result
        .findings
        .iter()
        .map(|finding| (finding.rule, finding.severity))
        .collect();
    // IsProd = false from the text decides the condition; DDB002 is ignored by the text.
    assert_eq!(rules, [("DDB001", "warning"), ("DDB001", "warning")]);
}

#[test]
fn a_bad_config_text_is_reported_with_its_place_and_the_defaults_are_used() {
    // (ward.toml text, message, 1-based line and column)
    type Case = (&'static str, &'static str, Option<(u32, u32)>);
    let cases: [Case; 4] = [
        ("select = [\n", "unclosed array", Some((1, 11))),
        (
            "# é😀\nseverity = { DDB001 = \"fatal\" }\n",
            "unknown variant `fatal`",
            Some((2, 23)),
        ),
        ("selct = []\n", "unknown field `selct`", Some((1, 1))),
        (
            "ignore = [\"DDB999\"]\n",
            "`DDB999` is neither a Ward rule id nor a category",
            None,
        ),
    ];
    for (toml, message, place) in cases {
        let opts = options(json!({"config": toml, "ignore": ["DDB002"]}));
        let result = lint_ok(INCIDENT, &opts);
        let Some(error) = &result.config_error else {
            panic!("no configError for {toml:?}");
        };
        assert!(error.message.contains(message), "{toml:?}: {error:?}");
        assert_eq!(error.line.zip(error.column), place, "{toml:?}: {error:?}");
        // The defaults for the text, the fields still apply.
        let rules: Vec<&str> = result.findings.iter().map(|finding| finding.rule).collect();
        assert_eq!(rules, ["DDB001", "DDB001"], "{toml:?}");
        // applyFixes uses the same configuration.
        assert_eq!(fix_ok(INCIDENT, &opts).applied, 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Rules

#[test]
fn rules_list_every_rule_with_its_docs() {
    let rules = rules();
    assert_eq!(rules.len(), ward_core::rules::all().len());
    assert_eq!(rules.len(), 53);
    let ddb001 = rules
        .iter()
        .find(|rule| rule.id == "DDB001")
        .unwrap_or_else(|| panic!("no DDB001"));
    assert_eq!(ddb001.category, "encryption-at-rest");
    assert!(ddb001.resource_types.contains(&"AWS::DynamoDB::Table"));
    assert!(ddb001.docs.starts_with("# DDB001 "));
    assert!(
        rules
            .iter()
            .all(|rule| !rule.docs.is_empty() && !rule.title.is_empty())
    );
    assert!(rules.iter().any(|rule| rule.fix == Some("safe")));
    assert!(rules.iter().any(|rule| rule.fix.is_none()));
}

#[test]
fn explain_finds_rules_by_id_or_name_in_any_case() {
    let docs = explain("DDB001").unwrap_or_default();
    assert!(docs.contains("DDB001"));
    let name = ward_core::rules::all()
        .iter()
        .find(|rule| rule.meta.id == "DDB001")
        .map(|rule| rule.meta.name)
        .unwrap_or_default();
    assert_eq!(explain(" ddb001 ").as_deref(), Some(docs.as_str()));
    assert_eq!(
        explain(&name.to_uppercase()).as_deref(),
        Some(docs.as_str())
    );
    assert_eq!(explain("DDB999"), None);
    assert_eq!(explain(""), None);
}

// ---------------------------------------------------------------------------------------------
// The shape JavaScript receives

#[test]
fn results_serialize_with_the_contracts_field_names() {
    let result = lint_ok(INCIDENT, &options(json!({"config": "select = ["})));
    let value = serde_json::to_value(&result).unwrap_or_default();
    let keys = |value: &Value| -> Vec<String> {
        let mut keys: Vec<String> = value
            .as_object()
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    let mut top = keys(&value);
    top.sort();
    assert_eq!(
        top,
        [
            "configError",
            "errors",
            "findings",
            "isTemplate",
            "suppressed"
        ]
    );
    let finding = &value["findings"][2];
    let mut fields = keys(finding);
    fields.sort();
    assert_eq!(
        fields,
        [
            "category", "end", "fix", "message", "property", "related", "resource", "rule",
            "severity", "start", "suppress", "title"
        ]
    );
    assert_eq!(keys(&finding["start"]), ["column", "line", "offset"]);
    assert_eq!(keys(&finding["fix"]["edits"][0]), ["from", "insert", "to"]);
    assert_eq!(finding["fix"]["applicability"], "safe");
    assert_eq!(value["findings"][0]["fix"], Value::Null);
    assert_eq!(keys(&value["configError"]), ["column", "line", "message"]);

    let rule = serde_json::to_value(&rules()[0]).unwrap_or_default();
    let mut fields = keys(&rule);
    fields.sort();
    assert_eq!(
        fields,
        [
            "category",
            "docs",
            "fix",
            "id",
            "name",
            "references",
            "resourceTypes",
            "severity",
            "title"
        ]
    );
    assert_eq!(
        keys(&rule["references"]),
        ["awsConfig", "cfnNag", "checkov"]
    );

    let fixed = serde_json::to_value(fix_ok("", &Options::default())).unwrap_or_default();
    assert_eq!(fixed, json!({"text": "", "applied": 0, "rejected": false}));
}

#[test]
fn options_are_read_with_bounded_depth() {
    let read = |value: &Value| bounded_value(value.clone()).map_err(|error| error.to_string());
    let ok = json!({"parameters": {"P": ["a", 1, true, null]}, "select": ["DDB001"]});
    assert_eq!(read(&ok), Ok(ok.clone()));
    let mut deep = json!(1);
    for _ in 0..MAX_OPTIONS_DEPTH {
        deep = json!([deep]);
    }
    assert_eq!(read(&deep), Ok(deep.clone()));
    let too_deep = json!({ "select": deep });
    let error = read(&too_deep).err().unwrap_or_default();
    assert!(error.contains("nest more than 8 levels"), "{error}");
}
