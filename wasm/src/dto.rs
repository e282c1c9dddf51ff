//! The browser build's data: plain serde DTOs in the shape of the JavaScript API (the TypeScript
//! types in `lib.rs`, the contract with the playground), the conversion from core's byte spans
//! to UTF-16 offsets and 1-based line/column, and the options that layer over `ward.toml` text.
//!
//! Nothing here touches JavaScript: `lib.rs` only moves these values across the boundary, so all
//! of this is tested natively.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ward_core::suppress::suppression_fix;
use ward_core::{
    Applicability, Config, Document, Edit, Finding, Fix, RuleMeta, Severity, SourceFile,
    SyntaxError,
};

/// The name given to the text; never shown (the browser has no paths).
const FILE_NAME: &str = "template";

// ---------------------------------------------------------------------------------------------
// Positions

/// A place in the text as JavaScript sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pos {
    /// UTF-16 code units from the start of the text (a BOM counts as one): a JavaScript string
    /// index, which is what CodeMirror's positions are.
    pub offset: u32,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

/// Where a line starts, or (in long non-ASCII lines) a point inside one, so that converting an
/// offset never scans more than [`CHECKPOINT_STRIDE`] bytes.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    byte: u32,
    utf16: u32,
    /// 0-based line.
    line: u32,
    /// Characters between the line's start and this point.
    chars: u32,
}

/// Non-ASCII text gets a checkpoint at least every this many bytes, so that a minified
/// one-line JSON template with hundreds of findings stays linear.
const CHECKPOINT_STRIDE: usize = 512;

/// Byte offsets to [`Pos`], built in one pass over the text. Lines end at `\n` only (a `\r`
/// before it belongs to the line), as in core's [`SourceFile::position`].
pub struct Positions<'a> {
    text: &'a str,
    ascii: bool,
    checkpoints: Vec<Checkpoint>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut checkpoints = vec![Checkpoint {
            byte: 0,
            utf16: 0,
            line: 0,
            chars: 0,
        }];
        if ascii {
            // Bytes are characters and UTF-16 units: only the line starts are needed.
            let mut line = 0;
            for (index, byte) in text.bytes().enumerate() {
                if byte == b'\n' {
                    line += 1;
                    let start = clamp_u32(index + 1);
                    checkpoints.push(Checkpoint {
                        byte: start,
                        utf16: start,
                        line,
                        chars: 0,
                    });
                }
            }
        } else {
            let (mut utf16, mut line, mut chars) = (0u32, 0u32, 0u32);
            let mut last = 0usize;
            for (index, ch) in text.char_indices() {
                if index - last >= CHECKPOINT_STRIDE {
                    checkpoints.push(Checkpoint {
                        byte: clamp_u32(index),
                        utf16,
                        line,
                        chars,
                    });
                    last = index;
                }
                utf16 += ch.len_utf16() as u32;
                chars += 1;
                if ch == '\n' {
                    line += 1;
                    chars = 0;
                    last = index + 1;
                    checkpoints.push(Checkpoint {
                        byte: clamp_u32(last),
                        utf16,
                        line,
                        chars,
                    });
                }
            }
        }
        Positions {
            text,
            ascii,
            checkpoints,
        }
    }

    /// The position of a byte offset. Offsets past the end, or inside a character, move back to
    /// the nearest character boundary, as in [`SourceFile::position`].
    pub fn pos(&self, offset: u32) -> Pos {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let index = self
            .checkpoints
            .partition_point(|point| point.byte as usize <= offset)
            .saturating_sub(1);
        let point = self.checkpoints[index];
        let (utf16, chars) = if self.ascii {
            let delta = clamp_u32(offset) - point.byte;
            (point.utf16 + delta, point.chars + delta)
        } else {
            let slice = &self.text[point.byte as usize..offset];
            let units: usize = slice.chars().map(char::len_utf16).sum();
            (
                point.utf16 + clamp_u32(units),
                point.chars + clamp_u32(slice.chars().count()),
            )
        };
        Pos {
            offset: utf16,
            line: point.line + 1,
            column: chars + 1,
        }
    }
}

fn clamp_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Results

/// A text change in CodeMirror's shape: replace UTF-16 `from..to` with `insert`. The edits of
/// one fix all refer to the original text (pass them together as one `changes` array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EditDto {
    pub from: u32,
    pub to: u32,
    pub insert: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FixDto {
    pub title: String,
    /// `"safe"` or `"unsafe"`.
    pub applicability: &'static str,
    /// Sorted by position, never overlapping.
    pub edits: Vec<EditDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedDto {
    pub start: Pos,
    pub end: Pos,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingDto {
    pub rule: &'static str,
    pub title: &'static str,
    pub severity: &'static str,
    pub category: &'static str,
    pub resource: Option<String>,
    pub property: Option<String>,
    pub message: String,
    pub start: Pos,
    pub end: Pos,
    pub related: Vec<RelatedDto>,
    pub fix: Option<FixDto>,
    /// "Suppress RULE for Resource": Ward's Metadata entry with a reason placeholder.
    pub suppress: Option<FixDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyntaxErrorDto {
    pub message: String,
    pub start: Pos,
    pub end: Pos,
    /// No tree could be built, so no rule ran.
    pub fatal: bool,
}

/// The `config` option did not parse or names unknown rules: the defaults were used for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigErrorDto {
    pub message: String,
    /// 1-based, in the `config` text; `None` when the error has no place.
    pub line: Option<u32>,
    /// 1-based, in characters.
    pub column: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintResult {
    /// False for YAML or JSON that is not a CloudFormation template and for empty text.
    pub is_template: bool,
    /// Active findings, in text order.
    pub findings: Vec<FindingDto>,
    /// How many findings Metadata suppressions silenced.
    pub suppressed: u32,
    pub errors: Vec<SyntaxErrorDto>,
    pub config_error: Option<ConfigErrorDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FixResult {
    pub text: String,
    pub applied: u32,
    /// A round of fixes would have broken the syntax and was dropped (a bug in a rule's fix).
    pub rejected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferencesDto {
    pub cfn_nag: &'static [&'static str],
    pub checkov: &'static [&'static str],
    pub aws_config: &'static [&'static str],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub category: &'static str,
    /// The default severity.
    pub severity: &'static str,
    pub resource_types: &'static [&'static str],
    pub references: ReferencesDto,
    /// The applicability of the rule's fix, when it has one.
    pub fix: Option<&'static str>,
    /// Markdown, as `cfn-ward rules explain` prints it.
    pub docs: String,
}

// ---------------------------------------------------------------------------------------------
// Conversion

fn edit_dto(edit: &Edit, positions: &Positions<'_>) -> EditDto {
    EditDto {
        from: positions.pos(edit.span.start).offset,
        to: positions.pos(edit.span.end).offset,
        insert: edit.text.clone(),
    }
}

pub fn fix_dto(fix: &Fix, positions: &Positions<'_>) -> FixDto {
    let mut edits: Vec<EditDto> = fix
        .edits
        .iter()
        .map(|edit| edit_dto(edit, positions))
        .collect();
    edits.sort_by_key(|edit| (edit.from, edit.to));
    FixDto {
        title: fix.title.clone(),
        applicability: fix.applicability.as_str(),
        edits,
    }
}

pub fn finding_dto(
    finding: &Finding,
    positions: &Positions<'_>,
    suppress: Option<&Fix>,
) -> FindingDto {
    FindingDto {
        rule: finding.rule.id,
        title: finding.rule.title,
        severity: finding.severity.as_str(),
        category: finding.rule.category.as_str(),
        resource: finding.resource.clone(),
        property: finding.property.clone(),
        message: finding.message.clone(),
        start: positions.pos(finding.span.start),
        end: positions.pos(finding.span.end),
        related: finding
            .related
            .iter()
            .map(|related| RelatedDto {
                start: positions.pos(related.span.start),
                end: positions.pos(related.span.end),
                message: related.message.clone(),
            })
            .collect(),
        fix: finding.fix.as_ref().map(|fix| fix_dto(fix, positions)),
        suppress: suppress.map(|fix| fix_dto(fix, positions)),
    }
}

pub fn syntax_error_dto(error: &SyntaxError, positions: &Positions<'_>) -> SyntaxErrorDto {
    SyntaxErrorDto {
        message: error.message.clone(),
        start: positions.pos(error.span.start),
        end: positions.pos(error.span.end),
        fatal: error.fatal,
    }
}

pub fn rule_info(meta: &'static RuleMeta) -> RuleInfo {
    RuleInfo {
        id: meta.id,
        name: meta.name,
        title: meta.title,
        category: meta.category.as_str(),
        severity: meta.severity.as_str(),
        resource_types: meta.resource_types,
        references: ReferencesDto {
            cfn_nag: meta.references.cfn_nag,
            checkov: meta.references.checkov,
            aws_config: meta.references.aws_config,
        },
        fix: meta.fix.map(Applicability::as_str),
        docs: meta.docs_markdown(),
    }
}

// ---------------------------------------------------------------------------------------------
// Options

/// `LintOptions` and `FixOptions` (one type: `lint` ignores `which`). Every field may be absent,
/// `undefined` or `null`. Unknown fields are an error, so that a typo does not silently change
/// nothing. Read from JSON (see [`bounded_value`] for the JavaScript side).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    expecting = "an options object"
)]
pub struct Options {
    /// `ward.toml` text, layered under the fields below.
    pub config: Option<String>,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub severity: Option<BTreeMap<String, Severity>>,
    /// A `null` value sets nothing (a settings form's emptied field): the `config` text's value,
    /// else the template's default, applies.
    pub parameters: Option<BTreeMap<String, Option<ParameterText>>>,
    /// A `null` value sets nothing: the `config` text decides, else both branches are considered.
    pub conditions: Option<BTreeMap<String, Option<bool>>>,
    pub which: Option<Which>,
}

/// A parameter value as CloudFormation receives it: a string; numbers, booleans and lists of
/// those (comma-joined) are accepted too, as in `ward.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterText(pub String);

impl<'de> Deserialize<'de> for ParameterText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ParameterVisitor { in_list: false })
            .map(ParameterText)
    }
}

/// Scalars, and at the top level a list of scalars; maps, nested lists and `null` in a list are
/// refused.
struct ParameterVisitor {
    in_list: bool,
}

impl<'de> serde::de::Visitor<'de> for ParameterVisitor {
    type Value = String;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.in_list {
            formatter.write_str("a string, number or boolean")
        } else {
            formatter.write_str("a string, number, boolean or a list of those")
        }
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_string())
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<String, E> {
        Ok(text)
    }

    fn visit_bool<E: serde::de::Error>(self, flag: bool) -> Result<String, E> {
        Ok(flag.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<String, E> {
        Ok(number.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<String, E> {
        Ok(number.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<String, E> {
        // JavaScript has only doubles: 5 must read "5", not "5.0".
        if number.fract() == 0.0 && number.abs() < 9.0e15 {
            Ok(format!("{}", number as i64))
        } else {
            Ok(number.to_string())
        }
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Err(E::invalid_type(serde::de::Unexpected::Other("null"), &self))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<String, A::Error> {
        if self.in_list {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Seq,
                &self,
            ));
        }
        let mut texts = Vec::new();
        while let Some(text) = items.next_element_seed(ParameterVisitor { in_list: true })? {
            texts.push(text);
        }
        Ok(texts.join(","))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for ParameterVisitor {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    /// Only safe fixes (the default).
    #[default]
    Safe,
    /// Safe and unsafe fixes.
    All,
}

impl Options {
    /// Reads options from their JSON value; `null` gives the defaults. The error says which field
    /// is wrong.
    pub fn from_value(value: Value) -> Result<Options, String> {
        match value {
            Value::Null => Ok(Options::default()),
            Value::Object(_) => serde_path_to_error::deserialize(value).map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                if path == "." {
                    format!("invalid options: {inner}")
                } else {
                    format!("invalid options: `{path}`: {inner}")
                }
            }),
            other => Err(format!(
                "invalid options: expected an options object, found {}",
                kind(&other)
            )),
        }
    }

    /// The configuration to lint with: the `config` text (the defaults, and a [`ConfigErrorDto`],
    /// when it is invalid) with the other fields layered over it as the language server layers
    /// its client settings over `ward.toml` (fields win, lists extend). An unknown rule or
    /// category in the fields, or a bad parameter value, is an error.
    pub fn resolve(&self) -> Result<(Config, Option<ConfigErrorDto>), String> {
        let (mut config, config_error) = match self.config.as_deref() {
            None => (Config::default(), None),
            Some(text) => match Config::from_toml(text) {
                Ok(config) => (config, None),
                Err(error) => {
                    let place = error.offset.map(|offset| {
                        let position =
                            SourceFile::new("ward.toml", text).position(clamp_u32(offset));
                        (position.line, position.column)
                    });
                    let error = ConfigErrorDto {
                        message: error.message,
                        line: place.map(|(line, _)| line),
                        column: place.map(|(_, column)| column),
                    };
                    (Config::default(), Some(error))
                }
            },
        };
        config.merge(self.fields()?);
        Ok((config, config_error))
    }

    /// The fields other than `config`, as a configuration layer.
    fn fields(&self) -> Result<Config, String> {
        let mut layer = Config::default();
        for (field, names, target) in [
            ("select", &self.select, &mut layer.select),
            ("ignore", &self.ignore, &mut layer.ignore),
        ] {
            for name in names.iter().flatten() {
                let name = name.trim();
                check_selector(name)
                    .map_err(|message| format!("invalid options: `{field}`: {message}"))?;
                target.push(name.to_string());
            }
        }
        for (name, severity) in self.severity.iter().flatten() {
            let name = name.trim();
            check_selector(name)
                .map_err(|message| format!("invalid options: `severity`: {message}"))?;
            layer.severity.insert(name.to_string(), *severity);
        }
        for (name, value) in self.parameters.iter().flatten() {
            if let Some(ParameterText(text)) = value {
                layer.parameters.insert(name.clone(), text.clone());
            }
        }
        for (name, value) in self.conditions.iter().flatten() {
            if let Some(value) = value {
                layer.conditions.insert(name.clone(), *value);
            }
        }
        Ok(layer)
    }

    pub fn include_unsafe(&self) -> bool {
        self.which.unwrap_or_default() == Which::All
    }
}

/// Whether `name` is a rule id, a rule name or a category, as `ward.toml` accepts.
fn check_selector(name: &str) -> Result<(), String> {
    Config {
        select: vec![name.to_string()],
        ..Config::default()
    }
    .validate()
    .map_err(|error| error.message)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// How deeply an options value may nest (`{"parameters": {"P": ["a"]}}` is 3).
pub const MAX_OPTIONS_DEPTH: usize = 8;

/// Reads any self-describing value (the JavaScript options object, through
/// `serde_wasm_bindgen`) into JSON, refusing nesting deeper than [`MAX_OPTIONS_DEPTH`] before
/// reading it. So a deep or cyclic object is an error, never a stack overflow, and every value
/// is read with `deserialize_any`: `serde_wasm_bindgen` describes a value of the wrong type with
/// its debug string, which recurses over arrays.
pub fn bounded_value<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    serde::de::DeserializeSeed::deserialize(Bounded { depth: 0 }, deserializer)
}

#[derive(Clone, Copy)]
struct Bounded {
    depth: usize,
}

impl Bounded {
    fn deeper<E: serde::de::Error>(self) -> Result<Bounded, E> {
        if self.depth >= MAX_OPTIONS_DEPTH {
            Err(E::custom(format!(
                "the options nest more than {MAX_OPTIONS_DEPTH} levels deep"
            )))
        } else {
            Ok(Bounded {
                depth: self.depth + 1,
            })
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Bounded {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Bounded {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("plain data (objects, arrays, strings, numbers, booleans, null)")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: serde::de::Error>(self, flag: bool) -> Result<Value, E> {
        Ok(Value::Bool(flag))
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<Value, E> {
        Ok(Value::from(number))
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<Value, E> {
        Ok(Value::from(number))
    }

    fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(number)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{number} is not a finite number")))
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Value, E> {
        Ok(Value::String(text.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Value, E> {
        Ok(Value::String(text))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let seed = self.deeper()?;
        let mut list = Vec::new();
        while let Some(item) = items.next_element_seed(seed)? {
            list.push(item);
        }
        Ok(Value::Array(list))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let seed = self.deeper()?;
        let mut map = serde_json::Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            map.insert(key, entries.next_value_seed(seed)?);
        }
        Ok(Value::Object(map))
    }
}

// ---------------------------------------------------------------------------------------------
// The operations

pub fn lint(text: &str, options: &Options) -> Result<LintResult, String> {
    let (config, config_error) = options.resolve()?;
    let document = Document::new(SourceFile::new(FILE_NAME, text));
    let report = document.lint(&config);
    let positions = Positions::new(text);
    let template = document.template();
    let findings = report
        .active()
        .map(|finding| {
            let suppress = template
                .as_ref()
                .and_then(|template| suppression_fix(document.source(), template, finding));
            finding_dto(finding, &positions, suppress.as_ref())
        })
        .collect();
    Ok(LintResult {
        is_template: report.is_template,
        findings,
        suppressed: clamp_u32(report.suppressed().count()),
        errors: report
            .errors
            .iter()
            .map(|error| syntax_error_dto(error, &positions))
            .collect(),
        config_error,
    })
}

pub fn apply_fixes(text: &str, options: &Options) -> Result<FixResult, String> {
    // An invalid `config` text gives the defaults, as in `lint`, which reports it.
    let (config, _) = options.resolve()?;
    let file = SourceFile::new(FILE_NAME, text);
    let report = ward_core::lint(&file, &config);
    let fixed = ward_core::fix_all(&file, report, &config, options.include_unsafe());
    Ok(FixResult {
        text: fixed.source.text().to_string(),
        applied: clamp_u32(fixed.applied),
        rejected: fixed.rejected,
    })
}

pub fn rules() -> Vec<RuleInfo> {
    ward_core::rules::all()
        .iter()
        .map(|rule| rule_info(&rule.meta))
        .collect()
}

/// The rule's Markdown documentation, by id or name in any case.
pub fn explain(wanted: &str) -> Option<String> {
    let wanted = wanted.trim();
    ward_core::rules::all()
        .iter()
        .map(|rule| &rule.meta)
        .find(|meta| meta.id.eq_ignore_ascii_case(wanted) || meta.name.eq_ignore_ascii_case(wanted))
        .map(RuleMeta::docs_markdown)
}

#[cfg(test)]
mod tests;
