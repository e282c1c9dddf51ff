//! The real wasm under Node: the exported functions called through wasm-bindgen, their results
//! read back from JavaScript objects.
//!
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test -p ward-wasm --target wasm32-unknown-unknown`

#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use serde_json::{Value, json};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::wasm_bindgen_test;

const INCIDENT: &str = include_str!("../../examples/dynamodb-incident.yaml");

/// A JavaScript object built from JSON, as the playground would pass it.
fn js(value: Value) -> JsValue {
    match value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        Ok(object) => object,
        Err(error) => panic!("cannot build the options object: {error}"),
    }
}

/// A JavaScript result read back as JSON.
fn json_of(value: JsValue) -> Value {
    match serde_wasm_bindgen::from_value(value) {
        Ok(json) => json,
        Err(error) => panic!("the result is not plain data: {error}"),
    }
}

fn lint(text: &str, options: Option<Value>) -> Value {
    match ward_wasm::lint(JsValue::from_str(text), options.map(js)) {
        Ok(result) => json_of(result),
        Err(error) => panic!("lint threw: {:?}", JsValue::from(error).as_string()),
    }
}

fn apply_fixes(text: &str, options: Option<Value>) -> Value {
    match ward_wasm::apply_fixes(JsValue::from_str(text), options.map(js)) {
        Ok(result) => json_of(result),
        Err(error) => panic!("applyFixes threw: {:?}", JsValue::from(error).as_string()),
    }
}

fn ddb001(result: &Value) -> Vec<&Value> {
    result["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter(|finding| finding["rule"] == "DDB001")
                .collect()
        })
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn version_is_the_crates() {
    assert_eq!(ward_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn lint_reports_ddb001_on_the_incident_template_with_utf16_offsets() {
    // A BOM and an emoji before the findings, so that bytes, characters and UTF-16 units differ.
    let text = format!("\u{feff}# 😀 é\n{INCIDENT}");
    let result = lint(&text, None);
    assert_eq!(result["isTemplate"], true);
    assert_eq!(result["errors"], json!([]));
    assert_eq!(result["configError"], Value::Null);
    assert_eq!(result["suppressed"], 1);
    let found = ddb001(&result);
    assert_eq!(found.len(), 2, "{result}");
    let orders = found[0];
    assert_eq!(orders["resource"], "OrdersTable");
    let byte = text.find("true, false]").unwrap_or_default() + "true, ".len();
    let utf16 = text[..byte].encode_utf16().count();
    assert_eq!(
        orders["start"],
        json!({"offset": utf16, "line": 30, "column": 40})
    );
    assert_eq!(orders["end"]["offset"], utf16 + 5);
    assert_eq!(orders["fix"]["applicability"], "unsafe");
    assert_eq!(
        orders["suppress"]["title"],
        "Suppress DDB001 for OrdersTable"
    );
    let customers = found[1];
    assert_eq!(customers["resource"], "CustomersTable");
    assert_eq!(customers["fix"]["applicability"], "safe");
}

#[wasm_bindgen_test]
fn apply_fixes_safe_removes_the_fixable_ddb001() {
    let fixed = apply_fixes(INCIDENT, Some(json!({"which": "safe"})));
    assert_eq!(fixed["applied"], 1, "{fixed}");
    assert_eq!(fixed["rejected"], false);
    let text = fixed["text"].as_str().unwrap_or_default();
    let after = lint(text, None);
    let left: Vec<&Value> = ddb001(&after)
        .into_iter()
        .map(|finding| &finding["resource"])
        .collect();
    assert_eq!(left, [&json!("OrdersTable")], "only the unsafe fix is left");

    let all = apply_fixes(INCIDENT, Some(json!({"which": "all"})));
    let after = lint(all["text"].as_str().unwrap_or_default(), None);
    assert!(ddb001(&after).is_empty(), "{after}");
}

#[wasm_bindgen_test]
fn options_are_read_from_javascript_objects() {
    // Parameters decide the condition; `undefined` and `null` fields are absent.
    let prod = lint(
        INCIDENT,
        Some(json!({"parameters": {"Environment": "prod"}, "select": null})),
    );
    assert_eq!(ddb001(&prod).len(), 1);
    let options = js(json!({"conditions": {"IsProd": true}}));
    assert!(reflect_set(&options, "ignore", &JsValue::UNDEFINED));
    let result = ward_wasm::lint(JsValue::from_str(INCIDENT), Some(options))
        .map(json_of)
        .unwrap_or_default();
    assert_eq!(ddb001(&result).len(), 1);
    // `null` options are the defaults.
    let result = ward_wasm::lint(JsValue::from_str(INCIDENT), Some(JsValue::NULL))
        .map(json_of)
        .unwrap_or_default();
    assert_eq!(ddb001(&result).len(), 2);
    // A bad ward.toml is reported, not thrown.
    let result = lint(INCIDENT, Some(json!({"config": "select = ["})));
    assert_eq!(result["configError"]["line"], 1);
    assert_eq!(result["configError"]["column"], 11);
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> JsValue;
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn js_reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;
}

/// `Reflect.set`, without js-sys.
fn reflect_set(target: &JsValue, key: &str, value: &JsValue) -> bool {
    js_reflect_set(target, &JsValue::from_str(key), value)
}

#[wasm_bindgen_test]
fn wrong_option_types_throw_an_error_with_a_clear_message() {
    let cases = [
        (
            json!({"severity": {"DDB001": "fatal"}}),
            "`severity.DDB001`: unknown variant `fatal`",
        ),
        (
            json!({"select": ["DDB999"]}),
            "`select`: `DDB999` is neither",
        ),
        (json!("DDB001"), "expected an options object"),
    ];
    for (value, expected) in cases {
        let Err(error) = ward_wasm::lint(JsValue::from_str(INCIDENT), Some(js(value.clone())))
        else {
            panic!("{value} did not throw");
        };
        let error = JsValue::from(error);
        let message = error_message(&error);
        assert!(message.contains(expected), "{value}: {message}");
        assert!(message.starts_with("Error: invalid options: "), "{message}");
    }
}

/// `String(error)`: "Error: message".
fn error_message(error: &JsValue) -> String {
    js_string(error)
}

#[wasm_bindgen_test]
fn rules_lists_53_rules_and_explain_gives_markdown() {
    let rules = match ward_wasm::rules() {
        Ok(rules) => json_of(rules),
        Err(_) => panic!("rules threw"),
    };
    let rules = rules.as_array().cloned().unwrap_or_default();
    assert_eq!(rules.len(), 53);
    let ddb001 = rules
        .iter()
        .find(|rule| rule["id"] == "DDB001")
        .cloned()
        .unwrap_or_default();
    assert_eq!(ddb001["category"], "encryption-at-rest");
    assert!(ddb001["references"]["cfnNag"].is_array());
    assert!(ddb001["resourceTypes"].is_array());

    let explain = |id: &str| match ward_wasm::explain(JsValue::from_str(id)) {
        Ok(docs) => docs,
        Err(_) => panic!("explain({id}) threw"),
    };
    let docs = explain("DDB001").as_string().unwrap_or_default();
    assert!(docs.contains("DDB001"), "{docs}");
    assert_eq!(explain("ddb001").as_string(), Some(docs));
    assert!(explain("DDB999").is_null());
}

#[wasm_bindgen_test]
fn deep_nesting_returns_an_error_on_the_default_stack() {
    for text in ["[".repeat(200_000), "{\"a\":".repeat(100_000)] {
        let result = lint(&text, None);
        let errors = result["errors"].as_array().cloned().unwrap_or_default();
        assert!(!errors.is_empty(), "no error for {} bytes", text.len());
        assert_eq!(result["findings"], json!([]));
        let fixed = apply_fixes(&text, Some(json!({"which": "all"})));
        assert_eq!(fixed["applied"], 0);
    }
}

#[wasm_bindgen_test]
fn text_that_is_not_a_string_throws_instead_of_trapping() {
    let object = js(json!({"text": "Resources: {}"}));
    for value in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(3.0),
        object,
    ] {
        let Err(error) = ward_wasm::lint(value.clone(), None) else {
            panic!("lint accepted {value:?}");
        };
        let message = error_message(&JsValue::from(error));
        assert!(
            message.contains("the template must be a string"),
            "{message}"
        );
        assert!(ward_wasm::apply_fixes(value.clone(), None).is_err());
        assert!(ward_wasm::explain(value).is_err());
    }
    // The module still works afterwards.
    assert_eq!(ddb001(&lint(INCIDENT, None)).len(), 2);
}

#[wasm_bindgen_test]
fn deep_and_cyclic_options_are_errors_not_crashes() {
    let depth = 100_000;
    let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    for field in ["parameters\": {\"Env", "select", "conditions\": {\"IsProd"] {
        let close = if field.contains('{') { "}" } else { "" };
        let options = json_parse(&format!("{{\"{field}\": {deep}{close}}}"));
        assert!(!options.is_undefined());
        let Err(error) = ward_wasm::lint(JsValue::from_str(INCIDENT), Some(options)) else {
            panic!("deep `{field}` was accepted");
        };
        let message = error_message(&JsValue::from(error));
        assert!(
            message.contains("invalid options: the options nest more than 8 levels deep"),
            "{message}"
        );
    }
    // {parameters: p} where p.Env = p.
    let parameters = json_parse("{}");
    assert!(reflect_set(&parameters, "Env", &parameters));
    let options = json_parse("{}");
    assert!(reflect_set(&options, "parameters", &parameters));
    let Err(error) = ward_wasm::lint(JsValue::from_str(INCIDENT), Some(options)) else {
        panic!("a cyclic object was accepted");
    };
    let message = error_message(&JsValue::from(error));
    assert!(
        message.contains("nest more than 8 levels deep"),
        "{message}"
    );
    // Wrong types inside arrays are described without recursing over them.
    let options = json_parse(r#"{"select": [[[["DDB001"]]]]}"#);
    let Err(error) = ward_wasm::lint(JsValue::from_str(INCIDENT), Some(options)) else {
        panic!("an array of arrays was accepted as `select`");
    };
    let message = error_message(&JsValue::from(error));
    assert!(
        message.contains("`select[0]`: invalid type: sequence, expected a string"),
        "{message}"
    );
}
