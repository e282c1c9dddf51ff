//! SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, GitLab).
//!
//! Hand-written serde structs for the subset Ward fills in, rather than a generated SARIF model:
//! they stay small, compile fast and build for wasm32. Tests validate the output against the
//! official schema vendored in `core/tests/schemas/`.
//!
//! Suppressed findings are always included, with a `suppressions` entry: services track them
//! as dismissed rather than losing them. Syntax and read errors become
//! `invocations[0].toolExecutionNotifications`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{FileResult, RenderOptions};
use crate::diagnostic::{Finding, RuleMeta, Severity};
use crate::source::Span;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// From the workspace's `homepage`; left out of the log while that is unset.
const INFORMATION_URI: &str = env!("CARGO_PKG_HOMEPAGE");
const FINGERPRINT_KEY: &str = "ward/v1";
const SYNTAX_ERROR_ID: &str = "syntax-error";
const READ_ERROR_ID: &str = "read-error";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    full_name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<RuleDescriptor<'a>>,
    notifications: Vec<NotificationDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: MultiformatText,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationDescriptor {
    id: &'static str,
    short_description: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Self {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct MultiformatText {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// GitHub code scanning ranks security alerts by this CVSS-like score (a string).
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    descriptor: DescriptorReference,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

/// 1-based; `endColumn` is the column just past the range, as SARIF defines it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
    location: Location,
    properties: SuppressionProperties<'a>,
}

#[derive(Serialize)]
struct SuppressionProperties<'a> {
    source: &'static str,
    id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: InsertedContent<'a>,
}

#[derive(Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

/// Renders one SARIF log with one run. `rules` become `tool.driver.rules` (pass every registered
/// rule so services know them all); a rule that a finding names but `rules` lacks is appended,
/// so every `ruleIndex` is valid. `options` is accepted for symmetry with the other renderers:
/// SARIF has no colour and always carries suppressed findings.
pub fn render<'r>(
    results: &[FileResult],
    rules: &[&'r RuleMeta],
    _options: &RenderOptions,
) -> String {
    let mut descriptors: Vec<&'r RuleMeta> = Vec::new();
    let mut index_of: HashMap<&'r str, usize> = HashMap::new();
    let mut add_rule = |rule: &'r RuleMeta| -> usize {
        if let Some(index) = index_of.get(rule.id) {
            return *index;
        }
        let index = descriptors.len();
        index_of.insert(rule.id, index);
        descriptors.push(rule);
        index
    };
    for rule in rules {
        add_rule(rule);
    }

    let mut sarif_results = Vec::new();
    let mut notifications = Vec::new();
    let mut fingerprints_seen: HashMap<u64, usize> = HashMap::new();
    for result in results {
        let uri = artifact_uri(&result.path);
        if let Some(message) = &result.read_error {
            notifications.push(Notification {
                level: "error",
                message: Text::new(format!("could not read the file: {message}")),
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                        region: None,
                    },
                    logical_locations: Vec::new(),
                    message: None,
                }],
                descriptor: DescriptorReference { id: READ_ERROR_ID },
            });
        }
        for error in &result.report.errors {
            notifications.push(Notification {
                level: "error",
                message: Text::new(error.message.clone()),
                locations: vec![location(result, &uri, error.span, None)],
                descriptor: DescriptorReference {
                    id: SYNTAX_ERROR_ID,
                },
            });
        }
        for finding in &result.report.findings {
            let rule_index = add_rule(finding.rule);
            let fingerprint = fingerprint(finding, &result.path, &mut fingerprints_seen);
            sarif_results.push(sarif_result(result, &uri, finding, rule_index, fingerprint));
        }
    }

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "Ward",
                    full_name: "Ward (cfn-ward), a security linter for AWS CloudFormation",
                    version: crate::VERSION,
                    semantic_version: crate::VERSION,
                    information_uri: (!INFORMATION_URI.is_empty()).then_some(INFORMATION_URI),
                    rules: descriptors.into_iter().map(rule_descriptor).collect(),
                    notifications: vec![
                        NotificationDescriptor {
                            id: SYNTAX_ERROR_ID,
                            short_description: Text::new("The template is not valid YAML or JSON"),
                            default_configuration: Configuration { level: "error" },
                        },
                        NotificationDescriptor {
                            id: READ_ERROR_ID,
                            short_description: Text::new("The file could not be read"),
                            default_configuration: Configuration { level: "error" },
                        },
                    ],
                },
            },
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results: sarif_results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

fn rule_descriptor(rule: &RuleMeta) -> RuleDescriptor<'_> {
    RuleDescriptor {
        id: rule.id,
        name: rule.name,
        short_description: Text::new(rule.title),
        full_description: Text::new(first_paragraph(rule.docs.rationale)),
        help: MultiformatText {
            text: rule.docs.remediation.trim().to_string(),
            markdown: rule.docs_markdown(),
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: vec![rule.category.as_str(), "security"],
            security_severity: security_severity(rule.severity),
        },
    }
}

fn sarif_result<'a>(
    result: &'a FileResult,
    uri: &str,
    finding: &'a Finding,
    rule_index: usize,
    fingerprint: String,
) -> SarifResult<'a> {
    let mut primary = location(result, uri, finding.span, None);
    if let Some(resource) = &finding.resource {
        primary.logical_locations.push(LogicalLocation {
            name: resource.clone(),
            kind: "resource",
        });
    }
    SarifResult {
        rule_id: finding.rule.id,
        rule_index,
        level: level(finding.severity),
        message: Text::new(finding.message.clone()),
        locations: vec![primary],
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(index, related)| {
                let mut location = location(result, uri, related.span, Some(&related.message));
                location.id = Some(index + 1);
                location
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        suppressions: finding
            .suppressed
            .iter()
            .map(|suppression| Suppression {
                kind: "inSource",
                justification: &suppression.reason,
                location: location(result, uri, suppression.span, None),
                properties: SuppressionProperties {
                    source: suppression.source.as_str(),
                    id: &suppression.id,
                },
            })
            .collect(),
        fixes: finding
            .fix
            .iter()
            .map(|fix| SarifFix {
                description: Text::new(fix.title.clone()),
                artifact_changes: vec![ArtifactChange {
                    artifact_location: ArtifactLocation {
                        uri: uri.to_string(),
                    },
                    replacements: fix
                        .edits
                        .iter()
                        .map(|edit| Replacement {
                            deleted_region: region(result, edit.span),
                            inserted_content: InsertedContent { text: &edit.text },
                        })
                        .collect(),
                }],
                properties: FixProperties {
                    applicability: fix.applicability.as_str(),
                },
            })
            .collect(),
    }
}

fn location(result: &FileResult, uri: &str, span: Span, message: Option<&str>) -> Location {
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri.to_string(),
            },
            region: Some(region(result, span)),
        },
        logical_locations: Vec::new(),
        message: message.map(Text::new),
    }
}

fn region(result: &FileResult, span: Span) -> Region {
    let start = result.position(span.start);
    let end = result.position(span.end);
    Region {
        start_line: start.map_or(1, |position| position.line),
        start_column: start.map_or(1, |position| position.column),
        end_line: end.map_or(1, |position| position.line),
        end_column: end.map_or(1, |position| position.column),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    // GitHub maps >= 7.0 to "high", >= 4.0 to "medium" and > 0 to "low".
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn first_paragraph(text: &str) -> String {
    let text = text.trim();
    text.split("\n\n")
        .next()
        .unwrap_or(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Stable across runs, machines and Rust versions (unlike `DefaultHasher`), and independent of
/// line numbers so an alert survives edits above it. Repeats of the same rule, resource,
/// property and file are numbered so they stay distinct.
fn fingerprint(finding: &Finding, path: &str, seen: &mut HashMap<u64, usize>) -> String {
    let mut hash = Fnv1a::new();
    for part in [
        finding.rule.id,
        finding.resource.as_deref().unwrap_or(""),
        finding.property.as_deref().unwrap_or(""),
        &artifact_uri(path),
    ] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    let base = hash.finish();
    let occurrence = seen.entry(base).or_insert(0);
    *occurrence += 1;
    format!("{base:016x}:{occurrence}")
}

struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A path as a SARIF artifact URI: relative paths stay relative (services resolve them against
/// the repository root) with forward slashes; absolute paths become `file://` URIs.
pub fn artifact_uri(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if windows_drive {
        format!("file:///{}", percent_encode(&path))
    } else if path.starts_with('/') {
        format!("file://{}", percent_encode(&path))
    } else {
        percent_encode(&path)
    }
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (index, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || matches!(byte, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',')
            || matches!(byte, b';' | b'=' | b'@')
            // A drive letter's colon; elsewhere a colon in a relative path would read as a scheme.
            || (byte == b':' && index == 1);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
