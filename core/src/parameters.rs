//! Parameter-value files, in the two shapes people already have:
//! CloudFormation's (`aws cloudformation create-stack --parameters file://…`)
//! `[{"ParameterKey": "K", "ParameterValue": "V"}]`, and cfn_nag's / CodePipeline's template
//! configuration `{"Parameters": {"K": "V"}}`.
//!
//! Parsing is a pure function of the text, so the CLI, the language server and the browser build
//! share it.

use std::collections::BTreeMap;

use serde_json::Value;

const SHAPES: &str = "expected CloudFormation's `[{\"ParameterKey\": \"…\", \"ParameterValue\": \
                      \"…\"}]` or `{\"Parameters\": {\"Key\": \"Value\"}}`";

/// Parameter values by name. Lists are comma-joined as CloudFormation receives them; numbers
/// and booleans are accepted as their text.
pub fn parse_parameters(text: &str) -> Result<BTreeMap<String, String>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|error| {
        format!(
            "invalid JSON at line {}, column {}: {error}",
            error.line(),
            error.column()
        )
    })?;
    match value {
        Value::Array(items) => cloudformation_list(&items),
        Value::Object(object) => match object.get("Parameters") {
            Some(Value::Object(parameters)) => parameters
                .iter()
                .map(|(key, value)| Ok((key.clone(), value_text(key, value)?)))
                .collect(),
            Some(_) => Err("`Parameters` must be an object of names to values".to_string()),
            None => Err(format!("no `Parameters` key; {SHAPES}")),
        },
        _ => Err(SHAPES.to_string()),
    }
}

fn cloudformation_list(items: &[Value]) -> Result<BTreeMap<String, String>, String> {
    let mut parameters = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        let Some(object) = item.as_object() else {
            return Err(format!("item {} is not an object; {SHAPES}", index + 1));
        };
        let Some(key) = object.get("ParameterKey").and_then(Value::as_str) else {
            return Err(format!(
                "item {} has no string `ParameterKey`; {SHAPES}",
                index + 1
            ));
        };
        match object.get("ParameterValue") {
            Some(value) => {
                parameters.insert(key.to_string(), value_text(key, value)?);
            }
            // `UsePreviousValue: true` keeps a deployed value Ward cannot know: leave it unset.
            None if object.get("UsePreviousValue") == Some(&Value::Bool(true)) => {}
            None => {
                return Err(format!("parameter `{key}` has no `ParameterValue`"));
            }
        }
    }
    Ok(parameters)
}

fn value_text(key: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Array(_) | Value::Object(_) | Value::Null => Err(format!(
                    "parameter `{key}`: list items must be strings, numbers or booleans"
                )),
                other => value_text(key, other),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|texts| texts.join(",")),
        Value::Null | Value::Object(_) => Err(format!(
            "parameter `{key}` must be a string, number, boolean or list"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudformation_shape() {
        let parsed = parse_parameters(
            r#"[{"ParameterKey": "Env", "ParameterValue": "prod"},
                {"ParameterKey": "Port", "ParameterValue": 443},
                {"ParameterKey": "Old", "UsePreviousValue": true}]"#,
        );
        assert_eq!(
            parsed,
            Ok(BTreeMap::from([
                ("Env".to_string(), "prod".to_string()),
                ("Port".to_string(), "443".to_string()),
            ]))
        );
    }

    #[test]
    fn cfn_nag_shape() {
        let parsed = parse_parameters(r#"{"Parameters": {"Subnets": ["a", "b"], "On": true}}"#);
        assert_eq!(
            parsed,
            Ok(BTreeMap::from([
                ("On".to_string(), "true".to_string()),
                ("Subnets".to_string(), "a,b".to_string()),
            ]))
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let Err(error) = parse_parameters("{\n  \"Parameters\": [1,\n") else {
            panic!("truncated JSON must fail");
        };
        assert!(error.contains("line 3"), "{error}");
        let Err(error) = parse_parameters("{\"Foo\": 1}") else {
            panic!("missing Parameters must fail");
        };
        assert!(error.contains("no `Parameters`"), "{error}");
        let Err(error) = parse_parameters("[{\"ParameterValue\": \"x\"}]") else {
            panic!("missing ParameterKey must fail");
        };
        assert!(error.contains("ParameterKey"), "{error}");
        assert!(parse_parameters("\"x\"").is_err());
    }
}
