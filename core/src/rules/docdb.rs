//! Amazon DocumentDB.

use super::shapes::RESTORED_CLUSTER;
use super::{Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const DOCDB001: Rule = Rule {
    meta: RuleMeta {
        id: "DOCDB001",
        name: "docdb-cluster-storage-encrypted",
        title: "DocumentDB clusters should have encrypted storage",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::DocDB::DBCluster"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_74"],
            aws_config: &["docdb-cluster-encrypted"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "A DocumentDB cluster created from a template stores its cluster volume, \
backups, snapshots and replicas unencrypted unless `StorageEncrypted` is true; only the console \
turns encryption on by default. With it, DocumentDB encrypts everything with KMS (`aws/rds`, or the \
key named in `KmsKeyId`), with no change for applications.\n\n\
Clusters restored from a snapshot (`SnapshotIdentifier`) or to a point in time of another cluster \
(`SourceDBClusterIdentifier`) take the source's encryption and are not reported.",
            remediation: "Set `StorageEncrypted: true`, optionally with `KmsKeyId`. An existing cluster \
cannot be encrypted in place: CloudFormation replaces it, so take a snapshot and restore it into an \
encrypted cluster rather than letting the replacement start empty. The quick fix is unsafe for that \
reason.",
            noncompliant: "Resources:
  CatalogCluster:
    Type: AWS::DocDB::DBCluster
    Properties:
      MasterUsername: catalog
      ManageMasterUserPassword: true
",
            compliant: "Resources:
  CatalogCluster:
    Type: AWS::DocDB::DBCluster
    Properties:
      MasterUsername: catalog
      ManageMasterUserPassword: true
      StorageEncrypted: true
",
        },
    },
    check: Check::TrueUnless {
        path: &[Step::Key("StorageEncrypted")],
        message: "DocumentDB cluster {resource} does not encrypt its storage",
        unless: RESTORED_CLUSTER,
    },
};

pub const RULES: &[Rule] = &[DOCDB001];
