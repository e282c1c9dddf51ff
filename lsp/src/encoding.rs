//! Byte offsets (core) to and from LSP positions in the negotiated encoding, and applying the
//! client's text changes.
//!
//! Positions from the client are untrusted: a line past the end means the end of the text, a
//! column past the end of its line means the end of that line, and a column inside a character
//! moves to the character's end. Nothing here fails.

use tower_lsp_server::ls_types::{
    Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent,
};
use ward_core::{SourceFile, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// The first encoding the client offers that we speak; UTF-16 when it offers none, as LSP
    /// requires. All three are exact here: core keeps byte offsets and a line index.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or_default()
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, ch: char) -> u32 {
        match self {
            Encoding::Utf8 => ch.len_utf8() as u32,
            Encoding::Utf16 => ch.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// The LSP position of a byte offset.
pub fn position(file: &SourceFile, offset: u32, encoding: Encoding) -> Position {
    let found = file.position(offset);
    let line = found.line.saturating_sub(1);
    let character = match encoding {
        Encoding::Utf16 => found.utf16_column,
        Encoding::Utf32 => found.column.saturating_sub(1),
        // The line index finds the line's start without scanning a long (minified) line.
        Encoding::Utf8 => {
            let start = file.offset_of_utf16(line, 0).unwrap_or(0);
            (found.offset as usize).saturating_sub(start) as u32
        }
    };
    Position { line, character }
}

pub fn range(file: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range {
        start: position(file, span.start, encoding),
        end: position(file, span.end, encoding),
    }
}

/// The byte offset of an LSP position, clamped to the text (see the module comment).
pub fn offset(file: &SourceFile, position: Position, encoding: Encoding) -> usize {
    let Some(line_start) = file.offset_of_utf16(position.line, 0) else {
        return file.text().len();
    };
    let line = file.line_text(line_start);
    let mut units = 0u32;
    for (index, ch) in line.char_indices() {
        if units >= position.character {
            return line_start + index;
        }
        units = units.saturating_add(encoding.width(ch));
    }
    line_start + line.len()
}

/// The byte span of an LSP range; a reversed range is read in order.
pub fn span(file: &SourceFile, range: Range, encoding: Encoding) -> Span {
    let start = offset(file, range.start, encoding);
    let end = offset(file, range.end, encoding);
    Span::new(start.min(end), start.max(end))
}

/// Applies `didChange` events in order (each one's range refers to the text the previous one
/// left) and returns the new text. A change without a range replaces the whole text.
pub fn apply_changes(
    name: &str,
    file: &SourceFile,
    changes: Vec<TextDocumentContentChangeEvent>,
    encoding: Encoding,
) -> SourceFile {
    let mut changed: Option<SourceFile> = None;
    for change in changes {
        let current = changed.as_ref().unwrap_or(file);
        let text = match change.range {
            None => change.text,
            Some(range) => {
                let span = span(current, range, encoding);
                let old = current.text();
                let mut text = String::with_capacity(old.len() + change.text.len());
                text.push_str(&old[..span.start as usize]);
                text.push_str(&change.text);
                text.push_str(&old[span.end as usize..]);
                text
            }
        };
        // The next change's positions refer to this text, so each one gets its line index.
        changed = Some(SourceFile::new(name, text));
    }
    changed.unwrap_or_else(|| file.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| Range {
                start: Position::new(l1, c1),
                end: Position::new(l2, c2),
            }),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn offsets_round_trip_in_every_encoding() {
        let file = SourceFile::new("t", "a: é😀x\r\nb: 2\n");
        let x = file.text().find('x').unwrap_or_default();
        for (encoding, column) in [
            (Encoding::Utf8, 9),
            (Encoding::Utf16, 6),
            (Encoding::Utf32, 5),
        ] {
            let found = position(&file, x as u32, encoding);
            assert_eq!(found, Position::new(0, column), "{encoding:?}");
            assert_eq!(offset(&file, found, encoding), x, "{encoding:?}");
        }
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let file = SourceFile::new("t", "ab\r\ncd");
        assert_eq!(offset(&file, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(&file, Position::new(1, 99), Encoding::Utf16), 6);
        assert_eq!(offset(&file, Position::new(7, 0), Encoding::Utf16), 6);
        // Inside a surrogate pair: the character's end.
        let emoji = SourceFile::new("t", "😀z");
        assert_eq!(offset(&emoji, Position::new(0, 1), Encoding::Utf16), 4);
    }

    #[test]
    fn changes_apply_in_order_and_tolerate_bad_ranges() {
        let file = SourceFile::new("t", "one\ntwo\n");
        let changed = apply_changes(
            "t",
            &file,
            vec![
                change(Some(((0, 0), (0, 3))), "1"),
                change(Some(((1, 0), (1, 0))), ">"),
                change(Some(((9, 9), (9, 9))), "end"),
                change(Some(((1, 3), (1, 1))), ""),
            ],
            Encoding::Utf16,
        );
        assert_eq!(changed.text(), "1\n>o\nend");
        let replaced = apply_changes("t", &changed, vec![change(None, "new")], Encoding::Utf16);
        assert_eq!(replaced.text(), "new");
    }
}
