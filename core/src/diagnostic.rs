//! What a lint produces: findings, their fixes, and the metadata of the rules behind them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("unknown severity `{text}` (expected error, warning or info)"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    EncryptionAtRest,
    EncryptionInTransit,
    Iam,
    Network,
    PublicAccess,
    Secrets,
    Logging,
    Resilience,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::EncryptionAtRest,
        Category::EncryptionInTransit,
        Category::Iam,
        Category::Network,
        Category::PublicAccess,
        Category::Secrets,
        Category::Logging,
        Category::Resilience,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::EncryptionAtRest => "encryption-at-rest",
            Category::EncryptionInTransit => "encryption-in-transit",
            Category::Iam => "iam",
            Category::Network => "network",
            Category::PublicAccess => "public-access",
            Category::Secrets => "secrets",
            Category::Logging => "logging",
            Category::Resilience => "resilience",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|category| category.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("unknown category `{text}`"))
    }
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the resource's behaviour apart from the security property; `--fix` applies it.
    Safe,
    /// Correct, but with a side effect worth a look (replacement of the resource, a key policy,
    /// a cost); applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `text` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A secondary location that explains a finding, e.g. the parameter default that causes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionSource {
    Ward,
    CfnNag,
    CfnLint,
    Checkov,
}

impl SuppressionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionSource::Ward => "ward",
            SuppressionSource::CfnNag => "cfn_nag",
            SuppressionSource::CfnLint => "cfn-lint",
            SuppressionSource::Checkov => "checkov",
        }
    }
}

/// Why a finding is not reported: the Metadata entry that silenced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub source: SuppressionSource,
    /// The id written in the metadata (a Ward id, or the other tool's id).
    pub id: String,
    pub reason: String,
    pub span: Span,
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    #[serde(skip)]
    pub rule: &'static RuleMeta,
    /// The rule's severity after configuration overrides.
    pub severity: Severity,
    /// The logical id of the resource, or `None` for template-level findings.
    pub resource: Option<String>,
    /// The property path inside the resource, e.g. `SSESpecification.SSEEnabled`.
    pub property: Option<String>,
    pub message: String,
    pub span: Span,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    pub suppressed: Option<Suppression>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct References {
    pub cfn_nag: &'static [&'static str],
    pub checkov: &'static [&'static str],
    pub aws_config: &'static [&'static str],
}

/// A rule's documentation. The examples are complete templates; tests lint them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleDocs {
    /// Why it matters, including what AWS does by default.
    pub rationale: &'static str,
    /// How to fix it.
    pub remediation: &'static str,
    /// A template on which the rule reports exactly one finding.
    pub noncompliant: &'static str,
    /// The same template made compliant: the rule reports nothing.
    pub compliant: &'static str,
}

/// Everything about a rule except its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// Stable id: service prefix and number, never reused.
    pub id: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    pub title: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub resource_types: &'static [&'static str],
    pub references: References,
    /// The applicability of the rule's fix, when it has one.
    pub fix: Option<Applicability>,
    pub docs: RuleDocs,
}

impl RuleMeta {
    /// The rule's documentation as Markdown, shared by `rules explain`, hover and the docs page.
    pub fn docs_markdown(&self) -> String {
        let mut out = format!(
            "# {} {}: {}\n\n{} · default severity {}",
            self.id, self.name, self.title, self.category, self.severity
        );
        if let Some(fix) = self.fix {
            out.push_str(&format!(" · quick fix ({fix})", fix = fix.as_str()));
        }
        out.push_str(&format!(
            "\n\nApplies to: {}\n\n## Why\n\n{}\n\n## How to fix\n\n{}\n",
            self.resource_types.join(", "),
            self.docs.rationale.trim(),
            self.docs.remediation.trim()
        ));
        let refs = [
            ("cfn_nag", self.references.cfn_nag),
            ("checkov", self.references.checkov),
            ("AWS Config", self.references.aws_config),
        ];
        let named: Vec<String> = refs
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(tool, ids)| format!("{tool}: {}", ids.join(", ")))
            .collect();
        if !named.is_empty() {
            out.push_str(&format!("\nSee also: {}\n", named.join("; ")));
        }
        out.push_str(&format!(
            "\n## Non-compliant\n\n```yaml\n{}\n```\n\n## Compliant\n\n```yaml\n{}\n```\n",
            self.docs.noncompliant.trim_end(),
            self.docs.compliant.trim_end()
        ));
        out
    }
}
