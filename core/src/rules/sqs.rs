//! Amazon SQS.

use super::helpers::within;
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::fix::NewValue;
use crate::template::Resource;

const KMS_KEY: &[Step<'static>] = &[Step::Key("KmsMasterKeyId")];
const MANAGED_SSE: &[Step<'static>] = &[Step::Key("SqsManagedSseEnabled")];

pub const SQS001: Rule = Rule {
    meta: RuleMeta {
        id: "SQS001",
        name: "sqs-queue-encryption",
        title: "SQS queues should keep server-side encryption on",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::SQS::Queue"],
        references: References {
            cfn_nag: &["W48"],
            checkov: &["CKV_AWS_27"],
            aws_config: &[],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Messages wait in a queue until a consumer deletes them, for up to 14 days. \
Since late 2022 SQS encrypts new queues with SQS-owned keys (SSE-SQS) unless told otherwise, so a \
queue that says nothing is encrypted; Ward reports it only as information, to make the choice \
visible in the template. A queue with `SqsManagedSseEnabled: false` and no `KmsMasterKeyId`, \
however, stores its messages unencrypted, and that is reported as a warning. A KMS key \
(`KmsMasterKeyId`) adds a key policy and CloudTrail records on top of SSE-SQS.",
            remediation: "Remove `SqsManagedSseEnabled: false` or set it to `true` (the quick fix), \
or name a KMS key in `KmsMasterKeyId` instead. The two properties are alternatives: do not set \
`SqsManagedSseEnabled: true` on a queue that has a `KmsMasterKeyId`. Turning encryption on is \
applied in place; messages already in the queue are not re-encrypted.",
            noncompliant: "Resources:
  JobsQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
      SqsManagedSseEnabled: false
",
            compliant: "Resources:
  JobsQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
      SqsManagedSseEnabled: true
",
        },
    },
    check: Check::Custom(queue_encryption),
};

/// A queue is encrypted by a KMS key, or else by SSE-SQS unless that is explicitly turned off.
fn queue_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    queue: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let keys = context.property(queue, KMS_KEY);
    let managed = context.property(queue, MANAGED_SSE);
    let managed_where = |wanted: fn(&Value<'a>) -> bool| -> Vec<Outcome<'a>> {
        managed
            .iter()
            .filter(|outcome| wanted(&outcome.value))
            .cloned()
            .collect()
    };
    let disabled = within(
        &keys,
        Value::is_unset,
        managed_where(|sse| sse.as_bool() == Some(false)),
    );
    let implicit = within(&keys, Value::is_unset, managed_where(Value::is_absent));
    // Adding SqsManagedSseEnabled next to a KmsMasterKeyId (even a conditional one) would make
    // CloudFormation reject the queue: the two are mutually exclusive.
    let fix = || {
        if queue.property("KmsMasterKeyId").is_some() {
            return None;
        }
        context.set_fix(
            queue,
            &["SqsManagedSseEnabled"],
            NewValue::Bool(true),
            "Set SqsManagedSseEnabled to true",
        )
    };
    // The explicit opt-out is the finding that matters; the implicit default is only mentioned
    // when nothing worse is there.
    if !disabled.is_empty() {
        let mut found = violation(
            queue,
            "SQS queue {resource} has server-side encryption turned off",
            MANAGED_SSE,
            disabled,
        );
        found.fix = fix();
        return vec![found];
    }
    if !implicit.is_empty() {
        let mut found = violation(
            queue,
            "SQS queue {resource} relies on the default SSE-SQS encryption without stating it",
            MANAGED_SSE,
            implicit,
        );
        found.fix = fix();
        found.severity = Some(Severity::Info);
        return vec![found];
    }
    Vec::new()
}

pub const RULES: &[Rule] = &[SQS001];
