//! Amazon Redshift.

use super::shapes::{check_true_unless, relies_on_default};
use super::{Check, Exempt, Rule, RuleContext, Violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::template::Resource;

const CLUSTERS: &[&str] = &["AWS::Redshift::Cluster"];
const ENCRYPTED: &[Step<'static>] = &[Step::Key("Encrypted")];

pub const RS001: Rule = Rule {
    meta: RuleMeta {
        id: "RS001",
        name: "redshift-cluster-encrypted",
        title: "Redshift clusters should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: CLUSTERS,
        references: References {
            cfn_nag: &["F28"],
            checkov: &["CKV_AWS_64"],
            aws_config: &["redshift-cluster-configuration-check"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Since early 2025, Amazon Redshift encrypts new provisioned clusters by default, \
with an AWS owned key, when `Encrypted` is left out; the data blocks, system metadata and snapshots \
are then encrypted. Two cases remain. `Encrypted: false` asks for an unencrypted cluster, which is \
reported as an error. A cluster that leaves `Encrypted` out relies on the service default, which \
older stacks and templates written for other partitions may not share; that is reported as info, \
so that the template says what it means. Clusters restored from a snapshot (`SnapshotIdentifier`) \
take the snapshot's encryption and are not reported.",
            remediation: "Set `Encrypted: true` (and `KmsKeyId` to choose the key, see RS002). Redshift \
encrypts an existing cluster in place: the change is a modification, not a replacement, though the \
cluster is briefly read-only while its data is migrated. The quick fix is safe.",
            noncompliant: "Resources:
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.large
      DBName: analytics
      MasterUsername: admin
      ManageMasterPassword: true
",
            compliant: "Resources:
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.large
      DBName: analytics
      MasterUsername: admin
      ManageMasterPassword: true
      Encrypted: true
",
        },
    },
    check: Check::Custom(encrypted),
};

pub const RS002: Rule = Rule {
    meta: RuleMeta {
        id: "RS002",
        name: "redshift-cluster-customer-managed-key",
        title: "Redshift clusters should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: CLUSTERS,
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["redshift-cluster-kms-enabled"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Without `KmsKeyId`, an encrypted Redshift cluster uses a key that AWS owns or \
manages: no key policy of yours decides who can use it, you cannot disable it to cut off access, and \
encrypted snapshots cannot be shared with or restored in another account. A customer managed key \
gives you those controls and a CloudTrail record of each use. Clusters with `Encrypted: false` are \
left to RS001.",
            remediation: "Create an `AWS::KMS::Key` (or use an existing one) whose key policy lets Redshift \
use it, and set `KmsKeyId` to its ARN or id along with `Encrypted: true`. The key is a choice Ward \
cannot make, so there is no quick fix.",
            noncompliant: "Resources:
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.large
      DBName: analytics
      MasterUsername: admin
      ManageMasterPassword: true
      Encrypted: true
",
            compliant: "Resources:
  WarehouseKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: single-node
      NodeType: ra3.large
      DBName: analytics
      MasterUsername: admin
      ManageMasterPassword: true
      Encrypted: true
      KmsKeyId: !Ref WarehouseKey
",
        },
    },
    check: Check::CustomerKey {
        path: &[Step::Key("KmsKeyId")],
        message: "Redshift cluster {resource} is not encrypted with a customer managed KMS key",
        encrypted: Some(ENCRYPTED),
    },
};

/// Restores take their encryption from the snapshot.
const RESTORES: &[Exempt] = &[Exempt::WhenSet("SnapshotIdentifier")];

fn encrypted<'a>(context: &RuleContext<'_, '_, 'a>, cluster: &Resource<'a>) -> Vec<Violation<'a>> {
    let message = "Redshift cluster {resource} is not encrypted at rest";
    let Some(mut unencrypted) = check_true_unless(context, cluster, ENCRYPTED, message, RESTORES)
    else {
        return Vec::new();
    };
    // Left out, the service default encrypts the cluster: those cases are about intent.
    let (by_default, explicit) = std::mem::take(&mut unencrypted.outcomes)
        .into_iter()
        .partition(|outcome| outcome.value.is_absent());
    unencrypted.outcomes = explicit;
    relies_on_default(
        cluster,
        unencrypted,
        by_default,
        "Redshift cluster {resource} does not set Encrypted and relies on the default encryption of new clusters",
    )
}

pub const RULES: &[Rule] = &[RS001, RS002];
