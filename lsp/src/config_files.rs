//! Finding and loading `ward.toml` / `.ward.toml`: the nearest one in a template's folder or its
//! parents. The CLI and the language server both use this module, so that a template gets the same
//! configuration in CI and in the editor.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ward_core::config::CONFIG_FILE_NAMES;
use ward_core::{Config, SourceFile};

/// A configuration file that could not be read or is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFileError {
    pub path: PathBuf,
    /// 1-based line and column (in characters), when the error has a place.
    pub position: Option<(u32, u32)>,
    pub message: String,
}

impl fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigFileError {}

/// A parsed configuration and where it came from.
#[derive(Debug)]
pub struct LoadedConfig {
    /// `None` for the built-in default (no file found).
    pub path: Option<PathBuf>,
    pub config: Config,
    /// `exclude` patterns, rooted at the file's folder, with .gitignore semantics.
    excludes: Option<Gitignore>,
}

impl LoadedConfig {
    pub fn default_config() -> Self {
        LoadedConfig {
            path: None,
            config: Config::default(),
            excludes: None,
        }
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigFileError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigFileError {
            path: path.to_path_buf(),
            position: None,
            message: format!("cannot read the configuration file: {error}"),
        })?;
        Self::from_text(path, &text)
    }

    /// Parses configuration text that was read from `path` (the folder anchors `exclude`).
    pub fn from_text(path: &Path, text: &str) -> Result<Self, ConfigFileError> {
        let config = Config::from_toml(text).map_err(|error| ConfigFileError {
            path: path.to_path_buf(),
            position: error.offset.map(|offset| {
                let position = SourceFile::new("", text).position(clamp_u32(offset));
                (position.line, position.column)
            }),
            message: error.message,
        })?;
        let root = absolute(path.parent().unwrap_or(Path::new(".")));
        let excludes = if config.exclude.is_empty() {
            None
        } else {
            let mut builder = GitignoreBuilder::new(&root);
            for pattern in &config.exclude {
                builder
                    .add_line(None, pattern)
                    .map_err(|error| ConfigFileError {
                        path: path.to_path_buf(),
                        position: None,
                        message: format!("invalid `exclude` pattern `{pattern}`: {error}"),
                    })?;
            }
            Some(builder.build().map_err(|error| ConfigFileError {
                path: path.to_path_buf(),
                position: None,
                message: format!("invalid `exclude` patterns: {error}"),
            })?)
        };
        Ok(LoadedConfig {
            path: Some(path.to_path_buf()),
            config,
            excludes,
        })
    }

    /// Whether `exclude` matches `path` (a file or, with `is_dir`, a folder). Paths outside the
    /// configuration file's folder are never excluded by it.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        let Some(excludes) = &self.excludes else {
            return false;
        };
        let path = absolute(path);
        path.starts_with(excludes.path()) && excludes.matched(&path, is_dir).is_ignore()
    }
}

/// Resolves the configuration of each folder, caching both the walk up and the parsed files:
/// a tree of a thousand templates reads each `ward.toml` once.
#[derive(Debug)]
pub struct ConfigResolver {
    /// `--config`: used for every template, no discovery.
    fixed: Option<Arc<LoadedConfig>>,
    default: Arc<LoadedConfig>,
    file_of_dir: HashMap<PathBuf, Option<PathBuf>>,
    loaded: HashMap<PathBuf, Result<Arc<LoadedConfig>, ConfigFileError>>,
    /// Texts that stand in for files on disk: an editor's unsaved buffer of a `ward.toml`.
    overlays: HashMap<PathBuf, String>,
}

impl ConfigResolver {
    /// Discovers configuration files by walking up from each folder.
    pub fn discover() -> Self {
        ConfigResolver {
            fixed: None,
            default: Arc::new(LoadedConfig::default_config()),
            file_of_dir: HashMap::new(),
            loaded: HashMap::new(),
            overlays: HashMap::new(),
        }
    }

    /// Forgets every discovered and parsed file, after configuration files changed on disk (a
    /// new `ward.toml` in a parent folder changes which file is nearest, so the walks go too).
    pub fn invalidate(&mut self) {
        self.file_of_dir.clear();
        self.loaded.clear();
    }

    /// Uses `text` instead of the file at `path` (an editor's buffer), or stops doing so with
    /// `None`. The file counts as existing while it has an overlay.
    pub fn set_overlay(&mut self, path: &Path, text: Option<String>) {
        let path = absolute(path);
        match text {
            Some(text) => self.overlays.insert(path, text),
            None => self.overlays.remove(&path),
        };
        self.invalidate();
    }

    /// Uses one configuration file for everything.
    pub fn fixed(path: &Path) -> Result<Self, ConfigFileError> {
        let mut resolver = Self::discover();
        resolver.fixed = Some(Arc::new(LoadedConfig::load(path)?));
        Ok(resolver)
    }

    /// The configuration that applies to templates in `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Arc<LoadedConfig>, ConfigFileError> {
        if let Some(fixed) = &self.fixed {
            return Ok(Arc::clone(fixed));
        }
        let Some(file) = self.nearest_file(&absolute(dir)) else {
            return Ok(Arc::clone(&self.default));
        };
        let overlay = self.overlays.get(&file);
        self.loaded
            .entry(file.clone())
            .or_insert_with(|| {
                match overlay {
                    Some(text) => LoadedConfig::from_text(&file, text),
                    None => LoadedConfig::load(&file),
                }
                .map(Arc::new)
            })
            .clone()
    }

    /// The configuration that applies to the template at `path`.
    pub fn for_file(&mut self, path: &Path) -> Result<Arc<LoadedConfig>, ConfigFileError> {
        let dir = absolute(path);
        self.for_dir(dir.parent().unwrap_or(Path::new("/")))
    }

    fn nearest_file(&mut self, dir: &Path) -> Option<PathBuf> {
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in dir.ancestors() {
            if let Some(cached) = self.file_of_dir.get(ancestor) {
                found = cached.clone();
                break;
            }
            visited.push(ancestor.to_path_buf());
            let file = CONFIG_FILE_NAMES
                .iter()
                .map(|name| ancestor.join(name))
                .find(|candidate| self.overlays.contains_key(candidate) || candidate.is_file());
            if let Some(file) = file {
                found = Some(file);
                break;
            }
        }
        for visited_dir in visited {
            self.file_of_dir.insert(visited_dir, found.clone());
        }
        found
    }
}

/// An absolute path without touching the file system beyond the current directory (symlinks
/// are kept, so reported paths and exclusions use the names the user sees).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn clamp_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_file_wins_and_walks_are_cached() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let nested = root.path().join("a/b/c");
        std::fs::create_dir_all(&nested)?;
        std::fs::write(root.path().join("ward.toml"), "ignore = [\"iam\"]\n")?;
        std::fs::write(
            root.path().join("a/b/.ward.toml"),
            "ignore = [\"network\"]\n",
        )?;
        let mut resolver = ConfigResolver::discover();
        let deep = resolver.for_dir(&nested)?;
        assert_eq!(deep.config.ignore, ["network"]);
        let top = resolver.for_dir(&root.path().join("a"))?;
        assert_eq!(top.config.ignore, ["iam"]);
        assert_eq!(
            resolver.file_of_dir.get(&nested).cloned().flatten(),
            Some(root.path().join("a/b/.ward.toml"))
        );
        Ok(())
    }

    #[test]
    fn overlays_stand_in_for_files_and_invalidate_caches() -> Result<(), Box<dyn std::error::Error>>
    {
        let root = tempfile::tempdir()?;
        std::fs::write(root.path().join(".ward.toml"), "ignore = [\"iam\"]\n")?;
        let mut resolver = ConfigResolver::discover();
        assert_eq!(resolver.for_dir(root.path())?.config.ignore, ["iam"]);
        // An unsaved `ward.toml` buffer wins over `.ward.toml`, as the file would.
        let buffer = root.path().join("ward.toml");
        resolver.set_overlay(&buffer, Some("ignore = [\"network\"]\n".to_string()));
        assert_eq!(resolver.for_dir(root.path())?.config.ignore, ["network"]);
        resolver.set_overlay(&buffer, None);
        assert_eq!(resolver.for_dir(root.path())?.config.ignore, ["iam"]);
        std::fs::write(root.path().join(".ward.toml"), "ignore = [\"logging\"]\n")?;
        assert_eq!(
            resolver.for_dir(root.path())?.config.ignore,
            ["iam"],
            "cached"
        );
        resolver.invalidate();
        assert_eq!(resolver.for_dir(root.path())?.config.ignore, ["logging"]);
        Ok(())
    }

    #[test]
    fn errors_carry_line_and_column() {
        let error = LoadedConfig::from_text(Path::new("ward.toml"), "select = [\n  1,\n]\n");
        let Err(error) = error else {
            panic!("an integer rule id must be rejected");
        };
        assert_eq!(error.position.map(|(line, _)| line), Some(2), "{error}");
        assert!(error.to_string().starts_with("ward.toml:2:"), "{error}");
    }

    #[test]
    fn excludes_use_gitignore_semantics_under_the_config_folder()
    -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let config_path = root.path().join("ward.toml");
        let loaded = LoadedConfig::from_text(
            &config_path,
            "exclude = [\"vendor\", \"build/**/*.json\"]\n",
        )?;
        assert!(loaded.is_excluded(&root.path().join("x/vendor"), true));
        assert!(loaded.is_excluded(&root.path().join("build/a/t.json"), false));
        assert!(!loaded.is_excluded(&root.path().join("build/a/t.yaml"), false));
        assert!(!loaded.is_excluded(Path::new("/elsewhere/vendor"), true));
        Ok(())
    }
}
