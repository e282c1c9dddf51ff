//! Amazon Timestream.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const TS001: Rule = Rule {
    meta: RuleMeta {
        id: "TS001",
        name: "timestream-database-customer-managed-key",
        title: "Timestream databases should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::Timestream::Database"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_160"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Timestream always encrypts a database's tables at rest; without `KmsKeyId` \
it uses the AWS managed key `aws/timestream`, whose key policy you cannot change, so anyone in \
the account allowed to query the tables can have them decrypted. A customer managed key puts \
decryption under a key policy you write, lets you disable access by disabling the key, and is \
often what compliance rules ask for.",
            remediation: "Create a customer managed KMS key (or use an existing one) and set its ARN \
or id in `KmsKeyId`. Which key to use is a choice Ward cannot make for you, so there is no quick \
fix. Changing the key is applied in place.",
            noncompliant: "Resources:
  MetricsDatabase:
    Type: AWS::Timestream::Database
    Properties:
      DatabaseName: metrics
",
            compliant: "Parameters:
  MetricsKeyArn:
    Type: String
Resources:
  MetricsDatabase:
    Type: AWS::Timestream::Database
    Properties:
      DatabaseName: metrics
      KmsKeyId: !Ref MetricsKeyArn
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("KmsKeyId")],
        message: "Timestream database {resource} is encrypted with the AWS managed key, not a customer managed KMS key",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[TS001];
