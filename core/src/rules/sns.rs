//! Amazon SNS.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::fix::NewValue;

pub const SNS001: Rule = Rule {
    meta: RuleMeta {
        id: "SNS001",
        name: "sns-topic-kms-encryption",
        title: "SNS topics should be encrypted with a KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::SNS::Topic"],
        references: References {
            cfn_nag: &["W47"],
            checkov: &["CKV_AWS_26"],
            aws_config: &["sns-encrypted-kms"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "SNS keeps every message on disk until it has been delivered to all \
subscriptions, retries included. Unlike most storage services, SNS does **not** encrypt those \
messages at rest unless the topic names a KMS key in `KmsMasterKeyId`: without it, message bodies \
(which often carry order data, alerts with hostnames, or personal data) sit unencrypted on the \
service's storage. With a key, SNS encrypts each message as it arrives and decrypts it only to \
deliver it, and every use of the key is recorded in CloudTrail.",
            remediation: "Set `KmsMasterKeyId` to a KMS key. The quick fix uses the AWS managed key \
`alias/aws/sns`, which costs nothing to set up but whose key policy cannot be changed: AWS services \
that publish to the topic on your behalf (CloudWatch alarms, EventBridge, S3 event notifications \
…) are then refused, because they are not allowed to use that key. For such topics create a \
customer managed key whose key policy lets those service principals call `kms:GenerateDataKey*` and \
`kms:Decrypt`, and use it instead. The change is applied in place.",
            noncompliant: "Resources:
  AlertsTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
",
            compliant: "Resources:
  AlertsTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: alerts
      KmsMasterKeyId: alias/aws/sns
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("KmsMasterKeyId")],
        message: "SNS topic {resource} is not encrypted at rest",
        absent: Absent::Violation,
        fix: Some((
            "Encrypt with the AWS managed key alias/aws/sns",
            sns_managed_key,
        )),
    },
};

fn sns_managed_key() -> NewValue {
    NewValue::Str("alias/aws/sns")
}

pub const RULES: &[Rule] = &[SNS001];
