// The playground: a scenario in an editor, its verdict under every profile against `expect`, and
// the selected run as a picture of the address space that follows a timeline.

import { FLAG_DOC, FLAG_NAMES, PROFILE_NAMES, toChromeTrace, type FlagName, type RunResult, type StateSnapshot } from '../../src/api/index.js';
import { Cancelled, SimClient } from './client.js';
import { createEditor, setText } from './editor.js';
import { axisFor, drawPicture, type Axis } from './picture.js';
import type { DiffReply, ExploreProgress, ExploreReply, MatrixCell, Runtime, SnapshotReply } from './protocol.js';
import { Replay } from './replay.js';
import { SchemaReader, type Schema } from './schema.js';
import { decodeShared, encodeShared } from './share.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// Every bundled scenario, by path under scenarios/.
const BUNDLED: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob('../../scenarios/**/*.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)
    .map(([k, v]) => [k.replace(/^.*scenarios\//, ''), v]),
);
const DEFAULT_FILE = 'regressions/s03-partial-overlap-g1-62440.json';
const baseName = (f: string) => f.replace(/^.*\//, '');

let schema: SchemaReader | undefined;
const makeWorker = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const client = new SimClient(makeWorker);
// State snapshots bisect the step budget (several runs each): their own worker, restarted when a
// newer step is wanted, so scrubbing a long run never queues work in front of the matrix or a diff.
const snapshots = new SimClient(makeWorker);

interface Page {
  file: string | undefined;
  text: string;
  doc: unknown;
  cells: MatrixCell[];
  profile: string;
  result?: RunResult;
  replay?: Replay;
  axis?: Axis;
  step: number;
  /** The step a shared link asked for, used once by the first run shown. */
  wantedStep?: number;
}
const page: Page = { file: undefined, text: '', doc: undefined, cells: [], profile: 'go1.22.0', step: 0 };

function status(text: string, busy = false): void {
  $('status').textContent = text;
  $('status').classList.toggle('busy', busy);
}

// ---- scenario menu and editor ----

const menu = $<HTMLSelectElement>('scenario-menu');
{
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const file of Object.keys(BUNDLED).sort()) {
    const dir = file.includes('/') ? file.slice(0, file.indexOf('/')) : 'other';
    let g = groups.get(dir);
    if (!g) { g = document.createElement('optgroup'); g.label = dir; groups.set(dir, g); menu.append(g); }
    g.append(new Option(baseName(file).replace(/\.json$/, ''), file));
  }
  const custom = new Option('(edited)', '');
  custom.disabled = true;
  menu.append(custom);
}

let textTimer: ReturnType<typeof setTimeout> | undefined;
const editor = createEditor($('editor'), $('editor-errors'), (text) => {
  if (text === page.text) return;
  page.text = text;
  page.file = page.file !== undefined && BUNDLED[page.file] === text ? page.file : undefined;
  menu.value = page.file ?? '';
  clearTimeout(textTimer);
  textTimer = setTimeout(() => void evaluate(), 400);
}, () => schema);

function loadText(text: string, file: string | undefined): void {
  page.file = file;
  page.text = text;
  setText(editor, text);
  menu.value = file ?? '';
}

menu.addEventListener('change', () => {
  const file = menu.value;
  if (!BUNDLED[file]) return;
  loadText(BUNDLED[file]!, file);
  void evaluate();
});

// ---- the verdict matrix ----

function why(r: RunResult): string {
  if (r.verdict === 'ok') return `exit 0; ${r.counters.callbacks} callbacks`;
  if (r.verdict === 'invalid') return r.error?.message ?? 'invalid';
  return `${r.fatal ?? r.crash} at ${r.stepPath}`;
}

function expectText(e: MatrixCell['expect']): string {
  if (e === undefined) return '';
  return typeof e === 'string' ? e : Object.entries(e).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
}

function renderMatrix(): void {
  const body = $<HTMLTableElement>('matrix').tBodies[0]!;
  body.replaceChildren();
  for (const c of page.cells) {
    const row = body.insertRow();
    row.dataset.profile = c.profile;
    row.classList.toggle('selected', c.profile === page.profile);
    const th = document.createElement('th');
    th.scope = 'row';
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = c.profile;
    b.setAttribute('aria-pressed', String(c.profile === page.profile));
    b.addEventListener('click', () => void selectProfile(c.profile));
    th.append(b);
    row.append(th);
    const v = row.insertCell();
    v.textContent = c.result.verdict;
    v.className = `verdict ${c.result.verdict}`;
    const m = row.insertCell();
    const has = c.expect !== undefined;
    const matches = has && c.problems.length === 0;
    m.className = `expect ${has ? (matches ? 'match' : 'differ') : 'none'}`;
    m.dataset.expect = has ? (matches ? 'match' : 'differ') : 'none';
    m.textContent = has ? (matches ? '✓ matches' : '✗ differs') : '– none';
    m.title = has ? `expect: ${expectText(c.expect)}${c.problems.length ? `\n${c.problems.join('\n')}` : ''}` : 'the scenario states no expectation for this profile';
    row.insertCell().textContent = why(c.result);
    row.addEventListener('click', (ev) => { if (ev.target === row || (ev.target as HTMLElement).tagName === 'TD') void selectProfile(c.profile); });
  }
  const n = page.cells.filter((c) => c.expect !== undefined);
  const bad = n.filter((c) => c.problems.length);
  $('matrix-summary').textContent = n.length ? `${n.length - bad.length} of ${n.length} profiles match the scenario's expect${bad.length ? `; differs on ${bad.map((c) => c.profile).join(', ')}` : ''}.` : 'The scenario has no expect table.';
}

// ---- evaluation ----

let generation = 0;

async function evaluate(): Promise<void> {
  const gen = ++generation;
  if (client.busy) client.reset();
  try {
    page.doc = JSON.parse(page.text);
  } catch {
    page.doc = undefined;
  }
  $('description').textContent = typeof (page.doc as { description?: unknown })?.description === 'string' ? (page.doc as { description: string }).description : '';
  status('running under every profile…', true);
  try {
    const cells = await client.call<MatrixCell[]>({ type: 'matrix', text: page.text });
    if (gen !== generation) return;
    page.cells = cells;
    renderMatrix();
    const step = page.wantedStep;
    delete page.wantedStep;
    await selectProfile(page.profile, step);
  } catch (e) {
    if (e instanceof Cancelled) return;
    status(`error: ${(e as Error).message}`);
  }
}

async function selectProfile(profile: string, step?: number): Promise<void> {
  const gen = generation;
  page.profile = profile;
  renderMatrix();
  status(`running under ${profile}…`, true);
  let r: RunResult;
  try {
    r = await client.call<RunResult>({ type: 'run', text: page.text, runtime: { profile } });
  } catch (e) {
    if (!(e instanceof Cancelled)) status(`error: ${(e as Error).message}`);
    return;
  }
  if (gen !== generation) return;
  page.result = r;
  page.replay = new Replay(r, page.doc);
  page.axis = axisFor(page.replay);
  const slider = $<HTMLInputElement>('step');
  slider.max = String(Math.max(0, page.replay.length - 1));
  slider.disabled = page.replay.length === 0;
  renderRun();
  setStep(step ?? Math.max(0, page.replay.crashEvent >= 0 ? page.replay.crashEvent : page.replay.length - 1));
  status('');
}

function renderRun(): void {
  const r = page.result!;
  const name = r.scenario !== '?' ? r.scenario : typeof (page.doc as { name?: unknown })?.name === 'string' ? (page.doc as { name: string }).name : 'the scenario';
  $('run-title').textContent = `${name} under ${r.release ?? r.profile}: ${r.verdict}${r.fatal ? ` — ${r.fatal}` : r.crash ? ` — ${r.crash}` : ''}${r.stepPath ? ` at ${r.stepPath}` : ''}`;
  $('run-title').className = `verdict ${r.verdict}`;
  $('output').textContent = (r.output ?? r.error?.message ?? '(the program exits normally)') + (r.note ? `\n\ncgosim's explanation (not the program's output):\n${r.note}` : '');
  $('run-meta').textContent = `trace hash ${r.traceHash} · ${r.stepsUsed} ops · ${r.events?.length ?? 0} events${r.eventsTruncated ? ' (log truncated: the picture covers the recorded events only)' : ''} · flags: ${r.flags.join(' ') || 'none'}`;
  $('explain').replaceChildren(...explain(r, page.replay!));
  $<HTMLButtonElement>('goto-crash').disabled = page.replay!.crashEvent < 0;
}

/** A plain-language account of why the run ended as it did, from its events. */
function explain(r: RunResult, replay: Replay): Node[] {
  const out: Node[] = [];
  const p = (text: string) => { const e = document.createElement('p'); e.textContent = text; out.push(e); };
  if (replay.failedCheck >= 0) {
    const f = replay.frame(replay.failedCheck)!;
    const check = [...f.checks.values()].find((c) => c.event === replay.failedCheck)!;
    const b = f.bounds.get(check.m);
    p(`${check.fn} ran a g0 split check on ${check.m} (thread ${check.thread}) at sp=0x${check.sp.toString(16)}; the guard is 0x${check.guard.toString(16)}, so the check fails: the runtime believes the g0 stack ends above the real SP.`);
    if (b) {
      const setAt = replay.events[b.event];
      p(`${check.m}'s g0 bounds were [0x${b.lo.toString(16)}, 0x${b.hi.toString(16)}], ${b.how}${setAt ? ` at event ${b.event} (${setAt.step}: ${setAt.text})` : ''}.`);
      const firstSet = [...replay.events].slice(0, replay.failedCheck).reverse().find((e) => e.kind === 'bounds' && e.m === check.m);
      if (b.how === 'kept' && firstSet) p(`They were computed earlier, at event ${firstSet.index} (${firstSet.step}), for a different stack: the callback's SP happened to lie inside them, so this runtime kept them instead of asking for the current stack's bounds.`);
    }
  } else if (r.verdict === 'ok') {
    p('Every g0 check passed and the program exits normally. Use "Compare two runtimes" below to see where another profile takes a different path.');
  } else if (r.verdict === 'invalid') {
    p(r.error?.message ?? '');
  } else {
    p(`The run ends with ${r.fatal ?? r.crash} at ${r.stepPath}; the last frame of the picture shows the state there.`);
    const last = replay.frame(replay.length - 1);
    const crashM = replay.events.at(-1)?.m;
    const b = crashM ? last?.bounds.get(crashM) : undefined;
    const sp = last && replay.events.at(-1) ? last.sp.get(replay.events.at(-1)!.thread) : undefined;
    if (b && sp) p(`${crashM}'s g0 believed bounds at that point: [0x${b.lo.toString(16)}, 0x${b.hi.toString(16)}] (${b.how}); the thread's SP: 0x${sp.sp.toString(16)} (${sp.how}).`);
  }
  return out;
}

// ---- timeline ----

let snapshotWanted: { event: number; gen: number } | undefined;
let snapshotBusy = false;
let snapshotSince = 0;

function setStep(i: number): void {
  const replay = page.replay;
  if (!replay) return;
  const n = replay.length;
  page.step = Math.max(0, Math.min(i, n - 1));
  const slider = $<HTMLInputElement>('step');
  slider.value = String(page.step);
  const e = replay.events[page.step];
  const label = e ? `event ${e.index} of ${n - 1}: ${e.step} · ${e.thread} · ${e.m} · ${e.kind}: ${e.text}` : 'no events';
  $('step-label').textContent = label;
  slider.setAttribute('aria-valuetext', label);
  const frame = replay.frame(page.step);
  drawPicture($<SVGSVGElement & HTMLElement>('picture') as unknown as SVGSVGElement, replay, page.axis!, frame, `Address space at event ${page.step}`);
  $('picture-desc').textContent = frame ? describeFrame(frame) : '';
  renderEvents();
  void updateHash();
  if (!e) {
    $('state').textContent = 'The run recorded no events.';
    return;
  }
  snapshotWanted = { event: page.step, gen: generation };
  void pumpSnapshot();
}

/** The picture in words, for screen readers. */
function describeFrame(f: NonNullable<ReturnType<Replay['frame']>>): string {
  const h = (v: bigint) => `0x${v.toString(16)}`;
  const parts: string[] = [];
  for (const r of f.regions) parts.push(`${r.kind} ${r.label} [${h(r.lo)}, ${h(r.hi)})${r.freed ? ' freed' : ''}`);
  for (const [m, b] of f.bounds) parts.push(b ? `${m} g0 believed bounds [${h(b.lo)}, ${h(b.hi)}]` : `${m} g0 bounds cleared`);
  for (const [t, s] of f.sp) parts.push(`${t} SP ${h(s.sp)}`);
  for (const c of f.checks.values()) parts.push(`${c.m} last g0 check at sp ${h(c.sp)} guard ${h(c.guard)}: ${c.ok ? 'passed' : 'FAILED'}`);
  return `${parts.join('; ')}.`;
}

function renderEvents(): void {
  const replay = page.replay!;
  const list = $('events');
  list.replaceChildren();
  // A window around the current event keeps the list cheap for long runs.
  const from = Math.max(0, page.step - 150);
  const to = Math.min(replay.length, page.step + 150);
  for (let i = from; i < to; i++) {
    const e = replay.events[i]!;
    const li = document.createElement('li');
    li.dataset.index = String(i);
    li.className = `ev ${e.kind}${i === page.step ? ' current' : ''}${i > page.step ? ' future' : ''}${e.kind === 'g0-check' && e.text.endsWith('FAILS') ? ' failed' : ''}`;
    li.textContent = `${String(i).padStart(4)} ${e.step.padEnd(20)} ${e.thread.padEnd(5)} ${e.m.padEnd(3)} ${e.text}`;
    if (i === page.step) li.setAttribute('aria-current', 'step');
    li.addEventListener('click', () => setStep(i));
    list.append(li);
  }
  list.querySelector('.current')?.scrollIntoView({ block: 'nearest' });
}

async function pumpSnapshot(): Promise<void> {
  // A slow snapshot (a long run) gives way to a newer step; quick ones simply finish first.
  if (snapshotBusy && snapshotWanted && performance.now() - snapshotSince > 200) snapshots.reset();
  if (snapshotBusy || !snapshotWanted || !page.result) return;
  const want = snapshotWanted;
  snapshotWanted = undefined;
  snapshotBusy = true;
  snapshotSince = performance.now();
  try {
    $('state').setAttribute('aria-busy', 'true');
    const s = await snapshots.call<SnapshotReply>({ type: 'snapshot', text: page.text, runtime: { profile: page.profile }, event: want.event });
    if (want.gen === generation && want.event === page.step) renderState(s);
  } catch {
    // Cancelled by a newer step or scenario: nothing to show.
  } finally {
    $('state').removeAttribute('aria-busy');
    snapshotBusy = false;
    if (snapshotWanted) void pumpSnapshot();
  }
}

function table(caption: string, head: string[], rows: (string | number)[][]): HTMLTableElement {
  const t = document.createElement('table');
  t.createCaption().textContent = caption;
  const h = t.createTHead().insertRow();
  for (const c of head) { const th = document.createElement('th'); th.textContent = c; th.scope = 'col'; h.append(th); }
  const b = t.createTBody();
  for (const r of rows) { const tr = b.insertRow(); for (const c of r) tr.insertCell().textContent = String(c); }
  if (!rows.length) { const tr = b.insertRow(); const td = tr.insertCell(); td.colSpan = head.length; td.textContent = 'none'; }
  return t;
}

function renderState(s: SnapshotReply): void {
  const st: StateSnapshot | undefined = s.state;
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = `The core's records after op ${s.opPath} (the run stopped by a budget of ${s.ops} ops, ${s.events} events recorded). The picture above follows each event; these tables are what the core holds at the end of that op.`;
  if (!st) { $('state').replaceChildren(note); return; }
  $('state').replaceChildren(
    note,
    table('Ms', ['M', 'thread', 'g0 bounds', 'stackguard0', 'extra', 'in C', 'ncgo', 'locked'], st.ms.map((m) => [
      m.name, m.thread ?? '–', `[${m.g0.lo}, ${m.g0.hi}]`, m.g0.stackguard0, m.isextra ? (m.onExtraList ? 'yes, on list' : 'yes') : 'no', m.isExtraInC ? 'yes' : 'no', m.ncgo, `${m.lockedInt}/${m.lockedExt}`])),
    table('Threads', ['thread', 'tid', 'state', 'M', 'SP', 'stack'], st.threads.map((t) => [t.id, t.tid, t.state, t.boundM ?? '–', t.sp, `[${t.stack[0]}, ${t.stack[1]})`])),
    table('Extra-M list (head first)', ['position', 'M'], st.extraMList.map((m, i) => [i, m])),
    table('Goroutines', ['goroutine', 'goid', 'status', 'stack', 'sched.sp'], st.goroutines.map((g) => [g.id, g.goid, g.status, `[${g.stack[0]}, ${g.stack[1]})`, g.sched.sp])),
  );
}

const slider = $<HTMLInputElement>('step');
slider.addEventListener('input', () => setStep(Number(slider.value)));
$('prev').addEventListener('click', () => setStep(page.step - 1));
$('next').addEventListener('click', () => setStep(page.step + 1));
$('goto-crash').addEventListener('click', () => { if (page.replay && page.replay.crashEvent >= 0) setStep(page.replay.crashEvent); });
$('timeline').addEventListener('keydown', (ev) => {
  if (ev.target === slider) return; // the slider handles its own arrows
  if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') { setStep(page.step - 1); ev.preventDefault(); }
  if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') { setStep(page.step + 1); ev.preventDefault(); }
});

// ---- diff two runtimes ----

for (const id of ['diff-a', 'diff-b']) {
  const sel = $<HTMLSelectElement>(id);
  for (const p of PROFILE_NAMES) sel.append(new Option(p, p));
}
$<HTMLSelectElement>('diff-a').value = 'go1.22.0';
$<HTMLSelectElement>('diff-b').value = 'go1.22.5';
{
  const sel = $<HTMLSelectElement>('diff-flag');
  sel.append(new Option('(no override)', ''));
  for (const f of FLAG_NAMES) sel.append(new Option(f, f));
  sel.addEventListener('change', () => { $('diff-flag-doc').textContent = sel.value ? FLAG_DOC[sel.value as FlagName] ?? '' : ''; });
}

$('diff-run').addEventListener('click', () => void runDiff());

async function runDiff(): Promise<void> {
  const a: Runtime = { profile: $<HTMLSelectElement>('diff-a').value };
  const b: Runtime = { profile: $<HTMLSelectElement>('diff-b').value };
  const flag = $<HTMLSelectElement>('diff-flag').value;
  if (flag) b.flags = { [flag]: $<HTMLSelectElement>('diff-flag-value').value === 'on' };
  const name = (rt: Runtime) => `${rt.profile}${rt.flags ? ` + ${Object.entries(rt.flags).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`).join(' ')}` : ''}`;
  $('diff-result').textContent = 'comparing…';
  let d: DiffReply;
  try {
    d = await client.call<DiffReply>({ type: 'diff', text: page.text, a, b });
  } catch (e) {
    $('diff-result').textContent = e instanceof Cancelled ? '' : `error: ${(e as Error).message}`;
    return;
  }
  const ra = new Replay(d.a, page.doc);
  const rb = new Replay(d.b, page.doc);
  const out = $('diff-result');
  out.replaceChildren();
  const head = document.createElement('p');
  const verdict = (r: RunResult) => `${r.verdict}${r.fatal ? ` (${r.fatal})` : ''}`;
  if (d.first < 0) {
    head.textContent = `${name(a)} and ${name(b)} emit the same ${ra.length} events (${verdict(d.a)}).`;
    out.append(head);
    return;
  }
  head.textContent = `${name(a)}: ${verdict(d.a)} · ${name(b)}: ${verdict(d.b)} · first diverging event: #${d.first}`;
  out.append(head);
  const ea = d.a.events?.[d.first];
  const eb = d.b.events?.[d.first];
  const pre = document.createElement('pre');
  pre.className = 'diff-events';
  pre.textContent = `${name(a).padEnd(20)} ${ea ? `${ea.step} ${ea.thread} ${ea.m} ${ea.kind}: ${ea.text}` : '(no more events: the run ended)'}\n` +
    `${name(b).padEnd(20)} ${eb ? `${eb.step} ${eb.thread} ${eb.m} ${eb.kind}: ${eb.text}` : '(no more events: the run ended)'}`;
  out.append(pre);
  const ctx = document.createElement('ul');
  ctx.className = 'diff-context';
  for (const side of d.report.sides) {
    const li = document.createElement('li');
    li.textContent = `${side.label}: ${side.bounds ? `last g0 bounds event: ${side.bounds}` : 'no g0 bounds event yet'}${side.sp ? `; last SP: ${side.sp}` : ''}`;
    ctx.append(li);
  }
  out.append(ctx);
  const sides = document.createElement('div');
  sides.className = 'diff-sides';
  for (const [rt, rp, side] of [[a, ra, 'a'], [b, rb, 'b']] as const) {
    const fig = document.createElement('figure');
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.id = `diff-picture-${side}`;
    svg.classList.add('picture');
    const cap = document.createElement('figcaption');
    const at = Math.min(d.first, rp.length - 1);
    cap.textContent = `${name(rt)} at event ${at}`;
    fig.append(cap, svg);
    sides.append(fig);
    drawPicture(svg, rp, axisFor(rp), rp.frame(at), `${name(rt)}: address space at event ${at}`);
  }
  out.append(sides);
}

// ---- explore ----

// Its own worker: a campaign runs for its whole time limit without holding up anything else.
const explorer = new SimClient(makeWorker);
{
  const p = $<HTMLSelectElement>('explore-profile');
  const d = $<HTMLSelectElement>('explore-diff');
  d.append(new Option('(nothing: failures only)', ''));
  for (const name of PROFILE_NAMES) { p.append(new Option(name, name)); d.append(new Option(name, name)); }
  p.value = 'go1.22.0';
}

$('explore-start').addEventListener('click', () => void runExplore());
$('explore-stop').addEventListener('click', () => {
  explorer.reset();
  $('explore-progress').textContent += ' Stopped.';
});

async function runExplore(): Promise<void> {
  const profile = $<HTMLSelectElement>('explore-profile').value;
  const diff = $<HTMLSelectElement>('explore-diff').value;
  const seed = Number($<HTMLInputElement>('explore-seed').value);
  const seconds = Number($<HTMLInputElement>('explore-time').value);
  const progress = $('explore-progress');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) { progress.textContent = 'The seed must be an integer from 0 to 4294967295.'; return; }
  if (!(seconds > 0 && seconds <= 600)) { progress.textContent = 'The time limit must be from 1 to 600 seconds.'; return; }
  if (diff === profile) { progress.textContent = 'Choose a different profile to compare with, or none.'; return; }
  const list = $('explore-findings');
  list.replaceChildren();
  $<HTMLButtonElement>('explore-start').disabled = true;
  $<HTMLButtonElement>('explore-stop').disabled = false;
  progress.textContent = `exploring ${profile}${diff ? ` against ${diff}` : ''}, seed ${seed}, for ${seconds} s…`;
  const onProgress = (p: ExploreProgress) => {
    if (p.kind === 'progress') {
      progress.textContent = `${p.runs} runs, ${p.findings} findings, ${(p.elapsedMs / 1000).toFixed(1)} s (${Math.round(p.runsPerSecond)} runs/s)…`;
      return;
    }
    const f = p.finding;
    const li = document.createElement('li');
    li.className = 'finding';
    const what = f.profiles ? Object.entries(f.profiles).map(([k, v]) => `${k}: ${v.verdict}${v.fatal ? ` (${v.fatal})` : ''}`).join(' vs ') : `${f.verdict}${f.fatal ? ` (${f.fatal})` : f.crash ? ` (${f.crash})` : ''}`;
    li.append(`${what} — shrunk from ${f.originalSteps} to ${f.shrunkSteps} steps, found after ${f.runs} runs`);
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Open in editor';
    b.setAttribute('aria-label', `open the finding ${what} in the editor`);
    b.addEventListener('click', () => {
      loadText(f.text, undefined);
      page.profile = profile;
      void evaluate();
      $('editor').scrollIntoView({ block: 'nearest' });
    });
    li.append(b);
    list.append(li);
  };
  try {
    const r = await explorer.call<ExploreReply>({ type: 'explore', profile, ...(diff ? { diff } : {}), seed, timeMs: seconds * 1000 }, onProgress);
    progress.textContent = `Done: ${r.runs} runs in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.findings} findings${r.invalid ? `, ${r.invalid} generated scenarios rejected` : ''}.`;
  } catch (e) {
    if (!(e instanceof Cancelled)) progress.textContent = `error: ${(e as Error).message}`;
  } finally {
    $<HTMLButtonElement>('explore-start').disabled = false;
    $<HTMLButtonElement>('explore-stop').disabled = true;
  }
}

// ---- share and export ----

async function updateHash(): Promise<void> {
  const hash = await encodeShared({ ...(page.file ? { file: baseName(page.file) } : { text: page.text }), profile: page.profile, step: page.step });
  if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${hash}`);
}

function download(name: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const fileStem = () => `${(page.result?.scenario ?? 'scenario').replace(/[^\w.-]+/g, '_')}.${page.profile}`;
$('download-trace').addEventListener('click', () => { if (page.result) download(`${fileStem()}.perfetto.json`, toChromeTrace(page.result)); });
$('download-result').addEventListener('click', () => { if (page.result) download(`${fileStem()}.result.json`, page.result); });
$('copy-link').addEventListener('click', async () => {
  await updateHash();
  try {
    await navigator.clipboard.writeText(location.href);
    status('link copied');
  } catch {
    status(`link: ${location.href}`);
  }
});

// ---- start ----

async function start(): Promise<void> {
  const shared = await decodeShared(location);
  let file = shared.file ? Object.keys(BUNDLED).find((f) => f === shared.file || baseName(f) === shared.file || baseName(f) === `${shared.file}.json`) : undefined;
  if (shared.file && !file) status(`no bundled scenario named ${shared.file}; showing the default`);
  if (shared.profile && (PROFILE_NAMES as readonly string[]).includes(shared.profile)) page.profile = shared.profile;
  if (shared.step !== undefined) page.wantedStep = shared.step;
  if (shared.text !== undefined && !file) loadText(shared.text, undefined);
  else { file ??= DEFAULT_FILE; loadText(BUNDLED[file]!, file); }
  await evaluate();
  document.body.dataset.ready = 'true';
}

async function loadSchema(): Promise<void> {
  const mods = import.meta.glob('../../schema/scenario.schema.json', { import: 'default' });
  const load = Object.values(mods)[0];
  if (load) schema = new SchemaReader((await load()) as Schema);
}

void loadSchema();
void start();
