//! End-to-end tests of `cfn-ward check` that hold whatever rules exist: exit codes, input
//! discovery, configuration, parameters and output shapes. Tests that need real findings are in
//! `with_rules.rs`.

mod common;

use common::*;

#[test]
fn clean_template_exits_0() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    let output = scratch.run(&["check", "stack.yaml"]);
    assert_code(&output, 0);
    assert!(
        stdout(&output).contains("No findings in 1 file."),
        "{}",
        stdout(&output)
    );
    Ok(())
}

#[test]
fn syntax_error_exits_2_with_position() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("broken.yaml", BROKEN)?;
    let output = scratch.run(&["check", "broken.yaml"]);
    assert_code(&output, 2);
    assert!(
        stdout(&output).contains("broken.yaml:"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("error[syntax]"),
        "{}",
        stdout(&output)
    );
    Ok(())
}

#[test]
fn missing_file_exits_2() -> TestResult {
    let scratch = Scratch::new()?;
    let output = scratch.run(&["check", "nope.yaml", "--format", "json"]);
    assert_code(&output, 2);
    let value = json(&output);
    assert_eq!(error_paths(&value), ["nope.yaml"]);
    assert!(value["errors"][0]["start"].is_null());
    Ok(())
}

#[test]
fn usage_errors_exit_2() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    for args in [
        &["check", "--format", "xml", "stack.yaml"][..],
        &["check", "--fail-on", "fatal", "stack.yaml"],
        &["check", "--condition", "IsProd=maybe", "stack.yaml"],
        &["check", "--parameter", "novalue", "stack.yaml"],
        &[
            "check",
            "--select",
            "no-such-rule-or-category",
            "stack.yaml",
        ],
        &["bogus"],
    ] {
        let output = scratch.run(args);
        assert_code(&output, 2);
        assert!(!stderr(&output).is_empty(), "{args:?} says nothing");
    }
    Ok(())
}

#[test]
fn categories_are_accepted_by_select_and_ignore() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    let output = scratch.run(&[
        "check",
        "--select",
        "iam,encryption-at-rest",
        "--ignore",
        "network",
        "--ignore",
        "logging",
        "stack.yaml",
    ]);
    assert_code(&output, 0);
    Ok(())
}

#[test]
fn stdin_is_read_with_a_dash() -> TestResult {
    let scratch = Scratch::new()?;
    let output = scratch
        .command()
        .args(["check", "-", "--format", "json"])
        .write_stdin(BROKEN)
        .output()?;
    assert_code(&output, 2);
    assert_eq!(error_paths(&json(&output)), ["<stdin>"]);

    let output = scratch
        .command()
        .args(["check", "-"])
        .write_stdin(CLEAN)
        .output()?;
    assert_code(&output, 0);
    Ok(())
}

#[test]
fn folders_are_walked_respecting_gitignore_and_extensions() -> TestResult {
    let scratch = Scratch::new()?;
    // Broken templates, so each file that is checked shows up in `errors` by path.
    scratch.write(".gitignore", "ignored/\n*.generated.yaml\n")?;
    scratch.write("a.yaml", BROKEN)?;
    scratch.write("nested/deeper/b.yml", BROKEN)?;
    scratch.write("nested/c.json", "{\"Resources\": {\n")?;
    scratch.write("nested/d.template", BROKEN)?;
    scratch.write("ignored/e.yaml", BROKEN)?;
    scratch.write("x.generated.yaml", BROKEN)?;
    scratch.write("notes.txt", BROKEN)?;
    scratch.write(".hidden/f.yaml", BROKEN)?;
    scratch.write("workflow.yaml", NOT_A_TEMPLATE)?;
    scratch.write("clean.yaml", CLEAN)?;

    let output = scratch.run(&["check", "--format", "json"]);
    assert_code(&output, 2);
    let value = json(&output);
    assert_eq!(
        error_paths(&value),
        [
            "a.yaml",
            "nested/c.json",
            "nested/d.template",
            "nested/deeper/b.yml"
        ]
    );
    // Non-templates are not counted; the clean template is.
    assert_eq!(value["summary"]["files"], 5);

    // The same with an explicit folder argument.
    let output = scratch.run(&["check", "nested", "--format", "json"]);
    assert_eq!(
        error_paths(&json(&output)),
        ["nested/c.json", "nested/d.template", "nested/deeper/b.yml"]
    );
    Ok(())
}

#[test]
fn explicit_files_are_checked_whatever_their_extension() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("notes.txt", BROKEN)?;
    scratch.write(".gitignore", "ignored.yaml\n")?;
    scratch.write("ignored.yaml", BROKEN)?;
    let output = scratch.run(&["check", "notes.txt", "ignored.yaml", "--format", "json"]);
    assert_code(&output, 2);
    assert_eq!(error_paths(&json(&output)), ["ignored.yaml", "notes.txt"]);
    Ok(())
}

#[test]
fn non_templates_are_skipped_silently() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("workflow.yaml", NOT_A_TEMPLATE)?;
    scratch.write("package.json", "{\"name\": \"x\"}\n")?;
    let output = scratch.run(&["check", "--format", "json"]);
    assert_code(&output, 0);
    let value = json(&output);
    assert_eq!(value["summary"]["files"], 0);
    assert_eq!(value["errors"], serde_json::json!([]));
    Ok(())
}

#[test]
fn json_output_has_the_documented_shape() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    scratch.write("broken.yaml", BROKEN)?;
    let output = scratch.run(&["check", "--format", "json"]);
    let value = json(&output);
    let keys = |value: &serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = value
            .as_object()
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    };
    assert_eq!(keys(&value), ["errors", "findings", "summary", "version"]);
    assert_eq!(value["version"], env!("CARGO_PKG_VERSION"));
    assert!(value["findings"].is_array());
    assert_eq!(
        keys(&value["summary"]),
        ["errors", "files", "findings", "fixable", "suppressed"]
    );
    assert_eq!(keys(&value["errors"][0]), ["message", "path", "start"]);
    assert_eq!(keys(&value["errors"][0]["start"]), ["column", "line"]);
    assert_eq!(value["summary"]["files"], 2);
    assert_eq!(value["summary"]["errors"], 1);
    Ok(())
}

#[test]
fn sarif_and_junit_outputs() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    scratch.write("broken.yaml", BROKEN)?;
    let output = scratch.run(&["check", "--format", "sarif"]);
    assert_code(&output, 2);
    let value = json(&output);
    assert_eq!(value["version"], "2.1.0");
    assert_eq!(value["runs"][0]["columnKind"], "unicodeCodePoints");
    let notification = &value["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.yaml"
    );

    let output = scratch.run(&["check", "--format", "junit"]);
    assert_code(&output, 2);
    let xml = stdout(&output);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<testsuite name=\"stack.yaml\""), "{xml}");
    assert!(xml.contains("<error "), "{xml}");
    Ok(())
}

#[test]
fn output_is_not_coloured_when_piped() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("broken.yaml", BROKEN)?;
    let output = scratch.run(&["check"]);
    assert!(!stdout(&output).contains('\x1b'), "{}", stdout(&output));
    assert!(!stderr(&output).contains('\x1b'), "no progress bar either");
    Ok(())
}

#[test]
fn quiet_drops_the_summary() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    let output = scratch.run(&["check", "--quiet"]);
    assert_code(&output, 0);
    assert_eq!(stdout(&output), "");
    Ok(())
}

#[test]
fn diff_without_fixes_writes_nothing_and_exits_0() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    let output = scratch.run(&["check", "--diff", "stack.yaml"]);
    assert_code(&output, 0);
    assert_eq!(stdout(&output), "");
    assert_eq!(scratch.read("stack.yaml")?, CLEAN);
    Ok(())
}

#[test]
fn bad_config_exits_2_with_its_position() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("ward.toml", "# Ward\nselect = [\"iam\"]\nseverity = 3\n")?;
    scratch.write("stacks/stack.yaml", CLEAN)?;
    let output = scratch.run(&["check", "stacks/stack.yaml"]);
    assert_code(&output, 2);
    let message = stderr(&output);
    assert!(message.contains("ward.toml:3:12:"), "{message}");

    // Unknown keys are errors too, and `--config` reports the same way.
    scratch.write("other.toml", "selcet = [\"iam\"]\n")?;
    let output = scratch.run(&["check", "--config", "other.toml", "stacks"]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains("other.toml:1:1:"),
        "{}",
        stderr(&output)
    );

    let output = scratch.run(&["check", "--config", "missing.toml", "stacks"]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains("missing.toml"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

#[test]
fn nearest_config_applies_and_its_excludes_are_honoured() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write(
        "ward.toml",
        "exclude = [\"vendor\", \"generated/*.yaml\"]\n",
    )?;
    scratch.write("a.yaml", BROKEN)?;
    scratch.write("vendor/b.yaml", BROKEN)?;
    scratch.write("sub/vendor/c.yaml", BROKEN)?;
    scratch.write("generated/d.yaml", BROKEN)?;
    scratch.write("generated/e.json", "{\"Resources\": [\n")?;
    // A nested configuration with its own excludes, relative to its folder.
    scratch.write("team/.ward.toml", "exclude = [\"old.yaml\"]\n")?;
    scratch.write("team/old.yaml", BROKEN)?;
    scratch.write("team/new.yaml", BROKEN)?;

    let output = scratch.run(&["check", "--format", "json"]);
    assert_eq!(
        error_paths(&json(&output)),
        ["a.yaml", "generated/e.json", "team/new.yaml"]
    );

    // A file named explicitly is checked even if excluded.
    let output = scratch.run(&["check", "vendor/b.yaml", "--format", "json"]);
    assert_eq!(error_paths(&json(&output)), ["vendor/b.yaml"]);
    Ok(())
}

#[test]
fn parameters_files_in_both_formats() -> TestResult {
    let scratch = Scratch::new()?;
    scratch.write("stack.yaml", CLEAN)?;
    scratch.write(
        "cfn.json",
        r#"[{"ParameterKey": "Env", "ParameterValue": "prod"}]"#,
    )?;
    scratch.write("nag.json", r#"{"Parameters": {"Env": "prod"}}"#)?;
    for file in ["cfn.json", "nag.json"] {
        let output = scratch.run(&["check", "--parameters-file", file, "stack.yaml"]);
        assert_code(&output, 0);
    }

    scratch.write("bad.json", "{\"Parameters\": [1, 2]}")?;
    let output = scratch.run(&["check", "--parameters-file", "bad.json", "stack.yaml"]);
    assert_code(&output, 2);
    assert!(stderr(&output).contains("bad.json"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("Parameters"),
        "{}",
        stderr(&output)
    );

    scratch.write("truncated.json", "[{\"ParameterKey\": \n")?;
    let output = scratch.run(&["check", "--parameters-file", "truncated.json", "stack.yaml"]);
    assert_code(&output, 2);
    assert!(stderr(&output).contains("line 2"), "{}", stderr(&output));

    let output = scratch.run(&["check", "--parameters-file", "absent.json", "stack.yaml"]);
    assert_code(&output, 2);
    Ok(())
}

#[test]
fn many_files_are_checked_and_ordered_by_path() -> TestResult {
    let scratch = Scratch::new()?;
    for index in (0..40).rev() {
        scratch.write(&format!("t{index:02}.yaml"), BROKEN)?;
    }
    let output = scratch.run(&["check", "--format", "json"]);
    let value = json(&output);
    let paths: Vec<&str> = value["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["path"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths.len(), 40);
    assert_eq!(paths, sorted);
    Ok(())
}

#[test]
fn version_flag() -> TestResult {
    let scratch = Scratch::new()?;
    let output = scratch.run(&["--version"]);
    assert_code(&output, 0);
    assert_eq!(
        stdout(&output).trim(),
        format!("cfn-ward {}", env!("CARGO_PKG_VERSION"))
    );
    Ok(())
}
