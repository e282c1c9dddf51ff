//! `ward.toml`: which rules run, how severe they are, and the parameter and condition values to
//! assume. Core only parses text; finding the file is the job of the CLI and the server.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Category, RuleMeta, Severity};

/// The names the file may have, in the order they are looked for in each folder.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["ward.toml", ".ward.toml"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Rule ids or categories to run; empty means all.
    pub select: Vec<String>,
    /// Rule ids or categories never to run; wins over `select`.
    pub ignore: Vec<String>,
    /// Severity overrides by rule id or category; a rule id wins over its category.
    pub severity: BTreeMap<String, Severity>,
    /// Values for template parameters, as CloudFormation would receive them (lists comma-joined).
    pub parameters: BTreeMap<String, String>,
    /// Conditions whose value is known for the deployments that matter.
    pub conditions: BTreeMap<String, bool>,
    /// Path globs the CLI does not check (relative to the configuration file's folder).
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    /// Byte offset in the configuration text, when the error has a place.
    pub offset: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    parameters: BTreeMap<String, toml::Value>,
    #[serde(default)]
    conditions: BTreeMap<String, bool>,
    #[serde(default)]
    exclude: Vec<String>,
}

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| ConfigError {
            message: error.message().to_string(),
            offset: error.span().map(|span| span.start),
        })?;
        let mut parameters = BTreeMap::new();
        for (name, value) in raw.parameters {
            parameters.insert(name.clone(), parameter_text(&name, &value)?);
        }
        let config = Config {
            select: raw.select,
            ignore: raw.ignore,
            severity: raw.severity,
            parameters,
            conditions: raw.conditions,
            exclude: raw.exclude,
        };
        config.validate()?;
        Ok(config)
    }

    /// Checks that every rule id or category named exists.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let names = self
            .select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys());
        for name in names {
            if !is_known_selector(name) {
                return Err(ConfigError {
                    message: format!("`{name}` is neither a Ward rule id nor a category"),
                    offset: None,
                });
            }
        }
        Ok(())
    }

    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().any(|name| matches_rule(name, rule));
        selected && !self.ignore.iter().any(|name| matches_rule(name, rule))
    }

    pub fn severity_of(&self, rule: &RuleMeta) -> Severity {
        self.severity
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(rule.id))
            .or_else(|| {
                self.severity
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(rule.category.as_str()))
            })
            .map_or(rule.severity, |(_, severity)| *severity)
    }

    /// Layers `other` over `self`: lists are extended, maps overridden key by key.
    pub fn merge(&mut self, other: Config) {
        self.select.extend(other.select);
        self.ignore.extend(other.ignore);
        self.severity.extend(other.severity);
        self.parameters.extend(other.parameters);
        self.conditions.extend(other.conditions);
        self.exclude.extend(other.exclude);
    }
}

fn matches_rule(name: &str, rule: &RuleMeta) -> bool {
    name.eq_ignore_ascii_case(rule.id)
        || name.eq_ignore_ascii_case(rule.name)
        || name.eq_ignore_ascii_case(rule.category.as_str())
}

fn is_known_selector(name: &str) -> bool {
    name.parse::<Category>().is_ok()
        || crate::rules::all()
            .iter()
            .any(|rule| matches_rule(name, &rule.meta))
}

fn parameter_text(name: &str, value: &toml::Value) -> Result<String, ConfigError> {
    match value {
        toml::Value::String(text) => Ok(text.clone()),
        toml::Value::Integer(number) => Ok(number.to_string()),
        toml::Value::Float(number) => Ok(number.to_string()),
        toml::Value::Boolean(flag) => Ok(flag.to_string()),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| parameter_text(name, item))
            .collect::<Result<Vec<_>, _>>()
            .map(|texts| texts.join(",")),
        _ => Err(ConfigError {
            message: format!("parameter `{name}` must be a string, number, boolean or list"),
            offset: None,
        }),
    }
}
