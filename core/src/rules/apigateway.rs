//! Amazon API Gateway (REST APIs) and SAM APIs.

use super::helpers::{bool_or_absent, pairs, push_new};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::fix::NewValue;
use crate::template::Resource;

pub const APIGW001: Rule = Rule {
    meta: RuleMeta {
        id: "APIGW001",
        name: "apigateway-cache-encryption",
        title: "API Gateway response caches should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &[
            "AWS::ApiGateway::Stage",
            "AWS::ApiGateway::Deployment",
            "AWS::Serverless::Api",
        ],
        references: References {
            cfn_nag: &["W87"],
            checkov: &[],
            aws_config: &["api-gw-cache-enabled-and-encrypted"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "When a REST API stage caches responses, API Gateway keeps copies of them in a dedicated \
cache cluster for up to the cache TTL. Those responses are whatever the backend returned: personal data, \
tokens, business records. The cache is not encrypted unless `CacheDataEncrypted` is true, and the \
setting belongs to each method setting that turns caching on (`CachingEnabled`), so a stage can encrypt \
one method's cache and not another's.\n\n\
Ward checks every `MethodSettings` entry of an `AWS::ApiGateway::Stage` or `AWS::Serverless::Api`, and \
the `StageDescription` of an `AWS::ApiGateway::Deployment` together with its `MethodSettings`. Entries \
that do not enable caching are not reported.",
            remediation: "Add `CacheDataEncrypted: true` next to each `CachingEnabled: true`. The change is \
applied to the stage in place; encrypting the cache does not change what is cached or for how long. The \
quick fix writes the setting into every method setting that lacks it.",
            noncompliant: "Resources:
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      CacheClusterEnabled: true
      CacheClusterSize: '0.5'
      MethodSettings:
        - ResourcePath: /*
          HttpMethod: '*'
          CachingEnabled: true
          CacheTtlInSeconds: 300
",
            compliant: "Resources:
  ProdStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      DeploymentId: !Ref Deployment
      StageName: prod
      CacheClusterEnabled: true
      CacheClusterSize: '0.5'
      MethodSettings:
        - ResourcePath: /*
          HttpMethod: '*'
          CachingEnabled: true
          CacheTtlInSeconds: 300
          CacheDataEncrypted: true
",
        },
    },
    check: Check::Custom(cache_encryption),
};

fn cache_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let (noun, settings_path): (&str, &[Step<'static>]) = match resource.type_name {
        Some("AWS::ApiGateway::Deployment") => (
            "API Gateway deployment",
            &[Step::Key("StageDescription"), Step::Key("MethodSettings")],
        ),
        Some("AWS::Serverless::Api") => ("SAM API", &[Step::Key("MethodSettings")]),
        _ => ("API Gateway stage", &[Step::Key("MethodSettings")]),
    };
    let mut found = Vec::new();
    if resource.type_name == Some("AWS::ApiGateway::Deployment") {
        found.extend(stage_description(context, resource));
    }
    let mut path = settings_path.to_vec();
    path.push(Step::Each);
    for item in context.property(resource, &path) {
        if let Some(violation) = method_setting(context, resource, noun, settings_path, item) {
            found.push(violation);
        }
    }
    found
}

/// A deployment's `StageDescription` caches for the stage's default method setting.
fn stage_description<'a>(
    context: &RuleContext<'_, '_, 'a>,
    deployment: &Resource<'a>,
) -> Option<Violation<'a>> {
    let caching = context.property(
        deployment,
        &[Step::Key("StageDescription"), Step::Key("CachingEnabled")],
    );
    let path = &[
        Step::Key("StageDescription"),
        Step::Key("CacheDataEncrypted"),
    ];
    let encrypted = context.property(deployment, path);
    let bad = on_when_cached(encrypted, &caching);
    if bad.is_empty() {
        return None;
    }
    let mut found = violation(
        deployment,
        "API Gateway deployment {resource} caches its stage's responses without encrypting the cache",
        path,
        bad,
    );
    found.fix = context.set_fix(
        deployment,
        &["StageDescription", "CacheDataEncrypted"],
        NewValue::Bool(true),
        "Set CacheDataEncrypted to true",
    );
    Some(found)
}

/// One entry of `MethodSettings`: caching on requires its own `CacheDataEncrypted`.
fn method_setting<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    noun: &str,
    settings_path: &[Step<'static>],
    item: Outcome<'a>,
) -> Option<Violation<'a>> {
    let Value::Node(node) = item.value else {
        return None;
    };
    let caching = context
        .eval
        .walk(vec![item.clone()], &[Step::Key("CachingEnabled")], None);
    let encrypted = context
        .eval
        .walk(vec![item.clone()], &[Step::Key("CacheDataEncrypted")], None);
    let bad = on_when_cached(encrypted, &caching);
    if bad.is_empty() {
        return None;
    }
    let method = [
        context
            .eval
            .walk(vec![item.clone()], &[Step::Key("HttpMethod")], None),
        context
            .eval
            .walk(vec![item.clone()], &[Step::Key("ResourcePath")], None),
    ]
    .map(|outcomes| match outcomes.as_slice() {
        [only] => only.value.text().map(str::to_string),
        _ => None,
    });
    let message = match method {
        [Some(verb), Some(path)] => {
            format!(
                "{noun} {{resource}} caches responses of `{verb} {path}` without encrypting the cache"
            )
        }
        _ => format!("{noun} {{resource}} caches responses without encrypting the cache"),
    };
    let mut path = settings_path.to_vec();
    path.extend([Step::Each, Step::Key("CacheDataEncrypted")]);
    let mut found = violation(resource, &message, &path, bad);
    if item.literal {
        found.fix = context.set_in_fix(
            node,
            &["CacheDataEncrypted"],
            NewValue::Bool(true),
            "Set CacheDataEncrypted to true",
        );
    }
    Some(found)
}

/// The outcomes of `CacheDataEncrypted` that leave the cache unencrypted, in the cases where
/// caching is on; unknown ones are not. A missing `CacheDataEncrypted` points at the
/// `CachingEnabled` that makes it matter.
fn on_when_cached<'a>(encrypted: Vec<Outcome<'a>>, caching: &[Outcome<'a>]) -> Vec<Outcome<'a>> {
    let unencrypted: Vec<Outcome<'a>> = encrypted
        .into_iter()
        .filter(|outcome| bool_or_absent(&outcome.value, false))
        .collect();
    let on: Vec<Outcome<'a>> = caching
        .iter()
        .filter(|on| on.value.as_bool() == Some(true))
        .cloned()
        .collect();
    let mut bad = Vec::new();
    for (outcome, on, case) in pairs(&unencrypted, &on) {
        let site = if outcome.value.is_absent() {
            on.site
        } else {
            outcome.site
        };
        push_new(
            &mut bad,
            Outcome {
                case,
                site,
                ..outcome.clone()
            },
        );
    }
    bad
}

pub const RULES: &[Rule] = &[APIGW001];
