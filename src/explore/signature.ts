// Findings and their signatures. Two runs that end the same way for the same reason share a
// signature: the fatal text with every address and number masked, the check that fired (the
// result's stable crash name) and the kind of op that was running. A campaign reports each
// signature once; shrinking keeps it.

import type { RunResult, Scenario } from '../api/types.js';

/** Hex addresses and decimal numbers (goids, M ids, sizes) become placeholders. */
export function maskText(text: string): string {
  return text.replace(/0x[0-9a-fA-F]+/g, '0x_').replace(/\b\d+\b/g, 'N');
}

/** The op at a result's stepPath ("steps[3].fn[0].fn[1]"), by walking the scenario. */
export function opAt(scenario: Scenario, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let node: unknown = scenario;
  for (const m of path.matchAll(/(\w+)\[(\d+)\]/g)) {
    const list = (node as Record<string, unknown> | undefined)?.[m[1]!];
    if (!Array.isArray(list)) return undefined;
    node = list[Number(m[2])];
  }
  const op = (node as { op?: unknown } | undefined)?.op;
  return typeof op === 'string' ? op : undefined;
}

/** What a signature is made of, kept for reports. */
export interface Outcome {
  verdict: RunResult['verdict'];
  crash?: string;
  fatal?: string;
  op?: string;
  /** The first line of the output, or else of the note (unmasked), for uaf and crashes without a throw text. */
  headline?: string;
  signature: string;
  /** Set when verdict is invalid: the error code and message. */
  error?: string;
}

export function outcomeOf(scenario: Scenario, r: RunResult): Outcome {
  if (r.verdict === 'ok') return { verdict: 'ok', signature: 'ok' };
  if (r.verdict === 'invalid') return { verdict: 'invalid', signature: `invalid|${r.error?.code ?? ''}`, error: `${r.error?.code}: ${r.error?.message}` };
  // A hang (a deadlock the program made: `join` on a thread whose callback nothing wakes) is one
  // finding, whichever thread it names and whichever op its goroutine parked at.
  const hang = r.crash === 'hang';
  const op = hang ? undefined : opAt(scenario, r.stepPath);
  // A use-after-free prints nothing of the process's own: its headline is the simulator's note.
  const firstLine = (t: string | undefined) => t?.split('\n').find((l) => l.trim() !== '');
  const headline = (r.fatal ?? firstLine(r.output) ?? firstLine(r.note) ?? '').trim();
  const masked = hang ? maskText(headline).replace(/\bT\d+\b/g, 'T_') : maskText(headline);
  const signature = `${r.verdict}|${r.crash ?? ''}|${op ?? ''}|${masked}`;
  const o: Outcome = { verdict: r.verdict, signature, headline };
  if (r.crash !== undefined) o.crash = r.crash;
  if (r.fatal !== undefined) o.fatal = r.fatal;
  if (op !== undefined) o.op = op;
  return o;
}

/**
 * Whether an outcome is a finding on its own (without --diff): a crash, a use-after-free, a
 * corruption, or a failed check of the program's own (the generator's checks, a `recover` that
 * must get the panic's value, hold in real Go: a failure there is the model's or the generator's).
 */
export function isFailure(o: Outcome): boolean {
  return o.verdict === 'crash' || o.verdict === 'uaf' || o.verdict === 'corrupt' || o.verdict === 'failed';
}

/** The signature of a --diff finding: both sides. */
export function diffSignature(p: string, a: Outcome, q: string, b: Outcome): string {
  return `${p}: ${a.signature} <> ${q}: ${b.signature}`;
}
