//! Document symbols, definition, references, rename and completion over core's name index.

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, DocumentSymbol, Location, Position,
    Range, SymbolInformation, SymbolKind, TextEdit, Uri,
};
use ward_core::navigation::{self, Index, NameKind};
use ward_core::{SourceFile, Span};

use crate::analysis::Analysis;
use crate::encoding::{self, Encoding};

/// The template's sections in the outline, in the order they appear in the file.
const SECTIONS: [(&str, NameKind); 5] = [
    ("Parameters", NameKind::Parameter),
    ("Conditions", NameKind::Condition),
    ("Mappings", NameKind::Mapping),
    ("Resources", NameKind::Resource),
    ("Outputs", NameKind::Output),
];

fn symbol_kind(kind: NameKind) -> SymbolKind {
    match kind {
        NameKind::Parameter => SymbolKind::VARIABLE,
        NameKind::Condition => SymbolKind::BOOLEAN,
        NameKind::Mapping => SymbolKind::STRUCT,
        NameKind::Resource => SymbolKind::OBJECT,
        NameKind::Output => SymbolKind::PROPERTY,
    }
}

fn completion_kind(kind: NameKind) -> CompletionItemKind {
    match kind {
        NameKind::Parameter => CompletionItemKind::VARIABLE,
        NameKind::Condition => CompletionItemKind::VALUE,
        NameKind::Mapping => CompletionItemKind::STRUCT,
        NameKind::Resource => CompletionItemKind::CLASS,
        NameKind::Output => CompletionItemKind::PROPERTY,
    }
}

/// The outline: one namespace per section, its entries as children.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn symbols(analysis: &Analysis, encoding: Encoding) -> Vec<DocumentSymbol> {
    let (Some(index), Some(template)) = (analysis.index(), analysis.document.template()) else {
        return Vec::new();
    };
    let file = analysis.file();
    let mut sections: Vec<DocumentSymbol> = SECTIONS
        .iter()
        .filter_map(|(section, kind)| {
            let entry = template.root.entry(section)?;
            let children: Vec<DocumentSymbol> = index
                .definitions
                .iter()
                .filter(|definition| definition.kind == *kind)
                .map(|definition| DocumentSymbol {
                    name: definition.name.clone(),
                    detail: definition.detail.clone(),
                    kind: symbol_kind(definition.kind),
                    tags: None,
                    deprecated: None,
                    range: encoding::range(
                        file,
                        definition.span.cover(definition.name_span),
                        encoding,
                    ),
                    selection_range: encoding::range(file, definition.name_span, encoding),
                    children: None,
                })
                .collect();
            Some(DocumentSymbol {
                name: (*section).to_string(),
                detail: None,
                kind: SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range: encoding::range(file, entry.key_span.cover(entry.value.span), encoding),
                selection_range: encoding::range(file, entry.key_span, encoding),
                children: Some(children),
            })
        })
        .collect();
    sections.sort_by_key(|symbol| (symbol.range.start.line, symbol.range.start.character));
    sections
}

/// The outline for clients without hierarchical symbols: entries named with their section.
#[allow(deprecated)] // `SymbolInformation::deprecated` must still be written.
pub fn flat_symbols(symbols: Vec<DocumentSymbol>, uri: &Uri) -> Vec<SymbolInformation> {
    let mut flat = Vec::new();
    for section in symbols {
        for child in section.children.unwrap_or_default() {
            flat.push(SymbolInformation {
                name: child.name,
                kind: child.kind,
                tags: None,
                deprecated: None,
                location: Location {
                    uri: uri.clone(),
                    range: child.range,
                },
                container_name: Some(section.name.clone()),
            });
        }
    }
    flat
}

fn location(file: &SourceFile, uri: &Uri, span: Span, encoding: Encoding) -> Location {
    Location {
        uri: uri.clone(),
        range: encoding::range(file, span, encoding),
    }
}

pub fn definition(
    analysis: &Analysis,
    uri: &Uri,
    offset: usize,
    encoding: Encoding,
) -> Option<Location> {
    let index = analysis.index()?;
    let (kind, name, _) = index.name_at(offset)?;
    let definition = index.definition(kind, name)?;
    Some(location(
        analysis.file(),
        uri,
        definition.name_span,
        encoding,
    ))
}

pub fn references(
    analysis: &Analysis,
    uri: &Uri,
    offset: usize,
    include_declaration: bool,
    encoding: Encoding,
) -> Vec<Location> {
    let Some(index) = analysis.index() else {
        return Vec::new();
    };
    let Some((kind, name, _)) = index.name_at(offset) else {
        return Vec::new();
    };
    let file = analysis.file();
    let declarations = index
        .definitions
        .iter()
        .filter(|definition| {
            include_declaration && definition.kind == kind && definition.name == name
        })
        .map(|definition| definition.name_span);
    let mut spans: Vec<Span> = declarations
        .chain(index.uses(kind, name).map(|found| found.span))
        .collect();
    spans.sort();
    spans.dedup();
    spans
        .into_iter()
        .map(|span| location(file, uri, span, encoding))
        .collect()
}

/// The range and current text of the name at `offset`, when there is one to rename.
pub fn prepare_rename(
    analysis: &Analysis,
    offset: usize,
    encoding: Encoding,
) -> Option<(Range, String)> {
    let index = analysis.index()?;
    let (_, name, span) = index.name_at(offset)?;
    Some((
        encoding::range(analysis.file(), span, encoding),
        name.to_string(),
    ))
}

/// The edits of a rename, or core's reason why not.
pub fn rename(
    analysis: &Analysis,
    offset: usize,
    new_name: &str,
    encoding: Encoding,
) -> Result<Vec<TextEdit>, String> {
    let Some(index) = analysis.index() else {
        return Err("the template does not parse; fix its syntax first".to_string());
    };
    let edits = index.rename(offset, new_name)?;
    Ok(crate::diagnostics::text_edits(
        analysis.file(),
        &edits,
        encoding,
    ))
}

/// Completion at `position` of `file` (the current text), from `index` (the current text's, or
/// the last one that parsed).
pub fn completions(
    index: &Index,
    file: &SourceFile,
    position: Position,
    encoding: Encoding,
) -> Vec<CompletionItem> {
    let cursor = encoding::offset(file, position, encoding);
    let line_start = file.line_start(cursor);
    let line_prefix = file.text().get(line_start..cursor).unwrap_or_default();
    let typed = navigation::completion_prefix(line_prefix);
    // Replace what is typed so far ourselves: editors' word boundaries split `AWS::Region`.
    let replace = Range {
        start: encoding::position(file, (cursor - typed.len()) as u32, encoding),
        end: encoding::position(file, cursor as u32, encoding),
    };
    index
        .completions(line_prefix)
        .into_iter()
        .map(|completion| CompletionItem {
            label: completion.label.clone(),
            kind: Some(completion_kind(completion.kind)),
            detail: completion.detail,
            filter_text: Some(completion.label.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: replace,
                new_text: completion.label,
            })),
            ..CompletionItem::default()
        })
        .collect()
}
