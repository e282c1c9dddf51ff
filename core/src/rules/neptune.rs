//! Amazon Neptune.

use super::shapes::RESTORED_CLUSTER;
use super::{Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const NEP001: Rule = Rule {
    meta: RuleMeta {
        id: "NEP001",
        name: "neptune-cluster-storage-encrypted",
        title: "Neptune clusters should have encrypted storage",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::Neptune::DBCluster"],
        references: References {
            cfn_nag: &["F30"],
            checkov: &["CKV_AWS_44"],
            aws_config: &["neptune-cluster-encrypted"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "Through CloudFormation and the API, a Neptune cluster is created unencrypted \
unless `StorageEncrypted` is true. The graph data, its automated backups, snapshots and read \
replicas are then stored in plaintext. With encryption on, Neptune encrypts them with KMS \
(`aws/rds`, or the key in `KmsKeyId`).\n\n\
Clusters restored from a snapshot (`SnapshotIdentifier`) or from another cluster \
(`SourceDBClusterIdentifier`) inherit the source's encryption and are not reported.",
            remediation: "Set `StorageEncrypted: true`, optionally with `KmsKeyId`. Neptune cannot encrypt \
an existing cluster: the change replaces it, so migrate the data through an encrypted snapshot \
first. The quick fix is unsafe for that reason.",
            noncompliant: "Resources:
  GraphCluster:
    Type: AWS::Neptune::DBCluster
    Properties:
      EngineVersion: 1.3.2.1
",
            compliant: "Resources:
  GraphCluster:
    Type: AWS::Neptune::DBCluster
    Properties:
      EngineVersion: 1.3.2.1
      StorageEncrypted: true
",
        },
    },
    check: Check::TrueUnless {
        path: &[Step::Key("StorageEncrypted")],
        message: "Neptune cluster {resource} does not encrypt its storage",
        unless: RESTORED_CLUSTER,
    },
};

pub const RULES: &[Rule] = &[NEP001];
