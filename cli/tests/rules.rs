//! End-to-end tests of `cfn-ward rules`.

mod common;

use common::*;

#[test]
fn rules_json_has_the_documented_shape() -> TestResult {
    let scratch = Scratch::new()?;
    let output = scratch.run(&["rules", "--format", "json"]);
    assert_code(&output, 0);
    let value = json(&output);
    let object = value.as_object().ok_or("not an object")?;
    assert_eq!(object.keys().collect::<Vec<_>>(), ["rules"]);
    let rules = value["rules"].as_array().ok_or("rules is not an array")?;
    assert_eq!(rules.len(), count_text_rows(&scratch));
    for rule in rules {
        let mut keys: Vec<&String> = rule.as_object().ok_or("rule")?.keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "category",
                "docs",
                "fixable",
                "id",
                "name",
                "references",
                "resource_types",
                "severity",
                "title"
            ]
        );
        let mut references: Vec<&String> = rule["references"]
            .as_object()
            .ok_or("references")?
            .keys()
            .collect();
        references.sort();
        assert_eq!(references, ["aws_config", "cfn_nag", "checkov"]);
        assert!(rule["fixable"].is_boolean());
        assert!(rule["resource_types"].is_array());
        let id = rule["id"].as_str().ok_or("id")?;
        assert!(
            rule["docs"]
                .as_str()
                .is_some_and(|docs| docs.starts_with(&format!("# {id} "))),
            "{rule}"
        );
    }
    Ok(())
}

/// Rows of the text table (without its header; none when no rule is registered).
fn count_text_rows(scratch: &Scratch) -> usize {
    let output = scratch.run(&["rules"]);
    assert_code(&output, 0);
    let text = stdout(&output);
    if text.starts_with("ID ") {
        text.lines().count() - 1
    } else {
        0
    }
}

#[test]
fn explain_unknown_rule_exits_2() -> TestResult {
    let scratch = Scratch::new()?;
    let output = scratch.run(&["rules", "explain", "NOPE999"]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains("unknown rule `NOPE999`"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

#[test]
fn explain_prints_markdown_for_every_listed_rule() -> TestResult {
    let scratch = Scratch::new()?;
    let value = json(&scratch.run(&["rules", "--format", "json"]));
    for rule in value["rules"].as_array().into_iter().flatten().take(5) {
        let id = rule["id"].as_str().ok_or("id")?;
        let output = scratch.run(&["rules", "explain", &id.to_ascii_lowercase()]);
        assert_code(&output, 0);
        assert_eq!(Some(stdout(&output).as_str()), rule["docs"].as_str());
    }
    Ok(())
}
