//! The rule registry, the shapes most rules share, and the runner.
//!
//! A rule is a [`RuleMeta`] (id, docs, references …) and a [`Check`]. Most checks are one of the
//! declarative shapes ([`Check::True`], [`Check::Set`], [`Check::CustomerKey`] …, run by
//! `shapes.rs`); the rest are small functions built from those shapes and the building blocks in
//! `helpers.rs`. Services live in one module each.

mod apigateway;
mod appsync;
mod athena;
mod autoscaling;
mod backup;
mod bedrock;
mod cloudtrail;
mod codebuild;
mod dax;
mod dlm;
mod docdb;
mod dynamodb;
mod ec2;
mod ecr;
mod efs;
mod eks;
mod elasticache;
mod emr;
mod firehose;
mod glue;
mod helpers;
mod kendra;
mod kinesis;
mod kms;
mod lambda;
mod logs;
mod mq;
mod neptune;
mod opensearch;
mod rds;
mod redshift;
mod s3;
mod sagemaker;
mod secretsmanager;
mod shapes;
mod sns;
mod sqs;
mod timestream;
mod workspaces;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use helpers::{Absent, RuleContext, SetFix, Violation, fixed, never_unknown, violation};
pub use shapes::{Exempt, ItemFlag, check_set, check_true};

use crate::config::Config;
use crate::diagnostic::{Finding, Related, RuleMeta};
use crate::eval::{Case, Context, Step};
use crate::source::SourceFile;
use crate::template::Resource;

/// A rule: its metadata and its check.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// What a rule checks on each resource of its types.
pub enum Check {
    /// The boolean at `path` must be true.
    True {
        path: &'static [Step<'static>],
        /// The message, `{resource}` standing for the logical id.
        message: &'static str,
        absent: Absent,
        /// Whether the rule's fix sets the value to true (its applicability is the rule's).
        fix: bool,
    },
    /// The property at `path` must be set (present, not null, not empty).
    Set {
        path: &'static [Step<'static>],
        message: &'static str,
        absent: Absent,
        /// The value the fix writes at `path`, with the fix's title.
        fix: Option<SetFix>,
    },
    /// The boolean at `path` must not be true (e.g. `EncryptionDisabled`).
    NotTrue {
        path: &'static [Step<'static>],
        message: &'static str,
        fix: bool,
    },
    /// The boolean at `path` must not be false; absent is fine (the service's default is true).
    NotFalse {
        path: &'static [Step<'static>],
        message: &'static str,
        fix: bool,
    },
    /// Like [`Check::True`] with its fix, except in the cases where one of `unless` is in force:
    /// the resource takes its encryption from elsewhere (a cluster, a snapshot) or cannot have it.
    TrueUnless {
        path: &'static [Step<'static>],
        message: &'static str,
        unless: &'static [Exempt],
    },
    /// The text at `path` must be one of `allowed` (ignoring case); unset counts as not.
    OneOf {
        path: &'static [Step<'static>],
        allowed: &'static [&'static str],
        message: &'static str,
        absent: Absent,
        fix: Option<SetFix>,
    },
    /// The text at `path` must not be one of `denied` (ignoring case); unset counts as denied,
    /// because the service's default is.
    NoneOf {
        path: &'static [Step<'static>],
        denied: &'static [&'static str],
        message: &'static str,
        absent: Absent,
        fix: Option<SetFix>,
    },
    /// The key at `path` must name a customer managed KMS key: unset or an AWS managed alias
    /// (`alias/aws/…`) is a violation. With `encrypted`, not where that boolean is explicitly
    /// false, which is another rule's finding.
    CustomerKey {
        path: &'static [Step<'static>],
        message: &'static str,
        encrypted: Option<&'static [Step<'static>]>,
    },
    /// Every item of each list must set its flag to true; one finding per resource, one fix for
    /// every item. `{items}` in the message names them with `one` or `several` as the noun.
    EveryItem {
        lists: &'static [ItemFlag],
        message: &'static str,
        one: &'static str,
        several: &'static str,
        fix: &'static str,
    },
    /// Anything else.
    Custom(for<'a> fn(&RuleContext<'_, '_, 'a>, &Resource<'a>) -> Vec<Violation<'a>>),
}

/// Every service's rules. Ids are never reused: a retired rule keeps its id.
static SERVICES: &[&[Rule]] = &[
    dynamodb::RULES,
    autoscaling::RULES,
    ec2::RULES,
    rds::RULES,
    docdb::RULES,
    neptune::RULES,
    redshift::RULES,
    efs::RULES,
    s3::RULES,
    dax::RULES,
    elasticache::RULES,
    dlm::RULES,
    workspaces::RULES,
    backup::RULES,
    sns::RULES,
    sqs::RULES,
    kinesis::RULES,
    firehose::RULES,
    logs::RULES,
    secretsmanager::RULES,
    codebuild::RULES,
    mq::RULES,
    opensearch::RULES,
    athena::RULES,
    glue::RULES,
    timestream::RULES,
    cloudtrail::RULES,
    ecr::RULES,
    eks::RULES,
    sagemaker::RULES,
    kendra::RULES,
    emr::RULES,
    bedrock::RULES,
    lambda::RULES,
    apigateway::RULES,
    appsync::RULES,
    kms::RULES,
];

/// Every rule, in id order.
pub fn all() -> &'static [&'static Rule] {
    static ALL: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut rules: Vec<&'static Rule> =
            SERVICES.iter().flat_map(|rules| rules.iter()).collect();
        rules.sort_by_key(|rule| rule.meta.id);
        rules
    })
}

pub fn by_id(id: &str) -> Option<&'static Rule> {
    all()
        .iter()
        .copied()
        .find(|rule| rule.meta.id.eq_ignore_ascii_case(id))
}

/// The rules that visit resources of `type_name` (e.g. `AWS::DynamoDB::Table`), in id order;
/// empty for a type no rule looks at.
pub fn for_type(type_name: &str) -> &'static [&'static Rule] {
    rules_by_type()
        .get(type_name)
        .map_or(&[], |rules| rules.as_slice())
}

/// The rules that visit each resource type.
fn rules_by_type() -> &'static HashMap<&'static str, Vec<&'static Rule>> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<&'static Rule>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<&'static str, Vec<&'static Rule>> = HashMap::new();
        for rule in all().iter().copied() {
            for type_name in rule.meta.resource_types {
                index.entry(type_name).or_default().push(rule);
            }
        }
        index
    })
}

/// Runs every enabled rule over the template's resources.
pub fn run(context: &Context<'_, '_>, config: &Config, file: &SourceFile) -> Vec<Finding> {
    let mut findings = Vec::new();
    let index = rules_by_type();
    for resource in &context.template.resources {
        let Some(rules) = resource
            .type_name
            .and_then(|type_name| index.get(type_name))
        else {
            continue;
        };
        let mut resource_cases = None;
        for rule in rules {
            if !config.is_enabled(&rule.meta) {
                continue;
            }
            let rule_context = RuleContext {
                eval: context,
                file,
                meta: &rule.meta,
            };
            let violations = run_check(&rule.check, &rule_context, resource);
            if violations.is_empty() {
                continue;
            }
            let cases = resource_cases.get_or_insert_with(|| context.resource_cases(resource));
            for violation in violations {
                findings.push(finding(&rule.meta, config, resource, cases, violation));
            }
        }
    }
    findings
}

fn run_check<'a>(
    check: &Check,
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let found = match check {
        Check::True {
            path,
            message,
            absent,
            fix,
        } => check_true(context, resource, path, message, *absent, *fix),
        Check::Set {
            path,
            message,
            absent,
            fix,
        } => check_set(context, resource, path, message, *absent, *fix),
        Check::NotTrue { path, message, fix } => {
            shapes::check_not(context, resource, path, message, true, *fix)
        }
        Check::NotFalse { path, message, fix } => {
            shapes::check_not(context, resource, path, message, false, *fix)
        }
        Check::TrueUnless {
            path,
            message,
            unless,
        } => shapes::check_true_unless(context, resource, path, message, unless),
        Check::OneOf {
            path,
            allowed,
            message,
            absent,
            fix,
        } => shapes::check_text(context, resource, path, message, *absent, *fix, |text| {
            helpers::is_one_of(text, allowed)
        }),
        Check::NoneOf {
            path,
            denied,
            message,
            absent,
            fix,
        } => shapes::check_text(context, resource, path, message, *absent, *fix, |text| {
            !helpers::is_one_of(text, denied)
        }),
        Check::CustomerKey {
            path,
            message,
            encrypted,
        } => shapes::check_customer_key(context, resource, path, message, *encrypted),
        Check::EveryItem {
            lists,
            message,
            one,
            several,
            fix,
        } => shapes::check_every_item(context, resource, lists, message, (one, several), fix),
        Check::Custom(check) => return check(context, resource),
    };
    found.into_iter().collect()
}

/// Turns a violation into a finding: the message names the cases, related ranges show causes.
fn finding(
    meta: &'static RuleMeta,
    config: &Config,
    resource: &Resource<'_>,
    resource_cases: &[Case<'_>],
    violation: Violation<'_>,
) -> Finding {
    // The resource's own condition is not news: the finding is about when it exists.
    let cases: Vec<Case<'_>> = violation
        .outcomes
        .iter()
        .map(|outcome| {
            resource_cases
                .iter()
                .fold(outcome.case.clone(), |case, resource_case| {
                    case.without(resource_case)
                })
        })
        .collect();
    let cases = Case::simplify(cases);
    let always = cases.is_empty() || cases.iter().any(Case::is_empty);
    let mut message = violation.message;
    if !always {
        let mut described: Vec<String> = Vec::new();
        for case in &cases {
            let text = case.describe();
            if !described.contains(&text) {
                described.push(text);
            }
        }
        let shown = described.len().min(2);
        message.push(' ');
        message.push_str(&described[..shown].join(", or "));
        if described.len() > shown {
            message.push_str(&format!(" (and {} more cases)", described.len() - shown));
        }
    }
    let mut related: Vec<Related> = Vec::new();
    if !always {
        for case in &cases {
            for assumption in case.assumptions() {
                let span = assumption.span();
                if !span.is_empty() && !related.iter().any(|known| known.span == span) {
                    related.push(Related {
                        span,
                        message: assumption.related_message(),
                    });
                }
            }
        }
    }
    let span = violation
        .outcomes
        .first()
        .map_or(resource.anchor(), |outcome| outcome.site);
    let severity = match violation.severity {
        Some(graded) if config.severity_of(meta) == meta.severity => graded,
        _ => config.severity_of(meta),
    };
    Finding {
        rule: meta,
        severity,
        resource: Some(resource.logical_id.to_string()),
        property: violation.property,
        message,
        span: if span.is_empty() && span.start == 0 {
            resource.anchor()
        } else {
            span
        },
        related,
        fix: violation.fix,
        suppressed: None,
    }
}
