//! Code actions: each finding's fix, "Suppress <RULE> for <Resource>", and fix-all.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use ward_core::suppress::suppression_fix;
use ward_core::{Applicability, Edit, Span, fix_all};

use crate::analysis::Analysis;
use crate::diagnostics;
use crate::encoding::{self, Encoding};

/// The kind of the fix-all action; VS Code runs it on save for `source.fixAll`.
pub const FIX_ALL_KIND: &str = "source.fixAll.ward";

/// The title of the fix-all action.
pub const FIX_ALL_TITLE: &str = "Fix all safe Ward findings";

pub fn kinds() -> Vec<CodeActionKind> {
    vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::SOURCE_FIX_ALL,
        CodeActionKind::new(FIX_ALL_KIND),
    ]
}

pub struct Request<'a> {
    pub uri: &'a Uri,
    pub range: Range,
    /// `context.only`: the kinds the client wants, or all.
    pub only: Option<&'a [CodeActionKind]>,
    /// The editor asked on its own (VS Code does on every cursor move, for the light bulb), not
    /// because the user asked for actions.
    pub automatic: bool,
    pub encoding: Encoding,
    /// Whether the client takes `documentChanges` (versioned edits).
    pub document_changes: bool,
    /// Whether the client takes related information in diagnostics.
    pub related: bool,
}

impl Request<'_> {
    fn target(&self) -> diagnostics::Target<'_> {
        diagnostics::Target {
            uri: self.uri,
            encoding: self.encoding,
            related: self.related,
        }
    }
}

pub fn actions(analysis: &Analysis, request: &Request<'_>) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    if !analysis.report.is_template {
        return actions;
    }
    let file = analysis.file();
    let wanted = encoding::span(file, request.range, request.encoding);
    let template = analysis.document.template();
    if wants(request.only, &CodeActionKind::QUICKFIX) {
        let mut suppressions = Vec::new();
        for finding in analysis.report.active() {
            if !overlaps(finding.span, wanted) {
                continue;
            }
            let diagnostic = diagnostics::finding(analysis, finding, &request.target());
            if let Some(fix) = &finding.fix {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(analysis, request, &fix.edits)),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..CodeAction::default()
                }));
            }
            let suppression = template
                .as_ref()
                .and_then(|template| suppression_fix(file, template, finding));
            if let Some(fix) = suppression {
                suppressions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(workspace_edit(analysis, request, &fix.edits)),
                    // Silencing a finding is a decision, never the default action.
                    is_preferred: Some(false),
                    ..CodeAction::default()
                }));
            }
        }
        // Fixes first: editors list actions in order, and a fix beats a suppression.
        actions.extend(suppressions);
    }
    // Fixing the whole file lints it again after each round: not worth doing for a light bulb,
    // which never shows source actions anyway, unless the request names the kind.
    let light_bulb = request.automatic && request.only.is_none();
    if !light_bulb && wants(request.only, &CodeActionKind::new(FIX_ALL_KIND)) {
        actions.extend(fix_all_action(analysis, request).map(CodeActionOrCommand::CodeAction));
    }
    actions
}

/// Every safe fix of the file as one edit; `None` when there is nothing to fix.
fn fix_all_action(analysis: &Analysis, request: &Request<'_>) -> Option<CodeAction> {
    let file = analysis.file();
    let has_safe_fix = analysis
        .report
        .active()
        .filter_map(|finding| finding.fix.as_ref())
        .any(|fix| fix.applicability == Applicability::Safe);
    if !has_safe_fix {
        return None;
    }
    // Suppressions are never findings' fixes, so fix_all cannot apply one.
    let fixed = fix_all(
        file,
        analysis.report.clone(),
        &analysis.settings.config,
        false,
    );
    if fixed.applied == 0 {
        return None;
    }
    let edit = minimal_edit(file.text(), fixed.source.text())?;
    Some(CodeAction {
        title: FIX_ALL_TITLE.to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(workspace_edit(analysis, request, &[edit])),
        ..CodeAction::default()
    })
}

/// One edit that turns `old` into `new`: the changed middle, between the common prefix and
/// suffix, so that the editor keeps the cursor and folds outside it.
fn minimal_edit(old: &str, new: &str) -> Option<Edit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(Edit {
        span: Span::new(prefix, old.len() - suffix),
        text: new[prefix..new.len() - suffix].to_string(),
    })
}

fn workspace_edit(analysis: &Analysis, request: &Request<'_>, edits: &[Edit]) -> WorkspaceEdit {
    versioned_edit(
        request.uri,
        analysis.stamp.version,
        diagnostics::text_edits(analysis.file(), edits, request.encoding),
        request.document_changes,
    )
}

/// Edits of one document: `documentChanges` with the version they apply to when the client
/// takes them (it refuses them for a text that changed since), else plain `changes`.
pub fn versioned_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    document_changes: bool,
) -> WorkspaceEdit {
    if document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// Whether `kind` is asked for: `only` lists kinds hierarchically (`source` covers
/// `source.fixAll.ward`).
fn wants(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else {
        return true;
    };
    only.iter().any(|wanted| {
        let wanted = wanted.as_str();
        kind.as_str() == wanted
            || kind
                .as_str()
                .strip_prefix(wanted)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// Touching counts: a cursor at either end of a finding asks for its actions.
fn overlaps(finding: Span, wanted: Span) -> bool {
    finding.start <= wanted.end && wanted.start <= finding.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_keeps_common_prefix_and_suffix() {
        let edit = minimal_edit("a: 1\nb: 2\n", "a: 1\nc: 3\nb: 2\n");
        assert_eq!(
            edit,
            Some(Edit {
                span: Span::new(5, 5),
                text: "c: 3\n".to_string()
            })
        );
        let edit = minimal_edit("xéy", "xèy");
        assert_eq!(
            edit,
            Some(Edit {
                span: Span::new(1, 3),
                text: "è".to_string()
            })
        );
        assert_eq!(minimal_edit("same", "same"), None);
        let edit = minimal_edit("aa", "aaa");
        assert_eq!(
            edit,
            Some(Edit {
                span: Span::new(2, 2),
                text: "a".to_string()
            })
        );
    }

    #[test]
    fn only_filters_hierarchically() {
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        assert!(wants(None, &fix_all));
        assert!(wants(Some(&[CodeActionKind::SOURCE]), &fix_all));
        assert!(wants(Some(&[CodeActionKind::SOURCE_FIX_ALL]), &fix_all));
        assert!(!wants(Some(&[CodeActionKind::QUICKFIX]), &fix_all));
        assert!(!wants(Some(&[CodeActionKind::new("source.fix")]), &fix_all));
    }
}
