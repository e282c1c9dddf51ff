//! AWS AppSync.

use super::{Absent, Check, Rule, RuleContext, Violation, check_true};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::template::Resource;

pub const APS001: Rule = Rule {
    meta: RuleMeta {
        id: "APS001",
        name: "appsync-cache-encryption-at-rest",
        title: "AppSync API caches should be encrypted at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::AppSync::ApiCache"],
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["appsync-cache-ct-encryption-at-rest"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "An AppSync API cache is a Redis cluster that holds resolver results, which are often \
the most sensitive data the API serves. For a long time the cache was encrypted at rest only when \
`AtRestEncryptionEnabled` was true, and the flag cannot be changed on an existing cache. Since mid-2025 \
AppSync encrypts new caches at rest whatever the flag says, and the API treats the flag as deprecated; \
caches created earlier with the flag off are still unencrypted.\n\n\
A cache that leaves the flag out is therefore reported only as information, so that the template states \
what it relies on; a cache that sets it to `false` keeps the warning, because in an older stack it \
describes a cache whose data really is stored in clear.",
            remediation: "Set `AtRestEncryptionEnabled: true`. AppSync cannot switch encryption on for an existing \
cache: the cache is deleted and created again, and its entries are lost (they are rebuilt from the data \
sources as requests come in), which is why the quick fix is marked unsafe.",
            noncompliant: "Resources:
  GraphCache:
    Type: AWS::AppSync::ApiCache
    Properties:
      ApiId: !GetAtt GraphApi.ApiId
      ApiCachingBehavior: FULL_REQUEST_CACHING
      Type: SMALL
      Ttl: 300
      AtRestEncryptionEnabled: false
      TransitEncryptionEnabled: true
",
            compliant: "Resources:
  GraphCache:
    Type: AWS::AppSync::ApiCache
    Properties:
      ApiId: !GetAtt GraphApi.ApiId
      ApiCachingBehavior: FULL_REQUEST_CACHING
      Type: SMALL
      Ttl: 300
      AtRestEncryptionEnabled: true
      TransitEncryptionEnabled: true
",
        },
    },
    check: Check::Custom(cache_at_rest),
};

const PATH: &[Step<'static>] = &[Step::Key("AtRestEncryptionEnabled")];

/// The same check as [`Check::True`], with a message that does not overstate a missing flag: a
/// new cache is encrypted without it.
fn cache_at_rest<'a>(
    context: &RuleContext<'_, '_, 'a>,
    cache: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let Some(mut found) = check_true(
        context,
        cache,
        PATH,
        "AppSync API cache {resource} disables encryption at rest",
        Absent::Graded(Severity::Info),
        true,
    ) else {
        return Vec::new();
    };
    if found
        .outcomes
        .iter()
        .all(|outcome| outcome.value.is_absent())
    {
        found.message = format!(
            "AppSync API cache {} does not set AtRestEncryptionEnabled and relies on AppSync's default encryption",
            cache.logical_id
        );
    }
    vec![found]
}

pub const RULES: &[Rule] = &[APS001];
