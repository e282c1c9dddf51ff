//! Amazon ElastiCache.

use super::helpers::{pairs, push_new};
use super::shapes::{check_true_unless, relies_on_default};
use super::{Check, Exempt, Rule, RuleContext, Violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::template::Resource;

pub const ELC001: Rule = Rule {
    meta: RuleMeta {
        id: "ELC001",
        name: "elasticache-replication-group-encrypted",
        title: "ElastiCache replication groups should be encrypted at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::ElastiCache::ReplicationGroup"],
        references: References {
            cfn_nag: &["F25"],
            checkov: &["CKV_AWS_29"],
            aws_config: &["elasticache-repl-grp-encrypted-at-rest"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "A replication group writes its data to disk during synchronisation, swap and \
backups, and keeps backups in S3. For the Redis OSS engine (the default `Engine`), that data is \
unencrypted unless `AtRestEncryptionEnabled` is true. Valkey replication groups are encrypted by \
default, so leaving the property out there is reported only as info, and `false` still as an error. \
With encryption on, ElastiCache uses a service managed key, or the customer managed key in \
`KmsKeyId`.\n\n\
Replication groups built around an existing primary cluster (`PrimaryClusterId`) or joining a \
global datastore (`GlobalReplicationGroupId`) take the encryption of that cluster or datastore and \
are not reported.",
            remediation: "Set `AtRestEncryptionEnabled: true`, optionally with `KmsKeyId`. Encryption at \
rest can only be chosen when the group is created: CloudFormation replaces the replication group, \
its endpoints change and its cache starts empty unless you seed it from a backup (`SnapshotArns`). \
The quick fix is unsafe for that reason.",
            noncompliant: "Resources:
  SessionStore:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: Session store
      Engine: redis
      CacheNodeType: cache.t4g.micro
      NumCacheClusters: 2
      TransitEncryptionEnabled: true
",
            compliant: "Resources:
  SessionStore:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: Session store
      Engine: redis
      CacheNodeType: cache.t4g.micro
      NumCacheClusters: 2
      TransitEncryptionEnabled: true
      AtRestEncryptionEnabled: true
",
        },
    },
    check: Check::Custom(replication_group),
};

fn is_valkey(engine: &Value<'_>) -> bool {
    match engine {
        // The default engine is Redis OSS.
        Value::Absent => false,
        Value::Unknown => true,
        value => value
            .text()
            .is_none_or(|text| text.trim().eq_ignore_ascii_case("valkey")),
    }
}

fn replication_group<'a>(
    context: &RuleContext<'_, '_, 'a>,
    group: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let Some(mut unencrypted) = check_true_unless(
        context,
        group,
        &[Step::Key("AtRestEncryptionEnabled")],
        "ElastiCache replication group {resource} is not encrypted at rest",
        &[
            Exempt::WhenSet("PrimaryClusterId"),
            Exempt::WhenSet("GlobalReplicationGroupId"),
        ],
    ) else {
        return Vec::new();
    };
    // Left out, the property is true for Valkey (an unknown engine may be Valkey): those cases are
    // about making the intent explicit.
    let engines = context.property(group, &[Step::Key("Engine")]);
    let mut by_default: Vec<Outcome<'a>> = Vec::new();
    let mut exposed: Vec<Outcome<'a>> = Vec::new();
    for outcome in std::mem::take(&mut unencrypted.outcomes) {
        if !outcome.value.is_absent() {
            exposed.push(outcome);
            continue;
        }
        for (_, engine, case) in pairs(std::slice::from_ref(&outcome), &engines) {
            let bucket = if is_valkey(&engine.value) {
                &mut by_default
            } else {
                &mut exposed
            };
            push_new(
                bucket,
                Outcome {
                    case,
                    ..outcome.clone()
                },
            );
        }
    }
    unencrypted.outcomes = exposed;
    relies_on_default(
        group,
        unencrypted,
        by_default,
        "ElastiCache replication group {resource} does not set AtRestEncryptionEnabled and relies on the Valkey default",
    )
}

pub const RULES: &[Rule] = &[ELC001];
