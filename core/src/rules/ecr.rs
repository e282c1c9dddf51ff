//! Amazon ECR.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::fix::NewValue;

pub const ECR001: Rule = Rule {
    meta: RuleMeta {
        id: "ECR001",
        name: "ecr-repository-kms-encryption",
        title: "ECR repositories should be encrypted with a KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::ECR::Repository"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_136"],
            aws_config: &["ecr-repository-cmk-encryption-enabled"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "ECR always encrypts image layers at rest. Without `EncryptionConfiguration` \
(or with `EncryptionType: AES256`) it uses S3-managed AES-256 keys, which no key policy governs and \
whose use CloudTrail does not show. With `KMS` (or `KMS_DSSE`, two layers of KMS encryption) \
layers are encrypted with the AWS managed `aws/ecr` key or the customer managed key in `KmsKey`, \
so pulling an image also requires the right to use that key.",
            remediation: "Set `EncryptionConfiguration.EncryptionType` to `KMS`, and add `KmsKey` \
for a customer managed key. The quick fix writes `EncryptionType: KMS` (the AWS managed key). It \
is marked unsafe because the encryption settings of a repository cannot change: CloudFormation \
**replaces the repository**. The new one starts empty; removing the old one fails while it holds \
images (or deletes them, with `EmptyOnDelete: true`); and a repository with a fixed \
`RepositoryName` cannot be replaced without a new name. Push the images again afterwards, or make \
the change on new repositories only.",
            noncompliant: "Resources:
  ServiceImages:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: orders-service
      ImageTagMutability: IMMUTABLE
      ImageScanningConfiguration:
        ScanOnPush: true
",
            compliant: "Resources:
  ServiceImages:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: orders-service
      ImageTagMutability: IMMUTABLE
      ImageScanningConfiguration:
        ScanOnPush: true
      EncryptionConfiguration:
        EncryptionType: KMS
",
        },
    },
    check: Check::NoneOf {
        path: &[
            Step::Key("EncryptionConfiguration"),
            Step::Key("EncryptionType"),
        ],
        denied: &["AES256"],
        message: "ECR repository {resource} is encrypted with AES-256 keys managed by ECR, not a KMS key",
        absent: Absent::Violation,
        fix: Some((
            "Encrypt with the AWS managed key aws/ecr (EncryptionType: KMS)",
            ecr_managed_key,
        )),
    },
};

fn ecr_managed_key() -> NewValue {
    NewValue::Str("KMS")
}

pub const RULES: &[Rule] = &[ECR001];
