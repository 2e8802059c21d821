// Campaigns on Node: chunks of runs handed to worker_threads, findings appended to a JSON Lines
// file as they are made, and resumption after a crash or kill -9 of the whole process.
//
// The output file is the campaign's journal. Its first line describes the campaign; then, in the
// order they happen, a `finding` line for each new signature and a `chunk` line once every run of
// a chunk is judged and its findings are written. `--resume FILE` reads the journal back: chunks
// with a `chunk` line are done, signatures with a `finding` line are known. A chunk cut short by
// the kill is run again; whatever it finds that is already in the file is not reported twice, and
// nothing it had not yet written was a finding yet. A torn last line (the write the kill
// interrupted) is ignored and overwritten.

import { appendFileSync, closeSync, existsSync, openSync, readFileSync, ftruncateSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createSimulator, wasmPath } from '../api/node.js';
import { CHUNK_RUNS, globalIndex, runChunk, type CampaignOptions, type ChunkResult, type Finding } from './campaign.js';
import type { Simulator } from '../api/types.js';

export interface NodeCampaignOptions extends CampaignOptions {
  /** Stop after this many runs (global run numbers [0, runs)); without it, run until timeMs. */
  runs?: number;
  timeMs?: number;
  workers?: number;
  /** Journal file to write (JSON Lines); with resume, the journal to continue. */
  out?: string;
  resume?: string;
  /** Appends text to the journal (default appendFileSync); what it throws ends the campaign. */
  append?: (file: string, text: string) => void;
  onFinding?: (f: Finding) => void;
  onProgress?: (p: Progress) => void;
  onInvalid?: (i: ChunkResult['invalid'][number]) => void;
}

export interface Progress { runs: number; findings: number; elapsedMs: number; runsPerSecond: number }

export interface Summary {
  type: 'summary';
  runs: number;
  runsPerSecond: number;
  findings: number;
  elapsedMs: number;
  invalid: number;
  workers: number;
  /** Runs and findings carried over from the journal being resumed. */
  resumedRuns?: number;
  resumedFindings?: number;
}

/** A campaign that cannot start as asked (a journal of another campaign). */
export class CampaignError extends Error {}

interface Journal { done: Set<number>; known: Set<string>; runs: number; findings: number; header: Record<string, unknown> | undefined }

/** Reads a journal; drops a torn last line from the file. */
export function readJournal(file: string): Journal {
  const j: Journal = { done: new Set(), known: new Set(), runs: 0, findings: 0, header: undefined };
  if (!existsSync(file)) return j;
  const text = readFileSync(file, 'utf8');
  let good = 0;
  let offset = 0;
  for (const line of text.split('\n')) {
    const end = offset + Buffer.byteLength(line) + 1;
    if (line.trim() === '') { offset = end; continue; }
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      break;
    }
    if (end > Buffer.byteLength(text)) break; // no newline: the write was cut
    if (rec.type === 'campaign') j.header = rec;
    if (rec.type === 'finding' && typeof rec.signature === 'string') { j.known.add(rec.signature); j.findings++; }
    if (rec.type === 'chunk' && typeof rec.chunk === 'number') { j.done.add(rec.chunk); j.runs += Number(rec.runs ?? 0); }
    offset = end;
    good = end;
  }
  if (good < statSync(file).size) {
    const fd = openSync(file, 'r+');
    try { ftruncateSync(fd, good); } finally { closeSync(fd); }
  }
  return j;
}

function readJournalOrFail(file: string): Journal {
  try {
    return readJournal(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CampaignError(`--resume ${file}: cannot read and repair that journal (${code ?? (e as Error).message})`);
  }
}

/** What identifies a campaign: resuming with other settings would mix two campaigns. */
function header(o: NodeCampaignOptions): Record<string, unknown> {
  return {
    type: 'campaign', sides: o.sides.map((s) => s.label), strategy: o.strategy, depth: o.depth ?? null,
    seed: o.seed, shard: o.shard ?? null, maxSteps: o.maxSteps ?? null, chunkRuns: CHUNK_RUNS,
    // Only when on: journals of campaigns without it keep the header they always had.
    ...(o.physical === true ? { physical: true } : {}),
  };
}

/** How many runs chunk c of this shard holds, given a run limit (global numbers below `runs`). */
function chunkSize(o: NodeCampaignOptions, c: number): number {
  if (o.runs === undefined) return CHUNK_RUNS;
  let n = 0;
  for (let j = c * CHUNK_RUNS; j < (c + 1) * CHUNK_RUNS; j++) if (globalIndex(j, o.shard) < o.runs) n++;
  return n;
}

function campaignOptions(o: NodeCampaignOptions): CampaignOptions & { runs?: number } {
  const c: CampaignOptions & { runs?: number } = { sides: o.sides, strategy: o.strategy, seed: o.seed };
  if (o.depth !== undefined) c.depth = o.depth;
  if (o.shard !== undefined) c.shard = o.shard;
  if (o.maxSteps !== undefined) c.maxSteps = o.maxSteps;
  if (o.physical === true) c.physical = true;
  if (o.runs !== undefined) c.runs = o.runs;
  return c;
}

export async function runNodeCampaign(o: NodeCampaignOptions): Promise<Summary> {
  const start = Date.now();
  const journalFile = o.resume ?? o.out;
  const journal = o.resume ? readJournalOrFail(o.resume) : { done: new Set<number>(), known: new Set<string>(), runs: 0, findings: 0, header: undefined };
  const head = header(o);
  if (o.resume && journal.header && JSON.stringify(journal.header) !== JSON.stringify(head)) {
    throw new CampaignError(`--resume ${o.resume}: that journal is of another campaign (${JSON.stringify(journal.header)}); resume with the same --profile, --diff, --flag, --strategy, --seed and --shard`);
  }
  // A journal that cannot be written stops the campaign: no chunk is started after the failure, the
  // workers are let go, and the error is thrown once they are (never from inside an event handler).
  const append = o.append ?? appendFileSync;
  let writeFailed: { error: unknown } | undefined;
  const write = (rec: unknown) => {
    if (!journalFile || writeFailed) return;
    try {
      append(journalFile, `${JSON.stringify(rec)}\n`);
    } catch (error) {
      writeFailed = { error };
    }
  };
  if (!journal.header) write(head);
  const known = journal.known;
  let runs = 0;
  let findings = 0;
  let invalid = 0;
  const deadline = o.timeMs === undefined ? Infinity : start + o.timeMs;
  const lastChunk = o.runs === undefined ? Infinity : (() => { let c = 0; while (chunkSize(o, c) > 0) c++; return c; })();
  let next = 0;
  const nextChunk = (): number | undefined => {
    while (journal.done.has(next)) next++;
    if (writeFailed || next >= lastChunk || Date.now() >= deadline) return undefined;
    return next++;
  };
  const progress = () => {
    const elapsedMs = Date.now() - start;
    o.onProgress?.({ runs, findings, elapsedMs, runsPerSecond: elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0 });
  };
  // A signature is reported once: the first chunk result that carries it wins.
  const reported = new Set<string>(journal.known);
  const accept = (r: ChunkResult, complete: boolean) => {
    for (const f of r.findings) {
      if (reported.has(f.signature)) continue;
      reported.add(f.signature);
      findings++;
      write(f);
      o.onFinding?.(f);
    }
    for (const i of r.invalid) { invalid++; write({ type: 'invalid', ...i }); o.onInvalid?.(i); }
    runs += r.runs;
    if (complete) write({ type: 'chunk', chunk: r.chunk, runs: r.runs, findings: r.findings.length });
    progress();
  };
  const co = campaignOptions(o);
  const workers = Math.max(1, o.workers ?? availableParallelism());
  const ticker = o.onProgress ? setInterval(progress, 250) : undefined;
  // One chunk on this thread, then a turn of the event loop (progress, signals, worker messages).
  const runHere = async (sim: Simulator, c: number) => {
    const limit = chunkSize(o, c);
    const r = runChunk(sim, co, c, known, {
      stop: () => Date.now() >= deadline,
      onDiscover: (inChunk) => ({ runs: runs + inChunk, elapsedMs: Date.now() - start }),
    }, limit);
    accept(r, r.runs === limit);
    await new Promise((res) => setImmediate(res));
  };
  try {
    if (workers === 1) {
      const sim = await createSimulator();
      for (let c = nextChunk(); c !== undefined; c = nextChunk()) await runHere(sim, c);
    } else {
      // The core is compiled once here and handed to every worker (a compiled module is shared,
      // not copied): workers start without reading or compiling it again.
      const module = await WebAssembly.compile(readFileSync(wasmPath()));
      const pool: Worker[] = [];
      let up = 0;
      const all = new Promise<void>((resolveAll, rejectAll) => {
        let live = 0;
        const give = (w: Worker) => {
          const c = nextChunk();
          if (c === undefined) {
            void w.terminate();
            if (--live === 0) resolveAll();
            return;
          }
          w.postMessage({ chunk: c, limit: chunkSize(o, c), known: [...known], deadline, start, runsSoFar: runs });
        };
        for (let i = 0; i < workers; i++) {
          const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { options: co, module } });
          live++;
          pool.push(w);
          let first = true;
          w.on('message', (m: { result?: ChunkResult; limit?: number }) => {
            if (first) { first = false; up++; }
            if (m.result) {
              for (const f of m.result.findings) known.add(f.signature);
              accept(m.result, m.result.runs === m.limit);
            }
            give(w);
          });
          w.on('error', (e) => { for (const x of pool) void x.terminate(); rejectAll(e); });
          give(w);
        }
      });
      // Rejections are awaited below, after this thread's own chunks.
      all.catch(() => {});
      // While the workers start (each loads the modules and instantiates its core, a good part of
      // a short campaign), this thread runs chunks too, one at a time, until every worker has
      // returned its first one.
      try {
        const sim = await createSimulator({ wasm: module });
        while (up < workers) {
          const c = nextChunk();
          if (c === undefined) break;
          await runHere(sim, c);
        }
      } catch (e) {
        for (const x of pool) void x.terminate();
        throw e;
      }
      await all;
    }
  } finally {
    if (ticker) clearInterval(ticker);
  }
  const elapsedMs = Date.now() - start;
  const summary: Summary = {
    type: 'summary', runs, runsPerSecond: elapsedMs > 0 ? Math.round((runs * 1000) / elapsedMs) : 0, findings, elapsedMs, invalid, workers,
  };
  if (o.resume) { summary.resumedRuns = journal.runs; summary.resumedFindings = journal.findings; }
  write(summary);
  if (writeFailed) throw writeFailed.error;
  return summary;
}
