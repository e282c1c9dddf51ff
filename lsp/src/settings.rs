//! Client settings under the `ward` section, read leniently: a bad entry is dropped with a
//! message and the rest still applies, because a typo in an editor's settings should not turn
//! the linter off.
//!
//! ```json
//! {"enable": true,
//!  "rules": {"select": ["encryption-at-rest"], "ignore": ["IAM001"]},
//!  "severity": {"DDB001": "error", "logging": "info"},
//!  "parameters": {"Environment": "prod"},
//!  "conditions": {"IsProd": true},
//!  "docsBaseUrl": "https://example.com/rules"}
//! ```

use std::str::FromStr;

use serde_json::{Map, Value};
use ward_core::{Config, Severity};

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `false` clears and stops diagnostics (navigation keeps working).
    pub enable: bool,
    /// Layered over `ward.toml`: client settings win, lists extend.
    pub config: Config,
    /// Diagnostics link to `<docs_base_url>/<RULE_ID>`.
    pub docs_base_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enable: true,
            config: Config::default(),
            docs_base_url: None,
        }
    }
}

impl Settings {
    /// Reads the `ward` section (or an object holding it under `ward`, as
    /// `didChangeConfiguration` and some clients' `initializationOptions` send it). Returns the
    /// settings and what was wrong with them. `null` gives the defaults.
    pub fn from_value(value: &Value) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        let section = match value {
            Value::Object(object) => match object.get("ward") {
                Some(Value::Object(inner)) => inner,
                _ => object,
            },
            Value::Null => return (settings, problems),
            other => {
                problems.push(format!("expected an object, found {}", kind(other)));
                return (settings, problems);
            }
        };
        for (key, value) in section {
            match key.as_str() {
                "enable" => match value {
                    Value::Bool(flag) => settings.enable = *flag,
                    other => {
                        problems.push(format!("`enable` must be a boolean, not {}", kind(other)))
                    }
                },
                "rules" => read_rules(value, &mut settings.config, &mut problems),
                "select" | "ignore" => {
                    // Accepted at the top level too: that is where `ward.toml` has them.
                    let mut wrapper = Map::new();
                    wrapper.insert(key.clone(), value.clone());
                    read_rules(&Value::Object(wrapper), &mut settings.config, &mut problems);
                }
                "severity" => read_severity(value, &mut settings.config, &mut problems),
                "parameters" => read_parameters(value, &mut settings.config, &mut problems),
                "conditions" => read_conditions(value, &mut settings.config, &mut problems),
                "docsBaseUrl" => match value {
                    Value::String(url) if url.trim().is_empty() => {}
                    Value::String(url) => {
                        settings.docs_base_url = Some(url.trim().trim_end_matches('/').to_string())
                    }
                    Value::Null => {}
                    other => problems.push(format!(
                        "`docsBaseUrl` must be a string, not {}",
                        kind(other)
                    )),
                },
                // Other keys belong to the editor extension (trace level, server path …).
                _ => {}
            }
        }
        (settings, problems)
    }
}

fn read_rules(value: &Value, config: &mut Config, problems: &mut Vec<String>) {
    let Value::Object(rules) = value else {
        if !value.is_null() {
            problems.push(format!("`rules` must be an object, not {}", kind(value)));
        }
        return;
    };
    for (key, list) in rules {
        let target = match key.as_str() {
            "select" => &mut config.select,
            "ignore" => &mut config.ignore,
            other => {
                problems.push(format!(
                    "unknown key `rules.{other}` (expected select or ignore)"
                ));
                continue;
            }
        };
        let names: Vec<&Value> = match list {
            Value::Array(items) => items.iter().collect(),
            Value::String(_) => vec![list],
            Value::Null => Vec::new(),
            other => {
                problems.push(format!("`rules.{key}` must be a list, not {}", kind(other)));
                continue;
            }
        };
        for name in names {
            match name.as_str().map(str::trim) {
                Some(name) if is_known(name) => target.push(name.to_string()),
                Some(name) => problems.push(format!(
                    "`rules.{key}`: `{name}` is neither a Ward rule id nor a category"
                )),
                None => problems.push(format!("`rules.{key}` must list strings")),
            }
        }
    }
}

fn read_severity(value: &Value, config: &mut Config, problems: &mut Vec<String>) {
    let Value::Object(map) = value else {
        if !value.is_null() {
            problems.push(format!("`severity` must be an object, not {}", kind(value)));
        }
        return;
    };
    for (name, level) in map {
        if !is_known(name) {
            problems.push(format!(
                "`severity`: `{name}` is neither a Ward rule id nor a category"
            ));
            continue;
        }
        match level.as_str().map(Severity::from_str) {
            Some(Ok(severity)) => {
                config.severity.insert(name.clone(), severity);
            }
            Some(Err(message)) => problems.push(format!("`severity.{name}`: {message}")),
            None => problems.push(format!(
                "`severity.{name}` must be \"error\", \"warning\" or \"info\""
            )),
        }
    }
}

fn read_parameters(value: &Value, config: &mut Config, problems: &mut Vec<String>) {
    let Value::Object(map) = value else {
        if !value.is_null() {
            problems.push(format!(
                "`parameters` must be an object, not {}",
                kind(value)
            ));
        }
        return;
    };
    for (name, value) in map {
        match parameter_text(value) {
            Some(text) => {
                config.parameters.insert(name.clone(), text);
            }
            None => problems.push(format!(
                "parameter `{name}` must be a string, number, boolean or list of those"
            )),
        }
    }
}

/// The text CloudFormation would receive (lists comma-joined), as in `ward.toml`.
fn parameter_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Array(_) => None,
                other => parameter_text(other),
            })
            .collect::<Option<Vec<_>>>()
            .map(|texts| texts.join(",")),
        _ => None,
    }
}

fn read_conditions(value: &Value, config: &mut Config, problems: &mut Vec<String>) {
    let Value::Object(map) = value else {
        if !value.is_null() {
            problems.push(format!(
                "`conditions` must be an object, not {}",
                kind(value)
            ));
        }
        return;
    };
    for (name, value) in map {
        match value {
            Value::Bool(flag) => {
                config.conditions.insert(name.clone(), *flag);
            }
            other => problems.push(format!(
                "condition `{name}` must be true or false, not {}",
                kind(other)
            )),
        }
    }
}

/// Whether `name` is a rule id, a rule name or a category, as `ward.toml` accepts.
fn is_known(name: &str) -> bool {
    Config {
        select: vec![name.to_string()],
        ..Config::default()
    }
    .validate()
    .is_ok()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_every_setting() {
        let (settings, problems) = Settings::from_value(&json!({
            "enable": false,
            "rules": {"select": ["encryption-at-rest"], "ignore": ["DDB001"]},
            "severity": {"S3001": "error"},
            "parameters": {"Env": "prod", "Count": 3, "Azs": ["a", "b"]},
            "conditions": {"IsProd": true},
            "docsBaseUrl": "https://example.com/rules/",
            "trace": {"server": "verbose"},
        }));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!settings.enable);
        assert_eq!(settings.config.select, ["encryption-at-rest"]);
        assert_eq!(settings.config.ignore, ["DDB001"]);
        assert_eq!(
            settings.config.severity.get("S3001"),
            Some(&Severity::Error)
        );
        assert_eq!(
            settings.config.parameters.get("Count").map(String::as_str),
            Some("3")
        );
        assert_eq!(
            settings.config.parameters.get("Azs").map(String::as_str),
            Some("a,b")
        );
        assert_eq!(settings.config.conditions.get("IsProd"), Some(&true));
        assert_eq!(
            settings.docs_base_url.as_deref(),
            Some("https://example.com/rules")
        );
    }

    #[test]
    fn bad_entries_are_dropped_with_a_message_and_the_rest_applies() {
        let (settings, problems) = Settings::from_value(&json!({"ward": {
            "enable": "yes",
            "rules": {"ignore": ["NOPE1", "DDB001"]},
            "severity": {"DDB001": "critical"},
            "conditions": {"IsProd": "true"},
        }}));
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(settings.enable);
        assert_eq!(settings.config.ignore, ["DDB001"]);
        assert!(settings.config.severity.is_empty());
        assert_eq!(Settings::from_value(&Value::Null).0, Settings::default());
    }
}
