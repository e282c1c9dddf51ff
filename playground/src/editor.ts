// The CodeMirror editor: YAML or JSON by content, Ward's diagnostics from the worker, themes.
import { basicSetup } from 'codemirror';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, lintGutter, linter, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, StateEffect, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { detectLanguage } from './diagnostics';

/** Dispatched when the settings change: the linter runs again on the same text. */
export const settingsChanged = StateEffect.define<null>();

// Colours come from CSS variables (src/style.css), so one style serves both themes.
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--hl-key)' },
  { tag: [t.string, t.special(t.string), t.content], color: 'var(--hl-string)' },
  { tag: [t.number, t.integer, t.float], color: 'var(--hl-number)' },
  { tag: [t.bool, t.null, t.atom, t.keyword], color: 'var(--hl-bool)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--hl-comment)', fontStyle: 'italic' },
  { tag: [t.typeName, t.tagName, t.labelName, t.meta, t.modifier], color: 'var(--hl-tag)' },
  { tag: [t.punctuation, t.separator, t.bracket, t.squareBracket, t.brace], color: 'var(--hl-punct)' },
]);

const baseTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--editor-bg)', color: 'var(--text)', fontSize: '13.5px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-line)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--editor-selection) !important',
  },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip.cm-tooltip-hover, .cm-tooltip-lint': { boxShadow: '0 3px 12px rgba(0,0,0,.18)' },
  '.cm-diagnostic': { padding: '6px 8px 6px 10px' },
  '.cm-diagnosticSource': { opacity: '0.6' },
});

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  dark: boolean;
  /** The lint source: Ward's diagnostics for the view's current document. */
  lint(view: EditorView): Promise<readonly Diagnostic[]>;
  /** Called after every change of the document. */
  onDocChanged(view: EditorView): void;
}

export class Editor {
  readonly view: EditorView;
  private readonly language = new Compartment();
  private readonly darkness = new Compartment();
  private lang: 'yaml' | 'json';

  constructor(options: EditorOptions) {
    this.lang = detectLanguage(options.doc);
    const extensions: Extension[] = [
      basicSetup,
      this.language.of(this.lang === 'json' ? json() : yaml()),
      syntaxHighlighting(highlight),
      baseTheme,
      this.darkness.of(EditorView.darkTheme.of(options.dark)),
      lintGutter({ hoverTime: 150 }),
      linter((view) => options.lint(view), {
        delay: 120,
        needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(settingsChanged))),
      }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        this.syncLanguage();
        options.onDocChanged(update.view);
      }),
      EditorView.contentAttributes.of({ 'aria-label': 'CloudFormation template' }),
    ];
    this.view = new EditorView({ parent: options.parent, state: EditorState.create({ doc: options.doc, extensions }) });
  }

  get languageName(): 'yaml' | 'json' {
    return this.lang;
  }

  text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole text (an example, a share link): a new undo step. */
  setText(text: string) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text }, selection: { anchor: 0 }, scrollIntoView: true });
  }

  setDark(dark: boolean) {
    this.view.dispatch({ effects: this.darkness.reconfigure(EditorView.darkTheme.of(dark)) });
  }

  /** Lints again now, for the same text (the settings changed). */
  relint() {
    this.view.dispatch({ effects: settingsChanged.of(null) });
    forceLinting(this.view);
  }

  /** Selects [from, to], scrolls it into view and focuses the editor. */
  reveal(from: number, to: number) {
    const len = this.view.state.doc.length;
    this.view.dispatch({
      selection: { anchor: Math.min(from, len), head: Math.min(to, len) },
      effects: EditorView.scrollIntoView(Math.min(from, len), { y: 'center' }),
    });
    this.view.focus();
  }

  private syncLanguage() {
    const lang = detectLanguage(this.view.state.sliceDoc(0, 4096));
    if (lang === this.lang) return;
    this.lang = lang;
    // Reconfiguring inside an update listener is not allowed: do it right after.
    queueMicrotask(() => this.view.dispatch({ effects: this.language.reconfigure(lang === 'json' ? json() : yaml()) }));
  }
}
