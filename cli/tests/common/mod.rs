//! Helpers shared by the end-to-end tests: run the real binary in a scratch folder.

#![allow(dead_code)] // each test file uses a different subset

use std::path::{Path, PathBuf};
use std::process::Output;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A template no rule looks at: checking it yields no finding whatever rules exist.
pub const CLEAN: &str = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Handle:\n    Type: AWS::CloudFormation::WaitConditionHandle\n";

/// Looks like a template, does not parse.
pub const BROKEN: &str = "Resources:\n  Handle: [\n";

/// YAML that is not a CloudFormation template: skipped.
pub const NOT_A_TEMPLATE: &str = "name: ci\non: [push]\n";

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Result<Self, std::io::Error> {
        Ok(Scratch {
            dir: tempfile::tempdir()?,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, text: &str) -> Result<PathBuf, std::io::Error> {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        Ok(path)
    }

    pub fn read(&self, relative: &str) -> Result<String, std::io::Error> {
        std::fs::read_to_string(self.dir.path().join(relative))
    }

    pub fn command(&self) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::new(env!("CARGO_BIN_EXE_cfn-ward"));
        command.current_dir(self.dir.path()).env_remove("NO_COLOR");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap_or_else(|error| {
            panic!("cannot run cfn-ward: {error}");
        })
    }
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}):\n{}\nstderr:\n{}",
            stdout(output),
            stderr(output)
        )
    })
}

/// `code` with the output in the failure message.
pub fn assert_code(output: &Output, expected: i32) {
    assert_eq!(
        code(output),
        expected,
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// The paths in `errors` of JSON output, sorted.
pub fn error_paths(value: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<String> = value["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["path"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}
