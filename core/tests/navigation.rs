//! Names and their uses: exact spans in YAML (short and long forms) and JSON, name lookup by
//! offset, rename, hovers and completions.

use ward_core::navigation::{Completion, Index, NameKind, UseKind, completion_prefix};
use ward_core::{Applicability, Document, Fix, SourceFile, apply_fixes};

/// Parses and indexes `text`, checking that every span slices to exactly its name.
fn index(text: &str) -> (SourceFile, Index) {
    let document = Document::new(SourceFile::new("template", text));
    assert!(
        document.parsed().errors.is_empty(),
        "{:?}",
        document.parsed().errors
    );
    let template = document.template().expect("a template");
    let index = Index::new(&template, document.source());
    let file = document.source().clone();
    for found in index.uses.iter().chain(&index.pseudo_parameters) {
        assert_eq!(file.slice(found.span), found.name, "{found:?}");
    }
    for definition in &index.definitions {
        assert_eq!(
            file.slice(definition.name_span),
            definition.name,
            "{definition:?}"
        );
        assert!(definition.span.start <= definition.name_span.start);
        assert!(definition.span.end >= definition.name_span.end);
    }
    (file, index)
}

/// The (via, byte offset) of every use of a name.
fn uses(index: &Index, kind: NameKind, name: &str) -> Vec<(UseKind, usize)> {
    index
        .uses(kind, name)
        .map(|found| (found.via, found.span.start as usize))
        .collect()
}

/// The byte offset of the `nth` (0-based) occurrence of `needle`, plus `shift`.
fn at(text: &str, needle: &str, nth: usize, shift: usize) -> usize {
    text.match_indices(needle)
        .nth(nth)
        .map(|(offset, _)| offset + shift)
        .unwrap_or_else(|| panic!("no occurrence {nth} of {needle:?}"))
}

fn labels(completions: &[Completion]) -> Vec<&str> {
    completions
        .iter()
        .map(|completion| completion.label.as_str())
        .collect()
}

fn renamed(text: &str, offset: usize, new_name: &str) -> String {
    let (_, index) = index(text);
    let edits = index.rename(offset, new_name).expect("rename");
    let fix = Fix {
        title: "rename".to_owned(),
        applicability: Applicability::Safe,
        edits,
    };
    let outcome = apply_fixes(text, [&fix]);
    assert_eq!(outcome.applied, 1);
    outcome.text
}

const YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Description: Übersicht — 日本語 ${Env} is only text here
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  'Quoted':
    Type: Number
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev:
    Fn::Equals:
      - Ref: Env
      - dev
  IsEither: !Or [!Condition IsProd, {Condition: IsDev}]
  NotProd:
    Fn::Not:
      - Condition: IsProd
  Both: !And [!Condition IsProd, !Condition IsDev]
Mappings:
  RegionMap:
    us-east-1: {Ami: ami-1}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    Properties:
      TableName: !Ref Env
      Other: {Ref: "Env"}
      Region: !Ref AWS::Region
      Condition: NotACondition
  Queue:
    Type: AWS::SQS::Queue
    DependsOn: Orders
    Properties:
      QueueName: !If [IsProd, !GetAtt Orders.Arn, !Ref 'Quoted']
      Image: !FindInMap [RegionMap, !Ref AWS::Region, Ami]
      Long:
        Fn::GetAtt: [Orders, StreamArn]
      Str:
        Fn::GetAtt: Orders.Arn
      Quoted: !GetAtt "Orders.Arn"
      Nested:
        Fn::If:
          - IsDev
          - Fn::FindInMap: [RegionMap, us-east-1, Ami]
          - !Ref AWS::NoValue
  Topic:
    Type: AWS::SNS::Topic
    DependsOn: [Orders, Queue]
    Properties:
      Name: !Sub "Grüße ${Env}-${Orders.Arn}-${AWS::Region}-${!Literal}-${Unknown}"
      Two: !Sub
        - "${Env}-${Var}-${Queue}"
        - Var: !Ref Orders
      Block: !Sub |  # ${Env} in a comment
        arn:${AWS::Partition}:s3:::${Env}
        second ${Queue.Arn}
      Folded:
        Fn::Sub: >-
          ${Env}
          ${Orders}
      Escaped: !Sub "\t\u00e9 ${Env}"
      Single: !Sub 'it''s ${Env}'
Outputs:
  TableArn:
    Condition: IsProd
    Value: !GetAtt Orders.Arn
Metadata:
  Info: !Ref Env
  AWS::CloudFormation::Interface:
    ParameterGroups:
      - Label: {default: Stage}
        Parameters: [Env, "Quoted"]
    ParameterLabels:
      Env: {default: Environment}
Rules:
  CheckEnv:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Not [!Equals [!Ref Env, dev]]
"#;

#[test]
fn definitions_cover_every_section_with_details() {
    let (file, index) = index(YAML);
    let names: Vec<(NameKind, &str, Option<&str>)> = index
        .definitions
        .iter()
        .map(|d| (d.kind, d.name.as_str(), d.detail.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            (NameKind::Parameter, "Env", Some("String")),
            (NameKind::Parameter, "Quoted", Some("Number")),
            (NameKind::Condition, "IsProd", None),
            (NameKind::Condition, "IsDev", None),
            (NameKind::Condition, "IsEither", None),
            (NameKind::Condition, "NotProd", None),
            (NameKind::Condition, "Both", None),
            (NameKind::Mapping, "RegionMap", None),
            (NameKind::Resource, "Orders", Some("AWS::DynamoDB::Table")),
            (NameKind::Resource, "Queue", Some("AWS::SQS::Queue")),
            (NameKind::Resource, "Topic", Some("AWS::SNS::Topic")),
            (NameKind::Output, "TableArn", None),
        ]
    );
    let env = index.definition(NameKind::Parameter, "Env").expect("Env");
    assert_eq!(
        file.slice(env.span),
        "Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]"
    );
    let quoted = index
        .definition(NameKind::Parameter, "Quoted")
        .expect("Quoted");
    assert_eq!(quoted.name_span.start as usize, at(YAML, "'Quoted'", 0, 1));
    assert_eq!(
        file.slice(quoted.span),
        "'Quoted':\n    Type: Number",
        "the entry starts at the key's quote"
    );
    let is_prod = index
        .definition(NameKind::Condition, "IsProd")
        .expect("IsProd");
    assert_eq!(file.slice(is_prod.span), "IsProd: !Equals [!Ref Env, prod]");
}

#[test]
fn refs_in_short_and_long_forms() {
    let (_, index) = index(YAML);
    let env = uses(&index, NameKind::Parameter, "Env");
    let refs: Vec<usize> = env
        .iter()
        .filter(|(via, _)| *via == UseKind::Ref)
        .map(|(_, offset)| *offset)
        .collect();
    assert_eq!(
        refs,
        [
            at(YAML, "!Ref Env", 0, 5),
            at(YAML, "Ref: Env", 0, 5),
            at(YAML, "!Ref Env", 1, 5),
            at(YAML, "{Ref: \"Env\"}", 0, 7),
            at(YAML, "!Ref Env", 2, 5),
            at(YAML, "!Ref Env", 3, 5),
            at(YAML, "!Ref Env", 4, 5),
        ]
    );
    assert_eq!(
        uses(&index, NameKind::Parameter, "Quoted"),
        [
            (UseKind::Ref, at(YAML, "!Ref 'Quoted'", 0, 6)),
            (UseKind::Interface, at(YAML, "\"Quoted\"]", 0, 1)),
        ]
    );
    // A resource through Ref (in Sub's variable map).
    assert!(
        uses(&index, NameKind::Resource, "Orders")
            .contains(&(UseKind::Ref, at(YAML, "!Ref Orders", 0, 5)))
    );
    // Pseudo parameters are not uses, but are kept apart for hovers.
    assert!(
        index
            .uses
            .iter()
            .all(|found| !found.name.starts_with("AWS::"))
    );
    let pseudo: Vec<&str> = index
        .pseudo_parameters
        .iter()
        .map(|found| found.name.as_str())
        .collect();
    assert_eq!(
        pseudo,
        [
            "AWS::Region",
            "AWS::Region",
            "AWS::NoValue",
            "AWS::Region",
            "AWS::Partition"
        ]
    );
}

#[test]
fn get_att_in_every_form_points_at_the_resource() {
    let (_, index) = index(YAML);
    let get_atts: Vec<usize> = uses(&index, NameKind::Resource, "Orders")
        .into_iter()
        .filter(|(via, _)| *via == UseKind::GetAtt)
        .map(|(_, offset)| offset)
        .collect();
    assert_eq!(
        get_atts,
        [
            at(YAML, "!GetAtt Orders.Arn", 0, 8),
            at(YAML, "[Orders, StreamArn]", 0, 1),
            at(YAML, "Fn::GetAtt: Orders.Arn", 0, 12),
            at(YAML, "!GetAtt \"Orders.Arn\"", 0, 9),
            at(YAML, "!GetAtt Orders.Arn", 1, 8),
        ]
    );
}

#[test]
fn sub_names_map_to_the_source_text() {
    let (file, index) = index(YAML);
    let subs = |kind, name| -> Vec<usize> {
        uses(&index, kind, name)
            .into_iter()
            .filter(|(via, _)| *via == UseKind::Sub)
            .map(|(_, offset)| offset)
            .collect()
    };
    assert_eq!(
        subs(NameKind::Parameter, "Env"),
        [
            at(YAML, "Grüße ${Env}", 0, "Grüße ${".len()),
            at(YAML, "\"${Env}-${Var}", 0, 3),
            at(YAML, ":::${Env}", 0, 5),
            at(YAML, "${Env}\n          ${Orders}", 0, 2),
            at(YAML, "\\u00e9 ${Env}", 0, 9),
            at(YAML, "it''s ${Env}", 0, 8),
        ],
        "not in the description, not in the block scalar's header comment"
    );
    assert_eq!(
        subs(NameKind::Resource, "Orders"),
        [at(YAML, "${Orders.Arn}", 0, 2), at(YAML, "${Orders}", 0, 2)]
    );
    assert_eq!(
        subs(NameKind::Resource, "Queue"),
        [at(YAML, "${Queue}", 0, 2), at(YAML, "${Queue.Arn}", 0, 2)]
    );
    // Variable map names, literals and undefined names are not uses.
    for found in &index.uses {
        assert!(
            !["Var", "Literal", "!Literal", "Unknown"].contains(&found.name.as_str()),
            "{found:?}"
        );
    }
    let sub_pseudo: Vec<&str> = index
        .pseudo_parameters
        .iter()
        .filter(|found| found.via == UseKind::Sub)
        .map(|found| file.slice(found.span))
        .collect();
    assert_eq!(sub_pseudo, ["AWS::Region", "AWS::Partition"]);
}

#[test]
fn conditions_in_every_position() {
    let (_, index) = index(YAML);
    let conditions = |name| -> Vec<usize> {
        uses(&index, NameKind::Condition, name)
            .into_iter()
            .map(|(via, offset)| {
                assert_eq!(via, UseKind::Condition);
                offset
            })
            .collect()
    };
    assert_eq!(
        conditions("IsProd"),
        [
            at(YAML, "!Condition IsProd", 0, 11),
            at(YAML, "Condition: IsProd", 0, 11),
            at(YAML, "!Condition IsProd", 1, 11),
            at(YAML, "Condition: IsProd", 1, 11),
            at(YAML, "[IsProd,", 0, 1),
            at(YAML, "Condition: IsProd", 2, 11),
        ]
    );
    assert_eq!(
        conditions("IsDev"),
        [
            at(YAML, "{Condition: IsDev}", 0, 12),
            at(YAML, "!Condition IsDev", 0, 11),
            at(YAML, "- IsDev", 0, 2),
        ]
    );
    // A property that happens to be called Condition names nothing.
    assert!(index.uses.iter().all(|found| found.name != "NotACondition"));
}

#[test]
fn depends_on_and_find_in_map() {
    let (_, index) = index(YAML);
    let depends = |name| -> Vec<usize> {
        uses(&index, NameKind::Resource, name)
            .into_iter()
            .filter(|(via, _)| *via == UseKind::DependsOn)
            .map(|(_, offset)| offset)
            .collect()
    };
    assert_eq!(
        depends("Orders"),
        [
            at(YAML, "DependsOn: Orders", 0, 11),
            at(YAML, "[Orders, Queue]", 0, 1)
        ]
    );
    assert_eq!(depends("Queue"), [at(YAML, "[Orders, Queue]", 0, 9)]);
    assert_eq!(
        uses(&index, NameKind::Mapping, "RegionMap"),
        [
            (UseKind::FindInMap, at(YAML, "[RegionMap,", 0, 1)),
            (UseKind::FindInMap, at(YAML, "[RegionMap,", 1, 1)),
        ]
    );
}

const JSON: &str = r#"{
  "Description": "Übersicht — 日本語",
  "Parameters": {
    "Env": {"Type": "String", "Default": "", "AllowedValues": ["", "prod"]}
  },
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}
  },
  "Mappings": {"RegionMap": {"us-east-1": {"Ami": "ami-1"}}},
  "Resources": {
    "Orders": {
      "Type": "AWS::DynamoDB::Table",
      "Condition": "IsProd",
      "Properties": {"TableName": {"Ref": "Env"}}
    },
    "Queue": {
      "Type": "AWS::SQS::Queue",
      "DependsOn": ["Orders"],
      "Properties": {
        "A": {"Fn::GetAtt": "Orders.Arn"},
        "B": {"Fn::GetAtt": ["Orders", "Arn"]},
        "C": {"Fn::Sub": "ü\"\u00e9\" ${Env}/${Orders.Arn}/${AWS::Region}"},
        "D": {"Fn::Sub": ["${Env}-${X}", {"X": {"Ref": "Orders"}}]},
        "E": {"Fn::If": ["IsProd", {"Fn::FindInMap": ["RegionMap", "us-east-1", "Ami"]}, ""]}
      }
    }
  },
  "Outputs": {
    "Arn": {"Condition": "IsProd", "Value": {"Fn::GetAtt": ["Orders", "Arn"]}}
  }
}
"#;

#[test]
fn json_uses_are_inside_the_quotes() {
    let (_, index) = index(JSON);
    let env = index.definition(NameKind::Parameter, "Env").expect("Env");
    assert_eq!(env.name_span.start as usize, at(JSON, "\"Env\": {", 0, 1));
    assert_eq!(
        uses(&index, NameKind::Parameter, "Env"),
        [
            (UseKind::Ref, at(JSON, "\"Ref\": \"Env\"", 0, 8)),
            (UseKind::Ref, at(JSON, "\"Ref\": \"Env\"", 1, 8)),
            (UseKind::Sub, at(JSON, "${Env}/", 0, 2)),
            (UseKind::Sub, at(JSON, "${Env}-", 0, 2)),
        ]
    );
    assert_eq!(
        uses(&index, NameKind::Resource, "Orders"),
        [
            (UseKind::DependsOn, at(JSON, "[\"Orders\"]", 0, 2)),
            (UseKind::GetAtt, at(JSON, "\"Orders.Arn\"", 0, 1)),
            (UseKind::GetAtt, at(JSON, "[\"Orders\", \"Arn\"]", 0, 2)),
            (UseKind::Sub, at(JSON, "${Orders.Arn}", 0, 2)),
            (UseKind::Ref, at(JSON, "\"Ref\": \"Orders\"", 0, 8)),
            (UseKind::GetAtt, at(JSON, "[\"Orders\", \"Arn\"]", 1, 2)),
        ]
    );
    assert_eq!(
        uses(&index, NameKind::Condition, "IsProd")
            .iter()
            .map(|(_, offset)| *offset)
            .collect::<Vec<_>>(),
        [
            at(JSON, "\"Condition\": \"IsProd\"", 0, 14),
            at(JSON, "\"Condition\": \"IsProd\"", 1, 14),
            at(JSON, "[\"IsProd\"", 0, 2),
            at(JSON, "\"Condition\": \"IsProd\"", 2, 14),
        ]
    );
    assert_eq!(
        uses(&index, NameKind::Mapping, "RegionMap"),
        [(UseKind::FindInMap, at(JSON, "[\"RegionMap\"", 0, 2))]
    );
    assert!(index.uses.iter().all(|found| found.name != "X"));
}

#[test]
fn names_written_with_escapes_are_left_out() {
    let text = "Parameters:\n  Env: {Type: String}\nResources:\n  Orders:\n    Type: AWS::SNS::Topic\n    Properties:\n      A: !Ref \"\\x45nv\"\n      B: !Ref Env\n      C: !Sub \"${\\x45nv} ${Env}\"\n";
    let (_, index) = index(text);
    assert_eq!(
        uses(&index, NameKind::Parameter, "Env"),
        [
            (UseKind::Ref, at(text, "!Ref Env", 0, 5)),
            (UseKind::Sub, at(text, " ${Env}", 0, 3)),
        ]
    );
}

#[test]
fn parameters_of_the_console_interface_are_uses() {
    let (_, index) = index(YAML);
    let interface = |name| -> Vec<usize> {
        uses(&index, NameKind::Parameter, name)
            .into_iter()
            .filter(|(via, _)| *via == UseKind::Interface)
            .map(|(_, offset)| offset)
            .collect()
    };
    assert_eq!(
        interface("Env"),
        [at(YAML, "[Env, ", 0, 1), at(YAML, "Env: {default", 0, 0)]
    );
    assert_eq!(interface("Quoted"), [at(YAML, "\"Quoted\"]", 0, 1)]);
}

#[test]
fn name_at_finds_definitions_and_uses_at_start_middle_and_end() {
    let (_, index) = index(YAML);
    let start = at(YAML, "!GetAtt Orders.Arn", 0, 8);
    for offset in [start, start + 3, start + 6] {
        let (kind, name, span) = index.name_at(offset).expect("a name");
        assert_eq!((kind, name), (NameKind::Resource, "Orders"));
        assert_eq!(span.start as usize, start);
        assert_eq!(span.end as usize, start + 6);
    }
    assert_eq!(index.name_at(start - 1), None, "the space before the name");
    let key = at(YAML, "  Orders:", 0, 2);
    assert_eq!(
        index.name_at(key + 6).map(|(kind, name, _)| (kind, name)),
        Some((NameKind::Resource, "Orders"))
    );
    assert_eq!(index.name_at(at(YAML, "Type: AWS::SQS", 0, 2)), None);
    let region = at(YAML, "!Ref AWS::Region", 0, 5);
    assert_eq!(
        index
            .name_at(region + 2)
            .map(|(kind, name, _)| (kind, name)),
        Some((NameKind::Parameter, "AWS::Region"))
    );
}

#[test]
fn rename_a_resource_in_yaml() {
    let offset = at(YAML, "!GetAtt Orders.Arn", 0, 10);
    let (_, before) = index(YAML);
    let count = before.uses(NameKind::Resource, "Orders").count();
    assert_eq!(count, 10);
    let text = renamed(YAML, offset, "OrdersTable");
    let (_, after) = index(&text);
    assert_eq!(after.uses(NameKind::Resource, "OrdersTable").count(), count);
    assert_eq!(after.uses(NameKind::Resource, "Orders").count(), 0);
    assert!(
        after
            .definition(NameKind::Resource, "OrdersTable")
            .is_some()
    );
    assert!(after.definition(NameKind::Resource, "Orders").is_none());
    assert!(text.contains("!GetAtt OrdersTable.Arn"));
    assert!(text.contains("${OrdersTable.Arn}"));
    assert!(text.contains("DependsOn: [OrdersTable, Queue]"));
}

#[test]
fn rename_a_quoted_parameter_and_a_condition_in_yaml() {
    let key = at(YAML, "'Quoted'", 0, 1);
    let text = renamed(YAML, key, "Size");
    assert!(text.contains("  'Size':\n"), "{text}");
    assert!(text.contains("!Ref 'Size'"), "{text}");
    let (_, after) = index(&text);
    assert!(text.contains("[Env, \"Size\"]"), "{text}");
    assert_eq!(after.uses(NameKind::Parameter, "Size").count(), 2);

    let (_, before) = index(YAML);
    let count = before.uses(NameKind::Condition, "IsProd").count();
    let text = renamed(YAML, at(YAML, "[IsProd,", 0, 1), "Production");
    let (_, after) = index(&text);
    assert_eq!(after.uses(NameKind::Condition, "Production").count(), count);
    assert_eq!(after.uses(NameKind::Condition, "IsProd").count(), 0);
    assert!(
        after
            .definition(NameKind::Condition, "Production")
            .is_some()
    );
}

#[test]
fn rename_in_json_edits_inside_the_quotes() {
    let (_, before) = index(JSON);
    for (kind, old, new, offset) in [
        (
            NameKind::Resource,
            "Orders",
            "Table",
            at(JSON, "\"Orders\": {", 0, 1),
        ),
        (
            NameKind::Parameter,
            "Env",
            "Stage",
            at(JSON, "${Env}/", 0, 5),
        ),
        (
            NameKind::Mapping,
            "RegionMap",
            "Amis",
            at(JSON, "[\"RegionMap\"", 0, 2),
        ),
    ] {
        let count = before.uses(kind, old).count();
        assert!(count > 0);
        let text = renamed(JSON, offset, new);
        let (_, after) = index(&text);
        assert_eq!(after.uses(kind, new).count(), count, "{text}");
        assert_eq!(after.uses(kind, old).count(), 0, "{text}");
        assert!(after.definition(kind, new).is_some(), "{text}");
        assert!(text.contains(&format!("\"{new}\": {{")), "{text}");
    }
}

#[test]
fn rename_refusals() {
    let (_, index) = index(YAML);
    let orders = at(YAML, "!GetAtt Orders.Arn", 0, 8);
    let refused = |offset, name| index.rename(offset, name).expect_err("refused");
    assert!(refused(at(YAML, "Type: AWS::SQS", 0, 1), "X").contains("no parameter"));
    assert!(refused(orders, "Orders-Table").contains("not a valid name"));
    assert!(refused(orders, "").contains("not a valid name"));
    assert!(refused(orders, "Tábla").contains("not a valid name"));
    // Parameters and resources share the Ref namespace.
    assert!(refused(orders, "Env").contains("parameter named `Env` already exists"));
    assert!(refused(orders, "Queue").contains("resource named `Queue` already exists"));
    let is_prod = at(YAML, "[IsProd,", 0, 1);
    assert!(refused(is_prod, "IsDev").contains("condition named `IsDev` already exists"));
    // Another kind's name is fine for a condition.
    assert!(index.rename(is_prod, "Orders").is_ok());
    let region = at(YAML, "!Ref AWS::Region", 0, 6);
    assert!(refused(region, "Region").contains("pseudo parameter"));
    assert_eq!(index.rename(orders, "Orders"), Ok(Vec::new()));

    let text = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      X: !GetAtt Missing.Arn\n";
    let (_, undefined) = self::index(text);
    let missing = at(text, "Missing", 0, 0);
    assert!(
        undefined
            .rename(missing, "Found")
            .expect_err("refused")
            .contains("not defined")
    );
}

#[test]
fn describe_gives_one_markdown_line() {
    let (_, index) = index(YAML);
    let describe = |kind, name| index.describe(kind, name).expect("described");
    assert_eq!(
        describe(NameKind::Resource, "Orders"),
        "Resource `Orders` (`AWS::DynamoDB::Table`)"
    );
    assert_eq!(
        describe(NameKind::Parameter, "Env"),
        "Parameter `Env` (`String`, default `dev`, allowed `dev`, `prod`)"
    );
    assert_eq!(
        describe(NameKind::Parameter, "Quoted"),
        "Parameter `Quoted` (`Number`)"
    );
    assert_eq!(
        describe(NameKind::Condition, "IsProd"),
        "Condition `IsProd`: `!Equals [!Ref Env, prod]`"
    );
    assert_eq!(
        describe(NameKind::Condition, "IsDev"),
        "Condition `IsDev`: `Fn::Equals: - Ref: Env - dev`"
    );
    assert_eq!(
        describe(NameKind::Mapping, "RegionMap"),
        "Mapping `RegionMap`"
    );
    assert_eq!(describe(NameKind::Output, "TableArn"), "Output `TableArn`");
    assert!(
        describe(NameKind::Parameter, "AWS::Region").starts_with("Pseudo parameter `AWS::Region`")
    );
    assert_eq!(index.describe(NameKind::Resource, "Env"), None);
    assert_eq!(index.describe(NameKind::Resource, "Nothing"), None);

    let (_, json) = self::index(JSON);
    assert_eq!(
        json.describe(NameKind::Parameter, "Env").as_deref(),
        Some("Parameter `Env` (`String`, default `\"\"`, allowed `\"\"`, `prod`)")
    );
}

#[test]
fn long_conditions_are_cut_and_backticks_kept() {
    let long = "x".repeat(300);
    let text = format!(
        "Conditions:\n  Long: !Equals [\"{long}\", b]\n  Tick: !Equals [a`b, c]\nResources:\n  A: {{Type: AWS::SNS::Topic}}\n"
    );
    let (_, index) = index(&text);
    let line = index
        .describe(NameKind::Condition, "Long")
        .expect("described");
    assert!(
        line.starts_with("Condition `Long`: `!Equals [\"xxx"),
        "{line}"
    );
    assert!(line.ends_with("…`"), "{line}");
    assert!(line.chars().count() < 160, "{line}");
    assert_eq!(
        index.describe(NameKind::Condition, "Tick").as_deref(),
        Some("Condition `Tick`: ``!Equals [a`b, c]``")
    );
}

#[test]
fn completions_by_context() {
    let (_, index) = index(YAML);
    let refs = [
        "AWS::AccountId",
        "AWS::NoValue",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
        "Env",
        "Orders",
        "Queue",
        "Quoted",
        "Topic",
    ];
    for prefix in [
        "      TableName: !Ref ",
        "      Other: {Ref: ",
        "      - Ref: ",
        "    \"A\": {\"Ref\": \"",
        "      Name: !Sub \"arn:${",
        "      Name: !If [IsProd, !Ref ",
    ] {
        assert_eq!(labels(&index.completions(prefix)), refs, "{prefix:?}");
    }
    let resources = ["Orders", "Queue", "Topic"];
    for prefix in [
        "      Arn: !GetAtt ",
        "      Arn: !GetAtt \"",
        "        Fn::GetAtt: [",
        "    \"A\": {\"Fn::GetAtt\": [\"",
        "    DependsOn: ",
        "    DependsOn: [Orders, ",
        "    \"DependsOn\": [\"Orders\", \"",
    ] {
        assert_eq!(labels(&index.completions(prefix)), resources, "{prefix:?}");
    }
    let conditions = ["Both", "IsDev", "IsEither", "IsProd", "NotProd"];
    for prefix in [
        "    Condition: ",
        "      Name: !If [",
        "        Fn::If: [",
        "  Either: !Or [!Condition ",
        "  Either: !Or [{Condition: ",
        "    \"Condition\": \"",
    ] {
        assert_eq!(labels(&index.completions(prefix)), conditions, "{prefix:?}");
    }
    for prefix in ["      Image: !FindInMap [", "        Fn::FindInMap: ["] {
        assert_eq!(
            labels(&index.completions(prefix)),
            ["RegionMap"],
            "{prefix:?}"
        );
    }
    for prefix in [
        "",
        "      Name: ",
        "      Name: !Ref",
        "      Arn: !GetAtt Orders.",
        "        Fn::GetAtt: [Orders, ",
        "      Image: !FindInMap [RegionMap, ",
        "      Name: !If [IsProd, ",
        "      Name: !Sub \"${Orders.",
        "      Name: !Sub \"${!",
        "    Type: ",
        "    MyRef: ",
        "      Name: \"it's !Ref ",
    ] {
        assert_eq!(
            labels(&index.completions(prefix)),
            Vec::<&str>::new(),
            "{prefix:?}"
        );
    }
}

#[test]
fn completions_filter_by_the_typed_prefix() {
    let (_, index) = index(YAML);
    assert_eq!(labels(&index.completions("  X: !Ref Ord")), ["Orders"]);
    assert_eq!(
        labels(&index.completions("  X: !Ref q")),
        ["Queue", "Quoted"]
    );
    assert_eq!(
        labels(&index.completions("  X: !Sub \"${aws::re")),
        ["AWS::Region"]
    );
    assert_eq!(labels(&index.completions("  Condition: isp")), ["IsProd"]);
    assert_eq!(
        labels(&index.completions("  D: [Orders, Qu")),
        Vec::<&str>::new()
    );
    assert_eq!(
        labels(&index.completions("  DependsOn: [Orders, Qu")),
        ["Queue"]
    );
    assert_eq!(
        labels(&index.completions("  X: !Ref Nothing")),
        Vec::<&str>::new()
    );
    assert_eq!(completion_prefix("  X: !Sub \"${AWS::Re"), "AWS::Re");
    assert_eq!(completion_prefix("  X: !Ref "), "");

    let details: Vec<(String, NameKind, Option<String>)> = index
        .completions("!Ref ")
        .into_iter()
        .filter(|completion| ["Env", "Orders", "AWS::Region"].contains(&completion.label.as_str()))
        .map(|completion| (completion.label, completion.kind, completion.detail))
        .collect();
    assert_eq!(
        details,
        [
            (
                "AWS::Region".to_owned(),
                NameKind::Parameter,
                Some("pseudo parameter".to_owned())
            ),
            (
                "Env".to_owned(),
                NameKind::Parameter,
                Some("String".to_owned())
            ),
            (
                "Orders".to_owned(),
                NameKind::Resource,
                Some("AWS::DynamoDB::Table".to_owned())
            ),
        ]
    );
}

#[test]
fn duplicate_keys_give_one_candidate_and_the_last_definition() {
    let text = "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SQS::Queue\n";
    let document = Document::new(SourceFile::new("t.yaml", text));
    let template = document.template().expect("template");
    let index = Index::new(&template, document.source());
    assert_eq!(index.definitions.len(), 2);
    assert_eq!(
        index
            .definition(NameKind::Resource, "A")
            .and_then(|d| d.detail.as_deref()),
        Some("AWS::SQS::Queue")
    );
    assert_eq!(labels(&index.completions("!GetAtt ")), ["A"]);
    let edits = index.rename(at(text, "A:", 0, 0), "B").expect("renamed");
    assert_eq!(edits.len(), 2);
}

#[test]
fn prepare_rename_gives_the_occurrence_or_the_reason() {
    let (file, index) = index(YAML);
    let offset = at(YAML, "${Queue.Arn}", 0, 4);
    let (kind, name, span) = index.prepare_rename(offset).expect("renamable");
    assert_eq!(
        (kind, name, file.slice(span)),
        (NameKind::Resource, "Queue", "Queue")
    );
    let region = at(YAML, "${AWS::Region}", 0, 3);
    assert!(
        index
            .prepare_rename(region)
            .expect_err("refused")
            .contains("pseudo parameter")
    );
}

#[test]
fn a_key_written_with_escapes_is_not_renamed() {
    let text = "{\"Resources\": {\"Or\\u0064ers\": {\"Type\": \"AWS::SNS::Topic\"}, \"Q\": {\"Type\": \"AWS::SQS::Queue\", \"DependsOn\": \"Orders\"}}}";
    let document = Document::new(SourceFile::new("t.json", text));
    let template = document.template().expect("template");
    let index = Index::new(&template, document.source());
    let definition = index
        .definition(NameKind::Resource, "Orders")
        .expect("defined");
    assert_eq!(
        document.source().slice(definition.name_span),
        "\"Or\\u0064ers\""
    );
    let use_at = at(text, "\"Orders\"", 0, 1);
    assert_eq!(
        index.uses(NameKind::Resource, "Orders").count(),
        1,
        "the use is found"
    );
    assert!(
        index
            .rename(use_at, "Topic")
            .expect_err("refused")
            .contains("escapes")
    );
}

/// Every template of the public corpus (`../shared/corpus`, when present): spans slice to their
/// names, and renaming the most used name of each kind round-trips.
#[test]
fn corpus_spans_are_exact_and_renames_round_trip() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        eprintln!("corpus not found at {}; skipped", root.display());
        return;
    };
    let mut checked = 0;
    let mut renamed_names = 0;
    for line in manifest.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let [source, path, .., status] = columns.as_slice() else {
            continue;
        };
        if *status != "ok" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(source).join(path)) else {
            continue;
        };
        let document = Document::new(SourceFile::new(*path, text.as_str()));
        let Some(template) = document.template() else {
            continue;
        };
        let index = Index::new(&template, document.source());
        let file = document.source();
        for found in index.uses.iter().chain(&index.pseudo_parameters) {
            assert_eq!(file.slice(found.span), found.name, "{path}: {found:?}");
        }
        checked += 1;
        for kind in [
            NameKind::Parameter,
            NameKind::Condition,
            NameKind::Mapping,
            NameKind::Resource,
        ] {
            let Some(definition) = index
                .definitions
                .iter()
                .filter(|definition| definition.kind == kind)
                .max_by_key(|definition| index.uses(kind, &definition.name).count())
            else {
                continue;
            };
            let count = index.uses(kind, &definition.name).count();
            let new_name = format!("WardRenamed{}", definition.name.len());
            let Ok(edits) = index.rename(definition.name_span.start as usize, &new_name) else {
                continue;
            };
            let fix = Fix {
                title: "rename".to_owned(),
                applicability: Applicability::Safe,
                edits,
            };
            let outcome = apply_fixes(&text, [&fix]);
            let after = Document::new(SourceFile::new(*path, outcome.text.as_str()));
            let template = after.template().expect("still a template");
            let after_index = Index::new(&template, after.source());
            assert_eq!(
                after_index.uses(kind, &new_name).count(),
                count,
                "{path}: {kind:?} {}",
                definition.name
            );
            assert_eq!(
                after_index.uses(kind, &definition.name).count(),
                0,
                "{path}: {kind:?} {}",
                definition.name
            );
            renamed_names += 1;
        }
    }
    eprintln!("{checked} templates indexed, {renamed_names} names renamed");
}
