import { describe, expect, it } from 'vitest';
import { escapeHtml, renderInline, renderMarkdown } from '../src/markdown';

describe('markdown', () => {
  it('renders a rule’s documentation', () => {
    const md = [
      '# DDB001 dynamodb-table-encrypted: DynamoDB tables should be encrypted',
      '',
      'encryption-at-rest · default severity warning · quick fix (safe)',
      '',
      '## Why',
      '',
      'Set `SSESpecification.SSEEnabled` to **true**;',
      'the *default* key is owned by AWS.',
      '',
      '- one',
      '- two with `code`',
      '',
      '1. first',
      '2. second',
      '',
      '```yaml',
      'SSESpecification:',
      '  SSEEnabled: false # <script>',
      '```',
    ].join('\n');
    expect(renderMarkdown(md)).toBe(
      [
        '<h1>DDB001 dynamodb-table-encrypted: DynamoDB tables should be encrypted</h1>',
        '<p>encryption-at-rest · default severity warning · quick fix (safe)</p>',
        '<h2>Why</h2>',
        '<p>Set <code>SSESpecification.SSEEnabled</code> to <strong>true</strong>;\nthe <em>default</em> key is owned by AWS.</p>',
        '<ul><li>one</li><li>two with <code>code</code></li></ul>',
        '<ol><li>first</li><li>second</li></ol>',
        '<pre><code class="language-yaml">SSESpecification:\n  SSEEnabled: false # &lt;script&gt;</code></pre>',
      ].join('\n'),
    );
  });

  it('escapes HTML everywhere', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderMarkdown('# <img src=x onerror=alert(1)>\n\n<script>alert(1)</script> `<b>`\n\n- <i>x</i>');
    expect(html).not.toMatch(/<(img|script|b|i)\b/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;b&gt;</code>');
  });

  it('links only http(s) URLs, opened without a referrer', () => {
    expect(renderInline('[AWS docs](https://docs.aws.amazon.com/x?a=1&b=2)')).toBe(
      '<a href="https://docs.aws.amazon.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">AWS docs</a>',
    );
    expect(renderInline('[bad](javascript:alert(1))')).toBe('[bad](javascript:alert(1))');
    expect(renderInline('[q](https://x.y/"onmouseover=1)')).not.toContain('"onmouseover');
  });

  it('keeps emphasis markers inside code and words', () => {
    expect(renderInline('`*not em*` and s3:* and snake_case_name')).toBe('<code>*not em*</code> and s3:* and snake_case_name');
    expect(renderInline('``a ` b``')).toBe('<code>a ` b</code>');
  });

  it('survives an unclosed code fence', () => {
    expect(renderMarkdown('```\ncode <x>')).toBe('<pre><code>code &lt;x&gt;</code></pre>');
  });

  it('joins a list item’s continuation lines', () => {
    expect(renderMarkdown('- first\n  continued\n- second')).toBe('<ul><li>first\ncontinued</li><li>second</li></ul>');
  });
});

describe('finding messages', () => {
  it('render code spans and escape the rest', async () => {
    const { renderCodeSpans } = await import('../src/markdown');
    expect(renderCodeSpans('keeps its default value `dev` <b>*x*</b>')).toBe(
      'keeps its default value <code>dev</code> &lt;b&gt;*x*&lt;/b&gt;',
    );
    expect(renderCodeSpans('`<img onerror=1>`')).toBe('<code>&lt;img onerror=1&gt;</code>');
  });
});
