//! Amazon DynamoDB.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

const TABLES: &[&str] = &["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"];

pub const DDB001: Rule = Rule {
    meta: RuleMeta {
        id: "DDB001",
        name: "dynamodb-table-kms-encryption",
        title: "DynamoDB tables should be encrypted with a KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: TABLES,
        references: References {
            cfn_nag: &["W74"],
            checkov: &[],
            aws_config: &[
                "dynamodb-table-encrypted-kms",
                "dynamodb-table-encryption-enabled",
            ],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "DynamoDB always encrypts table data at rest, but unless `SSESpecification.SSEEnabled` \
is true it uses a key that AWS owns and you cannot see: no key policy limits who can decrypt, \
CloudTrail records no use of the key, and access cannot be cut off by disabling the key. With \
`SSEEnabled: true` the table is encrypted with a KMS key (the AWS managed `aws/dynamodb` key, or a \
customer managed key given in `KMSMasterKeyId`), so every decryption is logged and governed by KMS.",
            remediation: "Set `SSESpecification.SSEEnabled` to `true`. Add `KMSMasterKeyId` to use a \
customer managed key (see DDB002). The change is applied in place, without replacing the table.",
            noncompliant: "Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
",
            compliant: "Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: true
",
        },
    },
    check: Check::True {
        path: &[Step::Key("SSESpecification"), Step::Key("SSEEnabled")],
        message: "DynamoDB table {resource} is not encrypted with a KMS key",
        absent: Absent::Violation,
        fix: true,
    },
};

pub const DDB002: Rule = Rule {
    meta: RuleMeta {
        id: "DDB002",
        name: "dynamodb-table-customer-managed-key",
        title: "DynamoDB tables should use a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: TABLES,
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_119"],
            aws_config: &["dynamodb-table-encrypted-kms"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Without `KMSMasterKeyId`, a table is encrypted with a key AWS owns or, with \
`SSEEnabled: true`, with the AWS managed key `aws/dynamodb`, whose key policy you cannot change: any principal of the account \
allowed to read the table can have it decrypted. A customer managed key lets the key policy decide \
who may decrypt, lets you disable or rotate the key, and is required for some cross-account setups.",
            remediation: "Create an `AWS::KMS::Key` (or use an existing one) and give its ARN, id or \
alias in `SSESpecification.KMSMasterKeyId`. Which key to use is a choice Ward cannot make for you, so \
there is no quick fix.",
            noncompliant: "Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: true
",
            compliant: "Resources:
  TableKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: true
        SSEType: KMS
        KMSMasterKeyId: !Ref TableKey
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("SSESpecification"), Step::Key("KMSMasterKeyId")],
        message: "DynamoDB table {resource} is not encrypted with a customer managed KMS key",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[DDB001, DDB002];
