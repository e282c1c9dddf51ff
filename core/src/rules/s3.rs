//! Amazon S3.

use super::helpers::{Edits, inside};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::fix::{self, NewValue};
use crate::source::Span;
use crate::syntax::Node;
use crate::template::Resource;

const BUCKETS: &[&str] = &["AWS::S3::Bucket"];

const ENCRYPTION: &str = "BucketEncryption";
const CONFIGURATION: &str = "ServerSideEncryptionConfiguration";
const BY_DEFAULT: &str = "ServerSideEncryptionByDefault";
const ALGORITHM: &str = "SSEAlgorithm";

const ALGORITHM_PATH: &[Step<'static>] = &[
    Step::Key(ENCRYPTION),
    Step::Key(CONFIGURATION),
    Step::Each,
    Step::Key(BY_DEFAULT),
    Step::Key(ALGORITHM),
];

pub const S3001: Rule = Rule {
    meta: RuleMeta {
        id: "S3001",
        name: "s3-bucket-default-encryption",
        title: "S3 buckets should declare default encryption",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: BUCKETS,
        references: References {
            cfn_nag: &["W41"],
            checkov: &["CKV_AWS_19"],
            aws_config: &["s3-bucket-server-side-encryption-enabled"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Since January 2023, S3 encrypts every new object with SSE-S3 (AES-256, keys held \
by S3) when the bucket declares nothing, so a bucket without `BucketEncryption` is not storing \
plaintext; that case is reported as info, as a matter of making the intent explicit and auditable \
in the template (and of matching what scanners and auditors look for). A `BucketEncryption` block \
whose rules name no `SSEAlgorithm` is a broken configuration and is reported as a warning.",
            remediation: "Declare the default encryption explicitly: `BucketEncryption` with a \
`ServerSideEncryptionConfiguration` rule whose `ServerSideEncryptionByDefault.SSEAlgorithm` is \
`AES256` (SSE-S3), or `aws:kms` / `aws:kms:dsse` to use KMS (see S3002). The quick fix adds the \
SSE-S3 rule, which is what S3 already does: nothing changes for existing objects or clients, so it \
is safe.",
            noncompliant: "Resources:
  ReportsBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
",
            compliant: "Resources:
  ReportsBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
",
        },
    },
    check: Check::Custom(default_encryption),
};

pub const S3002: Rule = Rule {
    meta: RuleMeta {
        id: "S3002",
        name: "s3-bucket-kms-encryption",
        title: "S3 buckets should encrypt objects with KMS by default",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: BUCKETS,
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["s3-default-encryption-kms"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "With the default SSE-S3 (`AES256`), S3 holds the keys and decrypts for anyone with \
`s3:GetObject`: there is no second permission to check and no record of key use. With SSE-KMS \
(`aws:kms`, or `aws:kms:dsse` for two layers of encryption), reading an object also needs \
`kms:Decrypt` on the bucket's key, every use of the key is logged in CloudTrail, and disabling the \
key cuts off access to the data. This is a defence-in-depth choice for buckets holding sensitive \
data, hence info.",
            remediation: "Set `SSEAlgorithm` to `aws:kms` (and `KMSMasterKeyID` to a customer managed key \
if you want a key policy of your own; without it S3 uses `aws/s3`). Add `BucketKeyEnabled: true` to \
cut the number of KMS requests, and their cost, by orders of magnitude. The quick fix does both. It \
is unsafe because it changes behaviour: KMS requests are billed, and every reader and writer (IAM \
principals, other services, other accounts) then needs permission to use the key. The new setting \
only applies to objects written afterwards.",
            noncompliant: "Resources:
  ReportsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
",
            compliant: "Resources:
  ReportsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
            BucketKeyEnabled: true
",
        },
    },
    check: Check::Custom(kms_encryption),
};

/// How far a bucket's default encryption is written, in one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// No `BucketEncryption`.
    Encryption,
    /// No rules: `ServerSideEncryptionConfiguration` missing or empty.
    Configuration,
    /// A rule, whose algorithm is the outcome.
    Rule,
}

/// One reading of a bucket's default encryption algorithm.
struct Algorithm<'a> {
    /// The algorithm's value, or an absent value where a level above it is missing.
    outcome: Outcome<'a>,
    level: Level,
    /// For an absent configuration list, whether the key is missing (not an empty list).
    missing: bool,
    /// For a rule: the rule list, the rule's index in it, and the rule's mapping.
    rule: Option<(Span, usize, &'a Node)>,
}

fn algorithms<'a>(context: &RuleContext<'_, '_, 'a>, bucket: &Resource<'a>) -> Vec<Algorithm<'a>> {
    let unknown = |outcome: Outcome<'a>| Algorithm {
        outcome: Outcome {
            value: Value::Unknown,
            ..outcome
        },
        level: Level::Rule,
        missing: false,
        rule: None,
    };
    let mut out = Vec::new();
    for encryption in context.property(bucket, &[Step::Key(ENCRYPTION)]) {
        match encryption.value {
            Value::Absent => out.push(Algorithm {
                outcome: encryption,
                level: Level::Encryption,
                missing: true,
                rule: None,
            }),
            Value::Node(node) if node.as_mapping().is_some() => {
                let lists = context
                    .eval
                    .walk(vec![encryption], &[Step::Key(CONFIGURATION)], None);
                for list in lists {
                    let items = match list.value {
                        Value::Absent => {
                            out.push(Algorithm {
                                outcome: list,
                                level: Level::Configuration,
                                missing: true,
                                rule: None,
                            });
                            continue;
                        }
                        Value::Node(node) => match node.as_sequence() {
                            Some(items) => (node.span, items),
                            None => {
                                out.push(unknown(list));
                                continue;
                            }
                        },
                        _ => {
                            out.push(unknown(list));
                            continue;
                        }
                    };
                    let (list_span, items) = items;
                    let before = out.len();
                    for (index, item) in items.iter().enumerate() {
                        for rule in context.eval.eval(item, &list.case, true) {
                            match rule.value {
                                // `!Ref AWS::NoValue` drops the rule.
                                Value::Absent => {}
                                Value::Node(rule_node) if rule_node.as_mapping().is_some() => {
                                    let steps = [Step::Key(BY_DEFAULT), Step::Key(ALGORITHM)];
                                    for algorithm in context.eval.walk(vec![rule], &steps, None) {
                                        out.push(Algorithm {
                                            outcome: algorithm,
                                            level: Level::Rule,
                                            missing: false,
                                            rule: Some((list_span, index, rule_node)),
                                        });
                                    }
                                }
                                _ => out.push(unknown(rule)),
                            }
                        }
                    }
                    if out.len() == before {
                        out.push(Algorithm {
                            outcome: Outcome {
                                value: Value::Absent,
                                ..list
                            },
                            level: Level::Configuration,
                            missing: false,
                            rule: None,
                        });
                    }
                }
            }
            _ => out.push(unknown(encryption)),
        }
    }
    out
}

/// The readings that fail `good`, unless another rule of the same configuration passes in a
/// compatible case.
fn failing<'r, 'a>(
    algorithms: &'r [Algorithm<'a>],
    good: fn(&Value<'_>) -> bool,
) -> Vec<&'r Algorithm<'a>> {
    algorithms
        .iter()
        .filter(|algorithm| !good(&algorithm.outcome.value))
        .filter(|algorithm| {
            !algorithms
                .iter()
                .any(|other| match (algorithm.rule, other.rule) {
                    (Some((list, index, _)), Some((other_list, other_index, _))) => {
                        list == other_list
                            && index != other_index
                            && good(&other.outcome.value)
                            && algorithm.outcome.case.merge(&other.outcome.case).is_some()
                    }
                    _ => false,
                })
        })
        .collect()
}

fn has_algorithm(value: &Value<'_>) -> bool {
    !value.is_unset()
}

fn uses_kms(value: &Value<'_>) -> bool {
    match value.text() {
        Some(text) => text.trim().starts_with("aws:kms"),
        // Unknown, or not a string (a schema problem, not ours).
        None => !value.is_unset(),
    }
}

/// The default encryption rule a fix writes.
fn rule_value(algorithm: &'static str, bucket_key: bool) -> NewValue {
    let mut entries = vec![(
        BY_DEFAULT,
        NewValue::Map(vec![(ALGORITHM, NewValue::Str(algorithm))]),
    )];
    if bucket_key {
        entries.push(("BucketKeyEnabled", NewValue::Bool(true)));
    }
    NewValue::Map(entries)
}

/// The edits writing `algorithm` wherever `failing` found none.
fn edits_for(
    context: &RuleContext<'_, '_, '_>,
    bucket: &Resource<'_>,
    failing: &[&Algorithm<'_>],
    algorithm: &'static str,
    bucket_key: bool,
) -> Edits {
    let mut edits = Edits::default();
    let rules = || NewValue::List(vec![rule_value(algorithm, bucket_key)]);
    for reading in failing {
        match (reading.level, reading.rule) {
            (Level::Encryption, _) => edits.add(fix::set_property(
                context.file,
                bucket,
                &[ENCRYPTION],
                NewValue::Map(vec![(CONFIGURATION, rules())]),
            )),
            (Level::Configuration, _) if reading.missing => edits.add(fix::set_property(
                context.file,
                bucket,
                &[ENCRYPTION, CONFIGURATION],
                rules(),
            )),
            (Level::Rule, Some((_, _, rule))) if inside(bucket, rule) => {
                edits.add(fix::set_in(
                    context.file,
                    rule,
                    &[BY_DEFAULT, ALGORITHM],
                    NewValue::Str(algorithm),
                ));
                let has_bucket_key = rule
                    .get("BucketKeyEnabled")
                    .is_some_and(|value| Value::Node(value).as_bool() == Some(true));
                if bucket_key && !has_bucket_key {
                    edits.add(fix::set_in(
                        context.file,
                        rule,
                        &["BucketKeyEnabled"],
                        NewValue::Bool(true),
                    ));
                }
            }
            _ => edits.fail(),
        }
    }
    edits
}

fn default_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    bucket: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let readings = algorithms(context, bucket);
    let failing = failing(&readings, has_algorithm);
    let (undeclared, broken): (Vec<_>, Vec<_>) = failing
        .into_iter()
        .partition(|reading| reading.level == Level::Encryption);
    let mut violations = Vec::new();
    if !undeclared.is_empty() {
        // S3 applies SSE-S3 anyway: the finding is about declaring it.
        let mut found = violation(
            bucket,
            "S3 bucket {resource} does not declare default encryption",
            &[Step::Key(ENCRYPTION)],
            undeclared
                .iter()
                .map(|reading| reading.outcome.clone())
                .collect(),
        );
        found.severity = Some(Severity::Info);
        found.fix = edits_for(context, bucket, &undeclared, "AES256", false)
            .into_fix(context, "Declare SSE-S3 default encryption");
        violations.push(found);
    }
    if !broken.is_empty() {
        let mut found = violation(
            bucket,
            "S3 bucket {resource} has a default encryption configuration without an algorithm",
            ALGORITHM_PATH,
            broken
                .iter()
                .map(|reading| reading.outcome.clone())
                .collect(),
        );
        found.fix = edits_for(context, bucket, &broken, "AES256", false)
            .into_fix(context, "Set SSEAlgorithm to AES256");
        violations.push(found);
    }
    violations
}

fn kms_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    bucket: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let readings = algorithms(context, bucket);
    let failing = failing(&readings, uses_kms);
    if failing.is_empty() {
        return Vec::new();
    }
    let undeclared = failing
        .iter()
        .all(|reading| reading.level == Level::Encryption);
    let path: &[Step<'_>] = if undeclared {
        &[Step::Key(ENCRYPTION)]
    } else {
        ALGORITHM_PATH
    };
    let mut found = violation(
        bucket,
        "S3 bucket {resource} does not use KMS for default encryption",
        path,
        failing
            .iter()
            .map(|reading| reading.outcome.clone())
            .collect(),
    );
    found.fix = edits_for(context, bucket, &failing, "aws:kms", true)
        .into_fix(context, "Encrypt with SSE-KMS and an S3 Bucket Key");
    vec![found]
}

pub const RULES: &[Rule] = &[S3001, S3002];
