//! AWS Secrets Manager.

use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Step, Value};
use crate::template::Resource;

const KMS_KEY: &[Step<'static>] = &[Step::Key("KmsKeyId")];

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
    check: Check::Custom(customer_key),
};

/// An AWS managed key named explicitly (`alias/aws/...`, also inside an alias ARN) is the
/// default, not a customer key.
fn customer_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    secret: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let bad: Vec<_> = context
        .property(secret, KMS_KEY)
        .into_iter()
        .filter(|outcome| match &outcome.value {
            Value::Unknown => false,
            value if value.is_unset() => true,
            value => value.text().is_some_and(is_aws_managed_alias),
        })
        .collect();
    if bad.is_empty() {
        return Vec::new();
    }
    vec![violation(
        secret,
        "Secret {resource} is encrypted with the AWS managed key, not a customer managed KMS key",
        KMS_KEY,
        bad,
    )]
}

fn is_aws_managed_alias(key: &str) -> bool {
    key.to_ascii_lowercase().contains("alias/aws/")
}

pub const RULES: &[Rule] = &[SM001];
