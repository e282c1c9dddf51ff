//! Amazon RDS and Aurora.

use super::{Check, Exempt, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

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
    check: Check::TrueUnless {
        path: STORAGE_ENCRYPTED,
        message: "RDS DB instance {resource} does not encrypt its storage",
        unless: INSTANCE_EXEMPTIONS,
    },
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
    check: Check::TrueUnless {
        path: STORAGE_ENCRYPTED,
        message: "RDS DB cluster {resource} does not encrypt its storage",
        unless: CLUSTER_EXEMPTIONS,
    },
};

pub const RULES: &[Rule] = &[RDS001, RDS002];
