//! YAML front end: saphyr-parser events lowered into [`Node`]s by an explicit stack.
//!
//! Span conventions (all byte offsets into the whole text, BOM included):
//! - a scalar's span is its text as written: quotes included, a block scalar from its `|`/`>`
//!   indicator to the end of its last content line (no trailing line break or blank lines);
//! - a flow collection runs from `[`/`{` to the closing bracket;
//! - a block collection runs from its first key or `-` to the end of its last value, so trailing
//!   comments and blank lines stay outside;
//! - a tag (short form or not) is part of its node's span; a short form becomes a one-entry
//!   mapping whose key span is the tag and whose value is the node without the tag;
//! - `!GetAtt A.B` gives a two-item sequence (syntax `ShortForm`, span `A.B`) whose items span
//!   `A` and `B`;
//! - an empty value (`Key:`) is an empty span just after the `:`; `!Ref` alone, just after the tag.
//!
//! Aliases, anchors and `<<` are refused (never expanded), nesting is bounded by [`MAX_DEPTH`],
//! and the tree is built and dropped without recursion.

use std::collections::HashMap;

use compact_str::CompactString;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle as YamlStyle, Tag};

use super::tree::{Entry, Node, NodeKind, Scalar, ScalarStyle, Syntax};
use super::{MAX_DEPTH, Parsed, SyntaxError};
use crate::source::Span;

/// The short forms CloudFormation accepts, with their long form. `ToJsonString`, `Length` and
/// `ForEach` come with the LanguageExtensions transform; the last six are the `Rules` section's
/// functions, which AWS's own samples write as short forms (`!ValueOf`) and cfn-lint reads.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAtt", "Fn::GetAtt"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("Sub", "Fn::Sub"),
    ("Transform", "Fn::Transform"),
    ("And", "Fn::And"),
    ("Equals", "Fn::Equals"),
    ("If", "Fn::If"),
    ("Not", "Fn::Not"),
    ("Or", "Fn::Or"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
    ("ForEach", "Fn::ForEach"),
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// Re-parses after a re-indentation at most this many times...
const MAX_REINDENTS: usize = 64;

/// ...and re-reads at most this many bytes in all, so a big file gets fewer attempts.
const REINDENT_BUDGET: usize = 64 * 1024 * 1024;

pub(super) fn parse(text: &str, start: usize) -> Parsed {
    let (first, mut strict) = parse_once(text, start);
    if strict.is_none() {
        return first;
    }
    let attempts = MAX_REINDENTS.min(REINDENT_BUDGET / text.len().max(1));
    let mut shifts = Shifts::default();
    let mut current = text.to_owned();
    for _ in 0..attempts {
        let Some(found) = strict else {
            break;
        };
        let lines = reindent(&current, found);
        if lines.is_empty() {
            break;
        }
        for (line_start, spaces) in lines {
            shifts.add(shifts.to_original(line_start), spaces);
        }
        current = shifts.apply(text);
        let (parsed, next) = parse_once(&current, start);
        if next.is_none() {
            // Either it parses now, or it fails for another reason: then the first, strict
            // error is the one to show, as it is where reading went wrong.
            if parsed.errors.iter().any(|error| error.fatal) {
                break;
            }
            return shifts.map_back(parsed);
        }
        strict = next;
    }
    first
}

/// saphyr follows YAML 1.2 strictly where PyYAML, SnakeYAML and so CloudFormation do not: the
/// lines of a flow collection and the continuation lines of a quoted scalar must be indented
/// more than the block they are in. Templates with a `]` under their key deploy, so Ward reads
/// them too, by indenting such lines and parsing again. Only leading spaces of lines inside flow
/// collections or quoted scalars are added, which YAML discards, so values do not change.
#[derive(Clone, Copy)]
enum StrictIndent {
    /// A line inside a flow collection, starting at this offset's token.
    Line(usize),
    /// The continuation lines of the quoted scalar starting here.
    Quoted(usize),
}

fn parse_once(text: &str, start: usize) -> (Parsed, Option<StrictIndent>) {
    let body = text.get(start..).unwrap_or("");
    let mut builder = Builder::new(text, start, body);
    let mut documents = 0usize;
    let mut strict = None;
    for item in Parser::new_from_str(body) {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(error) => {
                let at = builder.offset(*error.marker());
                strict = match error.info() {
                    "invalid indentation" | "invalid indentation in flow construct" => {
                        Some(StrictIndent::Line(at))
                    }
                    "invalid indentation in quoted scalar" => Some(StrictIndent::Quoted(at)),
                    _ => None,
                };
                let message = if error.info() == "recursion limit exceeded" {
                    // saphyr's own bound on flow nesting (255), hit before ours when it reads
                    // ahead.
                    format!(
                        "the template is nested more than {MAX_DEPTH} levels deep here; Ward \
                         reads templates nested at most {MAX_DEPTH} levels (YAML: recursion \
                         limit exceeded)"
                    )
                } else {
                    format!("YAML syntax error: {}", error.info())
                };
                builder.error(message, builder.char_span(at), true);
                break;
            }
        };
        let (from, to) = (builder.offset(span.start), builder.offset(span.end));
        let flow = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => Flow::Continue,
            Event::StreamEnd => Flow::Stop,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    builder.error(
                        "only the first YAML document is read: a CloudFormation template is a \
                         single document, and the documents after this `---` are ignored"
                            .to_owned(),
                        Span::new(from, to),
                        false,
                    );
                    Flow::Stop
                } else {
                    builder.last_end = to;
                    Flow::Continue
                }
            }
            Event::Alias(_) => builder.alias(from, to),
            Event::Scalar(value, style, anchor, tag) => {
                builder.scalar(&value, style, anchor, tag.as_deref(), from, to)
            }
            Event::SequenceStart(anchor, tag) => {
                builder.open(Collection::Sequence, anchor, tag.as_deref(), from, to)
            }
            Event::MappingStart(anchor, tag) => {
                builder.open(Collection::Mapping, anchor, tag.as_deref(), from, to)
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(from, to),
        };
        if flow == Flow::Stop {
            break;
        }
    }
    (builder.finish(), strict)
}

/// The lines to indent, as (line start, spaces to add), to get past a strict indentation error;
/// empty when indenting cannot help.
fn reindent(text: &str, strict: StrictIndent) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let line_start = |at: usize| {
        bytes[..at.min(bytes.len())]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |newline| newline + 1)
    };
    let indent_of = |start: usize| bytes[start..].iter().take_while(|b| **b == b' ').count();
    match strict {
        StrictIndent::Line(at) => {
            let start = line_start(at);
            // Only leading spaces can be added to; a token after others on its line cannot move.
            if start + indent_of(start) != at {
                return Vec::new();
            }
            let current = at - start;
            // The previous line with content usually sits at the depth the flow needs.
            let mut previous = start;
            let mut target = current + 1;
            while previous > 0 {
                previous = line_start(previous - 1);
                let indent = indent_of(previous);
                if !matches!(
                    bytes.get(previous + indent),
                    Some(b'\n' | b'\r' | b'#') | None
                ) {
                    target = target.max(indent);
                    break;
                }
            }
            vec![(start, target - current)]
        }
        StrictIndent::Quoted(at) => {
            let Some(end) = quoted_end(bytes, at, bytes.len()) else {
                return Vec::new();
            };
            let first = line_start(at);
            // Past the opening quote is deeper than any block the scalar is in.
            let target = text
                .get(first..at)
                .map_or(0, |prefix| prefix.chars().count())
                + 1;
            let mut lines = Vec::new();
            let mut pos = at;
            while let Some(newline) = bytes[pos..end].iter().position(|b| *b == b'\n') {
                let start = pos + newline + 1;
                let indent = indent_of(start);
                let blank = matches!(
                    bytes.get(start + indent),
                    Some(b'\n' | b'\r' | b'\t') | None
                );
                if !blank && indent < target && start + indent < end {
                    lines.push((start, target - indent));
                }
                pos = start;
            }
            lines
        }
    }
}

/// Spaces added at line starts of the original text, and the way back to original offsets.
#[derive(Default)]
struct Shifts {
    /// (offset in the original text, spaces added there), sorted by offset.
    lines: Vec<(usize, usize)>,
}

impl Shifts {
    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn add(&mut self, offset: usize, spaces: usize) {
        match self.lines.binary_search_by_key(&offset, |(at, _)| *at) {
            Ok(index) => self.lines[index].1 += spaces,
            Err(index) => self.lines.insert(index, (offset, spaces)),
        }
    }

    fn apply(&self, text: &str) -> String {
        let added: usize = self.lines.iter().map(|(_, spaces)| spaces).sum();
        let mut shifted = String::with_capacity(text.len() + added);
        let mut copied = 0;
        for (offset, spaces) in &self.lines {
            shifted.push_str(text.get(copied..*offset).unwrap_or(""));
            shifted.extend(std::iter::repeat_n(' ', *spaces));
            copied = *offset;
        }
        shifted.push_str(text.get(copied..).unwrap_or(""));
        shifted
    }

    /// The original offset of an offset in the shifted text; added spaces map to their line start.
    fn to_original(&self, shifted: usize) -> usize {
        let mut added = 0;
        for (offset, spaces) in &self.lines {
            let line = offset + added;
            if shifted <= line {
                break;
            }
            if shifted < line + spaces {
                return *offset;
            }
            added += spaces;
        }
        shifted.saturating_sub(added)
    }

    fn map_back(&self, mut parsed: Parsed) -> Parsed {
        if self.is_empty() {
            return parsed;
        }
        let span = |span: Span| {
            Span::new(
                self.to_original(span.start as usize),
                self.to_original(span.end as usize),
            )
        };
        for error in &mut parsed.errors {
            error.span = span(error.span);
            for (related, _) in &mut error.related {
                *related = span(*related);
            }
        }
        let mut stack: Vec<&mut Node> = parsed.root.iter_mut().collect();
        while let Some(node) = stack.pop() {
            node.span = span(node.span);
            match &mut node.kind {
                NodeKind::Scalar(_) => {}
                NodeKind::Sequence(items) => stack.extend(items.iter_mut()),
                NodeKind::Mapping(entries) => {
                    for entry in entries {
                        entry.key_span = span(entry.key_span);
                        stack.push(&mut entry.value);
                    }
                }
            }
        }
        parsed
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Collection {
    Sequence,
    Mapping,
}

/// What a node's tag asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TagUse {
    None,
    /// A short form: wrap the node in a one-entry mapping under this key.
    ShortForm(&'static str),
    /// `!!str`: the scalar is a string whatever it looks like.
    String,
}

/// The anchor and tag written before a node's content, and where the content starts.
struct Properties {
    tag: Option<Span>,
    anchor: Option<Span>,
    content: usize,
}

impl Properties {
    /// Where the last tag or anchor ends.
    fn end(&self) -> usize {
        let end = |span: Option<Span>| span.map_or(0, |span| span.end as usize);
        end(self.tag).max(end(self.anchor))
    }
}

enum KeyState {
    /// The next complete node is a key.
    Expecting,
    Key(CompactString, Span),
    /// The key could not be used; the next complete node is its value and is dropped.
    Discard,
}

enum FrameKind {
    Sequence(Vec<Node>),
    Mapping { entries: Entries, key: KeyState },
}

struct Frame {
    kind: FrameKind,
    /// Where the node starts, tag included.
    start: usize,
    /// Where the collection itself starts (after its tag and anchor).
    content: usize,
    /// End of the last complete child, for block collections, whose end events point past
    /// trailing comments.
    last_end: usize,
    flow: bool,
    tag: TagUse,
    tag_span: Option<Span>,
    depth: usize,
}

struct Builder<'a> {
    text: &'a str,
    bytes: &'a [u8],
    start: usize,
    chars: CharOffsets<'a>,
    stack: Vec<Frame>,
    root: Option<Node>,
    errors: Vec<SyntaxError>,
    fatal: bool,
    /// End of the last token seen, from which a block scalar's indicator is searched.
    last_end: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, start: usize, body: &'a str) -> Self {
        Builder {
            text,
            bytes: text.as_bytes(),
            start,
            chars: CharOffsets::new(body),
            stack: Vec::new(),
            root: None,
            errors: Vec::new(),
            fatal: false,
            last_end: start,
        }
    }

    /// saphyr counts characters from the start of the text it was given; spans are bytes into the
    /// whole text.
    fn offset(&self, marker: Marker) -> usize {
        self.start + self.chars.byte(marker.index())
    }

    /// One character at `at` (none at a line end), so an error shows up in editors.
    fn char_span(&self, at: usize) -> Span {
        let len = self
            .text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| *c != '\n' && *c != '\r')
            .map_or(0, char::len_utf8);
        Span::new(at, at + len)
    }

    fn error(&mut self, message: String, span: Span, fatal: bool) {
        self.fatal |= fatal;
        self.errors.push(SyntaxError {
            message,
            span,
            related: Vec::new(),
            fatal,
        });
    }

    fn finish(self) -> Parsed {
        let root = if self.fatal || !self.stack.is_empty() {
            None
        } else {
            self.root.filter(|root| !is_empty_document(root))
        };
        Parsed {
            root,
            errors: self.errors,
        }
    }

    fn alias(&mut self, from: usize, to: usize) -> Flow {
        let span = Span::new(from, to);
        let name = self.text.get(span.range()).unwrap_or("*");
        self.error(
            format!(
                "YAML alias `{name}`: CloudFormation does not allow YAML aliases, anchors or \
                 merge keys; write the value out in full"
            ),
            span,
            true,
        );
        let placeholder = Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                value: CompactString::default(),
                style: ScalarStyle::Plain,
            }),
            syntax: Syntax::Block,
        };
        self.last_end = to;
        self.complete(placeholder)
    }

    fn properties(&self, from: usize, anchored: bool, tagged: bool) -> Properties {
        let mut properties = Properties {
            tag: None,
            anchor: None,
            content: from,
        };
        if !anchored && !tagged {
            return properties;
        }
        let mut pos = from;
        loop {
            match self.bytes.get(pos) {
                Some(b'!') if properties.tag.is_none() => {
                    let end = property_end(self.bytes, pos);
                    properties.tag = Some(Span::new(pos, end));
                    pos = skip_trivia(self.bytes, end);
                }
                Some(b'&') if properties.anchor.is_none() => {
                    let end = property_end(self.bytes, pos);
                    properties.anchor = Some(Span::new(pos, end));
                    pos = skip_trivia(self.bytes, end);
                }
                _ => break,
            }
        }
        properties.content = pos;
        properties
    }

    fn refuse_anchor(&mut self, properties: &Properties, from: usize) {
        let span = properties.anchor.unwrap_or(Span::empty(from));
        let name = self.text.get(span.range()).unwrap_or("&");
        self.error(
            format!(
                "YAML anchor `{name}`: CloudFormation does not allow YAML anchors, aliases or \
                 merge keys; write the value out in full"
            ),
            span,
            true,
        );
    }

    /// Decides what a tag means, reporting the ones CloudFormation does not know.
    fn tag_use(&mut self, tag: Option<&Tag>, tag_span: Option<Span>, from: usize) -> TagUse {
        let Some(tag) = tag else {
            return TagUse::None;
        };
        if tag.handle == "!"
            && let Some((_, long)) = SHORT_FORMS.iter().find(|(short, _)| *short == tag.suffix)
        {
            return TagUse::ShortForm(long);
        }
        if tag.handle == CORE_SCHEMA {
            match tag.suffix.as_str() {
                "str" => return TagUse::String,
                "int" | "bool" | "float" | "null" | "map" | "seq" => return TagUse::None,
                _ => {}
            }
        }
        let span = tag_span.unwrap_or(Span::empty(from));
        let written = match self.text.get(span.range()) {
            Some(written) if !written.is_empty() => written.to_owned(),
            _ => tag.to_string(),
        };
        let suggestion = closest_short_form(&tag.suffix)
            .map(|short| format!(" (did you mean `!{short}`?)"))
            .unwrap_or_default();
        // A preprocessor's tags (Rain's `!Rain::Embed` …) must be expanded before deployment.
        self.error(
            format!(
                "unknown tag `{written}`{suggestion}: CloudFormation only knows its own short \
                 forms (!Ref, !GetAtt, !Sub, !If …); the tag is ignored"
            ),
            span,
            false,
        );
        TagUse::None
    }

    fn scalar(
        &mut self,
        // Borrowed from the text when saphyr can: short values then never touch the heap.
        value: &str,
        style: YamlStyle,
        anchor: usize,
        tag: Option<&Tag>,
        from: usize,
        to: usize,
    ) -> Flow {
        let properties = self.properties(from, anchor > 0, tag.is_some());
        if anchor > 0 {
            self.refuse_anchor(&properties, from);
        }
        let tag_use = self.tag_use(tag, properties.tag, from);
        let has_properties = properties.tag.is_some() || properties.anchor.is_some();
        let content_start = if has_properties && style == YamlStyle::Plain && value.is_empty() {
            // `!Ref` alone: the empty value sits right after the tag, not after the trivia.
            properties.end()
        } else if has_properties {
            properties.content
        } else if matches!(style, YamlStyle::Literal | YamlStyle::Folded) {
            // saphyr starts a block scalar at its first content line; the fix engine needs the
            // indicator, which follows the previous token.
            self.block_indicator(from).unwrap_or(from)
        } else {
            from
        };
        let span = self.scalar_span(value, style, content_start, to, has_properties);
        self.last_end = span.end as usize;
        let mut style = match style {
            YamlStyle::Plain => ScalarStyle::Plain,
            YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            YamlStyle::Literal => ScalarStyle::Literal,
            YamlStyle::Folded => ScalarStyle::Folded,
        };
        if tag_use == TagUse::String && style == ScalarStyle::Plain {
            // `!!str 012` is the string "012"; a quoted style says so to the typing rules.
            style = ScalarStyle::SingleQuoted;
        }
        let node = Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                value: CompactString::new(value),
                style,
            }),
            syntax: Syntax::Block,
        };
        let node = match tag_use {
            TagUse::ShortForm(name) => {
                let node = if name == "Fn::GetAtt" {
                    split_get_att(self.text, node)
                } else {
                    node
                };
                short_form(name, properties.tag, from, node)
            }
            TagUse::None | TagUse::String if has_properties => Node {
                span: Span::new(from, span.end as usize),
                ..node
            },
            TagUse::None | TagUse::String => node,
        };
        self.complete(node)
    }

    /// The scalar's span from where its content starts; saphyr's own end runs past a quoted
    /// scalar's trailing spaces and comment and past a block scalar's trailing blank lines.
    fn scalar_span(
        &self,
        value: &str,
        style: YamlStyle,
        content: usize,
        to: usize,
        has_properties: bool,
    ) -> Span {
        let to = to.max(content);
        match style {
            YamlStyle::Plain if value.is_empty() => {
                // An empty node: saphyr points at the `:` or `-` before it, or at what follows.
                match self.bytes.get(content) {
                    Some(b':' | b'-' | b'?') if !has_properties => Span::empty(content + 1),
                    _ => Span::empty(content.min(self.text.len())),
                }
            }
            YamlStyle::Plain => Span::new(content, to),
            YamlStyle::SingleQuoted | YamlStyle::DoubleQuoted => {
                let end = quoted_end(self.bytes, content, to)
                    .unwrap_or_else(|| trim_back(self.bytes, content, to));
                Span::new(content, end)
            }
            YamlStyle::Literal | YamlStyle::Folded => {
                let header_end = block_header_end(self.bytes, content);
                let end = trim_back(self.bytes, content, to);
                let has_content = self
                    .bytes
                    .get(header_end..end)
                    .is_some_and(|between| between.contains(&b'\n'));
                Span::new(content, if has_content { end } else { header_end })
            }
        }
    }

    /// The `|` or `>` of an untagged block scalar whose content saphyr says starts at `content`.
    fn block_indicator(&self, content: usize) -> Option<usize> {
        let mut pos = self.last_end.min(content);
        while pos < content {
            match self.bytes.get(pos)? {
                b'|' | b'>' => return Some(pos),
                b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' => pos += 1,
                b'#' => {
                    while pos < content && self.bytes.get(pos) != Some(&b'\n') {
                        pos += 1;
                    }
                }
                _ => return None,
            }
        }
        None
    }

    fn open(
        &mut self,
        collection: Collection,
        anchor: usize,
        tag: Option<&Tag>,
        from: usize,
        to: usize,
    ) -> Flow {
        let properties = self.properties(from, anchor > 0, tag.is_some());
        if anchor > 0 {
            self.refuse_anchor(&properties, from);
        }
        let tag_use = self.tag_use(tag, properties.tag, from);
        let parent = self.stack.last();
        let parent_depth = parent.map_or(0, |frame| frame.depth);
        let parent_flow = parent.is_some_and(|frame| frame.flow);
        let depth = parent_depth + 1 + usize::from(matches!(tag_use, TagUse::ShortForm(_)));
        if depth > MAX_DEPTH {
            self.error(
                format!(
                    "the template is nested more than {MAX_DEPTH} levels deep here; Ward reads \
                     templates nested at most {MAX_DEPTH} levels"
                ),
                self.char_span(properties.content),
                true,
            );
            return Flow::Stop;
        }
        // A flow collection's start event covers its bracket; a block one's is empty or ends at
        // its first key or dash. A flow pair (`[a: b]`) has no bracket but is inside flow.
        let bracket = to > from && matches!(self.bytes.get(to - 1), Some(b'[' | b'{'));
        let flow = bracket || parent_flow;
        let content = if bracket {
            to - 1
        } else if collection == Collection::Sequence && !flow {
            // saphyr starts an indentless sequence whose first item is empty after its `-`.
            dash_before(self.bytes, properties.content)
        } else {
            properties.content
        };
        self.last_end = to;
        self.stack.push(Frame {
            kind: match collection {
                Collection::Sequence => FrameKind::Sequence(Vec::new()),
                Collection::Mapping => FrameKind::Mapping {
                    entries: Entries::default(),
                    key: KeyState::Expecting,
                },
            },
            start: if properties.tag.is_some() || properties.anchor.is_some() {
                from
            } else {
                content
            },
            content,
            last_end: content,
            flow,
            tag: tag_use,
            tag_span: properties.tag,
            depth,
        });
        Flow::Continue
    }

    fn close(&mut self, from: usize, to: usize) -> Flow {
        let Some(frame) = self.stack.pop() else {
            return Flow::Continue;
        };
        let end = if to > from {
            self.last_end = to;
            to
        } else {
            frame.last_end
        };
        // saphyr always closes a mapping after a value, so no key is left waiting here.
        let kind = match frame.kind {
            FrameKind::Sequence(items) => NodeKind::Sequence(items),
            FrameKind::Mapping { entries, .. } => NodeKind::Mapping(entries.into_vec()),
        };
        let node = Node {
            span: Span::new(frame.content, end),
            kind,
            syntax: if frame.flow {
                Syntax::Flow
            } else {
                Syntax::Block
            },
        };
        let node = match frame.tag {
            TagUse::ShortForm(name) => short_form(name, frame.tag_span, frame.start, node),
            TagUse::None | TagUse::String => Node {
                span: Span::new(frame.start, end),
                ..node
            },
        };
        self.complete(node)
    }

    /// Hands a finished node to the collection it belongs to, or makes it the root.
    fn complete(&mut self, node: Node) -> Flow {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Flow::Continue;
        };
        frame.last_end = frame.last_end.max(node.span.end as usize);
        let (entries, key) = match &mut frame.kind {
            FrameKind::Sequence(items) => {
                items.push(node);
                return Flow::Continue;
            }
            FrameKind::Mapping { entries, key } => (entries, key),
        };
        let refused = match std::mem::replace(key, KeyState::Expecting) {
            KeyState::Expecting => match node.kind {
                NodeKind::Scalar(scalar)
                    if scalar.style == ScalarStyle::Plain && scalar.value == "<<" =>
                {
                    *key = KeyState::Discard;
                    Some((
                        "YAML merge key `<<`: CloudFormation does not allow YAML merge keys, \
                         anchors or aliases; write the entries out in full",
                        true,
                    ))
                }
                NodeKind::Scalar(scalar) => {
                    *key = KeyState::Key(scalar.value, node.span);
                    None
                }
                NodeKind::Sequence(_) | NodeKind::Mapping(_) => {
                    *key = KeyState::Discard;
                    Some((
                        "a mapping key must be a plain or quoted string, not a collection; this \
                         entry is ignored",
                        false,
                    ))
                }
            },
            KeyState::Key(name, key_span) => {
                let entry = Entry {
                    key: name,
                    key_span,
                    value: node,
                };
                entries.push(entry, &mut self.errors);
                return Flow::Continue;
            }
            KeyState::Discard => None,
        };
        if let Some((message, fatal)) = refused {
            self.error(message.to_owned(), node.span, fatal);
        }
        Flow::Continue
    }
}

/// Whether a parsed document holds nothing: no content, or only `---`.
fn is_empty_document(root: &Node) -> bool {
    matches!(&root.kind, NodeKind::Scalar(scalar)
        if scalar.value.is_empty() && scalar.style == ScalarStyle::Plain && root.span.is_empty())
}

/// The short form a mistyped tag most likely meant: same letters in another case, or at most two
/// edits away (`!GetAttr`, `!ref`, `!FindInMaps`; one for names of four letters or fewer).
fn closest_short_form(suffix: &str) -> Option<&'static str> {
    if suffix.len() > 40 {
        return None;
    }
    let lower = suffix.to_ascii_lowercase();
    SHORT_FORMS
        .iter()
        .map(|(short, _)| (edit_distance(&lower, &short.to_ascii_lowercase()), *short))
        // Two edits turn `Foo` into `Not`; short names get one.
        .filter(|(distance, short)| *distance <= if short.len() <= 4 { 1 } else { 2 })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, short)| short)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// `!Name value` as the one-entry mapping `{Name: value}` the long form would give.
fn short_form(name: &str, tag_span: Option<Span>, start: usize, value: Node) -> Node {
    let key_span = tag_span.unwrap_or(Span::empty(start));
    Node {
        span: Span::new(start, value.span.end as usize),
        kind: NodeKind::Mapping(vec![Entry {
            key: name.into(),
            key_span,
            value,
        }]),
        syntax: Syntax::ShortForm,
    }
}

/// `!GetAtt A.B` is `[A, B]`, split at the first dot (attribute names may hold more dots).
/// The two-item sequence exists only in the tree, so its syntax is `ShortForm`.
fn split_get_att(text: &str, node: Node) -> Node {
    let NodeKind::Scalar(scalar) = &node.kind else {
        return node;
    };
    let Some(dot) = scalar.value.find('.') else {
        return node;
    };
    let (resource, attribute) = (&scalar.value[..dot], &scalar.value[dot + 1..]);
    let quotes = usize::from(matches!(
        scalar.style,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
    ));
    let inner = Span::new(
        node.span.start as usize + quotes,
        (node.span.end as usize).saturating_sub(quotes),
    );
    // Exact spans for the parts only when the text is written as is (no escapes or folding).
    let (first, second) = if text.get(inner.range()) == Some(scalar.value.as_str()) {
        let at = inner.start as usize + dot;
        (
            Span::new(inner.start as usize, at),
            Span::new(at + 1, inner.end as usize),
        )
    } else {
        (node.span, node.span)
    };
    let part = |value: &str, span: Span| Node {
        span,
        kind: NodeKind::Scalar(Scalar {
            value: value.into(),
            style: scalar.style,
        }),
        syntax: Syntax::Block,
    };
    Node {
        span: node.span,
        kind: NodeKind::Sequence(vec![part(resource, first), part(attribute, second)]),
        syntax: Syntax::ShortForm,
    }
}

/// The `-` at `pos` or before it on the same line, else `pos`.
fn dash_before(bytes: &[u8], pos: usize) -> usize {
    if bytes.get(pos) == Some(&b'-') {
        return pos;
    }
    let mut at = pos;
    while at > 0 {
        at -= 1;
        match bytes.get(at) {
            Some(b'-') => return at,
            Some(b' ' | b'\t') => {}
            _ => break,
        }
    }
    pos
}

/// End of a tag or anchor starting at `pos`.
fn property_end(bytes: &[u8], pos: usize) -> usize {
    let mut end = pos + 1;
    if bytes.get(pos) == Some(&b'!') && bytes.get(end) == Some(&b'<') {
        while let Some(byte) = bytes.get(end) {
            end += 1;
            if *byte == b'>' {
                break;
            }
        }
        return end;
    }
    while let Some(byte) = bytes.get(end) {
        if matches!(
            byte,
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
        ) {
            break;
        }
        end += 1;
    }
    end
}

/// Skips white space, line breaks and comments.
fn skip_trivia(bytes: &[u8], mut pos: usize) -> usize {
    loop {
        match bytes.get(pos) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => pos += 1,
            Some(b'#') => {
                while bytes.get(pos).is_some_and(|byte| *byte != b'\n') {
                    pos += 1;
                }
            }
            _ => return pos.min(bytes.len()),
        }
    }
}

/// Moves `end` back over white space and line breaks, not before `floor`.
fn trim_back(bytes: &[u8], floor: usize, mut end: usize) -> usize {
    end = end.min(bytes.len());
    while end > floor && matches!(bytes.get(end - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        end -= 1;
    }
    end
}

/// The end of the quoted scalar whose opening quote is at `start`, if it closes before `limit`.
fn quoted_end(bytes: &[u8], start: usize, limit: usize) -> Option<usize> {
    let quote = *bytes.get(start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut pos = start + 1;
    while pos < limit {
        match *bytes.get(pos)? {
            b'\\' if quote == b'"' => pos += 2,
            b'\'' if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') => pos += 2,
            byte if byte == quote => return Some(pos + 1),
            _ => pos += 1,
        }
    }
    None
}

/// End of a block scalar's header: the indicator and its chomping and indentation indicators.
fn block_header_end(bytes: &[u8], indicator: usize) -> usize {
    let mut end = indicator;
    if matches!(bytes.get(end), Some(b'|' | b'>')) {
        end += 1;
        while matches!(bytes.get(end), Some(b'+' | b'-' | b'0'..=b'9')) {
            end += 1;
        }
    }
    end
}

/// Character index -> byte offset. ASCII text maps one to one; otherwise every 64th character's
/// offset is stored and the rest is a short walk, which keeps the table small for big files.
struct CharOffsets<'a> {
    text: &'a str,
    ascii: bool,
    checkpoints: Vec<usize>,
}

const CHECKPOINT_EVERY: usize = 64;

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(CHECKPOINT_EVERY)
                .map(|(offset, _)| offset)
                .collect()
        };
        CharOffsets {
            text,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.text.len());
        }
        let Some(base) = self.checkpoints.get(index / CHECKPOINT_EVERY) else {
            return self.text.len();
        };
        let rest = self.text.get(*base..).unwrap_or("");
        rest.char_indices()
            .nth(index % CHECKPOINT_EVERY)
            .map_or(self.text.len(), |(offset, _)| base + offset)
    }
}

/// A mapping's entries in order, with duplicate keys kept and reported.
///
/// Most mappings are small, so duplicates are found by a linear scan; an index is built only
/// once a mapping grows past [`INDEX_FROM`] entries (a `Resources` section of thousands).
#[derive(Default)]
pub(super) struct Entries {
    entries: Vec<Entry>,
    index: Option<HashMap<String, usize>>,
}

const INDEX_FROM: usize = 16;

impl Entries {
    pub(super) fn push(&mut self, entry: Entry, errors: &mut Vec<SyntaxError>) {
        let first = match &self.index {
            Some(index) => index.get(entry.key.as_str()).copied(),
            None => self.entries.iter().position(|known| known.key == entry.key),
        };
        match first.and_then(|position| self.entries.get(position)) {
            Some(first) => errors.push(SyntaxError {
                message: format!(
                    "duplicate key `{}`; the last definition wins and the earlier ones are ignored",
                    entry.key
                ),
                span: entry.key_span,
                related: vec![(
                    first.key_span,
                    format!("`{}` first defined here", entry.key),
                )],
                fatal: false,
            }),
            None => {
                if let Some(index) = &mut self.index {
                    index.insert(entry.key.to_string(), self.entries.len());
                }
            }
        }
        self.entries.push(entry);
        if self.index.is_none() && self.entries.len() >= INDEX_FROM {
            let mut index = HashMap::with_capacity(self.entries.len() * 2);
            for (position, known) in self.entries.iter().enumerate() {
                index.entry(known.key.to_string()).or_insert(position);
            }
            self.index = Some(index);
        }
    }

    pub(super) fn into_vec(mut self) -> Vec<Entry> {
        self.entries.shrink_to_fit();
        self.entries
    }
}
