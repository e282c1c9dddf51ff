//! AWS Secrets Manager.

use super::{Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const SM001: Rule = Rule {
    meta: RuleMeta {
        id: "SM001",
        name: "secret-customer-managed-key",
        title: "Secrets Manager secrets should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::SecretsManager::Secret"],
        references: References {
            cfn_nag: &["W77"],
            checkov: &["CKV_AWS_149"],
            aws_config: &["secretsmanager-using-cmk"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Secrets Manager always encrypts secret values. Without `KmsKeyId`, or with \
the alias `alias/aws/secretsmanager`, it uses the AWS managed key, whose key policy lets every \
principal of the account that may call `secretsmanager:GetSecretValue` decrypt. A customer managed \
key adds a second, independent gate (the key policy), makes each decryption visible in CloudTrail \
against a key you own, and is required to share a secret with another account.",
            remediation: "Create a customer managed KMS key (or use an existing one) and set its \
ARN, id or alias in `KmsKeyId`. The key policy must let the roles that read the secret use the key \
through Secrets Manager. The key is a choice Ward cannot make for you, so there is no quick fix. \
Changing the key is applied in place; Secrets Manager re-encrypts the current versions.",
            noncompliant: "Resources:
  DatabaseSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: Credentials of the orders database
      GenerateSecretString:
        SecretStringTemplate: '{\"username\": \"orders\"}'
        GenerateStringKey: password
",
            compliant: "Parameters:
  SecretsKeyArn:
    Type: String
Resources:
  DatabaseSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: Credentials of the orders database
      KmsKeyId: !Ref SecretsKeyArn
      GenerateSecretString:
        SecretStringTemplate: '{\"username\": \"orders\"}'
        GenerateStringKey: password
",
        },
    },
    check: Check::CustomerKey {
        path: &[Step::Key("KmsKeyId")],
        message: "Secret {resource} is encrypted with the AWS managed key, not a customer managed KMS key",
        encrypted: None,
    },
};

pub const RULES: &[Rule] = &[SM001];
