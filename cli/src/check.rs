//! `cfn-ward check`: collect templates, lint them in parallel, fix or diff, render, and choose
//! the exit status.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context as _, anyhow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use ward_core::report::{self, FileResult, OutputFormat, RenderOptions, Summary};
use ward_core::{Config, Severity, SourceFile};
use ward_lsp::config_files::{ConfigResolver, LoadedConfig, absolute};

use crate::args::CheckArgs;
use crate::files::{self, Input};
use crate::output::{self, ExitStatus};
use ward_core::parameters::parse_parameters;

/// More files than this on a terminal get a progress bar.
const PROGRESS_THRESHOLD: usize = 20;

/// Command-line values layered over each configuration file.
#[derive(Debug, Default)]
struct Overrides {
    select: Vec<String>,
    ignore: Vec<String>,
    parameters: BTreeMap<String, String>,
    conditions: BTreeMap<String, bool>,
}

impl Overrides {
    fn from_args(args: &CheckArgs) -> anyhow::Result<Self> {
        let mut parameters = BTreeMap::new();
        if let Some(path) = &args.parameters_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read parameters file {}", path.display()))?;
            let parsed = parse_parameters(&text)
                .map_err(|message| anyhow!("parameters file {}: {message}", path.display()))?;
            parameters.extend(parsed);
        }
        parameters.extend(args.parameters.iter().cloned());
        let overrides = Overrides {
            select: args
                .select
                .iter()
                .map(|name| name.trim().to_string())
                .collect(),
            ignore: args
                .ignore
                .iter()
                .map(|name| name.trim().to_string())
                .collect(),
            parameters,
            conditions: args.conditions.iter().cloned().collect(),
        };
        let names = Config {
            select: overrides.select.clone(),
            ignore: overrides.ignore.clone(),
            ..Config::default()
        };
        names
            .validate()
            .map_err(|error| anyhow!("--select/--ignore: {error}"))?;
        Ok(overrides)
    }

    fn apply(&self, base: &Config) -> Config {
        let mut config = base.clone();
        if !self.select.is_empty() {
            config.select = self.select.clone();
        }
        config.ignore.extend(self.ignore.iter().cloned());
        config.parameters.extend(self.parameters.clone());
        config.conditions.extend(self.conditions.clone());
        config
    }
}

/// One template after linting (and fixing).
struct Checked {
    result: FileResult,
    /// The text before fixes, when fixes changed it.
    original: Option<String>,
    fixes_applied: usize,
    /// A fix produced text that no longer parses; it was not kept.
    fix_broke_syntax: bool,
    is_stdin: bool,
    path: Option<PathBuf>,
}

impl Checked {
    fn unreadable(path: String, message: String) -> Self {
        Checked {
            result: FileResult::unreadable(path, message),
            original: None,
            fixes_applied: 0,
            fix_broke_syntax: false,
            is_stdin: false,
            path: None,
        }
    }
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let overrides = Overrides::from_args(args)?;
    let resolver = match &args.config {
        Some(path) => ConfigResolver::fixed(path)?,
        None => ConfigResolver::discover(),
    };
    let resolver = Arc::new(Mutex::new(resolver));
    let collected = files::collect(&args.paths, &resolver)?;

    let stdin_text = if collected.inputs.contains(&Input::Stdin) {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        Some(text)
    } else {
        None
    };

    // Configurations are resolved up front, one effective `Config` per configuration file, so
    // the parallel part below shares them read-only.
    let mut effective: HashMap<Option<PathBuf>, Arc<Config>> = HashMap::new();
    let mut jobs = Vec::with_capacity(collected.inputs.len());
    {
        let mut resolver = resolver.lock().unwrap_or_else(PoisonError::into_inner);
        for input in collected.inputs {
            let loaded: Arc<LoadedConfig> = match &input {
                Input::Stdin => resolver.for_dir(&absolute(Path::new(".")))?,
                Input::File { path, .. } => resolver.for_file(path)?,
            };
            let config = effective
                .entry(loaded.path.clone())
                .or_insert_with(|| Arc::new(overrides.apply(&loaded.config)))
                .clone();
            jobs.push((input, config));
        }
    }

    let progress = progress_bar(jobs.len(), args.quiet);
    let fix_mode = args.fix || args.diff;
    let mut checked: Vec<Checked> = jobs
        .par_iter()
        .filter_map(|(input, config)| {
            let outcome = check_one(input, stdin_text.as_deref(), config, fix_mode, args);
            progress.inc(1);
            outcome
        })
        .collect();
    progress.finish_and_clear();

    checked.extend(
        collected
            .unreadable
            .into_iter()
            .map(|(path, message)| Checked::unreadable(path, message)),
    );
    checked.sort_by(|a, b| a.result.path.cmp(&b.result.path));

    for item in checked.iter().filter(|item| item.fix_broke_syntax) {
        output::warn(&format!(
            "a fix would have made {} invalid YAML/JSON, so it was left out; please report this",
            item.result.path
        ));
    }

    if args.diff {
        return Ok(print_diffs(&checked, args.quiet));
    }
    let stdin_fixed = args.fix && checked.iter().any(|item| item.is_stdin);
    if args.fix {
        write_fixes(&checked, args.quiet)?;
    }

    let results: Vec<FileResult> = checked.into_iter().map(|item| item.result).collect();
    if results.is_empty() && !args.quiet {
        output::warn("no CloudFormation templates found");
    }
    // With `--fix -`, standard output carries the fixed template, so the report goes to stderr.
    let to_stderr = stdin_fixed;
    let terminal = if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    let options = RenderOptions {
        color: !args.no_color && terminal && !no_color_env(),
        show_suppressed: args.show_suppressed,
    };
    let format = OutputFormat::from(args.format);
    let rendered = match format {
        OutputFormat::Text => render_text(&results, &options, args.quiet),
        _ => report::render(format, &results, &options),
    };
    if to_stderr {
        output::stderr(&rendered);
    } else {
        output::stdout(&rendered);
    }
    Ok(exit_status(&results, args.fail_on.into()))
}

fn check_one(
    input: &Input,
    stdin_text: Option<&str>,
    config: &Config,
    fix_mode: bool,
    args: &CheckArgs,
) -> Option<Checked> {
    let (text, path) = match input {
        Input::Stdin => (stdin_text.unwrap_or_default().to_string(), None),
        Input::File { path, display, .. } => match read_text(path) {
            Ok(text) => (text, Some(path.clone())),
            Err(message) => return Some(Checked::unreadable(display.clone(), message)),
        },
    };
    let source = SourceFile::new(input.display(), text);
    let report = ward_core::lint(&source, config);
    // A file the user named is reported even when it does not parse into something that looks
    // like a template: saying nothing would hide the error.
    let named_and_broken = input.is_named() && report.errors.iter().any(|error| error.fatal);
    if !report.is_template && !named_and_broken {
        return None;
    }
    let original_text = source.text().to_string();
    let (source, report, fixes_applied, fix_broke_syntax) = if fix_mode {
        let fixed = ward_core::fix_all(&source, report, config, args.unsafe_fixes);
        (fixed.source, fixed.report, fixed.applied, fixed.rejected)
    } else {
        (source, report, 0, false)
    };
    let original = (fixes_applied > 0).then_some(original_text);
    Some(Checked {
        result: FileResult::checked(source, report),
        original,
        fixes_applied,
        fix_broke_syntax,
        is_stdin: matches!(input, Input::Stdin),
        path,
    })
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|error| error.to_string())?;
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

fn print_diffs(checked: &[Checked], quiet: bool) -> ExitStatus {
    let mut diff = String::new();
    let mut fixes = 0;
    let mut files = 0;
    for item in checked {
        let (Some(original), Some(source)) = (&item.original, &item.result.source) else {
            continue;
        };
        files += 1;
        fixes += item.fixes_applied;
        let path = &item.result.path;
        diff.push_str(
            &similar::TextDiff::from_lines(original.as_str(), source.text())
                .unified_diff()
                .context_radius(3)
                .header(path, path)
                .to_string(),
        );
    }
    output::stdout(&diff);
    if !quiet {
        if files == 0 {
            output::stderr("No fixes available.\n");
        } else {
            output::stderr(&format!(
                "Would fix {} in {}.\n",
                plural(fixes, "finding", "findings"),
                plural(files, "file", "files")
            ));
        }
    }
    let errors = checked.iter().any(|item| item.result.error_count() > 0);
    if errors {
        ExitStatus::Error
    } else if files > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

fn write_fixes(checked: &[Checked], quiet: bool) -> anyhow::Result<()> {
    let mut fixes = 0;
    let mut files = 0;
    for item in checked {
        let (Some(_), Some(source)) = (&item.original, &item.result.source) else {
            continue;
        };
        if let Some(path) = &item.path {
            std::fs::write(path, source.text()).with_context(|| {
                format!("cannot write the fixed template to {}", path.display())
            })?;
        }
        files += 1;
        fixes += item.fixes_applied;
    }
    // `--fix -` always echoes the template, fixed or not, as formatters do.
    if let Some(item) = checked.iter().find(|item| item.is_stdin)
        && let Some(source) = &item.result.source
    {
        output::stdout(source.text());
    }
    if files > 0 && !quiet {
        output::stderr(&format!(
            "Fixed {} in {}.\n",
            plural(fixes, "finding", "findings"),
            plural(files, "file", "files")
        ));
    }
    Ok(())
}

fn render_text(results: &[FileResult], options: &RenderOptions, quiet: bool) -> String {
    let mut out = String::new();
    for result in results {
        report::text::render_file(&mut out, result, options);
    }
    if !quiet {
        out.push_str(&report::text::summary_line(&Summary::of(results), options));
        out.push('\n');
    }
    out
}

fn exit_status(results: &[FileResult], fail_on: Severity) -> ExitStatus {
    if results.iter().any(|result| result.error_count() > 0) {
        return ExitStatus::Error;
    }
    let failing = results
        .iter()
        .flat_map(|result| result.report.active())
        .any(|finding| finding.severity >= fail_on);
    if failing {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || len <= PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(len).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// https://no-color.org: set and not empty.
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_replaces_and_ignore_extends() {
        let overrides = Overrides {
            select: vec!["iam".to_string()],
            ignore: vec!["network".to_string()],
            parameters: BTreeMap::from([("Env".to_string(), "prod".to_string())]),
            conditions: BTreeMap::from([("IsProd".to_string(), true)]),
        };
        let base = Config {
            select: vec!["logging".to_string()],
            ignore: vec!["secrets".to_string()],
            parameters: BTreeMap::from([("Env".to_string(), "dev".to_string())]),
            ..Config::default()
        };
        let config = overrides.apply(&base);
        assert_eq!(config.select, ["iam"]);
        assert_eq!(config.ignore, ["secrets", "network"]);
        assert_eq!(
            config.parameters.get("Env").map(String::as_str),
            Some("prod")
        );
        assert_eq!(config.conditions.get("IsProd"), Some(&true));
    }

    #[test]
    fn unreadable_files_and_syntax_errors_exit_2() {
        let results = [FileResult::unreadable("a.yaml", "gone")];
        assert_eq!(exit_status(&results, Severity::Warning), ExitStatus::Error);
        assert_eq!(exit_status(&[], Severity::Info), ExitStatus::Clean);
    }
}
