//! Amazon Elastic Kubernetes Service.

use super::helpers::{pairs, push_new};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Case, Outcome, Step, Value};
use crate::template::Resource;

pub const EKS001: Rule = Rule {
    meta: RuleMeta {
        id: "EKS001",
        name: "eks-secrets-customer-managed-key",
        title: "EKS clusters should envelope-encrypt Kubernetes secrets with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::EKS::Cluster"],
        references: References {
            cfn_nag: &["W82"],
            checkov: &["CKV_AWS_58"],
            aws_config: &["eks-cluster-secrets-encrypted", "eks-secrets-encrypted"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Kubernetes secrets live in the cluster's etcd store. Since 2025, EKS clusters running \
Kubernetes 1.28 or later envelope-encrypt all Kubernetes API data with a key that AWS owns, so etcd no \
longer holds secrets in clear; on older Kubernetes versions etcd has only the encryption of the volumes \
it is stored on. An `EncryptionConfig` entry for the `secrets` resource with `Provider.KeyArn` puts \
the envelope under a KMS key of yours instead: its key policy decides who may have secrets decrypted, \
each use is logged in CloudTrail, and disabling the key makes the secrets unreadable.",
            remediation: "Add an `EncryptionConfig` entry with `Resources: [secrets]` and `Provider.KeyArn` set to \
the ARN of a symmetric customer managed KMS key in the cluster's Region; the cluster role must be allowed \
to use the key. EKS can add secrets encryption to a running cluster, but once on it cannot be turned \
off or moved to another key. The key is a choice Ward cannot make, so there is no quick fix.",
            noncompliant: "Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.31'
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/eks-cluster
      ResourcesVpcConfig:
        SubnetIds:
          - subnet-0a1b2c3d
          - subnet-4e5f6a7b
",
            compliant: "Resources:
  SecretsKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Version: '1.31'
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/eks-cluster
      ResourcesVpcConfig:
        SubnetIds:
          - subnet-0a1b2c3d
          - subnet-4e5f6a7b
      EncryptionConfig:
        - Resources:
            - secrets
          Provider:
            KeyArn: !GetAtt SecretsKey.Arn
",
        },
    },
    check: Check::Custom(secrets_key),
};

/// Compliant when some entry of `EncryptionConfig` covers `secrets` with a key. Each way an entry
/// can fail is reported only if no entry can succeed at the same time.
fn secrets_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    cluster: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let path = &[Step::Key("EncryptionConfig")];
    let mut bad: Vec<Outcome<'a>> = Vec::new();
    for config in context.property(cluster, path) {
        match &config.value {
            Value::Absent => bad.push(config),
            Value::Node(node) if node.as_sequence().is_some() => {
                let (good, failing) = entries(context, &config);
                for case in failing {
                    if good.iter().any(|good| good.merge(&case).is_some()) {
                        continue;
                    }
                    push_new(
                        &mut bad,
                        Outcome {
                            case,
                            ..config.clone()
                        },
                    );
                }
            }
            // Unknown, or a schema error that is not a security finding.
            _ => {}
        }
    }
    if bad.is_empty() {
        return Vec::new();
    }
    vec![violation(
        cluster,
        "EKS cluster {resource} does not envelope-encrypt Kubernetes secrets with a customer managed KMS key",
        path,
        bad,
    )]
}

/// The cases in which an entry of the list does, and does not, cover secrets with a key. An
/// empty list fails in the list's own case.
fn entries<'a>(
    context: &RuleContext<'_, '_, 'a>,
    config: &Outcome<'a>,
) -> (Vec<Case<'a>>, Vec<Case<'a>>) {
    let mut good = Vec::new();
    let mut failing = Vec::new();
    let items = context.eval.walk(vec![config.clone()], &[Step::Each], None);
    if items.is_empty() {
        failing.push(config.case.clone());
    }
    for item in items {
        if item.value == Value::Unknown {
            good.push(item.case);
            continue;
        }
        let resources = context
            .eval
            .walk(vec![item.clone()], &[Step::Key("Resources")], None);
        let keys = context.eval.walk(
            vec![item],
            &[Step::Key("Provider"), Step::Key("KeyArn")],
            None,
        );
        for (resource, key, case) in pairs(&resources, &keys) {
            if covers_secrets(context, resource) && !key.value.is_unset() {
                good.push(case);
            } else {
                failing.push(case);
            }
        }
    }
    (good, failing)
}

/// Whether a `Resources` value can include `secrets`; an unknown value is given the benefit of the
/// doubt.
fn covers_secrets<'a>(context: &RuleContext<'_, '_, 'a>, resources: &Outcome<'a>) -> bool {
    match &resources.value {
        Value::Unknown => true,
        Value::Node(node) => node.as_sequence().is_some_and(|items| {
            items.iter().any(|item| {
                context
                    .eval
                    .eval(item, &resources.case, false)
                    .iter()
                    .any(|outcome| match &outcome.value {
                        Value::Unknown => true,
                        value => value.text() == Some("secrets"),
                    })
            })
        }),
        _ => false,
    }
}

pub const RULES: &[Rule] = &[EKS001];
