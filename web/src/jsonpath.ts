// Between places in the JSON text and scenario paths ("steps[4].fn[0].sp"), over CodeMirror's JSON
// syntax tree: errors from the validator land on the field they name, and the cursor's position
// tells the schema which field it is in.

import { ensureSyntaxTree, syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import type { SyntaxNode } from '@lezer/common';

export type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export function formatPath(segs: readonly Segment[]): string {
  return segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const VALUE = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

function values(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (VALUE.has(c.name)) out.push(c);
  return out;
}

function keyOf(state: EditorState, prop: SyntaxNode): string | undefined {
  const name = prop.getChild('PropertyName');
  if (!name) return undefined;
  try {
    return JSON.parse(state.sliceDoc(name.from, name.to)) as string;
  } catch {
    return undefined;
  }
}

function root(state: EditorState): SyntaxNode | undefined {
  // The whole document, not just what the background parser reached (a linter runs on any state).
  const top = (ensureSyntaxTree(state, state.doc.length, 500) ?? syntaxTree(state)).topNode;
  return values(top)[0];
}

/** The text range a path names: its value, or the nearest enclosing node that exists. */
export function rangeOfPath(state: EditorState, path: string): { from: number; to: number; exact: boolean } {
  let node = root(state);
  if (!node) return { from: 0, to: Math.min(1, state.doc.length), exact: false };
  let exact = true;
  let propNode: SyntaxNode | undefined;
  for (const seg of parsePath(path)) {
    let next: SyntaxNode | undefined;
    if (typeof seg === 'number' && node.name === 'Array') next = values(node)[seg];
    else if (typeof seg === 'string' && node.name === 'Object') {
      for (const p of node.getChildren('Property')) {
        if (keyOf(state, p) === seg) {
          propNode = p;
          next = values(p)[0];
        }
      }
    }
    if (!next) { exact = false; break; }
    node = next;
  }
  // A whole object or array is too much to underline: its first line (or the key that holds it).
  if (node.name === 'Object' || node.name === 'Array') {
    const key = exact && propNode && values(propNode)[0] === node ? propNode.getChild('PropertyName') : null;
    if (key) return { from: key.from, to: key.to, exact };
    const line = state.doc.lineAt(node.from);
    return { from: node.from, to: Math.max(node.from + 1, Math.min(line.to, node.to)), exact };
  }
  return { from: node.from, to: node.to, exact };
}

/** Where the cursor is: the path of the value (or key) at `pos`, and whether it is a property name. */
export function pathAt(state: EditorState, pos: number): { path: Segment[]; inKey: boolean; objectPath?: Segment[] } | undefined {
  let node: SyntaxNode | null = syntaxTree(state).resolveInner(pos, -1);
  const segs: Segment[] = [];
  let inKey = false;
  if (node.name === 'PropertyName') inKey = true;
  // Inside an object but not in a value: a place for a new key.
  if (node.name === 'Object' || node.name === '{' || node.name === ',' || node.name === '⚠') {
    const obj = node.name === 'Object' ? node : node.parent;
    if (obj?.name === 'Object') {
      const p = pathOf(state, obj);
      return p ? { path: p, inKey: true, objectPath: p } : undefined;
    }
  }
  if (inKey) {
    const prop: SyntaxNode | null = node.parent;
    const obj = prop?.parent;
    if (!prop || !obj) return undefined;
    const p = pathOf(state, obj);
    const k = keyOf(state, prop);
    return p ? { path: k !== undefined ? [...p, k] : p, inKey: true, objectPath: p } : undefined;
  }
  while (node && !VALUE.has(node.name)) node = node.parent;
  if (!node) return undefined;
  const p = pathOf(state, node);
  if (!p) return undefined;
  segs.push(...p);
  return { path: segs, inKey: false };
}

function pathOf(state: EditorState, node: SyntaxNode): Segment[] | undefined {
  const segs: Segment[] = [];
  let n: SyntaxNode = node;
  for (;;) {
    const parent = n.parent;
    if (!parent || parent.name === 'JsonText') break;
    if (parent.name === 'Property') {
      const k = keyOf(state, parent);
      if (k === undefined) return undefined;
      segs.unshift(k);
      n = parent.parent!;
      if (!n) return undefined;
    } else if (parent.name === 'Array') {
      segs.unshift(values(parent).findIndex((v) => v.from === n.from));
      n = parent;
    } else {
      n = parent;
    }
  }
  return segs;
}
