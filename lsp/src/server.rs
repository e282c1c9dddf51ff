//! The protocol side: document state, the lint queue, configuration, and the handlers. Handlers
//! are thin: they find the document's analysis and hand it to the modules that build answers.
//!
//! Ordering. tower-lsp-server runs up to four handlers at once, but starts them in arrival
//! order; every state change (open, change, close, settings) happens synchronously at the start
//! of its handler, under a `std` mutex that is never held across an `.await`, so edits apply in
//! order. Linting runs on the blocking pool, one analysis per (text revision, configuration
//! generation), shared by every request that needs it. Only the lint worker publishes, one
//! document at a time, and only an analysis of the latest text under the latest configuration:
//! an older result is dropped, never published after a newer one.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};
use ward_core::config::CONFIG_FILE_NAMES;
use ward_core::{Config, SourceFile};

use crate::actions;
use crate::analysis::{Analysis, Effective, Stamp};
use crate::config_files::{ConfigResolver, LoadedConfig};
use crate::diagnostics;
use crate::encoding::{self, Encoding};
use crate::hover;
use crate::navigation;
use crate::settings::Settings;

/// The watcher registered for configuration files.
const CONFIG_GLOB: &str = "**/{ward,.ward}.toml";

/// How long a request to the client (settings, registration) may take before we give up on it.
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the first analyses wait for the client's answer to `workspace/configuration`.
const INITIAL_SETTINGS_WAIT: Duration = Duration::from_secs(2);

/// LSP's `RequestFailed`: the request was valid but cannot be carried out (a refused rename).
const REQUEST_FAILED: i64 = -32803;

pub struct Backend {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    state: Mutex<State>,
    jobs: mpsc::UnboundedSender<Job>,
    /// Taken by `initialize`, which starts the worker.
    job_receiver: Mutex<Option<mpsc::UnboundedReceiver<Job>>>,
    /// Set by `shutdown`: `exit` after it ends with status 0, without it with 1.
    shutdown: Arc<AtomicBool>,
    /// True once the client's settings are known (answered, refused, or not asked for): the first
    /// analyses wait for it, so findings the user turned off never flash up.
    settings_known: watch::Sender<bool>,
}

/// What the lint worker does, in order.
enum Job {
    /// Publish the diagnostics of the document's current text, if not yet published.
    Publish(Uri),
    /// The document was closed: clear its diagnostics.
    Clear(Uri),
}

/// What the client can do, read once from `initialize`.
#[derive(Debug, Default, Clone, Copy)]
struct Caps {
    encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`): never push to it as well.
    pull: bool,
    refresh: bool,
    document_changes: bool,
    configuration: bool,
    watch_registration: bool,
    related_information: bool,
    flat_symbols: bool,
    plain_hover: bool,
    prepare_rename: bool,
}

#[derive(Default)]
struct State {
    caps: Caps,
    docs: HashMap<Uri, Doc>,
    settings: Settings,
    /// Settings problems to show once the client is initialized.
    pending_messages: Vec<String>,
    generation: u64,
    next_revision: u64,
    resolver: Option<ConfigResolver>,
    /// Configuration errors already shown, so each is shown once until the files change.
    shown_errors: HashSet<String>,
    /// Workspace folders: where an `untitled:` document looks for its `ward.toml`.
    roots: Vec<PathBuf>,
}

struct Doc {
    version: i32,
    revision: u64,
    source: Arc<SourceFile>,
    /// The analysis of the current text, or of an older one until someone asks.
    slot: Option<Arc<Slot>>,
    /// The analysis of the last text that parsed: its names complete half-typed text.
    last_parsed: Option<Arc<Analysis>>,
    /// What the worker last published: (revision, generation), and whether it was empty (a new
    /// document counts as showing nothing).
    published: Option<(u64, u64)>,
    published_empty: bool,
    /// For an open `ward.toml`: its path. Such a document is configuration, not a template.
    config_path: Option<PathBuf>,
}

/// One analysis in the making, shared by everyone who needs it.
struct Slot {
    stamp: Stamp,
    started: AtomicBool,
    outcome: watch::Sender<Option<Outcome>>,
}

#[derive(Clone)]
enum Outcome {
    Ready(Arc<Analysis>),
    /// The document changed (or closed) before the analysis started.
    Stale,
    Panicked(String),
}

impl Backend {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        let (jobs, receiver) = mpsc::unbounded_channel();
        Backend {
            inner: Arc::new(Inner {
                client,
                state: Mutex::new(State::default()),
                jobs,
                job_receiver: Mutex::new(Some(receiver)),
                shutdown,
                settings_known: watch::Sender::new(false),
            }),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock is caught and reported; the state it leaves is still the
    // best we have, so keep serving with it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

fn content_modified() -> Error {
    Error {
        code: ErrorCode::ContentModified,
        message: "the document changed; ask again".into(),
        data: None,
    }
}

fn request_failed(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: message.into(),
        data: None,
    }
}

/// The path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|path| path.into_owned())
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| CONFIG_FILE_NAMES.contains(&name))
}

impl Caps {
    fn read(capabilities: &ClientCapabilities) -> Caps {
        let text = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let encodings = capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_deref());
        Caps {
            encoding: Encoding::negotiate(encodings),
            pull: text.is_some_and(|text| text.diagnostic.is_some()),
            refresh: workspace
                .and_then(|workspace| workspace.diagnostics.as_ref())
                .and_then(|diagnostics| diagnostics.refresh_support)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|workspace| workspace.workspace_edit.as_ref())
                .and_then(|edit| edit.document_changes)
                .unwrap_or(false),
            configuration: workspace
                .and_then(|workspace| workspace.configuration)
                .unwrap_or(false),
            watch_registration: workspace
                .and_then(|workspace| workspace.did_change_watched_files.as_ref())
                .and_then(|watched| watched.dynamic_registration)
                .unwrap_or(false),
            related_information: text
                .and_then(|text| text.publish_diagnostics.as_ref())
                .and_then(|publish| publish.related_information)
                .unwrap_or(false),
            // Hierarchical unless the client says it cannot take it.
            flat_symbols: text
                .and_then(|text| text.document_symbol.as_ref())
                .is_some_and(|symbols| symbols.hierarchical_document_symbol_support != Some(true)),
            plain_hover: text
                .and_then(|text| text.hover.as_ref())
                .and_then(|hover| hover.content_format.as_ref())
                .is_some_and(|formats| !formats.contains(&MarkupKind::Markdown)),
            prepare_rename: text
                .and_then(|text| text.rename.as_ref())
                .and_then(|rename| rename.prepare_support)
                .unwrap_or(false),
        }
    }

    fn diagnostic_target<'a>(&self, uri: &'a Uri) -> diagnostics::Target<'a> {
        diagnostics::Target {
            uri,
            encoding: self.encoding,
            related: self.related_information,
        }
    }
}

impl State {
    fn resolver(&mut self) -> &mut ConfigResolver {
        self.resolver.get_or_insert_with(ConfigResolver::discover)
    }

    /// The configuration of a document and, the first time it is met, a configuration error to
    /// show. An invalid `ward.toml` falls back to the defaults.
    fn effective(&mut self, uri: &Uri) -> (Arc<Effective>, Option<String>) {
        let folder = match file_path(uri) {
            Some(path) => path.parent().map(Path::to_path_buf),
            None => self.roots.first().cloned(),
        };
        let (mut config, error) = match folder {
            None => (Config::default(), None),
            Some(folder) => match self.resolver().for_dir(&folder) {
                Ok(loaded) => (loaded.config.clone(), None),
                Err(error) => (Config::default(), Some(error.to_string())),
            },
        };
        let error = error
            .filter(|error| self.shown_errors.insert(error.clone()))
            .map(|error| format!("Ward: invalid configuration, using the defaults: {error}"));
        config.merge(self.settings.config.clone());
        let effective = Effective {
            config,
            enable: self.settings.enable,
            docs_base_url: self.settings.docs_base_url.clone(),
        };
        (Arc::new(effective), error)
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn caps(&self) -> Caps {
        self.state().caps
    }

    /// Runs `work`, turning a panic into a logged error and an error answer.
    async fn guard<T>(&self, what: &str, work: impl FnOnce() -> T) -> Result<T> {
        match catch_unwind(AssertUnwindSafe(work)) {
            Ok(value) => Ok(value),
            Err(payload) => {
                let message = format!(
                    "Ward: internal error in {what}: {}",
                    panic_message(payload.as_ref())
                );
                self.client.log_message(MessageType::ERROR, &message).await;
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: message.into(),
                    data: None,
                })
            }
        }
    }

    /// The analysis of the document's current text under the current configuration, computed
    /// once and shared. `Ok(None)` when the document is not open.
    async fn analysis(self: &Arc<Self>, uri: &Uri) -> Result<Option<Arc<Analysis>>> {
        self.settings_known().await;
        let slot = {
            let mut state = self.state();
            let generation = state.generation;
            let Some(doc) = state.docs.get_mut(uri) else {
                return Ok(None);
            };
            let stamp = Stamp {
                revision: doc.revision,
                generation,
                version: doc.version,
            };
            match &doc.slot {
                Some(slot) if slot.stamp == stamp => Arc::clone(slot),
                _ => {
                    let slot = Arc::new(Slot {
                        stamp,
                        started: AtomicBool::new(false),
                        outcome: watch::channel(None).0,
                    });
                    doc.slot = Some(Arc::clone(&slot));
                    slot
                }
            }
        };
        let mut receiver = slot.outcome.subscribe();
        if !slot.started.swap(true, Ordering::SeqCst) {
            let inner = Arc::clone(self);
            let uri = uri.clone();
            let job_slot = Arc::clone(&slot);
            let runtime = tokio::runtime::Handle::current();
            // The analysis belongs to the slot, not to this request: a cancelled request does
            // not lose work that the next one needs.
            tokio::task::spawn_blocking(move || inner.analyze(&uri, &job_slot, &runtime));
        }
        let outcome = receiver
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|outcome| outcome.clone());
        match outcome {
            Some(Outcome::Ready(analysis)) => Ok(Some(analysis)),
            Some(Outcome::Panicked(message)) => Err(Error {
                code: ErrorCode::InternalError,
                message: message.into(),
                data: None,
            }),
            Some(Outcome::Stale) | None => Err(content_modified()),
        }
    }

    /// Runs on the blocking pool; always settles the slot, whatever happens.
    fn analyze(&self, uri: &Uri, slot: &Arc<Slot>, runtime: &tokio::runtime::Handle) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            self.analyze_unguarded(uri, slot, runtime)
        }))
        .unwrap_or_else(|payload| Outcome::Panicked(panic_message(payload.as_ref())));
        if let Outcome::Panicked(message) = &outcome {
            let client = self.client.clone();
            let message = format!(
                "Ward: internal error while linting {}: {message}",
                uri.as_str()
            );
            runtime.spawn(async move { client.log_message(MessageType::ERROR, message).await });
        }
        slot.outcome.send_replace(Some(outcome));
    }

    fn analyze_unguarded(
        &self,
        uri: &Uri,
        slot: &Arc<Slot>,
        runtime: &tokio::runtime::Handle,
    ) -> Outcome {
        let prepared = {
            let mut state = self.state();
            let current = state
                .docs
                .get(uri)
                .and_then(|doc| doc.slot.as_ref())
                .is_some_and(|current| Arc::ptr_eq(current, slot));
            // Work for a text that is already replaced would only delay the newer one.
            if !current {
                return Outcome::Stale;
            }
            let (effective, error) = state.effective(uri);
            state.docs.get(uri).map(|doc| {
                (
                    Arc::clone(&doc.source),
                    doc.config_path.is_none(),
                    effective,
                    error,
                )
            })
        };
        let Some((source, lint, effective, error)) = prepared else {
            return Outcome::Stale;
        };
        if let Some(message) = error {
            let client = self.client.clone();
            runtime.spawn(async move { client.show_message(MessageType::ERROR, message).await });
        }
        let analysis = Arc::new(Analysis::new(
            SourceFile::clone(&source),
            effective,
            slot.stamp,
            lint,
        ));
        if analysis.parsed() {
            let mut state = self.state();
            if let Some(doc) = state.docs.get_mut(uri)
                && doc.revision == slot.stamp.revision
            {
                doc.last_parsed = Some(Arc::clone(&analysis));
            }
        }
        Outcome::Ready(analysis)
    }

    /// The lint worker: the only place that publishes diagnostics.
    async fn run_jobs(self: Arc<Self>, mut receiver: mpsc::UnboundedReceiver<Job>) {
        while let Some(job) = receiver.recv().await {
            match job {
                Job::Publish(uri) => self.publish(uri).await,
                // Even when the document was reopened since: its own Publish comes after this.
                Job::Clear(uri) => self.client.publish_diagnostics(uri, Vec::new(), None).await,
            }
        }
    }

    async fn publish(self: &Arc<Self>, uri: Uri) {
        // Stale (a newer Publish is queued), closed, or panicked (logged): publish nothing.
        let Ok(Some(analysis)) = self.analysis(&uri).await else {
            return;
        };
        let caps = self.caps();
        let Ok(diagnostics) = self
            .guard("diagnostics", || {
                diagnostics::of(&analysis, &caps.diagnostic_target(&uri))
            })
            .await
        else {
            return;
        };
        {
            let mut state = self.state();
            let generation = state.generation;
            let Some(doc) = state.docs.get_mut(&uri) else {
                return;
            };
            let stamp = (analysis.stamp.revision, analysis.stamp.generation);
            let current = doc.revision == stamp.0 && generation == stamp.1;
            if !current || doc.published == Some(stamp) {
                return;
            }
            let empty = diagnostics.is_empty();
            let quiet = empty && doc.published_empty && !analysis.report.is_template;
            doc.published = Some(stamp);
            doc.published_empty = empty;
            // Other YAML and JSON stay quiet: nothing at all, unless diagnostics shown while it
            // was a template need clearing. Templates get every version, even an empty one, so
            // that a client can tell that its edit was linted.
            if quiet {
                return;
            }
        }
        self.client
            .publish_diagnostics(uri, diagnostics, Some(analysis.stamp.version))
            .await;
    }

    /// After any configuration change: every open document is linted again.
    fn configuration_changed(self: &Arc<Self>) {
        let (caps, uris) = {
            let mut state = self.state();
            state.generation += 1;
            (state.caps, state.docs.keys().cloned().collect::<Vec<_>>())
        };
        if caps.pull {
            if caps.refresh {
                let client = self.client.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(
                        CLIENT_REQUEST_TIMEOUT,
                        client.workspace_diagnostic_refresh(),
                    )
                    .await;
                });
            }
        } else {
            for uri in uris {
                let _ = self.jobs.send(Job::Publish(uri));
            }
        }
    }

    /// Configuration files changed on disk or in the editor: read them again and show their
    /// errors again.
    fn config_files_changed(self: &Arc<Self>, overlay: Option<(PathBuf, Option<String>)>) {
        {
            let mut state = self.state();
            let resolver = state.resolver();
            match overlay {
                Some((path, text)) => resolver.set_overlay(&path, text),
                None => resolver.invalidate(),
            }
            state.shown_errors.clear();
        }
        self.configuration_changed();
    }

    async fn apply_settings(self: &Arc<Self>, value: &Value) {
        let (settings, problems) = Settings::from_value(value);
        let changed = {
            let mut state = self.state();
            let changed = state.settings != settings;
            state.settings = settings;
            changed
        };
        if !problems.is_empty() {
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!("Ward settings: {}", problems.join("; ")),
                )
                .await;
        }
        if changed {
            self.configuration_changed();
        }
    }

    /// Waits until the client's settings are known, at most [`INITIAL_SETTINGS_WAIT`]: a client
    /// that never answers still gets diagnostics, with the settings it gave at `initialize`.
    async fn settings_known(&self) {
        let mut known = self.settings_known.subscribe();
        let _ = tokio::time::timeout(INITIAL_SETTINGS_WAIT, known.wait_for(|known| *known)).await;
    }

    /// The first settings: asked for once, then the waiting analyses go ahead.
    async fn fetch_initial_settings(self: Arc<Self>) {
        Arc::clone(&self).fetch_settings().await;
        self.settings_known.send_replace(true);
    }

    /// Asks the client for the `ward` section; `null` (no such section) keeps what we have.
    async fn fetch_settings(self: Arc<Self>) {
        let request = self.client.configuration(vec![ConfigurationItem {
            scope_uri: None,
            section: Some("ward".to_string()),
        }]);
        match tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, request).await {
            Ok(Ok(values)) => {
                if let Some(value) = values.into_iter().next().filter(|value| !value.is_null()) {
                    self.apply_settings(&value).await;
                }
            }
            Ok(Err(error)) => {
                self.client
                    .log_message(
                        MessageType::WARNING,
                        format!("Ward: workspace/configuration failed: {}", error.message),
                    )
                    .await;
            }
            Err(_) => {
                self.client
                    .log_message(
                        MessageType::WARNING,
                        "Ward: the client did not answer workspace/configuration",
                    )
                    .await;
            }
        }
    }

    async fn register_watchers(self: Arc<Self>) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(CONFIG_GLOB.to_string()),
                kind: None,
            }],
        };
        let Ok(options) = serde_json::to_value(options) else {
            return;
        };
        let registration = Registration {
            id: "ward-config-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: Some(options),
        };
        let request = self.client.register_capability(vec![registration]);
        if let Ok(Err(error)) = tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, request).await {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "Ward: could not watch configuration files ({}); changes to ward.toml \
                         apply when it is saved from the editor",
                        error.message
                    ),
                )
                .await;
        }
    }

    fn initialize(self: &Arc<Self>, params: InitializeParams) -> InitializeResult {
        let caps = Caps::read(&params.capabilities);
        let (settings, problems) = params
            .initialization_options
            .as_ref()
            .map(Settings::from_value)
            .unwrap_or_default();
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| file_path(&folder.uri))
            .collect();
        #[allow(deprecated)] // Older clients send only `rootUri`.
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(file_path)
        {
            roots.push(root);
        }
        {
            let mut state = self.state();
            state.caps = caps;
            state.settings = settings;
            state.roots = roots;
            state.pending_messages = problems
                .into_iter()
                .map(|problem| format!("Ward settings: {problem}"))
                .collect();
        }
        if let Some(receiver) = lock(&self.job_receiver).take() {
            tokio::spawn(Arc::clone(self).run_jobs(receiver));
        }
        InitializeResult {
            capabilities: capabilities(&caps),
            server_info: Some(ServerInfo {
                name: "ward".to_string(),
                version: Some(ward_core::VERSION.to_string()),
            }),
            offset_encoding: None,
        }
    }

    fn did_open(self: &Arc<Self>, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let config_path = file_path(&document.uri).filter(|path| is_config_file(path));
        let name = file_path(&document.uri).map_or_else(
            || document.uri.as_str().to_string(),
            |path| path.display().to_string(),
        );
        let text = config_path.as_ref().map(|_| document.text.clone());
        let pull = {
            let mut state = self.state();
            state.next_revision += 1;
            let doc = Doc {
                version: document.version,
                revision: state.next_revision,
                source: Arc::new(SourceFile::new(name, document.text)),
                slot: None,
                last_parsed: None,
                published: None,
                published_empty: true,
                config_path: config_path.clone(),
            };
            state.docs.insert(document.uri.clone(), doc);
            state.caps.pull
        };
        if let Some(path) = config_path {
            self.config_files_changed(Some((path, text)));
        } else if !pull {
            let _ = self.jobs.send(Job::Publish(document.uri));
        }
    }

    fn did_change(self: &Arc<Self>, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let (pull, is_config, config) = {
            let mut state = self.state();
            let encoding = state.caps.encoding;
            state.next_revision += 1;
            let revision = state.next_revision;
            let Some(doc) = state.docs.get_mut(&uri) else {
                return;
            };
            let source = encoding::apply_changes(
                doc.source.name(),
                &doc.source,
                params.content_changes,
                encoding,
            );
            doc.version = params.text_document.version;
            doc.revision = revision;
            // An unsaved ward.toml applies as soon as it is valid; while it is being typed and
            // invalid, the last valid text stays in force (errors are shown on save).
            let is_config = doc.config_path.is_some();
            let config = doc
                .config_path
                .clone()
                .filter(|path| LoadedConfig::from_text(path, source.text()).is_ok());
            let config = config.map(|path| (path, source.text().to_string()));
            doc.source = Arc::new(source);
            (state.caps.pull, is_config, config)
        };
        if let Some((path, text)) = config {
            self.config_files_changed(Some((path, Some(text))));
        }
        if !pull && !is_config {
            let _ = self.jobs.send(Job::Publish(uri));
        }
    }

    fn did_save(self: &Arc<Self>, params: DidSaveTextDocumentParams) {
        let overlay = {
            let state = self.state();
            state.docs.get(&params.text_document.uri).and_then(|doc| {
                let path = doc.config_path.clone()?;
                let text = params
                    .text
                    .clone()
                    .unwrap_or_else(|| doc.source.text().to_string());
                Some((path, Some(text)))
            })
        };
        if let Some(overlay) = overlay {
            self.config_files_changed(Some(overlay));
        }
    }

    fn did_close(self: &Arc<Self>, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (removed, pull) = {
            let mut state = self.state();
            (state.docs.remove(&uri), state.caps.pull)
        };
        if let Some(path) = removed.and_then(|doc| doc.config_path) {
            // The file on disk applies again.
            self.config_files_changed(Some((path, None)));
        } else if !pull {
            let _ = self.jobs.send(Job::Clear(uri));
        }
    }
}

fn capabilities(caps: &Caps) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(caps.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
            },
        )),
        // Only a client that pulls is told that it may: one source of diagnostics per client.
        diagnostic_provider: caps.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("ward".to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(actions::kinds()),
            work_done_progress_options: WorkDoneProgressOptions::default(),
            resolve_provider: Some(false),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(if caps.prepare_rename {
            OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        } else {
            OneOf::Left(true)
        }),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(
                [" ", "[", "{", "$", ":", ".", "\""]
                    .map(String::from)
                    .to_vec(),
            ),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        self.inner
            .guard("initialize", || self.inner.initialize(params))
            .await
    }

    async fn initialized(&self, _: InitializedParams) {
        let (caps, messages) = {
            let mut state = self.inner.state();
            (state.caps, std::mem::take(&mut state.pending_messages))
        };
        for message in messages {
            self.inner
                .client
                .show_message(MessageType::WARNING, message)
                .await;
        }
        // Requests to the client run on their own tasks: a client slow to answer must not hold
        // one of the server's handler slots.
        if caps.watch_registration {
            tokio::spawn(Arc::clone(&self.inner).register_watchers());
        }
        if caps.configuration {
            tokio::spawn(Arc::clone(&self.inner).fetch_initial_settings());
        } else {
            self.inner.settings_known.send_replace(true);
        }
        self.inner
            .client
            .log_message(
                MessageType::INFO,
                format!("Ward {} language server ready", ward_core::VERSION),
            )
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.inner.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let _ = self
            .inner
            .guard("didOpen", || self.inner.did_open(params))
            .await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let _ = self
            .inner
            .guard("didChange", || self.inner.did_change(params))
            .await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let _ = self
            .inner
            .guard("didSave", || self.inner.did_save(params))
            .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let _ = self
            .inner
            .guard("didClose", || self.inner.did_close(params))
            .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.inner.caps().configuration {
            tokio::spawn(Arc::clone(&self.inner).fetch_settings());
        } else if !params.settings.is_null() {
            self.inner.apply_settings(&params.settings).await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let touches_config = params
            .changes
            .iter()
            .any(|change| file_path(&change.uri).is_some_and(|path| is_config_file(&path)));
        if touches_config {
            self.inner.config_files_changed(None);
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let report = |result_id: Option<String>, items: Vec<Diagnostic>| {
            DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id,
                        items,
                    },
                },
            ))
        };
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(report(None, Vec::new()));
        };
        let result_id = analysis.result_id();
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                }),
            ));
        }
        let caps = self.inner.caps();
        let items = self
            .inner
            .guard("diagnostic", || {
                diagnostics::of(&analysis, &caps.diagnostic_target(&uri))
            })
            .await?;
        Ok(report(Some(result_id), items))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let caps = self.inner.caps();
        let request = actions::Request {
            uri: &uri,
            range: params.range,
            only: params.context.only.as_deref(),
            automatic: params.context.trigger_kind == Some(CodeActionTriggerKind::AUTOMATIC),
            encoding: caps.encoding,
            document_changes: caps.document_changes,
            related: caps.related_information,
        };
        let found = self
            .inner
            .guard("codeAction", || actions::actions(&analysis, &request))
            .await?;
        Ok(Some(found))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let place = params.text_document_position_params;
        let Some(analysis) = self.inner.analysis(&place.text_document.uri).await? else {
            return Ok(None);
        };
        let caps = self.inner.caps();
        self.inner
            .guard("hover", || {
                let file = analysis.file();
                let offset = encoding::offset(file, place.position, caps.encoding);
                let (markdown, span) = hover::hover(&analysis, offset)?;
                Some(Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: if caps.plain_hover {
                            MarkupKind::PlainText
                        } else {
                            MarkupKind::Markdown
                        },
                        value: markdown,
                    }),
                    range: Some(encoding::range(file, span, caps.encoding)),
                })
            })
            .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let caps = self.inner.caps();
        self.inner
            .guard("documentSymbol", || {
                let symbols = navigation::symbols(&analysis, caps.encoding);
                Some(if caps.flat_symbols {
                    DocumentSymbolResponse::Flat(navigation::flat_symbols(symbols, &uri))
                } else {
                    DocumentSymbolResponse::Nested(symbols)
                })
            })
            .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let place = params.text_document_position_params;
        let uri = place.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let encoding = self.inner.caps().encoding;
        self.inner
            .guard("definition", || {
                let offset = encoding::offset(analysis.file(), place.position, encoding);
                navigation::definition(&analysis, &uri, offset, encoding)
                    .map(GotoDefinitionResponse::Scalar)
            })
            .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let place = params.text_document_position;
        let uri = place.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let encoding = self.inner.caps().encoding;
        self.inner
            .guard("references", || {
                let offset = encoding::offset(analysis.file(), place.position, encoding);
                Some(navigation::references(
                    &analysis,
                    &uri,
                    offset,
                    params.context.include_declaration,
                    encoding,
                ))
            })
            .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let encoding = self.inner.caps().encoding;
        self.inner
            .guard("prepareRename", || {
                let offset = encoding::offset(analysis.file(), params.position, encoding);
                let Some((range, placeholder)) =
                    navigation::prepare_rename(&analysis, offset, encoding)
                else {
                    return Ok(None);
                };
                // Renaming to the same name runs every check but the new name's, so a pseudo
                // parameter or an undefined name is refused here, before the user types.
                navigation::rename(&analysis, offset, &placeholder, encoding)
                    .map_err(request_failed)?;
                Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                    range,
                    placeholder,
                }))
            })
            .await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let place = params.text_document_position;
        let uri = place.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let caps = self.inner.caps();
        self.inner
            .guard("rename", || {
                let offset = encoding::offset(analysis.file(), place.position, caps.encoding);
                let edits = navigation::rename(&analysis, offset, &params.new_name, caps.encoding)
                    .map_err(request_failed)?;
                Ok(Some(actions::versioned_edit(
                    &uri,
                    analysis.stamp.version,
                    edits,
                    caps.document_changes,
                )))
            })
            .await?
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let place = params.text_document_position;
        let uri = place.text_document.uri;
        let Some(analysis) = self.inner.analysis(&uri).await? else {
            return Ok(None);
        };
        let index = match analysis.index() {
            Some(index) => Some(Arc::clone(index)),
            None => {
                let last = self
                    .inner
                    .state()
                    .docs
                    .get(&uri)
                    .and_then(|doc| doc.last_parsed.clone());
                last.and_then(|last| last.index().cloned())
            }
        };
        let Some(index) = index else {
            return Ok(None);
        };
        let encoding = self.inner.caps().encoding;
        self.inner
            .guard("completion", || {
                let items =
                    navigation::completions(&index, analysis.file(), place.position, encoding);
                (!items.is_empty()).then_some(CompletionResponse::Array(items))
            })
            .await
    }
}
