// The op table: every scenario op, declared once. For each op: its name and op code, which bodies
// it may stand in, its fields (type, unit, default, doc), the input errors found while running that
// are about one of its fields, its semantic checks (validate) and its record layout (encode).
//
// Who reads it:
//   - validate.ts checks a scenario against it: unknown and missing keys from `fields`, each field
//     parsed by its type, then the op's own `validate` (references, sizes, the window);
//   - encode.ts lays the validated ops out as the 64-byte records the core runs (assembly/interp.ts
//     has the record diagram), with ids (goids, function indices) assigned before a byte is written;
//   - schema.ts derives the JSON Schema (schema/scenario.schema.json) from the same fields;
//   - report/result.ts names the field a run-time input error is about from `subjects`;
//   - a generator, a shrinker or an editor can walk BODIES and OPS to know what may appear where.
//
// Adding an op: one entry here (name, code, fields, validate, encode) and its handler in the core;
// README "Development" has the steps.

import { OP, INVALID, WR, ASSERT, TF_MAIN, GO_M_MAIN, GO_REPEATED, MALLOC_AT, MALLOC_GUARD, PREEMPT_HOOK_G, OPR_A, OPR_START, OPR_D, OPR_E, OPR_X, OPR_Y, OPR_Z, OPR_W, OPR_V } from '../core/abi.js';
import { ScenarioError } from '../api/errors.js';
import { POINTS, pointId } from '../model/points.js';
import type { Validator, StepReader, ValidatedBody } from './validate.js';
import { MALLOC_ALIGN, MIN_GO_STACK, MIN_THREAD_STACK } from './limits.js';

/** Op codes: generated from assembly/abi.ts OP_*. */
export { OP };

/** The run-time input errors an op's fields can be the subject of (assembly/abi.ts INVALID_*). */
export type InvalidName = keyof typeof INVALID;

/** What an op's encode may write into its record. */
export interface OpWriter {
  u32(offset: number, value: number): void;
  u64(offset: number, value: bigint): void;
  /** Lays out a nested body and stores its [start, end) at offset and offset + 4. */
  body(offset: number, body: ValidatedBody): void;
  /** The goid assigned to goroutine index g. */
  goid(g: number): bigint;
}

/** Wait reasons by name (waitReasonStrings), with the ids the core uses (assembly/abi.ts WR_*). */
export const WAIT_REASONS: Record<string, number> = {
  'GC assist marking': WR.GC_ASSIST_MARKING, 'garbage collection': WR.GARBAGE_COLLECTION,
  'garbage collection scan': WR.GC_SCAN, 'GC worker (active)': WR.GC_WORKER_ACTIVE,
  'GC mark termination': WR.GC_MARK_TERMINATION, 'stopping the world': WR.STOPPING_THE_WORLD,
  'flushing proc caches': WR.FLUSHING_PROC_CACHES, 'trace goroutine status': WR.TRACE_GOROUTINE_STATUS,
  'trace proc status': WR.TRACE_PROC_STATUS, 'page trace flush': WR.PAGE_TRACE_FLUSH, 'sync.Mutex.Lock': WR.SYNC_MUTEX_LOCK,
  'chan receive': WR.CHAN_RECEIVE, 'semacquire': WR.SEMACQUIRE, 'sleep': WR.SLEEP, 'select': WR.SELECT,
  'chan send': WR.CHAN_SEND, 'coroutine': WR.COROUTINE,
};

// ---- bodies ----

/** Where a step stands: the top-level timeline, a Go body (`fn`), a C body, a signal handler, an `at` hook. */
export type BodyKind = 'timeline' | 'go' | 'c' | 'signal' | 'hook';

export interface BodyDef {
  /** How messages name it. */
  name: string;
  /** The ops it may hold, in the order messages list them. */
  ops: readonly string[];
}

export const BODIES: Readonly<Record<BodyKind, BodyDef>> = {
  timeline: {
    name: 'timeline',
    ops: ['thread', 'malloc', 'carve', 'free', 'switch', 'callback', 'signal', 'sigaltstack', 'exit', 'go', 'resume', 'repeat', 'gc', 'traceStart', 'traceAdvance', 'traceStop', 'preempt', 'at', 'assert', 'chan', 'sleep', 'join'],
  },
  go: {
    name: 'Go body',
    ops: ['systemstack', 'cgocall', 'lockOSThread', 'unlockOSThread', 'repeat', 'call', 'grow', 'gc', 'setMaxStack', 'preempt', 'gosched', 'park', 'readMemStats', 'signal', 'osExit',
      'assert', 'recover', 'panic', 'goexit', 'go', 'chan', 'send', 'recv', 'close', 'sleep', 'wgAdd', 'wgDone', 'wgWait', 'pull', 'next', 'yield', 'stop',
      'traceStart', 'traceAdvance', 'traceStop'],
  },
  hook: { name: '"at" step list', ops: ['preempt', 'gc', 'traceStart', 'traceAdvance', 'traceStop'] },
  c: { name: 'C body', ops: ['stack', 'switch', 'callback', 'block', 'repeat', 'atexit', 'thread', 'sleep'] },
  signal: { name: 'signal handler body', ops: ['systemstack', 'repeat'] },
};

/** Ops of format 1 this version does not model yet (outside the timeline), with the mechanism they need. */
export const NOT_YET: Readonly<Record<string, string>> = {};

// ---- fields ----

/** What a field holds. `id` creates a name; `ref` names something an earlier step created. */
export type FieldType =
  | { t: 'id'; of: 'thread' | 'block' | 'goroutine' | 'm' | 'function' | 'panic' | 'chan' | 'coro' }
  | { t: 'ref'; to: 'thread' | 'block' | 'goroutine' | 'm' | 'chan' | 'wg' | 'coro'; also?: readonly string[] }
  | { t: 'address' }
  | { t: 'size' }
  | { t: 'range' }
  | { t: 'bool' }
  | { t: 'int'; min: number; max: number }
  | { t: 'enum'; values: () => readonly string[]; unknown: (v: string) => string }
  | { t: 'body'; kind: BodyKind | 'same' }
  | { t: 'object'; fields: readonly FieldDef[] }
  | { t: 'ptrs' };

export interface FieldDef {
  name: string;
  type: FieldType;
  required?: boolean;
  /** The unit of a number ("bytes", "frames", "times"). */
  unit?: string;
  /** What an absent optional field means. */
  default?: string | number | boolean;
  doc: string;
}

// ---- ops ----

/** An op's values after validation: whatever its validate returns, its encode reads. */
export interface OpDef<V = unknown> {
  name: string;
  /** The record's op code (offset 0). */
  code: number;
  doc: string;
  /** Fields, in the order messages list them; `fieldsIn` overrides them inside some bodies. */
  fields: readonly FieldDef[];
  fieldsIn?: Partial<Record<BodyKind, readonly FieldDef[]>>;
  /** Input errors found while running, by the field (path below the op) they are about. */
  subjects?: Partial<Record<InvalidName, string>>;
  /** Semantic checks and name resolution; throws ScenarioError with the field's path. */
  validate(s: StepReader, v: Validator): V;
  /** Writes the record's fields after the op code (offsets as in assembly/interp.ts). */
  encode(w: OpWriter, v: V): void;
}

/** Input errors that are about the same field whatever the op. */
export const DEFAULT_SUBJECTS: Partial<Record<InvalidName, string>> = {
  FREED_TWICE: 'id', BLOCK_LIVE: 'id', M_BUSY: 'm.id', M_EXITED: 'm.id', M_STACK: 'm.stack', BAD_SWITCH: 'to',
  C_STACK_OVERFLOW: 'bytes', THREAD_EXITED: 'thread', THREAD_BLOCKED: 'thread', THREAD_IN_GO: 'thread',
};

function op<V>(d: OpDef<V>): OpDef<V> { return d; }

/** An op with no fields: its record is the op code alone. */
function bare(name: string, code: number, doc: string): OpDef<null> {
  return op({ name, code, doc, fields: [], validate: () => null, encode: () => {} });
}

const f = {
  thread: (doc = 'the C thread (a `thread` id)'): FieldDef => ({ name: 'thread', type: { t: 'ref', to: 'thread' }, required: true, doc }),
  body: (name: string, kind: BodyKind | 'same', doc: string, required = true): FieldDef => ({ name, type: { t: 'body', kind }, required, doc }),
  bytes: (doc: string): FieldDef => ({ name: 'bytes', type: { t: 'size' }, required: true, unit: 'bytes', doc }),
  sp: (doc: string, required = false): FieldDef => ({ name: 'sp', type: { t: 'address' }, required, doc }),
};

const SWITCH_TO: FieldDef = {
  name: 'to', type: { t: 'ref', to: 'block', also: ['thread'] }, required: true,
  doc: 'a `malloc` block id, or "thread" for the thread\'s own stack',
};
const CHAN_REF: FieldDef = { name: 'ch', type: { t: 'ref', to: 'chan' }, required: true, doc: 'a channel made by an earlier `chan`' };
const WG_REF: FieldDef = { name: 'wg', type: { t: 'ref', to: 'wg' }, required: true, doc: 'a wait group (any name; its zero value is ready to use)' };
const CORO_REF: FieldDef = { name: 'it', type: { t: 'ref', to: 'coro' }, required: true, doc: 'an iterator made by an earlier `pull`' };
const CALLBACK_SP = f.sp('SP_cb, the system SP cgocallback records', false);
const SIGNAL_IN_NEEDM: FieldDef = {
  name: 'signalInNeedm', type: { t: 'bool' }, default: false,
  doc: 'a signal arrives while this callback\'s needm runs (needm blocks signals until minit; TestNeedmDeadlock)',
};
const STACK_RANGE = (doc: string, required = false): FieldDef => ({ name: 'stack', type: { t: 'range' }, required, doc });

// `assert`: one field per check (assembly/assert.ts says what each reads in runtime terms).
const ASSERT_CHECK = {
  numGoroutine: ASSERT.NUM_GOROUTINE, extraMInUse: ASSERT.EXTRA_M_IN_USE, tracebackContexts: ASSERT.TRACEBACK_CONTEXTS,
  sameM: ASSERT.SAME_M, sameThread: ASSERT.SAME_THREAD, locked: ASSERT.LOCKED, savedM: ASSERT.SAVED_M,
} as const;
const COUNT = { t: 'int', min: 0, max: 1_000_000 } as const;
/** The process-wide checks: also on the timeline, which stands for the main goroutine. */
const ASSERT_COUNTS: readonly FieldDef[] = [
  { name: 'numGoroutine', type: COUNT, doc: 'runtime.NumGoroutine() equals this: the main goroutine, plus every goroutine not exited; an idle extra M\'s goroutine is not counted, one running a callback is' },
  { name: 'extraMInUse', type: COUNT, doc: 'extra Ms off the extra list (taken by needm, or kept by a pthread key) equal this' },
  { name: 'tracebackContexts', type: COUNT, doc: 'cgo traceback contexts taken and not yet released (callbacks in progress while tracebackContext is on; a panic past C leaks one) equal this' },
];
/** Checks about the running goroutine: Go bodies only. */
const ASSERT_GOROUTINE: readonly FieldDef[] = [
  { name: 'sameM', type: { t: 'bool' }, doc: 'true: this thread runs on the same M as at its previous sameM check (false: a different one); the first check only records' },
  { name: 'savedM', type: { t: 'bool' }, doc: 'true: this code runs on the M the process\'s first savedM check saved, whatever the thread (false: a different one); the first check only saves it (a Go global, as TestEnsureDropM\'s savedM)' },
  { name: 'sameThread', type: { t: 'bool' }, doc: 'true: this goroutine runs on the same thread as at its previous sameThread check (false: a different one); the first check only records' },
  { name: 'locked', type: { t: 'bool' }, doc: 'whether the goroutine is locked to its thread (lockedOSThread())' },
];
const ASSERT_FIELDS = [...ASSERT_COUNTS, ...ASSERT_GOROUTINE];

export const OPS: readonly OpDef<any>[] = [
  // ---- timeline ----
  op({
    name: 'thread', code: OP.THREAD, doc: 'pthread_create: a C thread whose pthread stack is [lo, hi); its SP starts 0x200 below hi. In a C body: a thread the C code creates and joins, whose start routine calls the Go function fn (needm on a fresh thread; its exit drops the M)',
    fields: [
      { name: 'id', type: { t: 'id', of: 'thread' }, required: true, doc: 'the thread\'s name' },
      STACK_RANGE('the pthread stack [lo, hi), at least 4KiB', true),
      { name: 'main', type: { t: 'bool' }, default: false, doc: 'the process\'s main thread (getstackbound answers from the main thread\'s stack)' },
    ],
    fieldsIn: {
      c: [
        { name: 'stack', type: { t: 'size' }, default: '256KiB', unit: 'bytes', doc: 'the new thread\'s stack size (pthread_attr_setstacksize), at least 4KiB; the simulator places it' },
        f.body('fn', 'go', 'the exported Go function its start routine calls'),
      ],
    },
    subjects: { REGION_OVERLAP: 'stack', NO_SPACE: 'stack', TOO_MANY: 'stack', THREAD_BLOCKED: 'fn' },
    validate(s, v) {
      if (s.kind === 'c') {
        // pthread_create + pthread_join from C: a thread of its own, run to its end (cgocall.ts).
        const size = s.get<bigint>('stack') ?? 256n * 1024n;
        if (size < MIN_THREAD_STACK || size > v.windowSize) throw new ScenarioError(s.at('stack'), `must be from 4KiB to the window size, got ${size}`);
        return { spawn: true as const, size, fn: v.body(s.raw('fn'), s.at('fn'), 'go') };
      }
      const id = s.get<string>('id');
      v.refuseDuplicate('thread', id, s.at('id'));
      if (v.inRepeat) throw new ScenarioError(s.path, '"thread" cannot be inside "repeat": thread ids are created once');
      const [lo, hi] = v.stackRange(s.get('stack'), s.at('stack'));
      if (hi - lo < MIN_THREAD_STACK) throw new ScenarioError(s.at('stack'), 'must be at least 4KiB: a thread starts 0x200 below the top of its stack');
      const isMain = s.get<boolean>('main') ?? false;
      const index = v.defineThread(id, isMain, s);
      return { index, isMain, lo, hi };
    },
    encode(w, x) {
      if ('spawn' in x) { w.u64(OPR_X, x.size!); w.body(OPR_START, x.fn!); return; }
      w.u32(OPR_A, x.index); w.u32(OPR_D, x.isMain ? TF_MAIN : 0); w.u64(OPR_X, x.lo); w.u64(OPR_Y, x.hi);
    },
  }),
  op({
    name: 'malloc', code: OP.MALLOC, doc: 'a C heap block (a coroutine or fiber stack); allocating a freed id again reuses it',
    fields: [
      { name: 'id', type: { t: 'id', of: 'block' }, required: true, doc: 'the block\'s name' },
      { name: 'size', type: { t: 'size' }, required: true, unit: 'bytes', doc: 'from 1 byte to the window size' },
      { name: 'at', type: { t: 'address' }, doc: 'pins the block\'s address; otherwise the simulator places it by the scenario\'s `malloc` policy (glibc: a thread arena below the thread stacks; musl: the brk heap)' },
      { name: 'guard', type: { t: 'bool' }, default: false, doc: 'the block is its own mapping with a PROT_NONE guard page (4KiB) below it, as mmap + mprotect users do: runtime frames that run off its bottom fault (SIGSEGV) instead of corrupting what lies below' },
    ],
    subjects: { REGION_OVERLAP: 'at', NO_SPACE: 'size' },
    validate(s, v) {
      const id = s.get<string>('id');
      const size = s.get<bigint>('size');
      if (size === 0n || size > v.windowSize) throw new ScenarioError(s.at('size'), `must be from 1 byte to the window size, got ${size}`);
      const index = v.defineBlock(id, s.path);
      const at = s.get<bigint>('at');
      const guard = s.get<boolean>('guard') ?? false;
      if (at === undefined && v.mallocPolicy === 'explicit') throw new ScenarioError(s.path, 'needs "at": the scenario\'s malloc policy is "explicit"');
      if (at !== undefined && at % MALLOC_ALIGN !== 0n) throw new ScenarioError(s.at('at'), `must be ${MALLOC_ALIGN}-byte aligned, as malloc returns blocks on 64-bit platforms, got 0x${at.toString(16)}`);
      if (at !== undefined) v.inWindow(guard ? at - 4096n : at, at + size, s.at('at'), 'block');
      return { index, size, at, guard };
    },
    encode(w, x) {
      w.u32(OPR_A, x.index); w.u64(OPR_X, x.size);
      w.u32(OPR_D, (x.at !== undefined ? MALLOC_AT : 0) | (x.guard ? MALLOC_GUARD : 0));
      if (x.at !== undefined) w.u64(OPR_Y, x.at);
    },
  }),
  op({
    name: 'carve', code: OP.CARVE,
    doc: 'a coroutine stack cut out of the thread\'s own live stack (alloca, or a local array in the frame that runs the fiber): [sp - size, sp) just below the thread\'s SP, which then sits below it; `switch` to it by its id; runtime frames that run off its bottom overwrite the thread\'s own live frames',
    fields: [
      { name: 'id', type: { t: 'id', of: 'block' }, required: true, doc: 'the carved stack\'s name (a block id: `switch` and `free` take it)' },
      f.thread(),
      { name: 'size', type: { t: 'size' }, required: true, unit: 'bytes', doc: 'the coroutine stack\'s size' },
    ],
    subjects: { BAD_CARVE: 'size' },
    validate(s, v) {
      const thread = v.threadRef(s.get('thread'), s.at('thread'));
      const size = s.get<bigint>('size');
      if (size < 256n || size > v.windowSize) throw new ScenarioError(s.at('size'), `must be from 256 bytes to the window size, got ${size}`);
      return { thread, index: v.defineBlock(s.get<string>('id'), s.path), size };
    },
    encode(w, x) { w.u32(OPR_A, x.thread); w.u32(OPR_D, x.index); w.u64(OPR_X, x.size); },
  }),
  op({
    name: 'free', code: OP.FREE, doc: 'free a block; its bytes are poisoned',
    fields: [{ name: 'id', type: { t: 'ref', to: 'block' }, required: true, doc: 'a `malloc` block id' }],
    validate(s, v) { return v.blockRef(s.get('id'), s.at('id')); },
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'switch', code: OP.SWITCH, doc: 'makecontext/swapcontext: the thread runs on another stack from now on',
    fields: [f.thread(), SWITCH_TO],
    fieldsIn: { c: [SWITCH_TO] },
    validate(s, v) {
      const thread = s.kind === 'c' ? 0 : v.threadRef(s.get('thread'), s.at('thread'));
      return { thread, to: v.blockTarget(s.get('to'), s.at('to')) };
    },
    encode(w, x) { w.u32(OPR_A, x.thread); w.u32(OPR_D, x.to); },
  }),
  op({
    name: 'callback', code: OP.CALLBACK, doc: 'C calls an exported Go function on the thread\'s current stack (a nested callback inside a C body)',
    subjects: { SP_OUTSIDE: 'sp' },
    fields: [f.thread(), CALLBACK_SP, f.body('fn', 'go', 'the Go body the callback runs'), SIGNAL_IN_NEEDM],
    fieldsIn: { c: [f.body('fn', 'go', 'the Go body the callback runs'), CALLBACK_SP, SIGNAL_IN_NEEDM] },
    validate(s, v) {
      const thread = s.kind === 'c' ? 0 : v.threadRef(s.get('thread'), s.at('thread'));
      const sp = s.has('sp') ? v.sp(s.get('sp'), s.at('sp')) : undefined;
      const signalInNeedm = s.get<boolean>('signalInNeedm') ?? false;
      return { thread, sp, fn: v.body(s.raw('fn'), s.at('fn'), 'go'), signalInNeedm };
    },
    encode(w, x) {
      w.u32(OPR_A, x.thread);
      if (x.sp !== undefined) { w.u32(OPR_D, 1); w.u64(OPR_X, x.sp); }
      if (x.signalInNeedm) w.u32(OPR_E, 1);
      w.body(OPR_START, x.fn);
    },
  }),
  op({
    name: 'signal', code: OP.SIGNAL,
    doc: 'a signal arrives on the thread and its handler runs Go: at sp when given, else where the kernel puts it (the thread\'s sigaltstack, or below its SP); in a Go body: while that Go code runs, with no handler body',
    fields: [f.thread(), f.sp('where the handler runs; absent: the kernel chooses from the thread\'s sigaltstack and sigtrampgo checks it'), f.body('fn', 'signal', 'what the handler runs', false)],
    fieldsIn: { go: [] },
    validate(s, v) {
      if (s.kind === 'go') return { thread: 0, sp: undefined, fn: undefined };
      const thread = v.threadRef(s.get('thread'), s.at('thread'));
      const sp = s.has('sp') ? v.sp(s.get('sp'), s.at('sp')) : undefined;
      return { thread, sp, fn: v.body(s.raw('fn') ?? [], s.at('fn'), 'signal') };
    },
    encode(w, x) {
      w.u32(OPR_A, x.thread);
      if (x.sp !== undefined) { w.u32(OPR_D, 1); w.u64(OPR_X, x.sp); }
      if (x.fn !== undefined) w.body(OPR_START, x.fn);
    },
  }),
  op({
    name: 'osExit', code: OP.OS_EXIT,
    doc: 'main.main returns (or os.Exit(0)): runtime.main exits with exit_group, so C destructors never run; with race, racefini runs __tsan_fini, whose exit() runs them on this thread first',
    fields: [{ name: 'race', type: { t: 'bool' }, default: false, doc: 'the program is built with -race: racefini runs the C destructors registered with `atexit` before the process ends' }],
    validate(s) { return s.get<boolean>('race') ?? false; },
    encode(w, race) { if (race) w.u32(OPR_D, 1); },
  }),
  op({
    name: 'atexit', code: OP.ATEXIT,
    doc: 'C registers a destructor (atexit, or a constructor registering an __attribute__((destructor)) function): C\'s exit() runs fn, the last registered first',
    fields: [f.body('fn', 'c', 'what the destructor does (a C body: it may call back into Go)')],
    validate(s, v) { return v.body(s.raw('fn'), s.at('fn'), 'c'); },
    encode(w, fn) { w.body(OPR_START, fn); },
  }),
  op({
    name: 'sigaltstack', code: OP.SIGALTSTACK, doc: 'C sets the thread\'s alternate signal stack to a block (sigaltstack(2)), or disables it',
    fields: [f.thread(), {
      name: 'stack', type: { t: 'ref', to: 'block', also: ['none'] }, required: true,
      doc: 'a `malloc` block id, or "none" for SS_DISABLE',
    }],
    validate(s, v) {
      const thread = v.threadRef(s.get('thread'), s.at('thread'));
      const id = s.get<string>('stack');
      return { thread, block: id === 'none' ? 0 : v.blockRef(id, s.at('stack')) + 1 };
    },
    encode(w, x) { w.u32(OPR_A, x.thread); w.u32(OPR_D, x.block); },
  }),
  op({
    name: 'exit', code: OP.EXIT, doc: 'the thread exits (its pthread-key destructor runs dropm where the profile binds Ms)',
    fields: [f.thread()],
    validate(s, v) {
      const index = v.threadRef(s.get('thread'), s.at('thread'));
      v.threadExits(s.get('thread'));
      return index;
    },
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'go', code: OP.GO, doc: 'a Go-created goroutine runs fn on a Go-created M until it finishes or blocks',
    fields: [
      { name: 'id', type: { t: 'id', of: 'goroutine' }, required: true, doc: 'the goroutine\'s name; "G7" keeps 7 as its goid. Inside `repeat` each run starts a goroutine of its own (the first keeps the id\'s goid, later ones get fresh goids) and the id names the latest' },
      f.body('fn', 'go', 'what the goroutine runs'),
      STACK_RANGE('pins the goroutine\'s stack [lo, hi), at least 2KiB; otherwise the runtime allocates it'),
      {
        name: 'm', type: {
          t: 'object', fields: [
            { name: 'id', type: { t: 'id', of: 'm' }, required: true, doc: 'names the M (used by resumeOn and in messages)' },
            STACK_RANGE('pins the M\'s thread (g0) stack [lo, hi), at least 4KiB'),
            { name: 'main', type: { t: 'bool' }, default: false, doc: 'the M is m0, on the process\'s main thread (said where the M is first named)' },
          ],
        },
        doc: 'the M that runs it; otherwise a new M of its own',
      },
    ],
    fieldsIn: {
      go: [
        { name: 'id', type: { t: 'id', of: 'goroutine' }, required: true, doc: 'the new goroutine\'s name; "G7" keeps 7 as its goid. Inside `repeat` each run starts a goroutine of its own (the first keeps the id\'s goid, later ones get fresh goids) and the id names the latest' },
        f.body('fn', 'go', 'what the goroutine runs'),
        STACK_RANGE('pins the goroutine\'s stack [lo, hi), at least 2KiB; otherwise the runtime allocates it'),
      ],
    },
    subjects: { REGION_OVERLAP: 'stack', NO_SPACE: 'stack', M_BUSY: 'id', TOO_MANY_GS: 'id' },
    validate(s, v) {
      const id = s.get<string>('id');
      // Inside `repeat`, each run starts a goroutine of its own; the id names the latest (cgocall.ts goInstance).
      const repeated = v.inRepeat;
      const g = v.defineGoroutine(id, s);
      let stack: [bigint, bigint] | undefined;
      if (s.has('stack')) {
        stack = v.stackRange(s.get('stack'), s.at('stack'));
        if (stack[1] - stack[0] < MIN_GO_STACK) throw new ScenarioError(s.at('stack'), 'must be at least 2KiB (stackMin)');
      }
      if (s.kind === 'go') return { g, stack, mStack: undefined, mSlot: 0, newproc: true, repeated, fn: v.body(s.raw('fn'), s.at('fn'), 'go') };
      let mName = `(M for ${id})`;
      let mStack: [bigint, bigint] | undefined;
      let mainM = false;
      const m = s.object('m');
      if (m) {
        mName = m.get<string>('id');
        if (m.get<boolean>('main') === true) {
          v.defineMainM(mName, m.at('main'));
          mainM = true;
        }
        if (m.has('stack')) {
          mStack = v.stackRange(m.get('stack'), m.at('stack'));
          if (mStack[1] - mStack[0] < MIN_THREAD_STACK) throw new ScenarioError(m.at('stack'), 'must be at least 4KiB');
        }
      }
      const mSlot = v.mSlot(mName);
      return { g, stack, mStack, mSlot, mainM, newproc: false, repeated, fn: v.body(s.raw('fn'), s.at('fn'), 'go') };
    },
    encode(w, x) {
      w.u32(OPR_A, x.g);
      if (x.stack) { w.u64(OPR_X, x.stack[0]); w.u64(OPR_Y, x.stack[1]); }
      const each = x.repeated ? GO_REPEATED : 0;
      if (x.newproc) {
        w.u32(OPR_E, 1 | each);
        w.body(OPR_START, x.fn);
        w.u64(OPR_V, w.goid(x.g));
        return;
      }
      if (x.mStack) { w.u64(OPR_Z, x.mStack[0]); w.u64(OPR_W, x.mStack[1]); }
      w.u32(OPR_D, x.mSlot);
      w.u32(OPR_E, (x.mainM ? GO_M_MAIN : 0) | each);
      w.body(OPR_START, x.fn);
      w.u64(OPR_V, w.goid(x.g));
    },
  }),
  op({
    name: 'resume', code: OP.RESUME, doc: 'what blocked in C continues: exactly one of a goroutine (g) or a C thread (thread)',
    fields: [
      { name: 'g', type: { t: 'ref', to: 'goroutine' }, doc: 'a goroutine blocked in C' },
      { name: 'thread', type: { t: 'ref', to: 'thread' }, doc: 'a C thread blocked in C' },
    ],
    subjects: { NOT_BLOCKED: 'g' },
    validate(s, v) {
      if (s.has('g') && !s.has('thread')) return { index: v.goroutineRef(s.get('g'), s.at('g')), thread: false };
      if (s.has('thread') && !s.has('g')) return { index: v.threadRef(s.get('thread'), s.at('thread')), thread: true };
      throw new ScenarioError(s.path, 'needs exactly one of "g" (a goroutine blocked in C) or "thread" (a C thread blocked in C)');
    },
    encode(w, x) { w.u32(OPR_A, x.index); if (x.thread) w.u32(OPR_E, 1); },
  }),
  op({
    name: 'repeat', code: OP.REPEAT, doc: 'runs the nested steps count times (long runs, benchmarks)',
    fields: [
      { name: 'count', type: { t: 'int', min: 0, max: 0xffffffff }, required: true, unit: 'times', doc: 'how many times' },
      f.body('steps', 'same', 'the steps, of the same kind as the body the repeat stands in'),
    ],
    validate(s, v) {
      const count = s.get<number>('count');
      return { count, steps: v.repeatBody(s.raw('steps'), s.at('steps'), s.kind) };
    },
    encode(w, x) { w.u32(OPR_A, x.count); w.body(OPR_START, x.steps); },
  }),
  op({
    name: 'preempt', code: OP.PREEMPT,
    doc: 'a preemption request (as sysmon posts): in a Go body for the running goroutine; on the timeline for goroutine g, which resumeOn may pin to an M',
    fields: [
      { name: 'g', type: { t: 'ref', to: 'goroutine' }, required: true, doc: 'the goroutine' },
      { name: 'resumeOn', type: { t: 'ref', to: 'm' }, doc: 'the M (a `go` step\'s m.id) that runs it again; otherwise the seeded scheduler chooses' },
    ],
    fieldsIn: {
      go: [],
      hook: [
        { name: 'g', type: { t: 'ref', to: 'goroutine' }, doc: 'the goroutine; default the one at the point' },
        { name: 'resumeOn', type: { t: 'ref', to: 'm' }, doc: 'the M that runs it again' },
      ],
    },
    validate(s, v) {
      if (s.kind === 'go') return { g: undefined, resumeOn: undefined };
      const g = s.has('g') ? v.goroutineRef(s.get('g'), s.at('g')) : PREEMPT_HOOK_G;
      const resumeOn = s.has('resumeOn') ? v.mSlot(s.get('resumeOn')) + 1 : undefined;
      return { g, resumeOn };
    },
    encode(w, x) {
      if (x.g !== undefined) w.u32(OPR_A, x.g);
      if (x.resumeOn !== undefined) w.u32(OPR_D, x.resumeOn);
    },
  }),
  op({
    name: 'at', code: OP.AT, doc: 'the next time goroutine g (any, without g) reaches the interleaving point, run steps first',
    fields: [
      {
        name: 'point', type: { t: 'enum', values: () => POINTS.map((p) => p.name), unknown: (p) => `unknown point ${JSON.stringify(p)}; "cgosim points" lists them: ${POINTS.map((q) => q.name).join(', ')}` },
        required: true, doc: 'a point name (`cgosim points`)',
      },
      { name: 'g', type: { t: 'ref', to: 'goroutine' }, doc: 'the goroutine; its `go` may come later' },
      f.body('steps', 'hook', 'the steps to run there'),
    ],
    validate(s, v) {
      const point = pointId(s.get<string>('point'))!;
      const g = s.has('g') ? v.goroutineRef(s.get('g'), s.at('g'), true) + 1 : undefined;
      return { point, g, steps: v.body(s.raw('steps'), s.at('steps'), 'hook') };
    },
    encode(w, x) { w.u32(OPR_A, x.point); if (x.g !== undefined) w.u32(OPR_D, x.g); w.body(OPR_START, x.steps); },
  }),
  bare('gc', OP.GC, 'a full GC cycle now: every goroutine stack is scanned and shrunk where the profile allows'),
  bare('traceStart', OP.TRACE_START, 'the execution tracer starts'),
  bare('traceAdvance', OP.TRACE_ADVANCE, 'the execution tracer advances a generation (the goroutine status pass)'),
  bare('traceStop', OP.TRACE_STOP, 'the execution tracer stops'),
  // ---- Go bodies ----
  bare('systemstack', OP.SYSTEMSTACK, 'a splittable function runs on g0 (as debug.SetGCPercent does): the g0 split check'),
  op({
    name: 'cgocall', code: OP.CGOCALL, doc: 'Go calls C: entersyscall, C runs on g0, exitsyscall',
    fields: [
      f.body('fn', 'c', 'what C does'),
      { name: 'nocallback', type: { t: 'bool' }, default: false, doc: 'the C function is marked `#cgo nocallback` (cgo accepts the directive from go1.24): a callback from it panics' },
    ],
    subjects: { NOCALLBACK_UNSUPPORTED: 'nocallback' },
    validate: (s, v) => ({ fn: v.body(s.raw('fn'), s.at('fn'), 'c'), nocallback: s.get<boolean>('nocallback') ?? false }),
    encode(w, x) { w.body(OPR_START, x.fn); if (x.nocallback) w.u32(OPR_D, 1); },
  }),
  op({
    name: 'recover', code: OP.RECOVER,
    doc: 'calls a function whose deferred closure calls recover(), and runs fn in it: a panic in fn, even through callbacks and C frames, ends here and the function returns normally',
    fields: [
      f.body('fn', 'go', 'what the function runs'),
      { name: 'value', type: { t: 'id', of: 'panic' }, doc: 'the value recover() must return (the test\'s check of it); a different value, or no panic at all, is verdict "failed". Without it any panic, or none, is fine' },
    ],
    validate(s, v) {
      const value = s.has('value') ? v.panicValue(s.get<string>('value')) + 1 : 0;
      return { value, fn: v.body(s.raw('fn'), s.at('fn'), 'go') };
    },
    encode(w, x) { w.u32(OPR_A, x.value); w.body(OPR_START, x.fn); },
  }),
  op({
    name: 'panic', code: OP.PANIC, doc: 'panic(value): unwinds to the innermost `recover`, running the deferred calls of every callback it passes (unwindm restores g0.sched.sp); with none, the program dies printing "panic: value"',
    fields: [{ name: 'value', type: { t: 'id', of: 'panic' }, required: true, doc: 'the panic value (a string, as panic("...") prints it)' }],
    validate: (s, v) => v.panicValue(s.get<string>('value')) + 1,
    encode(w, value) { w.u32(OPR_A, value); },
  }),
  bare('goexit', OP.GOEXIT, 'runtime.Goexit: runs every deferred call of the goroutine (through callbacks), then ends it; a goroutine still internally locked to its thread (a callback\'s) throws'),
  bare('lockOSThread', OP.LOCK, 'runtime.LockOSThread'),
  bare('unlockOSThread', OP.UNLOCK, 'runtime.UnlockOSThread'),
  op({
    name: 'call', code: OP.CALL, doc: 'push depth frames of frame bytes with a stack map, run fn, pop them; the stack grows by copystack when needed',
    fields: [
      { name: 'frame', type: { t: 'size' }, required: true, unit: 'bytes', doc: 'the frame size, at most 1MiB; rounded up to words, at least 16' },
      { name: 'ptrs', type: { t: 'ptrs' }, doc: 'pointer slots: byte offsets from SP, or { at, value } to put a chosen value there' },
      { name: 'depth', type: { t: 'int', min: 0, max: 100000 }, default: 1, unit: 'frames', doc: 'how many frames' },
      f.body('fn', 'go', 'what runs in the innermost frame', false),
      { name: 'name', type: { t: 'id', of: 'function' }, default: 'main.call<k>', doc: 'the function\'s name in crash texts' },
    ],
    validate(s, v) {
      const func = v.defineFunc(s);
      const depth = s.get<number>('depth') ?? 1;
      return { func, depth, fn: v.body(s.raw('fn') ?? [], s.at('fn'), 'go') };
    },
    encode(w, x) { w.u32(OPR_A, x.func); w.u32(OPR_D, x.depth); w.body(OPR_START, x.fn); },
  }),
  op({
    name: 'grow', code: OP.GROW, doc: 'recurse until bytes of stack are in use, with frames that hold stack pointers',
    fields: [f.bytes('stack in use to reach')],
    validate: (s) => s.get<bigint>('bytes'),
    encode(w, bytes) { w.u64(OPR_X, bytes); },
  }),
  op({
    name: 'setMaxStack', code: OP.SETMAXSTACK, doc: 'debug.SetMaxStack',
    fields: [f.bytes('the new maximum goroutine stack size, at least 4KiB')],
    validate(s) {
      const n = s.get<bigint>('bytes');
      if (n < 4096n) throw new ScenarioError(s.at('bytes'), `must be at least 4KiB, got ${n}`);
      return n;
    },
    encode(w, bytes) { w.u64(OPR_X, bytes); },
  }),
  bare('gosched', OP.GOSCHED, 'runtime.Gosched'),
  op({
    name: 'park', code: OP.PARK, doc: 'gopark with a wait reason',
    fields: [{
      name: 'reason', required: true, doc: 'a wait reason string, e.g. "sync.Mutex.Lock"',
      type: { t: 'enum', values: () => Object.keys(WAIT_REASONS), unknown: (r) => `unknown wait reason ${JSON.stringify(r)}; known: ${Object.keys(WAIT_REASONS).map((k) => JSON.stringify(k)).join(', ')}` },
    }],
    validate: (s) => WAIT_REASONS[s.get<string>('reason')]!,
    encode(w, reason) { w.u32(OPR_A, reason); },
  }),
  bare('readMemStats', OP.READMEMSTATS, 'runtime.ReadMemStats: the stop-the-world path'),
  op({
    name: 'assert', code: OP.ASSERT,
    doc: 'the program checks the runtime from inside, as Go\'s cgo tests do (exactly one field); a failed check ends the run with verdict "failed"',
    fields: [...ASSERT_COUNTS, ...ASSERT_GOROUTINE],
    fieldsIn: { timeline: ASSERT_COUNTS },
    validate(s) {
      const given = ASSERT_FIELDS.filter((f) => s.has(f.name));
      if (given.length !== 1) {
        const names = (s.kind === 'timeline' ? ASSERT_COUNTS : ASSERT_FIELDS).map((f) => `"${f.name}"`).join(', ');
        throw new ScenarioError(s.path, `needs exactly one check of ${names}${given.length > 1 ? `, got ${given.map((f) => `"${f.name}"`).join(' and ')}` : ''}`);
      }
      const name = given[0]!.name as keyof typeof ASSERT_CHECK;
      const v = s.get<number | boolean>(name);
      return { check: ASSERT_CHECK[name], value: typeof v === 'boolean' ? (v ? 1 : 0) : v };
    },
    encode(w, x) { w.u32(OPR_A, x.check); w.u32(OPR_D, 1); w.u64(OPR_X, BigInt(x.value)); },
  }),
  // ---- parking and waking (assembly/sync.ts) ----
  op({
    name: 'chan', code: OP.MAKECHAN, doc: 'make(chan T, cap): a channel, empty and open (making an id again makes a new channel under it)',
    fields: [
      { name: 'id', type: { t: 'id', of: 'chan' }, required: true, doc: 'the channel\'s name' },
      { name: 'cap', type: { t: 'int', min: 0, max: 0x7fffffff }, default: 0, unit: 'values', doc: 'the buffer size; 0 is unbuffered' },
    ],
    validate(s, v) { return { index: v.defineChan(s.get<string>('id'), s.at('id')), cap: s.get<number>('cap') ?? 0 }; },
    encode(w, x) { w.u32(OPR_A, x.index); w.u64(OPR_X, BigInt(x.cap)); },
  }),
  op({
    name: 'send', code: OP.SEND, doc: 'ch <- v: hands the value to a waiting receiver, else buffers it, else parks ("chan send")',
    fields: [CHAN_REF],
    validate: (s, v) => v.syncRef(s.get<string>('ch'), s.at('ch'), 'chan'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'recv', code: OP.RECV, doc: '<-ch: takes from a waiting sender or the buffer; the zero value from a closed empty channel; else parks ("chan receive")',
    fields: [CHAN_REF],
    validate: (s, v) => v.syncRef(s.get<string>('ch'), s.at('ch'), 'chan'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'close', code: OP.CLOSE, doc: 'close(ch): every waiting receiver goes on; closing twice, or a send after, panics',
    fields: [CHAN_REF],
    validate: (s, v) => v.syncRef(s.get<string>('ch'), s.at('ch'), 'chan'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'sleep', code: OP.SLEEP,
    doc: 'time passes: in a Go body time.Sleep (parks until the simulated clock reaches now + us); in C (usleep) or on the timeline the clock moves on and due timers fire',
    fields: [{ name: 'us', type: { t: 'int', min: 0, max: 0x7fffffff }, required: true, unit: 'microseconds', doc: 'how long' }],
    validate: (s) => BigInt(s.get<number>('us')) * 1000n,
    encode(w, ns) { w.u64(OPR_X, ns); },
  }),
  op({
    name: 'wgAdd', code: OP.WG_ADD, doc: 'sync.WaitGroup.Add(n): at zero every Wait returns; below zero panics',
    fields: [WG_REF, { name: 'n', type: { t: 'int', min: -0x7fffffff, max: 0x7fffffff }, default: 1, doc: 'the delta' }],
    validate: (s, v) => ({ index: v.syncRef(s.get<string>('wg'), s.at('wg'), 'wg'), n: s.get<number>('n') ?? 1 }),
    encode(w, x) { w.u32(OPR_A, x.index); w.u64(OPR_X, BigInt.asUintN(64, BigInt(x.n))); },
  }),
  op({
    name: 'wgDone', code: OP.WG_ADD, doc: 'sync.WaitGroup.Done: Add(-1)',
    fields: [WG_REF],
    validate: (s, v) => v.syncRef(s.get<string>('wg'), s.at('wg'), 'wg'),
    encode(w, index) { w.u32(OPR_A, index); w.u64(OPR_X, BigInt.asUintN(64, -1n)); },
  }),
  op({
    name: 'wgWait', code: OP.WG_WAIT, doc: 'sync.WaitGroup.Wait: parks ("semacquire") while the counter is above zero',
    fields: [WG_REF],
    validate: (s, v) => v.syncRef(s.get<string>('wg'), s.at('wg'), 'wg'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'pull', code: OP.PULL,
    doc: 'iter.Pull (go1.23+): a coroutine whose goroutine waits to run the iterator fn; next/yield switch to it and back on the same M, stop ends it',
    fields: [
      { name: 'id', type: { t: 'id', of: 'coro' }, required: true, doc: 'the iterator\'s name (next, yield and stop name it)' },
      f.body('fn', 'go', 'the iterator: what the coroutine\'s goroutine runs; its `yield` steps hand control back'),
    ],
    validate(s, v) {
      if (v.inRepeat) throw new ScenarioError(s.path, '"pull" cannot be inside "repeat": an iterator id is created once');
      const id = s.get<string>('id');
      const index = v.defineCoro(id, s.at('id'));
      const g = v.defineGoroutine(`(iterator ${id})`, s);
      return { index, g, fn: v.body(s.raw('fn'), s.at('fn'), 'go') };
    },
    encode(w, x) { w.u32(OPR_A, x.index); w.u32(OPR_D, x.g); w.body(OPR_START, x.fn); w.u64(OPR_V, w.goid(x.g)); },
  }),
  op({
    name: 'next', code: OP.NEXT, doc: 'the next func iter.Pull returned: coroswitch to the iterator (at once when it has finished)',
    fields: [CORO_REF],
    validate: (s, v) => v.syncRef(s.get<string>('it'), s.at('it'), 'coro'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'yield', code: OP.YIELD, doc: 'the iterator\'s yield: coroswitch back to whoever called next (returns false without switching after stop)',
    fields: [CORO_REF],
    validate: (s, v) => v.syncRef(s.get<string>('it'), s.at('it'), 'coro'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'stop', code: OP.STOP, doc: 'the stop func iter.Pull returned: marks the iterator done and switches to it so its yield returns false',
    fields: [CORO_REF],
    validate: (s, v) => v.syncRef(s.get<string>('it'), s.at('it'), 'coro'),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  op({
    name: 'join', code: OP.JOIN,
    doc: 'pthread_join, or C waiting for a thread: the timeline waits until the thread is back in C, running what is runnable and firing timers; if nothing can, the process hangs (crash "hang")',
    fields: [f.thread('the C thread to wait for')],
    validate: (s, v) => v.threadRef(s.get('thread'), s.at('thread')),
    encode(w, index) { w.u32(OPR_A, index); },
  }),
  // ---- C bodies ----
  op({
    name: 'stack', code: OP.C_STACK, doc: 'C uses that much more of the current stack before its next op',
    fields: [f.bytes('bytes of stack C uses')],
    validate: (s) => s.get<bigint>('bytes'),
    encode(w, bytes) { w.u64(OPR_X, bytes); },
  }),
  bare('block', OP.C_BLOCK, 'C blocks here; the timeline goes on, and a later `resume` continues it'),
];

const BY_NAME = new Map<string, OpDef<any>>(OPS.map((d) => [d.name, d]));

export function opDef(name: string): OpDef<any> | undefined {
  return BY_NAME.get(name);
}

/** The fields an op has inside a body of this kind. */
export function fieldsOf(d: OpDef<any>, kind: BodyKind): readonly FieldDef[] {
  return d.fieldsIn?.[kind] ?? d.fields;
}

/** The scenario field (below the op's path) that an input error found while running is about. */
export function subjectOf(d: OpDef<any>, error: InvalidName): string {
  return d.subjects?.[error] ?? DEFAULT_SUBJECTS[error] ?? '';
}
