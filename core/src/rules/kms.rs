//! AWS Key Management Service.

use super::{Check, Rule, RuleContext, Violation, fixed, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::fix::NewValue;
use crate::template::Resource;

pub const KMS001: Rule = Rule {
    meta: RuleMeta {
        id: "KMS001",
        name: "kms-key-rotation",
        title: "Symmetric KMS keys should rotate their key material automatically",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::KMS::Key"],
        references: References {
            cfn_nag: &["F19"],
            checkov: &["CKV_AWS_7"],
            aws_config: &["cmk-backing-key-rotation-enabled"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "A customer managed KMS key keeps the same cryptographic material for its whole life \
unless automatic rotation is turned on; `EnableKeyRotation` is off by default. The longer one key \
material protects data, the more ciphertext depends on it and the larger the damage if it ever leaks. \
With rotation on, KMS creates new material every year (or every `RotationPeriodInDays`, 90 to 2560 days), \
encrypts new data with it and keeps the older material to decrypt what exists: the key id, ARN, aliases \
and policies stay the same, so nothing that uses the key has to change.\n\n\
Automatic rotation exists only for symmetric encryption keys whose material KMS generated. Keys with \
another `KeySpec` (RSA, ECC, HMAC, SM2), a `KeyUsage` other than `ENCRYPT_DECRYPT`, or `Origin: EXTERNAL` \
(imported material) cannot be rotated this way and are not reported.",
            remediation: "Set `EnableKeyRotation: true` on the key, and optionally `RotationPeriodInDays` to rotate \
more often than once a year. The change is applied in place, without touching data or callers; KMS bills the \
first two rotations of a key like extra key versions (about one dollar a month each) and later ones not \
at all. For imported or asymmetric keys, plan a manual rotation: create a new key and move the alias to it.",
            noncompliant: "Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Encrypts application data
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
",
            compliant: "Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Encrypts application data
      EnableKeyRotation: true
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'
",
        },
    },
    check: Check::Custom(key_rotation),
};

/// Rotation is asked only where the key is known to be a symmetric encryption key with material
/// KMS generated: for the other kinds KMS refuses `EnableKeyRotation`.
fn key_rotation<'a>(context: &RuleContext<'_, '_, 'a>, key: &Resource<'a>) -> Vec<Violation<'a>> {
    let path = &[Step::Key("EnableKeyRotation")];
    let off: Vec<Outcome<'a>> = context
        .property(key, path)
        .into_iter()
        .filter(|outcome| match &outcome.value {
            Value::Absent => true,
            value => value.as_bool() == Some(false),
        })
        .collect();
    if off.is_empty() {
        return Vec::new();
    }
    let text_is = |expected: &'static str| {
        move |value: &Value<'_>| match value {
            Value::Absent => Some(true),
            Value::Unknown => None,
            value => value.text().map(|text| text.trim() == expected),
        }
    };
    let spec = context.property(key, &[Step::Key("KeySpec")]);
    let usage = context.property(key, &[Step::Key("KeyUsage")]);
    let origin = context.property(key, &[Step::Key("Origin")]);
    let off = gated(off, &spec, text_is("SYMMETRIC_DEFAULT"));
    let off = gated(off, &usage, text_is("ENCRYPT_DECRYPT"));
    let off = gated(off, &origin, text_is("AWS_KMS"));
    if off.is_empty() {
        return Vec::new();
    }
    let found = violation(
        key,
        "KMS key {resource} does not rotate its key material automatically",
        path,
        off,
    );
    let fix = context.set_fix(
        key,
        &["EnableKeyRotation"],
        NewValue::Bool(true),
        "Set EnableKeyRotation to true",
    );
    vec![fixed(found, fix)]
}

/// Keeps each violating outcome in the cases where `gate` makes the rule apply, merging the
/// cases. `applies` says, for one value of the gate, whether the rule applies (`Some(true)`), is
/// exempt (`Some(false)`) or cannot be told (`None`); an unknown gate never yields a finding.
///
/// Shared by the rules of this family whose check depends on another property (a key's spec, a
/// function's environment, a cache being on). It belongs in `helpers.rs`.
pub(super) fn gated<'a>(
    violating: Vec<Outcome<'a>>,
    gate: &[Outcome<'a>],
    applies: impl Fn(&Value<'a>) -> Option<bool>,
) -> Vec<Outcome<'a>> {
    let mut kept: Vec<Outcome<'a>> = Vec::new();
    for outcome in violating {
        for condition in gate {
            if applies(&condition.value) != Some(true) {
                continue;
            }
            let Some(case) = outcome.case.merge(&condition.case) else {
                continue;
            };
            let candidate = Outcome {
                case,
                ..outcome.clone()
            };
            if !kept.contains(&candidate) {
                kept.push(candidate);
            }
        }
    }
    kept
}

/// Drops each violating outcome for which some outcome of `exemptions` that can hold at the same
/// time exempts the resource, or cannot be told. For exemptions that hold when any item of a list
/// has a property, where [`gated`] would need every combination of items.
pub(super) fn unless_any<'a>(
    violating: Vec<Outcome<'a>>,
    exemptions: &[Outcome<'a>],
    exempts: impl Fn(&Value<'a>) -> Option<bool>,
) -> Vec<Outcome<'a>> {
    violating
        .into_iter()
        .filter(|outcome| {
            !exemptions.iter().any(|exemption| {
                exempts(&exemption.value) != Some(false)
                    && outcome.case.merge(&exemption.case).is_some()
            })
        })
        .collect()
}

pub const RULES: &[Rule] = &[KMS001];
