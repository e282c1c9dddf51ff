//! Amazon MQ.

use super::helpers::{bool_or_absent, within};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::fix::NewValue;
use crate::template::Resource;

const USE_AWS_OWNED_KEY: &[Step<'static>] =
    &[Step::Key("EncryptionOptions"), Step::Key("UseAwsOwnedKey")];

pub const MQ001: Rule = Rule {
    meta: RuleMeta {
        id: "MQ001",
        name: "mq-broker-kms-key",
        title: "Amazon MQ brokers should encrypt their data with a KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::AmazonMQ::Broker"],
        references: References {
            cfn_nag: &["W53"],
            checkov: &[],
            aws_config: &[],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "Amazon MQ always encrypts broker storage. Without `EncryptionOptions`, or \
with `UseAwsOwnedKey: true`, it uses a key that AWS owns: you cannot see it, no key policy of \
yours applies and its use does not appear in your CloudTrail. With `UseAwsOwnedKey: false` an \
ActiveMQ broker encrypts with a KMS key in your account, the AWS managed `aws/mq` key or the \
customer managed key named in `KmsKeyId`. RabbitMQ brokers always use an AWS owned key and are \
not reported.",
            remediation: "Set `EncryptionOptions.UseAwsOwnedKey` to `false`, and add `KmsKeyId` to \
use a customer managed key rather than `aws/mq`. The quick fix writes `UseAwsOwnedKey: false` \
only. It is marked unsafe because changing `EncryptionOptions` **replaces the broker**: a new \
broker is created with new endpoints, and messages still on the old one are lost.",
            noncompliant: "Resources:
  OrdersBroker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: orders
      EngineType: ACTIVEMQ
      EngineVersion: '5.18'
      HostInstanceType: mq.m5.large
      DeploymentMode: SINGLE_INSTANCE
      PubliclyAccessible: false
      AutoMinorVersionUpgrade: true
      Users:
        - Username: admin
          Password: '{{resolve:secretsmanager:orders-broker:SecretString:password}}'
",
            compliant: "Resources:
  OrdersBroker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: orders
      EngineType: ACTIVEMQ
      EngineVersion: '5.18'
      HostInstanceType: mq.m5.large
      DeploymentMode: SINGLE_INSTANCE
      PubliclyAccessible: false
      AutoMinorVersionUpgrade: true
      EncryptionOptions:
        UseAwsOwnedKey: false
      Users:
        - Username: admin
          Password: '{{resolve:secretsmanager:orders-broker:SecretString:password}}'
",
        },
    },
    check: Check::Custom(broker_key),
};

/// Only engines that accept a KMS key are asked for one; an unknown engine is not guessed at.
fn broker_key<'a>(context: &RuleContext<'_, '_, 'a>, broker: &Resource<'a>) -> Vec<Violation<'a>> {
    let owned = context
        .property(broker, USE_AWS_OWNED_KEY)
        .into_iter()
        .filter(|flag| bool_or_absent(&flag.value, true))
        .collect();
    let bad = within(
        &context.property(broker, &[Step::Key("EngineType")]),
        |engine| {
            engine
                .text()
                .is_some_and(|engine| !engine.eq_ignore_ascii_case("RABBITMQ"))
        },
        owned,
    );
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        broker,
        "Amazon MQ broker {resource} is encrypted with an AWS owned key, not a KMS key",
        USE_AWS_OWNED_KEY,
        bad,
    );
    found.fix = context.set_fix(
        broker,
        &["EncryptionOptions", "UseAwsOwnedKey"],
        NewValue::Bool(false),
        "Encrypt with the AWS managed key aws/mq (UseAwsOwnedKey: false)",
    );
    vec![found]
}

pub const RULES: &[Rule] = &[MQ001];
