//! Turning the command line's paths into the list of templates to check.
//!
//! Folders are walked with the `ignore` crate (.gitignore, .ignore and hidden files respected,
//! even outside a git repository), keeping files with a template extension and dropping what a
//! configuration file's `exclude` matches. Paths named explicitly are always kept: the user
//! asked for them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::WalkBuilder;
use ward_lsp::config_files::{ConfigFileError, ConfigResolver, absolute};

/// The extensions a folder walk picks up (compared without regard to case).
pub const TEMPLATE_EXTENSIONS: [&str; 4] = ["yaml", "yml", "json", "template"];

/// The name standard input is reported under.
pub const STDIN_NAME: &str = "<stdin>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The path as shown to the user: as found, without a leading `./`.
        display: String,
        /// Named on the command line, rather than found in a folder.
        named: bool,
    },
}

impl Input {
    /// Whether the user named this input (standard input, or a file given as an argument).
    pub fn is_named(&self) -> bool {
        match self {
            Input::Stdin => true,
            Input::File { named, .. } => *named,
        }
    }

    pub fn display(&self) -> &str {
        match self {
            Input::Stdin => STDIN_NAME,
            Input::File { display, .. } => display,
        }
    }
}

/// What the paths expand to.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    /// Paths that do not exist or could not be listed, with the reason.
    pub unreadable: Vec<(String, String)>,
}

/// Expands `paths`. Configuration files met on the way are loaded through `resolver` (for their
/// `exclude`); the first invalid one is an error.
pub fn collect(
    paths: &[PathBuf],
    resolver: &Arc<Mutex<ConfigResolver>>,
) -> Result<Collected, ConfigFileError> {
    let mut collected = Collected::default();
    let mut seen = HashSet::new();
    let config_error: Arc<Mutex<Option<ConfigFileError>>> = Arc::new(Mutex::new(None));

    for path in paths {
        if path.as_os_str() == "-" {
            if seen.insert(PathBuf::from("-")) {
                collected.inputs.push(Input::Stdin);
            }
            continue;
        }
        let display = display_path(path);
        match std::fs::metadata(path) {
            Err(error) => collected.unreadable.push((display, error.to_string())),
            Ok(metadata) if metadata.is_dir() => {
                walk(path, resolver, &config_error, &mut collected, &mut seen);
            }
            Ok(_) => {
                if seen.insert(absolute(path)) {
                    collected.inputs.push(Input::File {
                        path: path.clone(),
                        display,
                        named: true,
                    });
                }
            }
        }
    }

    let error = config_error
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    match error {
        Some(error) => Err(error),
        None => Ok(collected),
    }
}

fn walk(
    root: &Path,
    resolver: &Arc<Mutex<ConfigResolver>>,
    config_error: &Arc<Mutex<Option<ConfigFileError>>>,
    collected: &mut Collected,
    seen: &mut HashSet<PathBuf>,
) {
    let filter_resolver = Arc::clone(resolver);
    let filter_error = Arc::clone(config_error);
    let walker = WalkBuilder::new(root)
        .standard_filters(true)
        // .gitignore is honoured in folders that are not (yet) a git repository too.
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            // The walk's root was named by the user; only what lies below it can be excluded.
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
            let Some(parent) = entry.path().parent() else {
                return true;
            };
            let mut resolver = filter_resolver
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            match resolver.for_dir(parent) {
                Ok(config) => !config.is_excluded(entry.path(), is_dir),
                Err(error) => {
                    filter_error
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .get_or_insert(error);
                    true
                }
            }
        })
        .build();

    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|kind| kind.is_file());
                if !is_file || !has_template_extension(entry.path()) {
                    continue;
                }
                if seen.insert(absolute(entry.path())) {
                    collected.inputs.push(Input::File {
                        path: entry.path().to_path_buf(),
                        display: display_path(entry.path()),
                        named: false,
                    });
                }
            }
            Err(error) => {
                let path = error_path(&error).unwrap_or_else(|| display_path(root));
                collected.unreadable.push((path, error.to_string()));
            }
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<String> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(display_path(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

pub fn has_template_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            TEMPLATE_EXTENSIONS
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
}

/// `./a/b.yaml` → `a/b.yaml`; everything else as given.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut rest: &str = &text;
    while let Some(stripped) = rest.strip_prefix("./").or_else(|| rest.strip_prefix(".\\")) {
        rest = stripped.trim_start_matches(['/', '\\']);
    }
    if rest.is_empty() {
        ".".to_string()
    } else {
        rest.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths() {
        assert_eq!(display_path(Path::new("./a/b.yaml")), "a/b.yaml");
        assert_eq!(display_path(Path::new("././a.yaml")), "a.yaml");
        assert_eq!(display_path(Path::new("a.yaml")), "a.yaml");
        assert_eq!(display_path(Path::new("/t/a.yaml")), "/t/a.yaml");
    }

    #[test]
    fn extensions() {
        assert!(has_template_extension(Path::new("a.YAML")));
        assert!(has_template_extension(Path::new("stack.template")));
        assert!(!has_template_extension(Path::new("README.md")));
        assert!(!has_template_extension(Path::new("yaml")));
    }
}
