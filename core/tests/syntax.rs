//! The YAML and JSON front ends: spans, short forms, refusals, limits and the corpus.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ward_core::SourceFile;
use ward_core::syntax::{
    MAX_DEPTH, Node, NodeKind, Parsed, ScalarStyle, Syntax, SyntaxError, parse,
};

// ---------------------------------------------------------------------------------------------
// Helpers

fn parse_text(name: &str, text: &str) -> (SourceFile, Parsed) {
    let file = SourceFile::new(name, text);
    let parsed = parse(&file);
    (file, parsed)
}

/// Parses text that must give a tree without any error.
fn parse_ok(name: &str, text: &str) -> (SourceFile, Node) {
    let (file, parsed) = parse_text(name, text);
    assert!(
        parsed.errors.is_empty(),
        "unexpected errors: {:#?}",
        parsed.errors
    );
    let root = parsed.root.expect("a root node");
    (file, root)
}

fn yaml(text: &str) -> (SourceFile, Node) {
    parse_ok("t.yaml", text)
}

/// Follows a path of mapping keys and sequence indexes.
fn at<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
    let mut node = node;
    for step in path {
        node = match &node.kind {
            NodeKind::Mapping(_) => node.get(step).unwrap_or_else(|| panic!("no key {step}")),
            NodeKind::Sequence(items) => &items[step.parse::<usize>().expect("an index")],
            NodeKind::Scalar(_) => panic!("cannot step into a scalar with {step}"),
        };
    }
    node
}

fn key_span_text<'a>(file: &'a SourceFile, node: &Node, key: &str) -> &'a str {
    file.slice(node.entry(key).expect("the key").key_span)
}

#[derive(Clone, Copy)]
struct Ignore {
    style: bool,
}

/// Compares two trees, ignoring spans and syntax (and scalar style when asked).
fn diff(a: &Node, b: &Node, ignore: Ignore, path: &str) -> Result<(), String> {
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar(x), NodeKind::Scalar(y)) => {
            if x.value != y.value {
                return Err(format!("{path}: {:?} != {:?}", x.value, y.value));
            }
            if !ignore.style && x.style != y.style {
                return Err(format!("{path}: style {:?} != {:?}", x.style, y.style));
            }
            Ok(())
        }
        (NodeKind::Sequence(x), NodeKind::Sequence(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: {} items != {} items", x.len(), y.len()));
            }
            for (index, (x, y)) in x.iter().zip(y).enumerate() {
                diff(x, y, ignore, &format!("{path}[{index}]"))?;
            }
            Ok(())
        }
        (NodeKind::Mapping(x), NodeKind::Mapping(y)) => {
            let keys = |entries: &[ward_core::syntax::Entry]| {
                entries
                    .iter()
                    .map(|entry| entry.key.clone())
                    .collect::<Vec<_>>()
            };
            if keys(x) != keys(y) {
                return Err(format!("{path}: keys {:?} != {:?}", keys(x), keys(y)));
            }
            for (x, y) in x.iter().zip(y) {
                diff(&x.value, &y.value, ignore, &format!("{path}.{}", x.key))?;
            }
            Ok(())
        }
        _ => Err(format!("{path}: {:?} vs {:?}", a.kind, b.kind)),
    }
}

fn assert_same_tree(a: &Node, b: &Node, ignore: Ignore) {
    if let Err(difference) = diff(a, b, ignore, "$") {
        panic!("trees differ at {difference}\nleft: {a:#?}\nright: {b:#?}");
    }
}

fn fatal_errors(parsed: &Parsed) -> Vec<&SyntaxError> {
    parsed.errors.iter().filter(|error| error.fatal).collect()
}

/// Runs `work` on a thread with a 1 MiB stack, the size wasm gets, and times it.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> (T, Duration) {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let started = Instant::now();
            let result = work();
            (result, started.elapsed())
        })
        .expect("spawn a thread");
    handle
        .join()
        .expect("the parser thread did not panic or overflow")
}

// ---------------------------------------------------------------------------------------------
// Spans

const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
# a comment
Resources:
  Bucket:
    Type: AWS::S3::Bucket   # trailing comment
    Properties:
      BucketName: \"my-bucket\"  # another
      Tags:
        - Key: team
          Value: data

      Literal: |
        line one
        line two

      Folded: >-
        folded
      Flow: [a, 'b', {c: d}]
      Empty:
  # trailing comment, indented

Outputs:
  Name:
    Value: !Ref Bucket
";

#[test]
fn keys_and_values_have_exact_spans() {
    let (file, root) = yaml(TEMPLATE);
    assert_eq!(root.syntax, Syntax::Block);
    assert_eq!(
        key_span_text(&file, &root, "AWSTemplateFormatVersion"),
        "AWSTemplateFormatVersion"
    );
    let version = root.get("AWSTemplateFormatVersion").expect("version");
    assert_eq!(file.slice(version.span), "'2010-09-09'");
    assert_eq!(
        version.as_scalar().map(|s| s.style),
        Some(ScalarStyle::SingleQuoted)
    );

    let bucket = at(&root, &["Resources", "Bucket"]);
    assert_eq!(key_span_text(&file, bucket, "Type"), "Type");
    let kind = at(bucket, &["Type"]);
    assert_eq!(file.slice(kind.span), "AWS::S3::Bucket");
    assert_eq!(kind.as_scalar().map(|s| s.style), Some(ScalarStyle::Plain));

    let properties = at(bucket, &["Properties"]);
    let name = at(properties, &["BucketName"]);
    assert_eq!(file.slice(name.span), "\"my-bucket\"");
    assert_eq!(name.as_str(), Some("my-bucket"));
    assert_eq!(
        name.as_scalar().map(|s| s.style),
        Some(ScalarStyle::DoubleQuoted)
    );

    let tag = at(properties, &["Tags", "0"]);
    assert_eq!(tag.syntax, Syntax::Block);
    assert_eq!(file.slice(tag.span), "Key: team\n          Value: data");
    assert_eq!(key_span_text(&file, tag, "Value"), "Value");
    assert_eq!(file.slice(at(tag, &["Value"]).span), "data");
}

#[test]
fn block_collections_end_at_their_last_value() {
    let (file, root) = yaml(TEMPLATE);
    let properties = at(&root, &["Resources", "Bucket", "Properties"]);
    assert_eq!(properties.syntax, Syntax::Block);
    let text = file.slice(properties.span);
    assert!(text.starts_with("BucketName: "), "{text:?}");
    // The last value is the empty `Empty:`; the comment and blank lines after it stay out.
    assert!(text.ends_with("Empty:"), "{text:?}");

    let tags = at(properties, &["Tags"]);
    assert_eq!(tags.syntax, Syntax::Block);
    assert_eq!(file.slice(tags.span), "- Key: team\n          Value: data");

    let resources = at(&root, &["Resources"]);
    assert!(file.slice(resources.span).starts_with("Bucket:\n"));
    assert!(file.slice(resources.span).ends_with("Empty:"));

    // The root runs from the first key to the last value.
    assert!(
        file.slice(root.span)
            .starts_with("AWSTemplateFormatVersion")
    );
    assert!(file.slice(root.span).ends_with("!Ref Bucket"));
}

#[test]
fn empty_values_are_empty_spans_after_the_colon() {
    let (file, root) = yaml(TEMPLATE);
    let properties = at(&root, &["Resources", "Bucket", "Properties"]);
    let empty = at(properties, &["Empty"]);
    assert!(empty.is_null());
    assert!(empty.span.is_empty());
    let key = properties.entry("Empty").expect("Empty").key_span;
    assert_eq!(file.slice(key), "Empty");
    assert_eq!(empty.span.start, key.end + 1, "just after `Empty:`");

    let (file, root) = yaml("a: {b: , c}\nd:\n  - \n  - x\ne: !Ref\n");
    let b = at(&root, &["a", "b"]);
    assert!(b.is_null() && b.span.is_empty());
    assert_eq!(file.slice(at(&root, &["d"]).span), "- \n  - x");
    let e = at(&root, &["e"]);
    assert_eq!(file.slice(e.span), "!Ref");
    assert_eq!(
        at(e, &["Ref"]).span,
        ward_core::Span::empty(e.span.end as usize)
    );
}

#[test]
fn block_scalars_span_from_indicator_to_last_content_line() {
    let (file, root) = yaml(TEMPLATE);
    let properties = at(&root, &["Resources", "Bucket", "Properties"]);
    let literal = at(properties, &["Literal"]);
    assert_eq!(
        file.slice(literal.span),
        "|\n        line one\n        line two"
    );
    assert_eq!(literal.as_str(), Some("line one\nline two\n"));
    assert_eq!(
        literal.as_scalar().map(|s| s.style),
        Some(ScalarStyle::Literal)
    );
    let folded = at(properties, &["Folded"]);
    assert_eq!(file.slice(folded.span), ">-\n        folded");
    assert_eq!(
        folded.as_scalar().map(|s| s.style),
        Some(ScalarStyle::Folded)
    );

    // A comment on the header line, a `|` inside the key, a keep indicator and leading blank lines.
    let (file, root) = yaml("\"a|b\": |+ # note | here\n\n  text\n\n# after\nc: >\n  x\n");
    assert_eq!(
        file.slice(at(&root, &["a|b"]).span),
        "|+ # note | here\n\n  text"
    );
    assert_eq!(at(&root, &["a|b"]).as_str(), Some("\ntext\n\n"));
    assert_eq!(file.slice(at(&root, &["c"]).span), ">\n  x");

    // An empty block scalar is just its header.
    let (file, root) = yaml("a: |\nb: 1\n");
    assert_eq!(file.slice(at(&root, &["a"]).span), "|");

    // In a sequence, and tagged.
    let (file, root) = yaml("l:\n  - |\n    one\n  - !Sub |\n    two ${X}\n");
    assert_eq!(file.slice(at(&root, &["l", "0"]).span), "|\n    one");
    let sub = at(&root, &["l", "1"]);
    assert_eq!(file.slice(sub.span), "!Sub |\n    two ${X}");
    assert_eq!(file.slice(at(sub, &["Fn::Sub"]).span), "|\n    two ${X}");
}

#[test]
fn quoted_scalars_end_at_their_closing_quote() {
    let (file, root) = yaml(
        "a: 'it''s'   # c\nb: \"x\\\"y\"  # c\nc: \"multi\n  line\"  # c\nd: [\"e\"  , 'f' ]\n",
    );
    assert_eq!(file.slice(at(&root, &["a"]).span), "'it''s'");
    assert_eq!(at(&root, &["a"]).as_str(), Some("it's"));
    assert_eq!(file.slice(at(&root, &["b"]).span), "\"x\\\"y\"");
    assert_eq!(file.slice(at(&root, &["c"]).span), "\"multi\n  line\"");
    assert_eq!(file.slice(at(&root, &["d", "0"]).span), "\"e\"");
    assert_eq!(file.slice(at(&root, &["d", "1"]).span), "'f'");
}

#[test]
fn plain_scalars_keep_their_text_untyped() {
    let (file, root) = yaml("a: true\nb: 012345678901\nc: 1.0\nd: ~\ne: multi\n  line   \n");
    assert_eq!(at(&root, &["a"]).as_str(), Some("true"));
    assert_eq!(at(&root, &["b"]).as_str(), Some("012345678901"));
    assert_eq!(at(&root, &["c"]).as_str(), Some("1.0"));
    assert!(at(&root, &["d"]).is_null());
    assert_eq!(at(&root, &["e"]).as_str(), Some("multi line"));
    assert_eq!(file.slice(at(&root, &["e"]).span), "multi\n  line");
}

#[test]
fn flow_collections_span_their_brackets() {
    let (file, root) = yaml("a: [1, [2, 3], {b: c, 'd': [e]}]\nf: {}\ng: [h: i, j]\n");
    let a = at(&root, &["a"]);
    assert_eq!(a.syntax, Syntax::Flow);
    assert_eq!(file.slice(a.span), "[1, [2, 3], {b: c, 'd': [e]}]");
    assert_eq!(file.slice(at(a, &["1"]).span), "[2, 3]");
    let mapping = at(a, &["2"]);
    assert_eq!(mapping.syntax, Syntax::Flow);
    assert_eq!(file.slice(mapping.span), "{b: c, 'd': [e]}");
    assert_eq!(key_span_text(&file, mapping, "d"), "'d'");
    assert_eq!(file.slice(at(&root, &["f"]).span), "{}");
    // A single pair in a flow sequence is a flow mapping without braces.
    let pair = at(&root, &["g", "0"]);
    assert_eq!(pair.syntax, Syntax::Flow);
    assert_eq!(file.slice(pair.span), "h: i");
}

#[test]
fn tagged_nodes_cover_their_tag_and_the_key_span_is_the_tag() {
    let (file, root) = yaml(
        "a: !Ref Bucket\nb: !If\n  - Cond\n  - x\n  - y\nc: !Join ['', [!Ref A, b]]\nd: !Transform {Name: M}\n",
    );
    let a = at(&root, &["a"]);
    assert_eq!(a.syntax, Syntax::ShortForm);
    assert_eq!(file.slice(a.span), "!Ref Bucket");
    assert_eq!(key_span_text(&file, a, "Ref"), "!Ref");
    assert_eq!(file.slice(at(a, &["Ref"]).span), "Bucket");
    assert_eq!(at(a, &["Ref"]).syntax, Syntax::Block);

    let b = at(&root, &["b"]);
    assert_eq!(file.slice(b.span), "!If\n  - Cond\n  - x\n  - y");
    assert_eq!(key_span_text(&file, b, "Fn::If"), "!If");
    let arguments = at(b, &["Fn::If"]);
    assert_eq!(arguments.syntax, Syntax::Block);
    assert_eq!(file.slice(arguments.span), "- Cond\n  - x\n  - y");

    let c = at(&root, &["c"]);
    assert_eq!(file.slice(c.span), "!Join ['', [!Ref A, b]]");
    let arguments = at(c, &["Fn::Join"]);
    assert_eq!(arguments.syntax, Syntax::Flow);
    assert_eq!(file.slice(arguments.span), "['', [!Ref A, b]]");
    assert_eq!(file.slice(at(arguments, &["1", "0"]).span), "!Ref A");

    let d = at(&root, &["d"]);
    assert_eq!(file.slice(at(d, &["Fn::Transform"]).span), "{Name: M}");
    assert_eq!(d.intrinsic().map(|(name, _)| name), Some("Fn::Transform"));
}

#[test]
fn positions_after_non_ascii_text_count_characters_and_utf16_units() {
    let text =
        "Description: \"Ünïcödé 😀 text\"\nResources:\n  Bücket: {Type: 'é😀', Name: !Ref Zß}\n";
    let (file, root) = yaml(text);
    let bucket = at(&root, &["Resources", "Bücket"]);
    assert_eq!(
        key_span_text(&file, at(&root, &["Resources"]), "Bücket"),
        "Bücket"
    );
    let kind = at(bucket, &["Type"]);
    assert_eq!(file.slice(kind.span), "'é😀'");
    let name = at(bucket, &["Name"]);
    assert_eq!(file.slice(name.span), "!Ref Zß");
    let name_key = bucket.entry("Name").expect("Name").key_span;
    let position = file.position(name_key.start);
    // `  Bücket: {Type: 'é😀', ` is 23 characters, 24 UTF-16 units (the emoji takes two).
    assert_eq!((position.line, position.column), (3, 24));
    assert_eq!(position.utf16_column, 24);
    assert_eq!(
        position.offset as usize,
        text.find("Name").unwrap_or_default()
    );
    let description = file.position(at(&root, &["Description"]).span.end);
    assert_eq!((description.line, description.column), (1, 30));
    assert_eq!(description.utf16_column, 30);

    // A long non-ASCII prefix crosses the converter's checkpoints.
    let long = format!("# {}\na: b\nc: [d, é]\n", "ü".repeat(1000));
    let (file, root) = yaml(&long);
    assert_eq!(file.slice(at(&root, &["c", "1"]).span), "é");
    assert_eq!(file.position(at(&root, &["c"]).span.start).line, 3);
}

// ---------------------------------------------------------------------------------------------
// Short forms

const EXACT: Ignore = Ignore { style: false };
const ANY_STYLE: Ignore = Ignore { style: true };

#[test]
fn every_short_form_equals_its_long_form() {
    let pairs = [
        ("!Ref Bucket", "{Ref: Bucket}"),
        ("!Condition IsProd", "{Condition: IsProd}"),
        ("!Base64 text", "{'Fn::Base64': text}"),
        (
            "!Cidr [10.0.0.0/16, 6, 5]",
            "{'Fn::Cidr': [10.0.0.0/16, 6, 5]}",
        ),
        ("!FindInMap [M, K1, K2]", "{'Fn::FindInMap': [M, K1, K2]}"),
        ("!GetAtt [A, Arn]", "{'Fn::GetAtt': [A, Arn]}"),
        ("!GetAtt A.Arn", "{'Fn::GetAtt': [A, Arn]}"),
        ("!GetAZs ''", "{'Fn::GetAZs': ''}"),
        ("!ImportValue Exported", "{'Fn::ImportValue': Exported}"),
        ("!Join [',', [a, b]]", "{'Fn::Join': [',', [a, b]]}"),
        ("!Select [0, [a, b]]", "{'Fn::Select': [0, [a, b]]}"),
        ("!Split [',', 'a,b']", "{'Fn::Split': [',', 'a,b']}"),
        (
            "!Sub 'arn:${AWS::Partition}'",
            "{'Fn::Sub': 'arn:${AWS::Partition}'}",
        ),
        (
            "!Transform {Name: M, Parameters: {}}",
            "{'Fn::Transform': {Name: M, Parameters: {}}}",
        ),
        (
            "!And [!Condition A, !Condition B]",
            "{'Fn::And': [{Condition: A}, {Condition: B}]}",
        ),
        ("!Equals [a, b]", "{'Fn::Equals': [a, b]}"),
        ("!If [C, a, b]", "{'Fn::If': [C, a, b]}"),
        ("!Not [!Condition C]", "{'Fn::Not': [{Condition: C}]}"),
        (
            "!Or [!Condition A, !Condition B]",
            "{'Fn::Or': [{Condition: A}, {Condition: B}]}",
        ),
        ("!ToJsonString {a: b}", "{'Fn::ToJsonString': {a: b}}"),
        ("!Length [a, b]", "{'Fn::Length': [a, b]}"),
        (
            "!ForEach [Id, [a, b], {'Out${Id}': x}]",
            "{'Fn::ForEach': [Id, [a, b], {'Out${Id}': x}]}",
        ),
        // The Rules section's functions.
        (
            "!Contains [[a, b], !Ref P]",
            "{'Fn::Contains': [[a, b], {Ref: P}]}",
        ),
        (
            "!EachMemberEquals [!ValueOf [S, VpcId], v]",
            "{'Fn::EachMemberEquals': [{'Fn::ValueOf': [S, VpcId]}, v]}",
        ),
        (
            "!EachMemberIn [!ValueOfAll [T, A], !RefAll T]",
            "{'Fn::EachMemberIn': [{'Fn::ValueOfAll': [T, A]}, {'Fn::RefAll': T}]}",
        ),
    ];
    for (short, long) in pairs {
        let (_, short_root) = yaml(&format!("v: {short}\n"));
        let (_, long_root) = yaml(&format!("v: {long}\n"));
        let short_node = at(&short_root, &["v"]);
        assert_eq!(short_node.syntax, Syntax::ShortForm, "{short}");
        assert!(short_node.intrinsic().is_some(), "{short} is an intrinsic");
        assert_same_tree(short_node, at(&long_root, &["v"]), EXACT);
    }
}

#[test]
fn short_forms_in_block_style_equal_their_long_forms() {
    let (_, short) = yaml("v: !If\n  - C\n  - !Ref A\n  - !Ref AWS::NoValue\n");
    let (_, long) = yaml("v:\n  Fn::If:\n    - C\n    - Ref: A\n    - Ref: AWS::NoValue\n");
    assert_same_tree(&short, &long, EXACT);
    let (_, short) = yaml("v: !Sub\n  - '${A}-${B}'\n  - B: !Ref X\n");
    let (_, long) = yaml("v:\n  Fn::Sub:\n    - '${A}-${B}'\n    - B:\n        Ref: X\n");
    assert_same_tree(&short, &long, EXACT);
}

#[test]
fn get_att_scalar_form_splits_at_the_first_dot() {
    let (file, root) = yaml(
        "a: !GetAtt Db.Endpoint.Address\nb: !GetAtt [Db, Endpoint.Address]\nc: !GetAtt NoDot\nd: !GetAtt 'Q.R'\n",
    );
    let a = at(&root, &["a", "Fn::GetAtt"]);
    assert_eq!(a.syntax, Syntax::ShortForm, "a sequence made from a scalar");
    assert_eq!(a.as_sequence().map(<[Node]>::len), Some(2));
    assert_eq!(at(a, &["0"]).as_str(), Some("Db"));
    assert_eq!(at(a, &["1"]).as_str(), Some("Endpoint.Address"));
    assert_eq!(file.slice(at(a, &["0"]).span), "Db");
    assert_eq!(file.slice(at(a, &["1"]).span), "Endpoint.Address");
    assert_eq!(file.slice(a.span), "Db.Endpoint.Address");
    assert_same_tree(at(&root, &["a"]), at(&root, &["b"]), EXACT);

    let c = at(&root, &["c", "Fn::GetAtt"]);
    assert_eq!(c.as_str(), Some("NoDot"));

    let d = at(&root, &["d", "Fn::GetAtt"]);
    assert_eq!(file.slice(at(d, &["0"]).span), "Q");
    assert_eq!(file.slice(at(d, &["1"]).span), "R");
    assert_eq!(
        at(d, &["1"]).as_scalar().map(|s| s.style),
        Some(ScalarStyle::SingleQuoted)
    );
}

#[test]
fn sub_with_one_and_two_arguments() {
    let (file, root) = yaml(
        "a: !Sub 'arn:${AWS::Partition}:s3:::${B}'\nb: !Sub ['${X}-${Y}', {X: !Ref P, Y: lit}]\n",
    );
    let a = at(&root, &["a", "Fn::Sub"]);
    assert_eq!(a.as_str(), Some("arn:${AWS::Partition}:s3:::${B}"));
    let b = at(&root, &["b", "Fn::Sub"]);
    assert_eq!(b.as_sequence().map(<[Node]>::len), Some(2));
    assert_eq!(
        at(b, &["1", "X"]).intrinsic().map(|(name, _)| name),
        Some("Ref")
    );
    assert_eq!(file.slice(at(b, &["1", "X"]).span), "!Ref P");
    let (_, long) = yaml("b:\n  Fn::Sub:\n    - '${X}-${Y}'\n    - X: {Ref: P}\n      Y: lit\n");
    assert_same_tree(at(&root, &["b"]), at(&long, &["b"]), EXACT);
}

#[test]
fn nested_short_forms() {
    let cases = [
        (
            "!If [C, !Ref A, !Sub \"x${Y}\"]",
            "{'Fn::If': [C, {Ref: A}, {'Fn::Sub': \"x${Y}\"}]}",
        ),
        ("!Join ['', [!Ref A]]", "{'Fn::Join': ['', [{Ref: A}]]}"),
        (
            "!Select [0, !GetAZs '']",
            "{'Fn::Select': [0, {'Fn::GetAZs': ''}]}",
        ),
        (
            "!Select [0, !Split [',', !ImportValue X]]",
            "{'Fn::Select': [0, {'Fn::Split': [',', {'Fn::ImportValue': X}]}]}",
        ),
        (
            "!Base64 {'Fn::Join': ['', [!GetAtt A.B, !FindInMap [M, !Ref 'AWS::Region', K]]]}",
            "{'Fn::Base64': {'Fn::Join': ['', [{'Fn::GetAtt': [A, B]}, {'Fn::FindInMap': [M, {Ref: 'AWS::Region'}, K]}]]}}",
        ),
        (
            "!Cidr [!GetAtt Vpc.CidrBlock, 3, 8]",
            "{'Fn::Cidr': [{'Fn::GetAtt': [Vpc, CidrBlock]}, 3, 8]}",
        ),
        (
            "!If [C, !If [D, !Ref A, !Ref 'AWS::NoValue'], !Equals [!Ref E, x]]",
            "{'Fn::If': [C, {'Fn::If': [D, {Ref: A}, {Ref: 'AWS::NoValue'}]}, {'Fn::Equals': [{Ref: E}, x]}]}",
        ),
    ];
    for (short, long) in cases {
        let (_, short_root) = yaml(&format!("v: {short}\n"));
        let (_, long_root) = yaml(&format!("v: {long}\n"));
        assert_same_tree(&short_root, &long_root, EXACT);
    }
}

#[test]
fn standard_yaml_tags_are_accepted() {
    let (file, root) = yaml(
        "a: !!str 012\nb: !!int 5\nc: !!bool true\nd: !!map {e: f}\ng: !!seq [h]\ni: !!null ''\nj: !!float 1.5\n",
    );
    let a = at(&root, &["a"]);
    assert_eq!(a.as_str(), Some("012"));
    assert!(
        a.as_scalar().is_some_and(|s| s.style.is_quoted()),
        "!!str makes a string"
    );
    assert_eq!(file.slice(a.span), "!!str 012");
    assert_eq!(at(&root, &["b"]).as_str(), Some("5"));
    assert_eq!(at(&root, &["d", "e"]).as_str(), Some("f"));
    assert_eq!(file.slice(at(&root, &["d"]).span), "!!map {e: f}");
    assert_eq!(at(&root, &["g", "0"]).as_str(), Some("h"));
}

#[test]
fn unknown_tags_are_reported_and_the_node_kept() {
    let (file, parsed) = parse_text("t.yaml", "a: !Foo bar\nb: !GetAttr [X, Y]\nc: !Ref ok\n");
    let root = parsed.root.as_ref().expect("a tree despite unknown tags");
    assert_eq!(parsed.errors.len(), 2, "{:#?}", parsed.errors);
    let foo = &parsed.errors[0];
    assert!(!foo.fatal);
    assert!(
        foo.message.contains("unknown tag `!Foo`"),
        "{}",
        foo.message
    );
    assert!(
        foo.message.contains("!Ref") && foo.message.contains("!GetAtt"),
        "{}",
        foo.message
    );
    assert_eq!(file.slice(foo.span), "!Foo");
    assert!(!foo.message.contains("did you mean"), "{}", foo.message);
    let get_attr = &parsed.errors[1];
    assert_eq!(file.slice(get_attr.span), "!GetAttr");
    assert!(
        get_attr.message.contains("did you mean `!GetAtt`?"),
        "{}",
        get_attr.message
    );
    assert_eq!(at(root, &["a"]).as_str(), Some("bar"));
    assert_eq!(at(root, &["b", "1"]).as_str(), Some("Y"));
    assert_eq!(at(root, &["c", "Ref"]).as_str(), Some("ok"));
}

#[test]
fn flow_lines_and_quoted_continuations_under_their_key_are_read_as_cloudformation_does() {
    // YAML 1.2 wants these lines indented more than `Value`; PyYAML and CloudFormation do not.
    let text = "Outputs:\n  Web:\n    Value: 'Log in to\n    the console'\n  Cmd:\n    Value: [\n      \"/bin/bash\",\n      \"-c\"\n    ]\n  Policy:\n    Value: {\n      \"a\": [\n        \"b\"\n    ]\n  }\nResources: {}\n";
    let (file, root) = yaml(text);
    let web = at(&root, &["Outputs", "Web", "Value"]);
    assert_eq!(web.as_str(), Some("Log in to the console"));
    assert_eq!(file.slice(web.span), "'Log in to\n    the console'");
    let command = at(&root, &["Outputs", "Cmd", "Value"]);
    assert_eq!(
        file.slice(command.span),
        "[\n      \"/bin/bash\",\n      \"-c\"\n    ]"
    );
    assert_eq!(file.slice(at(command, &["1"]).span), "\"-c\"");
    let policy = at(&root, &["Outputs", "Policy", "Value"]);
    assert_eq!(
        file.slice(policy.span),
        "{\n      \"a\": [\n        \"b\"\n    ]\n  }"
    );
    let resources = root.entry("Resources").expect("Resources");
    assert_eq!(file.slice(resources.key_span), "Resources");
    assert_eq!(file.position(resources.key_span.start).line, 16);
    assert_eq!(file.slice(root.span), text.trim_end());

    // Many such lines in one file.
    let mut text = String::from("Resources: {}\nOutputs:\n");
    for index in 0..50 {
        text.push_str(&format!(
            "  O{index}:\n    Value: [\n      a,\n      'b'\n    ]\n"
        ));
    }
    let (file, root) = yaml(&text);
    let last = at(&root, &["Outputs", "O49", "Value"]);
    assert_eq!(file.slice(last.span), "[\n      a,\n      'b'\n    ]");
    assert_eq!(at(last, &["1"]).as_str(), Some("b"));

    // When indenting does not help, the first error is the one reported.
    let (file, parsed) = parse_text("t.yaml", "a: [1, 2\nb: 3\n");
    assert!(parsed.root.is_none());
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(file.position(parsed.errors[0].span.start).line, 2);
}

// ---------------------------------------------------------------------------------------------
// Duplicates, aliases, documents

#[test]
fn duplicate_keys_are_kept_and_reported_with_both_positions() {
    for (name, text) in [
        (
            "t.yaml",
            "Resources:\n  A: {Type: X}\n  B: {Type: Y}\n  A: {Type: Z}\n",
        ),
        (
            "t.json",
            "{\"Resources\": {\"A\": {\"Type\": \"X\"}, \"B\": {\"Type\": \"Y\"}, \"A\": {\"Type\": \"Z\"}}}",
        ),
    ] {
        let (file, parsed) = parse_text(name, text);
        let root = parsed.root.as_ref().expect("duplicates are not fatal");
        let resources = at(root, &["Resources"]);
        assert_eq!(
            resources.as_mapping().map(<[_]>::len),
            Some(3),
            "{name}: both kept"
        );
        // CloudFormation, like `Node::get`, takes the last one.
        assert_eq!(at(resources, &["A", "Type"]).as_str(), Some("Z"));
        assert_eq!(parsed.errors.len(), 1, "{name}");
        let error = &parsed.errors[0];
        assert!(!error.fatal);
        assert!(
            error.message.contains("duplicate key `A`"),
            "{}",
            error.message
        );
        let second = file.position(error.span.start);
        assert_eq!(error.related.len(), 1);
        let first = file.position(error.related[0].0.start);
        assert!(first.offset < second.offset);
        assert!(
            file.slice(error.span).contains('A') && file.slice(error.related[0].0).contains('A')
        );
        if name.ends_with(".yaml") {
            assert_eq!((first.line, first.column), (2, 3));
            assert_eq!((second.line, second.column), (4, 3));
        }
    }
}

#[test]
fn aliases_anchors_and_merge_keys_are_refused() {
    let cases = [
        ("a: &anchor x\nb: *anchor\n", 2),
        ("base: &b {k: v}\nother:\n  <<: *b\n  z: 1\n", 3),
        ("a: &lonely x\n", 1),
    ];
    for (text, count) in cases {
        let (file, parsed) = parse_text("t.yaml", text);
        assert!(parsed.root.is_none(), "{text}");
        assert_eq!(parsed.errors.len(), count, "{text}: {:#?}", parsed.errors);
        for error in &parsed.errors {
            assert!(error.fatal);
            assert!(
                error.message.contains("CloudFormation does not allow"),
                "{}",
                error.message
            );
            let slice = file.slice(error.span);
            assert!(
                slice.starts_with('&') || slice.starts_with('*') || slice == "<<",
                "{slice:?}"
            );
        }
    }
}

#[test]
fn an_alias_bomb_is_never_expanded() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    let ((errors, root), elapsed) = on_small_stack(move || {
        let parsed = parse(&SourceFile::new("bomb.yaml", text));
        (parsed.errors.len(), parsed.root.is_some())
    });
    assert!(!root);
    assert_eq!(errors, 10 + 9 * 9, "every anchor and alias, once");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn complex_keys_are_skipped_with_an_error() {
    let (file, parsed) = parse_text("t.yaml", "? [a, b]\n: value\nok: 1\n");
    let root = parsed.root.as_ref().expect("not fatal");
    assert_eq!(root.as_mapping().map(<[_]>::len), Some(1));
    assert_eq!(at(root, &["ok"]).as_str(), Some("1"));
    assert_eq!(parsed.errors.len(), 1);
    assert!(!parsed.errors[0].fatal);
    assert_eq!(file.slice(parsed.errors[0].span), "[a, b]");
}

#[test]
fn only_the_first_document_is_kept() {
    let (file, parsed) = parse_text("t.yaml", "---\na: 1\n---\nb: 2\n---\nc: 3\n");
    let root = parsed.root.as_ref().expect("the first document");
    assert_eq!(root.as_mapping().map(<[_]>::len), Some(1));
    assert_eq!(at(root, &["a"]).as_str(), Some("1"));
    assert_eq!(parsed.errors.len(), 1);
    assert!(!parsed.errors[0].fatal);
    assert_eq!(file.slice(parsed.errors[0].span), "---");
    assert_eq!(file.position(parsed.errors[0].span.start).line, 3);

    // `...` ends a document without starting another.
    let (_, root) = yaml("a: 1\n...\n");
    assert_eq!(at(&root, &["a"]).as_str(), Some("1"));
}

// ---------------------------------------------------------------------------------------------
// Errors, encodings, empty input

#[test]
fn scanner_and_parser_errors_are_fatal_with_a_position() {
    let cases = [
        ("a: \"unterminated\nb: 1\n", 1),
        ("a:\n  b: 1\n c: 2\n", 3),
        ("a: [1, 2\nb: 3\n", 2),
        ("a: b: c\n", 1),
        ("- a\nb: c\n", 2),
    ];
    for (text, line) in cases {
        let (file, parsed) = parse_text("t.yaml", text);
        assert!(parsed.root.is_none(), "{text:?}");
        let fatal = fatal_errors(&parsed);
        assert_eq!(fatal.len(), 1, "{text:?}: {:#?}", parsed.errors);
        assert!(
            fatal[0].message.starts_with("YAML syntax error"),
            "{}",
            fatal[0].message
        );
        assert_eq!(
            file.position(fatal[0].span.start).line,
            line,
            "{text:?}: {}",
            fatal[0].message
        );
    }
}

#[test]
fn tabs_as_indentation_give_a_positioned_error() {
    let (file, parsed) = parse_text("t.yaml", "Resources:\n\tBucket:\n\t\tType: X\n");
    assert!(parsed.root.is_none());
    let fatal = fatal_errors(&parsed);
    assert_eq!(fatal.len(), 1);
    assert!(fatal[0].message.contains("tab"), "{}", fatal[0].message);
    assert_eq!(file.position(fatal[0].span.start).line, 2);

    // Tabs as separators, not indentation, are fine.
    let (file, root) = yaml("a: 1\t# comment\nb: [x,\ty]\n");
    assert_eq!(file.slice(at(&root, &["a"]).span), "1");
    assert_eq!(at(&root, &["b", "1"]).as_str(), Some("y"));
}

#[test]
fn a_bom_is_skipped_and_spans_count_it() {
    let (file, root) = yaml("\u{feff}a: [b]\n");
    assert_eq!(file.slice(at(&root, &["a"]).span), "[b]");
    assert_eq!(root.entry("a").map(|entry| entry.key_span.start), Some(3));
    let (file, root) = parse_ok("t.json", "\u{feff}{\"a\": [\"b\"]}");
    assert_eq!(file.slice(at(&root, &["a"]).span), "[\"b\"]");
    assert_eq!(root.span.start, 3);
    assert_eq!(root.entry("a").map(|entry| entry.key_span.start), Some(4));
    let (_, parsed) = parse_text("t.yaml", "\u{feff}");
    assert_eq!(parsed, Parsed::default());
    // With non-ASCII text after the BOM, character positions are counted past the BOM.
    let (file, root) = yaml("\u{feff}ü: [é, !Ref ö]\n");
    assert_eq!(file.slice(at(&root, &["ü", "1"]).span), "!Ref ö");
    assert_eq!(file.slice(at(&root, &["ü", "1", "Ref"]).span), "ö");
    let (file, root) = parse_ok("t.json", "\u{feff}{\"ü\": [\"é\"]}");
    assert_eq!(file.slice(at(&root, &["ü", "0"]).span), "\"é\"");
}

#[test]
fn crlf_line_ends_keep_spans_right() {
    let text = "Resources:\r\n  Bucket:\r\n    Type: X\r\n    Tags:\r\n      - 'a'\r\n      - |\r\n        lit\r\n\r\nOutputs: {}\r\n";
    let (file, root) = yaml(text);
    let bucket = at(&root, &["Resources", "Bucket"]);
    assert_eq!(
        file.slice(bucket.span),
        "Type: X\r\n    Tags:\r\n      - 'a'\r\n      - |\r\n        lit"
    );
    assert_eq!(file.slice(at(bucket, &["Type"]).span), "X");
    assert_eq!(
        file.slice(at(bucket, &["Tags", "1"]).span),
        "|\r\n        lit"
    );
    assert_eq!(at(bucket, &["Tags", "1"]).as_str(), Some("lit\n"));
    let outputs = root.entry("Outputs").expect("Outputs");
    assert_eq!(file.position(outputs.key_span.start).line, 9);

    let (file, root) = parse_ok("t.json", "{\r\n  \"a\": 1,\r\n  \"b\": \"x\"\r\n}\r\n");
    assert_eq!(file.slice(at(&root, &["b"]).span), "\"x\"");
    assert_eq!(file.position(at(&root, &["b"]).span.start).line, 3);
}

#[test]
fn empty_and_comment_only_files_have_no_root_and_no_error() {
    for text in [
        "",
        "\n\n",
        "# only a comment\n",
        "# a\n\n   # b",
        "---\n",
        "---\n# c\n...\n",
    ] {
        let (_, parsed) = parse_text("t.yaml", text);
        assert_eq!(parsed, Parsed::default(), "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Depth limits

fn assert_depth_error(
    name: &'static str,
    text: String,
    expect_at: impl Fn(&SourceFile, u32) -> bool + Send + 'static,
) {
    let ((ok, message), elapsed) = on_small_stack(move || {
        let file = SourceFile::new(name, text);
        let parsed = parse(&file);
        let fatal = parsed.errors.iter().find(|error| error.fatal).cloned();
        match fatal {
            Some(error) if parsed.root.is_none() => {
                (expect_at(&file, error.span.start), error.message)
            }
            _ => (false, format!("no fatal error: {:?}", parsed.errors)),
        }
    });
    println!("{name}: refused in {elapsed:?}: {message}");
    assert!(ok, "{name}: {message}");
    assert!(elapsed < Duration::from_secs(5), "{name} took {elapsed:?}");
}

#[test]
fn deep_yaml_flow_nesting_is_refused_quickly() {
    let text = format!("a: {}", "[".repeat(200_000));
    // saphyr's own flow limit (255) or ours (100) may come first; either way within the line.
    assert_depth_error("flow.yaml", text, |file, at| {
        let position = file.position(at);
        position.line == 1 && (90..300).contains(&position.column)
    });
}

#[test]
fn deep_yaml_block_nesting_is_refused_quickly() {
    let mut text = String::new();
    for level in 0..5_000 {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    text.push_str(&" ".repeat(5_000));
    text.push_str("x\n");
    assert_depth_error("block.yaml", text, |file, at| {
        let line = file.position(at).line;
        (MAX_DEPTH as u32 - 1..MAX_DEPTH as u32 + 3).contains(&line)
    });

    let text = format!("{}x\n", "- ".repeat(50_000));
    assert_depth_error("sequence.yaml", text, |file, at| {
        let position = file.position(at);
        position.line == 1 && position.column == 2 * MAX_DEPTH as u32 + 1
    });
}

#[test]
fn deep_json_is_refused_quickly() {
    let text = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    assert_depth_error("deep.json", text, |file, at| {
        file.slice(ward_core::Span::new(at as usize, at as usize + 1)) == "{"
            && at as usize == 5 * MAX_DEPTH
    });
    let text = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert_depth_error("deep-array.json", text, |file, at| {
        file.slice(ward_core::Span::new(at as usize, at as usize + 1)) == "["
    });
}

#[test]
fn nesting_up_to_the_limit_is_accepted_on_a_small_stack() {
    let ((), _) = on_small_stack(|| {
        let flow = |depth: usize| format!("{}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let block = |depth: usize| {
            let mut text = String::new();
            for level in 0..depth {
                text.push_str(&format!("{}a:\n", "  ".repeat(level)));
            }
            text.push_str(&format!("{}x\n", "  ".repeat(depth)));
            text
        };
        let json = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        for (name, text, depth) in [
            ("t.yaml", flow(MAX_DEPTH), MAX_DEPTH),
            ("t.yaml", block(MAX_DEPTH), MAX_DEPTH),
            ("t.json", json(MAX_DEPTH), MAX_DEPTH),
        ] {
            let parsed = parse(&SourceFile::new(name, text));
            assert!(
                parsed.errors.is_empty(),
                "{name} at {depth}: {:?}",
                parsed.errors
            );
            let mut node = parsed.root.as_ref().expect("a root");
            let mut levels = 1;
            while let Some(child) = node.as_sequence().and_then(<[Node]>::first).or_else(|| {
                node.as_mapping()
                    .and_then(<[_]>::first)
                    .map(|entry| &entry.value)
            }) {
                if child.as_scalar().is_none() {
                    levels += 1;
                }
                node = child;
            }
            assert_eq!(levels, depth, "{name}");
        }
        for (name, text) in [
            ("t.yaml", flow(MAX_DEPTH + 1)),
            ("t.yaml", block(MAX_DEPTH + 1)),
            ("t.json", json(MAX_DEPTH + 1)),
        ] {
            let parsed = parse(&SourceFile::new(name, text));
            assert!(parsed.root.is_none(), "{name}");
            assert_eq!(fatal_errors(&parsed).len(), 1, "{name}");
        }
        // Brackets inside JSON strings do not count.
        let text = format!("{{\"a\": \"{}\\\"{}\"}}", "[".repeat(500), "{".repeat(500));
        let parsed = parse(&SourceFile::new("t.json", text));
        assert!(parsed.root.is_some(), "{:?}", parsed.errors);
    });
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_scalars_keep_their_source_text_and_style() {
    let (file, root) = parse_ok(
        "t.json",
        "{\"s\": \"x\\ud83d\\ude00y\\n\", \"n\": -1.5e3, \"t\": true, \"f\": false, \"z\": null, \"e\": [], \"o\": {}}",
    );
    assert_eq!(root.syntax, Syntax::Json);
    let s = at(&root, &["s"]);
    assert_eq!(s.as_str(), Some("x\u{1f600}y\n"));
    assert_eq!(
        s.as_scalar().map(|s| s.style),
        Some(ScalarStyle::JsonString)
    );
    assert_eq!(file.slice(s.span), "\"x\\ud83d\\ude00y\\n\"");
    assert_eq!(key_span_text(&file, &root, "s"), "\"s\"");
    let n = at(&root, &["n"]);
    assert_eq!(n.as_str(), Some("-1.5e3"));
    assert_eq!(
        n.as_scalar().map(|s| s.style),
        Some(ScalarStyle::JsonLiteral)
    );
    assert_eq!(at(&root, &["t"]).as_str(), Some("true"));
    assert_eq!(at(&root, &["f"]).as_str(), Some("false"));
    assert!(at(&root, &["z"]).is_null());
    assert_eq!(file.slice(at(&root, &["e"]).span), "[]");
    assert_eq!(at(&root, &["o"]).syntax, Syntax::Json);
}

#[test]
fn json_get_att_string_stays_a_scalar() {
    let (_, root) = parse_ok("t.json", "{\"v\": {\"Fn::GetAtt\": \"A.B\"}}");
    assert_eq!(at(&root, &["v", "Fn::GetAtt"]).as_str(), Some("A.B"));
}

#[test]
fn json_is_strict_and_errors_are_positioned() {
    let cases = [
        ("{\"a\": 1,}", 7),
        ("{\"a\": 1 // c\n}", 8),
        ("{'a': 1}", 1),
        ("{\"a\": 1 \"b\": 2}", 7),
        ("{\"a\": [1, 2}", 11),
        ("{\"a\": \"x", 6),
        ("{\"a\": 0x1F}", 6),
        ("{\"a\": NaN}", 6),
        ("{\"a\": 1} {}", 9),
    ];
    for (text, offset) in cases {
        let (_, parsed) = parse_text("t.json", text);
        assert!(parsed.root.is_none(), "{text}");
        assert_eq!(parsed.errors.len(), 1, "{text}");
        let error = &parsed.errors[0];
        assert!(error.fatal);
        assert!(
            error.message.starts_with("JSON syntax error"),
            "{}",
            error.message
        );
        assert_eq!(error.span.start, offset, "{text}: {}", error.message);
    }
}

// ---------------------------------------------------------------------------------------------
// YAML and JSON twins

const TWIN_YAML: &str = "\
AWSTemplateFormatVersion: \"2010-09-09\"
Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [prod, dev]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    Properties:
      SSESpecification:
        SSEEnabled: true
      BillingMode: !If [IsProd, PAY_PER_REQUEST, !Ref AWS::NoValue]
      TableName: !Sub '${Env}-table'
      Tags:
        - Key: arn
          Value: !GetAtt Key.Arn
        - Key: count
          Value: 3
Outputs:
  Name:
    Value: !Join ['-', [!Ref Table, !Select [0, !GetAZs '']]]
";

const TWIN_JSON: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["prod", "dev"]}
  },
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
  },
  "Resources": {
    "Table": {
      "Type": "AWS::DynamoDB::Table",
      "Condition": "IsProd",
      "Properties": {
        "SSESpecification": {"SSEEnabled": true},
        "BillingMode": {"Fn::If": ["IsProd", "PAY_PER_REQUEST", {"Ref": "AWS::NoValue"}]},
        "TableName": {"Fn::Sub": "${Env}-table"},
        "Tags": [
          {"Key": "arn", "Value": {"Fn::GetAtt": ["Key", "Arn"]}},
          {"Key": "count", "Value": 3}
        ]
      }
    }
  },
  "Outputs": {
    "Name": {"Value": {"Fn::Join": ["-", [{"Ref": "Table"}, {"Fn::Select": [0, {"Fn::GetAZs": ""}]}]]}}
  }
}
"#;

#[test]
fn yaml_and_json_twins_give_the_same_tree() {
    let (yaml_file, yaml_root) = parse_ok("t.yaml", TWIN_YAML);
    let (json_file, json_root) = parse_ok("t.json", TWIN_JSON);
    assert_eq!(yaml_file.format(), ward_core::Format::Yaml);
    assert_eq!(json_file.format(), ward_core::Format::Json);
    assert_same_tree(&yaml_root, &json_root, ANY_STYLE);
    // The twins differ in style only where YAML leaves a scalar plain.
    let yaml_bool = at(
        &yaml_root,
        &[
            "Resources",
            "Table",
            "Properties",
            "SSESpecification",
            "SSEEnabled",
        ],
    );
    let json_bool = at(
        &json_root,
        &[
            "Resources",
            "Table",
            "Properties",
            "SSESpecification",
            "SSEEnabled",
        ],
    );
    assert_eq!(
        yaml_bool.as_scalar().map(|s| s.style),
        Some(ScalarStyle::Plain)
    );
    assert_eq!(
        json_bool.as_scalar().map(|s| s.style),
        Some(ScalarStyle::JsonLiteral)
    );
}

// ---------------------------------------------------------------------------------------------
// Corpus

/// Corpus files listed as `ok` that Ward refuses on purpose, with the reason. None so far:
/// duplicate keys and unknown tags are not fatal, and lines indented less than YAML 1.2 wants
/// (which saphyr refuses and PyYAML accepts) are read as CloudFormation reads them.
const CORPUS_EXCEPTIONS: &[(&str, &str)] = &[];

fn corpus_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus")).to_path_buf()
}

/// Prints which corpus files do not parse; `WARD_CORPUS_VERBOSE=1` also prints non-fatal errors.
#[test]
fn corpus_parses_without_panics_or_unexpected_fatal_errors() {
    let dir = corpus_dir();
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        println!("note: no corpus at {}; skipped", dir.display());
        return;
    };
    let started = Instant::now();
    let (mut files, mut bytes) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut fatal_files = Vec::new();
    let mut non_fatal = 0usize;
    for line in manifest.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let [source, path, _, _, _, status] = columns[..] else {
            panic!("bad manifest line {line:?}");
        };
        let relative = format!("{source}/{path}");
        let text = match std::fs::read(dir.join(&relative)) {
            Ok(raw) => String::from_utf8_lossy(&raw).into_owned(),
            Err(error) => panic!("{relative}: {error}"),
        };
        files += 1;
        bytes += text.len();
        let file = SourceFile::new(relative.clone(), text);
        let parsed = parse(&file);
        for error in parsed.errors.iter().filter(|error| !error.fatal) {
            non_fatal += 1;
            if std::env::var_os("WARD_CORPUS_VERBOSE").is_some() {
                let position = file.position(error.span.start);
                println!(
                    "  non-fatal: {relative}:{}:{}: {}",
                    position.line, position.column, error.message
                );
            }
        }
        if let Some(error) = parsed.errors.iter().find(|error| error.fatal) {
            let position = file.position(error.span.start);
            let report = format!(
                "{relative}:{}:{}: {} (manifest: {status})",
                position.line, position.column, error.message
            );
            if status == "ok" && !CORPUS_EXCEPTIONS.iter().any(|(path, _)| *path == relative) {
                unexpected.push(report.clone());
            }
            fatal_files.push(report);
        }
    }
    println!(
        "corpus: {files} files, {bytes} bytes in {:?}; {} with fatal errors, {non_fatal} non-fatal errors",
        started.elapsed(),
        fatal_files.len()
    );
    for report in &fatal_files {
        println!("  fatal: {report}");
    }
    assert!(
        unexpected.is_empty(),
        "files the manifest says parse:\n{}",
        unexpected.join("\n")
    );
}
