//! Amazon EMR.

use super::helpers::{bool_or_absent, gated, in_case_of, push_new, unset};
use super::{Absent, Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::template::Resource;

pub const EMR001: Rule = Rule {
    meta: RuleMeta {
        id: "EMR001",
        name: "emr-security-configuration-encryption-at-rest",
        title: "EMR security configurations should enable and configure encryption at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::EMR::SecurityConfiguration"],
        references: References {
            cfn_nag: &["W61"],
            checkov: &[],
            aws_config: &["emr-security-configuration-encryption-rest"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "An EMR cluster spreads its working data over the local disks of its nodes (HDFS blocks, \
shuffle and spill files, the EBS volumes) and reads and writes S3 through EMRFS. EMR encrypts none of \
the local storage (beyond the account's default EBS encryption, where it is on) unless the cluster's \
security configuration turns on at-rest encryption and says how: \
`EncryptionConfiguration.EnableAtRestEncryption: true`, with an \
`AtRestEncryptionConfiguration` that gives a `LocalDiskEncryptionConfiguration` (a KMS key or a custom \
key provider) and/or an `S3EncryptionConfiguration` (`SSE-S3`, `SSE-KMS`, `CSE-KMS` or `CSE-Custom`).\n\n\
The configuration is read whether it is written as a nested mapping or as a JSON string. A string Ward \
cannot read (built from values only known at deployment) is not reported.",
            remediation: "In `SecurityConfiguration`, set `EncryptionConfiguration.EnableAtRestEncryption` to `true` \
and add an `AtRestEncryptionConfiguration` with a `LocalDiskEncryptionConfiguration` (for example \
`EncryptionKeyProviderType: AwsKms` with `AwsKmsKey`, and `EnableEbsEncryption: true`) and an \
`S3EncryptionConfiguration`. A security configuration cannot be edited: a new one is created and \
clusters pick it up only when they are launched again. The key and the provider are choices Ward cannot \
make, so there is no quick fix.",
            noncompliant: "Resources:
  EmrSecurity:
    Type: AWS::EMR::SecurityConfiguration
    Properties:
      SecurityConfiguration:
        EncryptionConfiguration:
          EnableInTransitEncryption: false
          EnableAtRestEncryption: false
",
            compliant: "Resources:
  EmrSecurity:
    Type: AWS::EMR::SecurityConfiguration
    Properties:
      SecurityConfiguration:
        EncryptionConfiguration:
          EnableInTransitEncryption: false
          EnableAtRestEncryption: true
          AtRestEncryptionConfiguration:
            S3EncryptionConfiguration:
              EncryptionMode: SSE-S3
            LocalDiskEncryptionConfiguration:
              EncryptionKeyProviderType: AwsKms
              AwsKmsKey: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/emr-disks
              EnableEbsEncryption: true
",
        },
    },
    check: Check::Custom(security_configuration),
};

const CONFIGURATION: &[Step<'static>] = &[Step::Key("SecurityConfiguration")];
const ENABLE: &[Step<'static>] = &[
    Step::Key("EncryptionConfiguration"),
    Step::Key("EnableAtRestEncryption"),
];
const AT_REST: &[Step<'static>] = &[
    Step::Key("EncryptionConfiguration"),
    Step::Key("AtRestEncryptionConfiguration"),
];
const S3_MODE: &[Step<'static>] = &[
    Step::Key("S3EncryptionConfiguration"),
    Step::Key("EncryptionMode"),
];
const DISK_PROVIDER: &[Step<'static>] = &[
    Step::Key("LocalDiskEncryptionConfiguration"),
    Step::Key("EncryptionKeyProviderType"),
];

const NOT_ENABLED: &str =
    "EMR security configuration {resource} does not enable encryption at rest";
const NOT_CONFIGURED: &str = "EMR security configuration {resource} enables encryption at rest but configures neither local disk nor S3 encryption";

fn security_configuration<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let mut disabled: Vec<Outcome<'a>> = Vec::new();
    let mut unconfigured: Vec<Outcome<'a>> = Vec::new();
    for configuration in context.property(resource, CONFIGURATION) {
        match &configuration.value {
            Value::Absent => disabled.push(configuration),
            Value::Node(node) if node.as_mapping().is_some() => {
                let (off, empty) = from_mapping(context, configuration);
                disabled.extend(off);
                unconfigured.extend(empty);
            }
            // CloudFormation also takes the configuration as a JSON document in a string.
            value => match value.text().map(from_json) {
                Some(Some(Verdict::Disabled)) => disabled.push(configuration),
                Some(Some(Verdict::Unconfigured)) => unconfigured.push(configuration),
                _ => {}
            },
        }
    }
    let mut found = Vec::new();
    if !disabled.is_empty() {
        let mut path = CONFIGURATION.to_vec();
        path.extend_from_slice(ENABLE);
        found.push(violation(resource, NOT_ENABLED, &path, disabled));
    }
    if !unconfigured.is_empty() {
        let mut path = CONFIGURATION.to_vec();
        path.extend_from_slice(AT_REST);
        found.push(violation(resource, NOT_CONFIGURED, &path, unconfigured));
    }
    found
}

/// The cases in which a configuration written as a mapping leaves encryption off, and those in
/// which it turns it on without saying what to encrypt.
fn from_mapping<'a>(
    context: &RuleContext<'_, '_, 'a>,
    configuration: Outcome<'a>,
) -> (Vec<Outcome<'a>>, Vec<Outcome<'a>>) {
    let mut disabled = Vec::new();
    let mut unconfigured = Vec::new();
    for enabled in context.eval.walk(vec![configuration.clone()], ENABLE, None) {
        if bool_or_absent(&enabled.value, false) {
            disabled.push(enabled);
            continue;
        }
        if enabled.value.as_bool() != Some(true) {
            continue;
        }
        let at_rest = context
            .eval
            .walk(vec![configuration.clone()], AT_REST, None);
        let modes = unset(context.eval.walk(at_rest.clone(), S3_MODE, None));
        let providers = context.eval.walk(at_rest, DISK_PROVIDER, None);
        let neither = gated(modes, &providers, Value::is_unset);
        for outcome in in_case_of(&enabled, neither) {
            push_new(&mut unconfigured, outcome);
        }
    }
    (disabled, unconfigured)
}

enum Verdict {
    Disabled,
    Unconfigured,
}

/// The verdict on a configuration written as a JSON string: `None` when it is compliant or is
/// not JSON that Ward can read.
fn from_json(text: &str) -> Option<Verdict> {
    let document: serde_json::Value = serde_json::from_str(text).ok()?;
    let encryption = document.get("EncryptionConfiguration");
    let enabled = encryption.and_then(|encryption| encryption.get("EnableAtRestEncryption"));
    let enabled = match enabled {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(flag)) => *flag,
        Some(serde_json::Value::String(text)) if text.eq_ignore_ascii_case("true") => true,
        Some(serde_json::Value::String(text)) if text.eq_ignore_ascii_case("false") => false,
        Some(_) => return None,
    };
    if !enabled {
        return Some(Verdict::Disabled);
    }
    let at_rest = encryption.and_then(|encryption| encryption.get("AtRestEncryptionConfiguration"));
    let set = |first: &str, second: &str| {
        at_rest
            .and_then(|at_rest| at_rest.get(first))
            .and_then(|inner| inner.get(second))
            .is_some_and(|value| !value.is_null() && value.as_str() != Some(""))
    };
    let configured = set("S3EncryptionConfiguration", "EncryptionMode")
        || set(
            "LocalDiskEncryptionConfiguration",
            "EncryptionKeyProviderType",
        );
    (!configured).then_some(Verdict::Unconfigured)
}

pub const EMR002: Rule = Rule {
    meta: RuleMeta {
        id: "EMR002",
        name: "emr-cluster-security-configuration",
        title: "EMR clusters should use a security configuration",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::EMR::Cluster"],
        references: References {
            cfn_nag: &["W63"],
            checkov: &[],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Encryption of an EMR cluster's local disks, of its EMRFS data in S3 and of the traffic \
between its nodes is configured only through a security configuration. A cluster launched without \
`SecurityConfiguration` therefore keeps HDFS blocks and temporary files unencrypted on its nodes (unless \
the account encrypts new EBS volumes by default) and uses no Kerberos or Lake Formation integration \
either.",
            remediation: "Create an `AWS::EMR::SecurityConfiguration` that enables encryption at rest (see EMR001) \
and give its name in the cluster's `SecurityConfiguration`, e.g. `!Ref EmrSecurity`. Changing it replaces \
the cluster, so plan it with the next relaunch. Which protections to configure is a choice Ward cannot \
make, so there is no quick fix.",
            noncompliant: "Resources:
  Analytics:
    Type: AWS::EMR::Cluster
    Properties:
      Name: analytics
      ReleaseLabel: emr-7.2.0
      JobFlowRole: EMR_EC2_DefaultRole
      ServiceRole: EMR_DefaultRole
      Instances:
        Ec2SubnetId: subnet-0a1b2c3d
        MasterInstanceGroup:
          InstanceCount: 1
          InstanceType: m5.xlarge
",
            compliant: "Resources:
  EmrSecurity:
    Type: AWS::EMR::SecurityConfiguration
    Properties:
      SecurityConfiguration:
        EncryptionConfiguration:
          EnableInTransitEncryption: false
          EnableAtRestEncryption: true
          AtRestEncryptionConfiguration:
            LocalDiskEncryptionConfiguration:
              EncryptionKeyProviderType: AwsKms
              AwsKmsKey: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/emr-disks
              EnableEbsEncryption: true
  Analytics:
    Type: AWS::EMR::Cluster
    Properties:
      Name: analytics
      ReleaseLabel: emr-7.2.0
      JobFlowRole: EMR_EC2_DefaultRole
      ServiceRole: EMR_DefaultRole
      SecurityConfiguration: !Ref EmrSecurity
      Instances:
        Ec2SubnetId: subnet-0a1b2c3d
        MasterInstanceGroup:
          InstanceCount: 1
          InstanceType: m5.xlarge
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("SecurityConfiguration")],
        message: "EMR cluster {resource} has no security configuration, so its local disks are not encrypted by EMR",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[EMR001, EMR002];
