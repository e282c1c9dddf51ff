//! Amazon EFS.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const EFS001: Rule = Rule {
    meta: RuleMeta {
        id: "EFS001",
        name: "efs-file-system-encrypted",
        title: "EFS file systems should be encrypted at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::EFS::FileSystem"],
        references: References {
            cfn_nag: &["F32"],
            checkov: &["CKV_AWS_42"],
            aws_config: &["efs-encrypted-check"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "The EFS console creates encrypted file systems by default, but the API and \
CloudFormation do not: without `Encrypted: true` the file data and metadata are stored in plaintext. \
Encryption at rest is chosen once, when the file system is created, and uses KMS (`aws/elasticfilesystem`, \
or the key in `KmsKeyId`) transparently for clients.",
            remediation: "Set `Encrypted: true`, optionally with `KmsKeyId`. Encryption cannot be added to \
an existing file system: CloudFormation replaces it and the new one starts empty, so copy the data \
across (for example with AWS DataSync or an AWS Backup restore) before switching clients over. The \
quick fix is unsafe for that reason.",
            noncompliant: "Resources:
  SharedFiles:
    Type: AWS::EFS::FileSystem
    Properties:
      PerformanceMode: generalPurpose
",
            compliant: "Resources:
  SharedFiles:
    Type: AWS::EFS::FileSystem
    Properties:
      PerformanceMode: generalPurpose
      Encrypted: true
",
        },
    },
    check: Check::True {
        path: &[Step::Key("Encrypted")],
        message: "EFS file system {resource} is not encrypted at rest",
        absent: Absent::Violation,
        fix: true,
    },
};

pub const RULES: &[Rule] = &[EFS001];
