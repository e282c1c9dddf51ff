//! AWS Key Management Service.

use super::{Check, Exempt, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

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
    check: Check::TrueUnless {
        path: &[Step::Key("EnableKeyRotation")],
        message: "KMS key {resource} does not rotate its key material automatically",
        unless: NOT_ROTATABLE,
    },
};

/// Rotation is asked only where the key is known to be a symmetric encryption key with material
/// KMS generated: for the other kinds KMS refuses `EnableKeyRotation`. Each property's default is
/// the rotatable kind.
const NOT_ROTATABLE: &[Exempt] = &[
    Exempt::WhenText("KeySpec", |spec| spec.trim() != "SYMMETRIC_DEFAULT"),
    Exempt::WhenText("KeyUsage", |usage| usage.trim() != "ENCRYPT_DECRYPT"),
    Exempt::WhenText("Origin", |origin| origin.trim() != "AWS_KMS"),
];

pub const RULES: &[Rule] = &[KMS001];
