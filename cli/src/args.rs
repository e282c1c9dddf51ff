//! The command line, as clap derives it. Parsing errors exit with 2 (clap's default), which is
//! also Ward's usage-error code.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use ward_core::Severity;
use ward_core::report::OutputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "cfn-ward",
    version,
    about = "Ward: a security linter for AWS CloudFormation templates",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check templates for security problems.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 when a file
    /// could not be read or parsed, or on a usage error.
    Check(CheckArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
    /// Run the language server on standard input and output (for editors).
    ///
    /// Exit status: 0 after the client's `shutdown` and `exit`, 1 when the client exits without
    /// `shutdown` or closes the connection.
    Lsp(LspArgs),
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Serve on standard input and output: the only transport, accepted because
    /// vscode-languageclient passes it.
    #[arg(long)]
    pub stdio: bool,

    /// The editor's process id, which vscode-languageclient passes; unused (the server ends
    /// when its input closes).
    #[arg(long = "clientProcessId", value_name = "PID", hide = true)]
    pub client_process_id: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Templates and folders to check; folders are walked recursively (respecting .gitignore)
    /// for .yaml, .yml, .json and .template files. `-` reads a template from standard input.
    /// Files named explicitly are checked whatever their extension. YAML and JSON files that
    /// are not CloudFormation templates are skipped and not counted.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = SeverityArg::Warning, value_name = "SEVERITY")]
    pub fail_on: SeverityArg,

    /// Run only these rules or categories (comma-separated or repeated); replaces the
    /// configuration file's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULE_OR_CATEGORY")]
    pub select: Vec<String>,

    /// Never run these rules or categories (comma-separated or repeated); added to the
    /// configuration file's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULE_OR_CATEGORY")]
    pub ignore: Vec<String>,

    /// Use this configuration file instead of looking for ward.toml or .ward.toml in each
    /// template's folder and its parents.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// A template parameter's value (repeatable); wins over --parameters-file and the
    /// configuration file.
    #[arg(long = "parameter", value_name = "KEY=VALUE", value_parser = parse_parameter)]
    pub parameters: Vec<(String, String)>,

    /// Parameter values from a file: CloudFormation's
    /// `[{"ParameterKey": "K", "ParameterValue": "V"}]` or `{"Parameters": {"K": "V"}}`
    /// (cfn_nag, CodePipeline template configuration).
    #[arg(long, value_name = "PATH")]
    pub parameters_file: Option<PathBuf>,

    /// Assume a template condition's value (repeatable), e.g. `IsProd=true`.
    #[arg(long = "condition", value_name = "NAME=true|false", value_parser = parse_condition)]
    pub conditions: Vec<(String, bool)>,

    /// Apply safe fixes in place, then report what is left.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff, apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing; exit status 1 when there is a diff.
    #[arg(long)]
    pub diff: bool,

    /// Also show findings silenced by Metadata suppressions, marked as suppressed.
    #[arg(long)]
    pub show_suppressed: bool,

    /// No colours, even on a terminal (NO_COLOR is honoured too).
    #[arg(long)]
    pub no_color: bool,

    /// Print findings only: no summary, progress or fix messages.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,

    /// Output format of the list.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print a rule's documentation (Markdown).
    Explain {
        /// Rule id (e.g. DDB001) or name.
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Sarif,
    Junit,
}

impl From<FormatArg> for OutputFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Text => OutputFormat::Text,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Sarif => OutputFormat::Sarif,
            FormatArg::Junit => OutputFormat::Junit,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(severity: SeverityArg) -> Self {
        match severity {
            SeverityArg::Error => Severity::Error,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

fn parse_parameter(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected KEY=VALUE, got `{text}`")),
    }
}

fn parse_condition(text: &str) -> Result<(String, bool), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("expected NAME=true or NAME=false, got `{text}`"));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("expected NAME=true or NAME=false, got `{text}`"));
    }
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok((name.to_string(), true)),
        "false" => Ok((name.to_string(), false)),
        _ => Err(format!(
            "condition `{name}` must be true or false, got `{value}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn lsp_accepts_what_editors_pass() {
        for args in [
            &["cfn-ward", "lsp"][..],
            &["cfn-ward", "lsp", "--stdio"],
            &["cfn-ward", "lsp", "--stdio", "--clientProcessId=42"],
        ] {
            let parsed = Cli::try_parse_from(args).map(|cli| cli.command);
            assert!(
                matches!(parsed, Ok(Command::Lsp(_))),
                "{args:?}: {parsed:?}"
            );
        }
    }

    #[test]
    fn parameters_and_conditions() {
        assert_eq!(
            parse_parameter("Env=a=b"),
            Ok(("Env".to_string(), "a=b".to_string()))
        );
        assert!(parse_parameter("=x").is_err());
        assert!(parse_parameter("x").is_err());
        assert_eq!(
            parse_condition("IsProd=TRUE"),
            Ok(("IsProd".to_string(), true))
        );
        assert!(parse_condition("IsProd=yes").is_err());
    }
}
