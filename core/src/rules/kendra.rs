//! Amazon Kendra.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const KDR001: Rule = Rule {
    meta: RuleMeta {
        id: "KDR001",
        name: "kendra-index-customer-managed-key",
        title: "Kendra indexes should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::Kendra::Index"],
        references: References {
            cfn_nag: &["W80"],
            checkov: &[],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A Kendra index holds the text of every document it has crawled, which is usually internal \
material. Kendra always encrypts the index at rest, by default with a key that AWS owns: nobody in your \
account can see that key, restrict it or stop its use. With \
`ServerSideEncryptionConfiguration.KmsKeyId`, the index is encrypted with a customer managed key, so its \
key policy governs decryption, CloudTrail records each use, and disabling the key makes the index \
unreadable.",
            remediation: "Set `ServerSideEncryptionConfiguration.KmsKeyId` to a symmetric customer managed KMS key \
that the index's role may use. The key can only be chosen when the index is created: changing it \
replaces the index, which must then crawl its data sources again. Which key to use is a choice Ward \
cannot make, so there is no quick fix.",
            noncompliant: "Resources:
  SearchIndex:
    Type: AWS::Kendra::Index
    Properties:
      Name: intranet
      Edition: DEVELOPER_EDITION
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/kendra-index
",
            compliant: "Resources:
  IndexKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  SearchIndex:
    Type: AWS::Kendra::Index
    Properties:
      Name: intranet
      Edition: DEVELOPER_EDITION
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/kendra-index
      ServerSideEncryptionConfiguration:
        KmsKeyId: !Ref IndexKey
",
        },
    },
    check: Check::Set {
        path: &[
            Step::Key("ServerSideEncryptionConfiguration"),
            Step::Key("KmsKeyId"),
        ],
        message: "Kendra index {resource} is not encrypted with a customer managed KMS key",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[KDR001];
