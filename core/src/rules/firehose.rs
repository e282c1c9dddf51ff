//! Amazon Data Firehose.

use super::helpers::{unset, within};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Step, Value};
use crate::fix::NewValue;
use crate::template::Resource;

const KEY_TYPE: &[Step<'static>] = &[
    Step::Key("DeliveryStreamEncryptionConfigurationInput"),
    Step::Key("KeyType"),
];

pub const FH001: Rule = Rule {
    meta: RuleMeta {
        id: "FH001",
        name: "firehose-delivery-stream-encryption",
        title: "Direct PUT Firehose streams should be encrypted at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::KinesisFirehose::DeliveryStream"],
        references: References {
            cfn_nag: &["W88"],
            checkov: &[],
            aws_config: &["kinesis-firehose-delivery-stream-encrypted"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "A Firehose stream that producers write to directly (`DirectPut`, the \
default) buffers records inside Firehose, for up to a day when the destination is unavailable. \
That buffer is encrypted only when `DeliveryStreamEncryptionConfigurationInput` gives a `KeyType`: \
`AWS_OWNED_CMK` for a key Firehose manages, or `CUSTOMER_MANAGED_CMK` with a `KeyARN` for a key \
you control. Streams that read from a Kinesis data stream or an MSK cluster \
(`KinesisStreamAsSource`, `MSKAsSource`) cannot set this: the source's own encryption applies, so \
Ward does not report them.",
            remediation: "Add `DeliveryStreamEncryptionConfigurationInput` with `KeyType: \
AWS_OWNED_CMK` (the quick fix), or `KeyType: CUSTOMER_MANAGED_CMK` and a `KeyARN`. Encryption is \
turned on in place. It covers the stream's buffer only; encrypt the destination (the S3 bucket, \
the Redshift cluster …) on its own.",
            noncompliant: "Resources:
  EventsStream:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamType: DirectPut
      S3DestinationConfiguration:
        BucketARN: arn:aws:s3:::example-events
        RoleARN: arn:aws:iam::123456789012:role/firehose-delivery
",
            compliant: "Resources:
  EventsStream:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamType: DirectPut
      DeliveryStreamEncryptionConfigurationInput:
        KeyType: AWS_OWNED_CMK
      S3DestinationConfiguration:
        BucketARN: arn:aws:s3:::example-events
        RoleARN: arn:aws:iam::123456789012:role/firehose-delivery
",
        },
    },
    check: Check::Custom(direct_put_encryption),
};

/// Only the cases in which the stream is fed directly can (and must) set a key type.
fn direct_put_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    stream: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let bad = within(
        &context.property(stream, &[Step::Key("DeliveryStreamType")]),
        |kind| match kind {
            Value::Absent => true,
            kind => kind.text() == Some("DirectPut"),
        },
        unset(context.property(stream, KEY_TYPE)),
    );
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        stream,
        "Firehose delivery stream {resource} does not encrypt its buffered records at rest",
        KEY_TYPE,
        bad,
    );
    // With a KeyARN already present, AWS_OWNED_CMK would be rejected; the key type is a choice.
    let has_key_arn = stream
        .property("DeliveryStreamEncryptionConfigurationInput")
        .and_then(|input| input.get("KeyARN"))
        .is_some();
    if !has_key_arn {
        found.fix = context.set_fix(
            stream,
            &["DeliveryStreamEncryptionConfigurationInput", "KeyType"],
            NewValue::Str("AWS_OWNED_CMK"),
            "Encrypt with a key owned by Firehose (KeyType: AWS_OWNED_CMK)",
        );
    }
    vec![found]
}

pub const RULES: &[Rule] = &[FH001];
