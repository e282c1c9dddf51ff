//! AWS Backup.

use super::{Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const BAK001: Rule = Rule {
    meta: RuleMeta {
        id: "BAK001",
        name: "backup-vault-customer-managed-key",
        title: "Backup vaults should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::Backup::BackupVault"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_166"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Backups in a vault are always encrypted. Without `EncryptionKeyArn`, the vault uses \
the AWS managed key `aws/backup` for the backups it encrypts itself. That key's policy cannot be \
changed, so it cannot be used to separate who may restore from who may administer the account, and \
backups it protects cannot be copied to another account. A customer managed key lets a key policy \
guard restores, which matters for backups meant to survive a compromised account. Backups of \
services that encrypt on their own (EBS, RDS …) keep the source's key either way.",
            remediation: "Create an `AWS::KMS::Key` (or use an existing one) and set `EncryptionKeyArn` to \
its ARN. The key is a choice Ward cannot make, so there is no quick fix. The key of an existing vault \
cannot be changed: a new key means a new vault.",
            noncompliant: "Resources:
  BackupVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: app-backups
",
            compliant: "Resources:
  BackupKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  BackupVault:
    Type: AWS::Backup::BackupVault
    Properties:
      BackupVaultName: app-backups
      EncryptionKeyArn: !GetAtt BackupKey.Arn
",
        },
    },
    check: Check::CustomerKey {
        path: &[Step::Key("EncryptionKeyArn")],
        message: "Backup vault {resource} is not encrypted with a customer managed KMS key",
        encrypted: None,
    },
};

pub const RULES: &[Rule] = &[BAK001];
