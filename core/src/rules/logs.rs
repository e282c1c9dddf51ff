//! Amazon CloudWatch Logs.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const LOG001: Rule = Rule {
    meta: RuleMeta {
        id: "LOG001",
        name: "log-group-customer-managed-key",
        title: "CloudWatch log groups should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::Logs::LogGroup"],
        references: References {
            cfn_nag: &["W84"],
            checkov: &["CKV_AWS_158"],
            aws_config: &["cloudwatch-log-group-encrypted"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "CloudWatch Logs always encrypts log events at rest with keys the service \
manages, so a log group without `KmsKeyId` is not stored in clear. What a KMS key adds is control: \
reading the logs then also needs `kms:Decrypt` on your key, disabling the key cuts off access to \
the whole group, and CloudTrail shows each use. That matters for log groups that receive request \
payloads, tokens or personal data by accident, which is common.",
            remediation: "Create a customer managed KMS key whose key policy allows the \
`logs.<region>.amazonaws.com` service principal to use it (scoped with the \
`kms:EncryptionContext:aws:logs:arn` condition), and set its ARN in `KmsKeyId`. The key and its \
policy are a choice Ward cannot make for you, so there is no quick fix. Adding the key does not \
replace the log group; events already stored keep their previous encryption.",
            noncompliant: "Resources:
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /app/orders
      RetentionInDays: 90
",
            compliant: "Parameters:
  LogsKeyArn:
    Type: String
    Description: ARN of a KMS key whose policy lets CloudWatch Logs use it
Resources:
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /app/orders
      RetentionInDays: 90
      KmsKeyId: !Ref LogsKeyArn
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("KmsKeyId")],
        message: "Log group {resource} is not encrypted with a customer managed KMS key",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[LOG001];
