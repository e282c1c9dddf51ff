//! Amazon RDS and Aurora.
//!
//! Also home of [`unless_exempt`], shared with the other database modules until it moves to
//! `helpers.rs`: many database resources take their encryption from somewhere else (a cluster, a
//! snapshot, a source database), and only the cases where no such source applies are findings.

use super::{Absent, Check, Rule, RuleContext, Violation, check_true};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::template::Resource;

/// A property that, when in force, exempts a resource from a rule.
#[derive(Clone, Copy)]
pub(super) enum Exempt {
    /// The property is set, to anything (an unknown value counts as set).
    WhenSet(&'static str),
    /// The property's text satisfies the predicate; an unknown value may, so it exempts too.
    WhenText(&'static str, fn(&str) -> bool),
}

impl Exempt {
    fn key(self) -> &'static str {
        match self {
            Exempt::WhenSet(key) | Exempt::WhenText(key, _) => key,
        }
    }

    /// Whether the value certainly does not exempt the resource.
    fn lifted_by(self, value: &Value<'_>) -> bool {
        match self {
            Exempt::WhenSet(_) => value.is_unset(),
            Exempt::WhenText(_, applies) => match value {
                Value::Absent => true,
                value => value.text().is_some_and(|text| !applies(text)),
            },
        }
    }
}

/// Keeps the outcomes of `bad` in the cases where none of the exemptions is in force, each
/// narrowed to those cases (so the finding says "when condition IsRestore is false").
pub(super) fn unless_exempt<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    bad: Vec<Outcome<'a>>,
    exemptions: &[Exempt],
) -> Vec<Outcome<'a>> {
    let mut kept = bad;
    for exemption in exemptions {
        if kept.is_empty() {
            break;
        }
        let values = context.property(resource, &[Step::Key(exemption.key())]);
        let mut next: Vec<Outcome<'a>> = Vec::new();
        for outcome in &kept {
            for value in values
                .iter()
                .filter(|value| exemption.lifted_by(&value.value))
            {
                if let Some(case) = outcome.case.merge(&value.case) {
                    let narrowed = Outcome {
                        case,
                        ..outcome.clone()
                    };
                    if !next.contains(&narrowed) {
                        next.push(narrowed);
                    }
                }
            }
        }
        kept = next;
    }
    kept
}

/// [`check_true`] restricted to the cases where no exemption applies.
pub(super) fn check_true_unless<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    exemptions: &[Exempt],
) -> Vec<Violation<'a>> {
    let Some(mut found) = check_true(context, resource, path, message, Absent::Violation, true)
    else {
        return Vec::new();
    };
    found.outcomes = unless_exempt(context, resource, found.outcomes, exemptions);
    if found.outcomes.is_empty() {
        return Vec::new();
    }
    vec![found]
}

const STORAGE_ENCRYPTED: &[Step<'static>] = &[Step::Key("StorageEncrypted")];

fn is_aurora(engine: &str) -> bool {
    engine.trim().to_ascii_lowercase().starts_with("aurora")
}

fn is_serverless_v1(mode: &str) -> bool {
    mode.trim().eq_ignore_ascii_case("serverless")
}

/// Instances that take their storage encryption from elsewhere: a cluster (Aurora, or an engine
/// named `aurora*`, which requires one), a source instance or cluster (read replicas), a snapshot
/// or an automated backup (restores).
const INSTANCE_EXEMPTIONS: &[Exempt] = &[
    Exempt::WhenSet("DBClusterIdentifier"),
    Exempt::WhenSet("SourceDBInstanceIdentifier"),
    Exempt::WhenSet("SourceDBClusterIdentifier"),
    Exempt::WhenSet("DBSnapshotIdentifier"),
    Exempt::WhenSet("SourceDBInstanceAutomatedBackupsArn"),
    Exempt::WhenSet("SourceDbiResourceId"),
    Exempt::WhenText("Engine", is_aurora),
];

/// Clusters that are encrypted anyway (Aurora Serverless v1) or inherit encryption (restores).
const CLUSTER_EXEMPTIONS: &[Exempt] = &[
    Exempt::WhenText("EngineMode", is_serverless_v1),
    Exempt::WhenSet("SnapshotIdentifier"),
    Exempt::WhenSet("SourceDBClusterIdentifier"),
];

pub const RDS001: Rule = Rule {
    meta: RuleMeta {
        id: "RDS001",
        name: "rds-instance-storage-encrypted",
        title: "RDS DB instances should have encrypted storage",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::RDS::DBInstance"],
        references: References {
            cfn_nag: &["F27"],
            checkov: &["CKV_AWS_16"],
            aws_config: &["rds-storage-encrypted"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "RDS does not encrypt a DB instance unless it is asked to: without \
`StorageEncrypted: true`, the instance's storage, its automated backups, snapshots, read replicas \
and logs are all kept unencrypted, and an unencrypted snapshot cannot simply be shared or copied into \
an encrypted one later without a restore. With encryption on, RDS uses KMS (the `aws/rds` key or \
the one in `KmsKeyId`) transparently, at no noticeable cost.\n\n\
Instances that get their encryption elsewhere are not reported: Aurora members (`DBClusterIdentifier`, \
or an `aurora*` engine) follow their cluster (see RDS002), read replicas \
(`SourceDBInstanceIdentifier`, `SourceDBClusterIdentifier`) follow their source, and restores \
(`DBSnapshotIdentifier`, `SourceDBInstanceAutomatedBackupsArn`, `SourceDbiResourceId`) follow the \
snapshot or backup.",
            remediation: "Set `StorageEncrypted: true`, optionally with `KmsKeyId`. RDS cannot encrypt an \
existing instance in place: CloudFormation replaces it, and the new instance starts empty unless you \
first take a snapshot, copy it with encryption, and restore from the copy. The quick fix is \
therefore unsafe; plan the migration before applying it to a live database.",
            noncompliant: "Resources:
  OrdersDatabase:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      MasterUsername: app
      ManageMasterUserPassword: true
",
            compliant: "Resources:
  OrdersDatabase:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      MasterUsername: app
      ManageMasterUserPassword: true
      StorageEncrypted: true
",
        },
    },
    check: Check::Custom(instance),
};

pub const RDS002: Rule = Rule {
    meta: RuleMeta {
        id: "RDS002",
        name: "rds-cluster-storage-encrypted",
        title: "RDS and Aurora DB clusters should have encrypted storage",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::RDS::DBCluster"],
        references: References {
            cfn_nag: &["F26"],
            checkov: &["CKV_AWS_96"],
            aws_config: &["rds-cluster-encrypted-at-rest"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "An Aurora or Multi-AZ DB cluster created through the API or CloudFormation is \
unencrypted unless `StorageEncrypted` is true (the console merely pre-ticks the box). The cluster \
volume, every instance in the cluster, its backups and snapshots then hold plaintext data. With \
encryption on, the cluster is encrypted with KMS (`aws/rds`, or the key in `KmsKeyId`).\n\n\
Aurora Serverless v1 clusters (`EngineMode: serverless`) are always encrypted, and clusters \
restored from a snapshot (`SnapshotIdentifier`) or cloned from another cluster \
(`SourceDBClusterIdentifier`) inherit the source's encryption, so none of them is reported.",
            remediation: "Set `StorageEncrypted: true`, optionally with `KmsKeyId`. Encryption cannot be \
turned on for an existing cluster: CloudFormation replaces it, and its data is gone unless you \
restore the new cluster from an encrypted snapshot. The quick fix is unsafe for that reason.",
            noncompliant: "Resources:
  OrdersCluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      MasterUsername: app
      ManageMasterUserPassword: true
",
            compliant: "Resources:
  OrdersCluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      MasterUsername: app
      ManageMasterUserPassword: true
      StorageEncrypted: true
",
        },
    },
    check: Check::Custom(cluster),
};

fn instance<'a>(context: &RuleContext<'_, '_, 'a>, database: &Resource<'a>) -> Vec<Violation<'a>> {
    check_true_unless(
        context,
        database,
        STORAGE_ENCRYPTED,
        "RDS DB instance {resource} does not encrypt its storage",
        INSTANCE_EXEMPTIONS,
    )
}

fn cluster<'a>(context: &RuleContext<'_, '_, 'a>, cluster: &Resource<'a>) -> Vec<Violation<'a>> {
    check_true_unless(
        context,
        cluster,
        STORAGE_ENCRYPTED,
        "RDS DB cluster {resource} does not encrypt its storage",
        CLUSTER_EXEMPTIONS,
    )
}

pub const RULES: &[Rule] = &[RDS001, RDS002];
