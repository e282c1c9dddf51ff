// A small Markdown-to-HTML renderer for the rules' documentation (RuleMeta::docs_markdown): ATX
// headings, paragraphs, fenced code blocks, inline code, bullet and numbered lists, **bold**,
// *emphasis* and [links](https://…). All text is HTML-escaped first; only http(s) links become
// anchors, and they open in a new tab without a referrer.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Inline Markdown of one block's text: code spans first, then links, bold and emphasis. */
export function renderInline(text: string): string {
  const parts = text.split(/(`+)([\s\S]*?[^`])\1(?!`)/);
  let out = '';
  // split with 2 groups: [text, ticks, code, text, ticks, code, …]
  for (let i = 0; i < parts.length; i += 3) {
    out += renderEmphasis(parts[i]);
    if (i + 2 < parts.length) out += `<code>${escapeHtml(parts[i + 2].replace(/^ (.*) $/, '$1'))}</code>`;
  }
  return out;
}

/** Plain text with `code spans` only (finding messages): everything else is escaped as is. */
export function renderCodeSpans(text: string): string {
  const parts = text.split(/(`+)([\s\S]*?[^`])\1(?!`)/);
  let out = '';
  for (let i = 0; i < parts.length; i += 3) {
    out += escapeHtml(parts[i]);
    if (i + 2 < parts.length) out += `<code>${escapeHtml(parts[i + 2])}</code>`;
  }
  return out;
}

function renderEmphasis(text: string): string {
  let html = escapeHtml(text);
  html = html.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, href: string) => {
    return `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>`;
  });
  html = html.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>');
  html = html.replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1<em>$2</em>');
  html = html.replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?![\w_])/g, '$1<em>$2</em>');
  return html;
}

type ListKind = 'ul' | 'ol';

export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { kind: ListKind; items: string[] } | null = null;

  const flushParagraph = () => {
    if (paragraph.length) out.push(`<p>${renderInline(paragraph.join('\n'))}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) out.push(`<${list.kind}>${list.items.map((i) => `<li>${renderInline(i)}</li>`).join('')}</${list.kind}>`);
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
        if (close && close[1][0] === fence[1][0] && close[1].length >= fence[1].length) break;
        code.push(lines[j]);
      }
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      out.push(`<pre><code${lang}>${escapeHtml(code.join('\n'))}</code></pre>`);
      i = j; // skip the closing fence (or run to the end when it is missing)
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      const level = heading[1].length;
      out.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      continue;
    }
    const item = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      const kind: ListKind = item[1] ? 'ul' : 'ol';
      if (list && list.kind !== kind) flushList();
      if (!list) list = { kind, items: [] };
      list.items.push(item[3]);
      continue;
    }
    if (!line.trim()) {
      flushParagraph();
      flushList();
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // A continuation line of the last list item.
      list.items[list.items.length - 1] += '\n' + line.trim();
      continue;
    }
    flushList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return out.join('\n');
}
