//! Amazon OpenSearch Service (and its legacy Elasticsearch resource type).

use super::{Absent, Check, Rule, RuleContext, Violation, check_true};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::template::Resource;

const ENABLED: &[Step<'static>] = &[Step::Key("EncryptionAtRestOptions"), Step::Key("Enabled")];

pub const ES001: Rule = Rule {
    meta: RuleMeta {
        id: "ES001",
        name: "opensearch-domain-encryption-at-rest",
        title: "OpenSearch domains should be encrypted at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &[
            "AWS::OpenSearchService::Domain",
            "AWS::Elasticsearch::Domain",
        ],
        references: References {
            cfn_nag: &["W54"],
            checkov: &["CKV_AWS_5"],
            aws_config: &[
                "elasticsearch-encrypted-at-rest",
                "opensearch-encrypted-at-rest",
            ],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "An OpenSearch domain stores its indices, swap files, logs and automated \
snapshots on the nodes' volumes. Encryption at rest is off unless \
`EncryptionAtRestOptions.Enabled` is `true`; with it, all of that is encrypted with a KMS key (the \
AWS managed `aws/es` key, or the key in `KmsKeyId`). Fine-grained access control also requires \
it. Search clusters tend to hold copies of the most sensitive data of an application, denormalised \
for search, so this matters as much as for the primary database.",
            remediation: "Set `EncryptionAtRestOptions.Enabled: true`, optionally with a customer \
managed key in `KmsKeyId`. The quick fix is marked unsafe: adding the option to a running domain \
starts a blue/green deployment (new nodes, shard migration, hours on large domains), and changing \
it once it was set (for instance from `false` to `true`) **replaces the domain**, losing its data. \
Older Elasticsearch versions (before 5.1) and T2 instance types cannot be encrypted at all; for \
those Ward reports the finding without a fix, and the remedy is an upgrade.",
            noncompliant: "Resources:
  SearchDomain:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
      ClusterConfig:
        InstanceType: r6g.large.search
        InstanceCount: 2
      EBSOptions:
        EBSEnabled: true
        VolumeSize: 100
      NodeToNodeEncryptionOptions:
        Enabled: true
",
            compliant: "Resources:
  SearchDomain:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
      ClusterConfig:
        InstanceType: r6g.large.search
        InstanceCount: 2
      EBSOptions:
        EBSEnabled: true
        VolumeSize: 100
      NodeToNodeEncryptionOptions:
        Enabled: true
      EncryptionAtRestOptions:
        Enabled: true
",
        },
    },
    check: Check::Custom(domain_encryption),
};

fn domain_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    domain: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let Some(mut found) = check_true(
        context,
        domain,
        ENABLED,
        "OpenSearch domain {resource} is not encrypted at rest",
        Absent::Violation,
        true,
    ) else {
        return Vec::new();
    };
    if cannot_encrypt(context, domain) {
        // Enabling encryption there makes the deployment fail: no mechanical fix exists.
        found.fix = None;
    }
    vec![found]
}

/// Whether some deployment of the domain runs an engine or instance type without encryption at
/// rest: Elasticsearch before 5.1, or T2 instances.
fn cannot_encrypt<'a>(context: &RuleContext<'_, '_, 'a>, domain: &Resource<'a>) -> bool {
    let texts = |path: &[Step<'_>]| -> Vec<String> {
        context
            .property(domain, path)
            .into_iter()
            .filter_map(|outcome| outcome.value.text().map(str::to_string))
            .collect()
    };
    let mut versions = texts(&[Step::Key("ElasticsearchVersion")]);
    versions.extend(
        texts(&[Step::Key("EngineVersion")])
            .into_iter()
            .filter_map(|version| version.strip_prefix("Elasticsearch_").map(str::to_string)),
    );
    let old_engine = versions.iter().any(|version| {
        let mut parts = version
            .split('.')
            .map(|part| part.trim().parse::<u32>().ok());
        match (parts.next().flatten(), parts.next().flatten()) {
            (Some(major), minor) => (major, minor.unwrap_or(0)) < (5, 1),
            _ => false,
        }
    });
    let mut instance_types = texts(&[Step::Key("ClusterConfig"), Step::Key("InstanceType")]);
    instance_types.extend(texts(&[
        Step::Key("ElasticsearchClusterConfig"),
        Step::Key("InstanceType"),
    ]));
    let t2 = instance_types
        .iter()
        .any(|kind| kind.to_ascii_lowercase().starts_with("t2."));
    old_engine || t2
}

pub const RULES: &[Rule] = &[ES001];
