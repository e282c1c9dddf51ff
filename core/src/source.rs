//! Source text, byte spans and the byte <-> line/column mapping.
//!
//! Everything inside core speaks byte offsets; line/column (characters or UTF-16 units) is only
//! computed at the edges, through [`SourceFile::position`].

use line_index::{LineIndex, TextSize, WideEncoding, WideLineCol};
use serde::Serialize;

/// A half-open byte range into a [`SourceFile`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    pub fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

fn clamp_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Yaml,
    Json,
}

/// A position for humans and editors. `line` and `column` are 1-based and count characters;
/// `utf16_column` is 0-based, in UTF-16 code units, as LSP and JavaScript count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub utf16_column: u32,
    #[serde(skip)]
    pub offset: u32,
}

/// One template's text, its name (a path, a URI or `<stdin>`), its format and a line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    format: Format,
    /// Byte length of a leading BOM, which parsing skips.
    bom_len: usize,
    line_index: LineIndex,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let format = detect_format(&text[bom_len..]);
        let line_index = LineIndex::new(&text);
        SourceFile {
            name: name.into(),
            text,
            format,
            bom_len,
            line_index,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Offset where the document proper starts (after a BOM).
    pub fn content_start(&self) -> usize {
        self.bom_len
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The position of a byte offset. Offsets past the end, or inside a character, are moved
    /// back to the nearest character boundary.
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let size = TextSize::new(clamp_u32(offset));
        let line_col = self.line_index.line_col(size);
        let chars = self
            .line_index
            .to_wide(WideEncoding::Utf32, line_col)
            .unwrap_or(WideLineCol {
                line: line_col.line,
                col: line_col.col,
            });
        let utf16 = self
            .line_index
            .to_wide(WideEncoding::Utf16, line_col)
            .unwrap_or(chars);
        Position {
            line: line_col.line + 1,
            column: chars.col + 1,
            utf16_column: utf16.col,
            offset: clamp_u32(offset),
        }
    }

    /// The byte offset of a 0-based line and UTF-16 column, as editors send them.
    pub fn offset_of_utf16(&self, line: u32, utf16_column: u32) -> Option<usize> {
        let wide = WideLineCol {
            line,
            col: utf16_column,
        };
        let line_col = self.line_index.to_utf8(WideEncoding::Utf16, wide)?;
        self.line_index
            .offset(line_col)
            .map(|size| u32::from(size) as usize)
            .filter(|offset| *offset <= self.text.len())
    }

    /// Byte offset of the start of the line holding `offset`.
    pub fn line_start(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text[..offset]
            .rfind('\n')
            .map_or(0, |newline| newline + 1)
    }

    /// The text of the line holding `offset`, without its line end.
    pub fn line_text(&self, offset: usize) -> &str {
        let start = self.line_start(offset);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |newline| start + newline);
        self.text[start..end].trim_end_matches('\r')
    }
}

fn detect_format(text: &str) -> Format {
    match text.trim_start().chars().next() {
        Some('{') => Format::Json,
        _ => Format::Yaml,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_utf16_units() {
        let file = SourceFile::new("t.yaml", "a: ü😀x\nb: 1\n");
        let x = file.text().find('x').unwrap_or_default() as u32;
        let position = file.position(x);
        assert_eq!((position.line, position.column), (1, 6));
        assert_eq!(position.utf16_column, 6);
        let b = file.position(file.text().find('b').unwrap_or_default() as u32);
        assert_eq!((b.line, b.column), (2, 1));
        assert_eq!(file.offset_of_utf16(0, 6), Some(x as usize));
    }

    #[test]
    fn format_is_detected_from_first_non_blank_character() {
        assert_eq!(SourceFile::new("a", "\u{feff}  {}").format(), Format::Json);
        assert_eq!(SourceFile::new("a", "Resources: {}").format(), Format::Yaml);
        assert_eq!(SourceFile::new("a", "").format(), Format::Yaml);
    }
}
