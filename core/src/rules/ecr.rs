//! Amazon ECR.

use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Step, Value};
use crate::fix::NewValue;
use crate::template::Resource;

const ENCRYPTION_TYPE: &[Step<'static>] = &[
    Step::Key("EncryptionConfiguration"),
    Step::Key("EncryptionType"),
];

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
    check: Check::Custom(repository_encryption),
};

fn repository_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    repository: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let bad: Vec<_> = context
        .property(repository, ENCRYPTION_TYPE)
        .into_iter()
        .filter(|outcome| match &outcome.value {
            Value::Unknown => false,
            value if value.is_unset() => true,
            value => value
                .text()
                .is_some_and(|kind| kind.eq_ignore_ascii_case("AES256")),
        })
        .collect();
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        repository,
        "ECR repository {resource} is encrypted with AES-256 keys managed by ECR, not a KMS key",
        ENCRYPTION_TYPE,
        bad,
    );
    found.fix = context.set_fix(
        repository,
        &["EncryptionConfiguration", "EncryptionType"],
        NewValue::Str("KMS"),
        "Encrypt with the AWS managed key aws/ecr (EncryptionType: KMS)",
    );
    vec![found]
}

pub const RULES: &[Rule] = &[ECR001];
