// The scenario editor: CodeMirror 6 with JSON, inline errors from cgosim's own validator (placed
// on the step and field the error names), and, given the scenario JSON Schema, completion of keys
// and values and hover documentation.

import { autocompletion, closeBrackets, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { bracketMatching, foldGutter, indentOnInput, syntaxHighlighting, syntaxTree, defaultHighlightStyle } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, hoverTooltip, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { compileScenario, ScenarioError } from '../../src/api/index.js';
import { pathAt, rangeOfPath, formatPath } from './jsonpath.js';
import type { SchemaReader } from './schema.js';

/** Where diagnostics are also written as text (for screen readers, and to read without hovering). */
let errorSink: HTMLElement | undefined;

function report(view: EditorView, ds: Diagnostic[]): Diagnostic[] {
  if (errorSink) {
    errorSink.textContent = ds.map((d) => {
      const line = view.state.doc.lineAt(d.from);
      return `line ${line.number}, column ${d.from - line.from + 1}: ${d.message}`;
    }).join('\n');
  }
  return ds;
}

/** Diagnostics for a scenario text: JSON syntax, then the validator's first error at its path. */
export function scenarioDiagnostics(view: EditorView): Diagnostic[] {
  return report(view, diagnose(view));
}

function diagnose(view: EditorView): Diagnostic[] {
  const syntax = jsonParseLinter()(view);
  if (syntax.length) return syntax;
  const text = view.state.doc.toString();
  try {
    compileScenario(JSON.parse(text));
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) return [{ from: 0, to: 0, severity: 'error', message: String(e) }];
    const r = rangeOfPath(view.state, e.path);
    return [{ from: r.from, to: r.to, severity: 'error', source: 'cgosim', message: e.message }];
  }
}

function parsed(state: EditorState): unknown {
  try {
    return JSON.parse(state.doc.toString());
  } catch {
    return undefined;
  }
}

function completions(schema: () => SchemaReader | undefined) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const reader = schema();
    if (!reader) return null;
    const where = pathAt(ctx.state, ctx.pos);
    if (!where) return null;
    const word = ctx.matchBefore(/"?[\w$.*-]*"?/);
    // Inside a whole string or key, a completion replaces all of it, quotes included.
    const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
    const whole = node.name === 'String' || node.name === 'PropertyName' ? { from: node.from, to: node.to } : undefined;
    const from = whole?.from ?? (word ? word.from : ctx.pos);
    const to = whole?.to;
    if (!ctx.explicit && (!word || word.from === word.to)) return null;
    // The document may not parse while typing; use what parses of it.
    const doc = parsed(ctx.state) ?? {};
    if (where.inKey) {
      const keys = reader.keys(doc, where.objectPath ?? where.path.slice(0, -1));
      return {
        from, ...(to !== undefined ? { to } : {}),
        options: keys.map((k) => ({ label: JSON.stringify(k.name), apply: `${JSON.stringify(k.name)}: `, type: 'property', info: k.doc || undefined, boost: k.required ? 1 : 0 })),
        validFor: /^"?[\w$.*-]*"?$/,
      };
    }
    const vals = reader.values(doc, where.path);
    if (!vals.length) return null;
    return {
      from, ...(to !== undefined ? { to } : {}),
      options: vals.map((v) => ({ label: JSON.stringify(v.value), type: 'enum', info: v.doc || undefined })),
      validFor: /^"?[\w$.*-]*"?$/,
    };
  };
}

function hover(schema: () => SchemaReader | undefined) {
  return hoverTooltip((view, pos) => {
    const reader = schema();
    if (!reader) return null;
    const where = pathAt(view.state, pos);
    if (!where || !where.path.length) return null;
    const doc = parsed(view.state) ?? {};
    const text = reader.docAt(doc, where.path);
    if (!text) return null;
    return {
      pos,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-schema-doc';
        const b = document.createElement('b');
        b.textContent = formatPath(where.path);
        dom.append(b, document.createElement('br'), text);
        return { dom };
      },
    };
  });
}

export function createEditor(parent: HTMLElement, errors: HTMLElement, onChange: (text: string) => void, schema: () => SchemaReader | undefined): EditorView {
  errorSink = errors;
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(), foldGutter(), history(), bracketMatching(), closeBrackets(), indentOnInput(), highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        json(), lintGutter(), linter(scenarioDiagnostics, { delay: 300 }),
        autocompletion({ override: [completions(schema)] }), hover(schema),
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'scenario JSON editor' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u.state.doc.toString()); }),
      ],
    }),
  });
}

export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
