//! Amazon Kinesis Data Streams.

use super::helpers::{Edits, in_case_of, unset};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, Fix, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Step, Value};
use crate::fix::{self, NewValue};
use crate::template::Resource;

const STREAM_ENCRYPTION: &[Step<'static>] = &[Step::Key("StreamEncryption")];
const MANAGED_KEY: &str = "alias/aws/kinesis";

pub const KIN001: Rule = Rule {
    meta: RuleMeta {
        id: "KIN001",
        name: "kinesis-stream-kms-encryption",
        title: "Kinesis data streams should be encrypted with a KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::Kinesis::Stream"],
        references: References {
            cfn_nag: &["W49"],
            checkov: &["CKV_AWS_43"],
            aws_config: &["kinesis-stream-encrypted"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "A Kinesis data stream keeps every record for its whole retention period \
(24 hours by default, up to a year). Server-side encryption is off unless `StreamEncryption` asks \
for it: without it, records are stored as written. With `EncryptionType: KMS` and a `KeyId`, \
Kinesis encrypts each record with the KMS key before it reaches storage, so reading the data needs \
both Kinesis and KMS permissions, and key use shows up in CloudTrail.",
            remediation: "Add `StreamEncryption` with `EncryptionType: KMS` and a `KeyId`. The quick \
fix uses the AWS managed key `alias/aws/kinesis`; name a customer managed key instead if other \
accounts must read the stream or you want to control the key policy. Encryption is turned on in \
place, without replacing the stream; records written before the change stay unencrypted until they \
expire.",
            noncompliant: "Resources:
  ClickStream:
    Type: AWS::Kinesis::Stream
    Properties:
      RetentionPeriodHours: 48
      StreamModeDetails:
        StreamMode: ON_DEMAND
",
            compliant: "Resources:
  ClickStream:
    Type: AWS::Kinesis::Stream
    Properties:
      RetentionPeriodHours: 48
      StreamModeDetails:
        StreamMode: ON_DEMAND
      StreamEncryption:
        EncryptionType: KMS
        KeyId: alias/aws/kinesis
",
        },
    },
    check: Check::Custom(stream_encryption),
};

/// `StreamEncryption` must be present, say `KMS`, and name a key; each gap is a violating outcome.
fn stream_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    stream: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let mut bad = Vec::new();
    for outcome in context.property(stream, STREAM_ENCRYPTION) {
        if outcome.value == Value::Unknown {
            continue;
        }
        if outcome.value.is_unset() {
            bad.push(outcome);
            continue;
        }
        let kinds = context
            .eval
            .walk(vec![outcome.clone()], &[Step::Key("EncryptionType")], None);
        let missing = unset(
            context
                .eval
                .walk(vec![outcome], &[Step::Key("KeyId")], None),
        );
        for kind in kinds {
            match kind.value.text() {
                Some("KMS") => bad.extend(in_case_of(&kind, missing.clone())),
                Some(_) => bad.push(kind),
                None if kind.value.is_unset() => bad.push(kind),
                None => {}
            }
        }
    }
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        stream,
        "Kinesis stream {resource} is not encrypted at rest with a KMS key",
        STREAM_ENCRYPTION,
        bad,
    );
    found.fix = encryption_fix(context, stream);
    vec![found]
}

/// Completes `StreamEncryption` in place, or adds it whole when the stream has none.
fn encryption_fix<'a>(context: &RuleContext<'_, '_, 'a>, stream: &Resource<'a>) -> Option<Fix> {
    let title = "Encrypt the stream with the AWS managed key alias/aws/kinesis";
    let Some(existing) = stream.property("StreamEncryption") else {
        let value = NewValue::Map(vec![
            ("EncryptionType", NewValue::Str("KMS")),
            ("KeyId", NewValue::Str(MANAGED_KEY)),
        ]);
        return context.set_fix(stream, &["StreamEncryption"], value, title);
    };
    let kind = existing.get("EncryptionType");
    let key = existing.get("KeyId");
    // A computed type is someone's decision (often a parameter); overwriting it is not mechanical.
    if kind.is_some_and(|node| node.intrinsic().is_some()) {
        return None;
    }
    // Likewise a computed key that is missing in some case (`Fn::If` with `AWS::NoValue`).
    let key_computed = key.is_some_and(|node| node.intrinsic().is_some());
    if key_computed
        && context
            .property(stream, &[Step::Key("StreamEncryption"), Step::Key("KeyId")])
            .iter()
            .any(|outcome| outcome.value.is_unset())
    {
        return None;
    }
    let mut edits = Edits::default();
    if kind.and_then(|node| node.as_str()) != Some("KMS") {
        edits.add(fix::set_in(
            context.file,
            existing,
            &["EncryptionType"],
            NewValue::Str("KMS"),
        ));
    }
    if key.is_none_or(|node| node.is_null() || node.as_str() == Some("")) {
        edits.add(fix::set_in(
            context.file,
            existing,
            &["KeyId"],
            NewValue::Str(MANAGED_KEY),
        ));
    }
    edits.into_fix(context, title)
}

pub const RULES: &[Rule] = &[KIN001];
