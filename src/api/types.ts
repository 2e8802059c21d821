// The public API of cgosim, declared once. Node (node.ts) and browser (browser.ts) entries only
// adapt how the Wasm bytes are found; everything else is the same object.

import type { FlagName, Platform, ProfileName } from '../model/profiles.js';
import type { FuncDef } from '../scenario/validate.js';
import type { EncodedOps } from '../scenario/encode.js';

export type { FlagName, Platform, ProfileName };

/** An address: a hex string ("0x7f53071ba4f0") or a non-negative integer. */
export type Address = string | number;
/** A size: bytes, or a string with a binary unit ("64KiB", "8MiB", "2048"). */
export type Size = string | number;

/**
 * Scenario steps, per body: generated from the op table by `npm run generate` (src/api/steps.ts),
 * so they admit exactly the ops and fields the validator and the JSON Schema do.
 */
export type { TimelineStep, GoStep, CStep, SignalStep, HookStep } from './steps.js';
import type { TimelineStep } from './steps.js';

/** ok; crash (the runtime threw or faulted); uaf (a read of freed memory); failed (an `assert` step, the
 *  program's own check, failed); corrupt (physical model: g0 frames ran onto another live region, which
 *  real Go would overwrite silently); invalid (input error or budget). */
export type Verdict = 'ok' | 'crash' | 'uaf' | 'failed' | 'corrupt' | 'invalid';

/** What `expect` may say for one profile: a verdict, or fields the result must match. */
export type Expectation =
  | Verdict
  | {
      verdict?: Verdict;
      fatal?: string;
      exitCode?: number;
      crash?: string;
      /** Substring of `output`. */
      output?: string;
      /** Substring of `note`, the simulator's explanation. */
      note?: string;
      counters?: Partial<Record<CounterName, number>>;
    };

/** Where a scenario comes from in Go's own test suite, and how fully it expresses the program. */
export interface GoTestSource {
  /** The test's name (TestCallbackPanic). */
  test: string;
  /** The file(s) of the program in golang/go. */
  program: string;
  /** "fully": the program's runtime path and its own checks are all modelled; "partly": see notes. */
  expressed: 'fully' | 'partly';
  /** What is approximated and why, or anything else a reader should know. */
  notes?: string;
  /** The Go issue the test came with. */
  issue?: string;
}

export interface Scenario {
  /** The JSON Schema an editor should use for this file; cgosim ignores it. */
  $schema?: string;
  format: 1;
  name: string;
  description?: string;
  profile?: string;
  flags?: Partial<Record<FlagName, boolean>> & { CB_UPDATE?: 'V0' | 'V1' | 'V2' | 'V3' };
  platform?: Platform;
  godebug?: string;
  g0CheckDepth?: number;
  /**
   * Extension: the physical model (README "The physical model") is on for this scenario's runs
   * unless a run says otherwise (RunOptions.physical, `--physical`). Default false.
   */
  physical?: boolean;
  /** Extension (physical model): the network poller is initialized; GC's start-the-world runs netpoll on g0. */
  netpoll?: boolean;
  /**
   * Extension: where malloc without `at` puts blocks. Default: the platform's libc under the physical
   * model, else the simulator's own arena placement; "explicit" needs `at` on every malloc.
   */
  malloc?: 'glibc' | 'musl' | 'explicit';
  addressSpace?: { base?: Address; size?: Size };
  seed?: number;
  /** Extension: false models a callback before the runtime made its first extra M. Default true. */
  runtimeStarted?: boolean;
  /** Extension: runtime.SetCgoTraceback with a context function (callbacks push and pop a context). */
  tracebackContext?: boolean;
  /** Extension: the scheduler's strategy for open choices. */
  strategy?: 'random' | 'pct';
  /** Extension: accepted for documentation; the model runs one goroutine at a time. */
  gomaxprocs?: number;
  /** Extension: the Go test this scenario expresses (scenarios/go-tests/; the README's table is made from it). */
  goTest?: GoTestSource;
  steps: TimelineStep[];
  expect?: Record<string, Expectation>;
}

/** The counters' names, indexed as the core counts them (generated from assembly/abi.ts). */
export { COUNTER_NAMES } from '../core/abi.js';
import type { COUNTER_NAMES } from '../core/abi.js';
export type CounterName = (typeof COUNTER_NAMES)[number];

export interface RunError {
  /** Stable code: SCENARIO_INVALID, BUDGET_EXHAUSTED, DEADLINE_EXCEEDED, STATE_INVALID, WASM_TRAP. */
  code: string;
  message: string;
  /** Where in the scenario: "steps[4].fn[0].sp". */
  path?: string;
}

export interface TraceEvent {
  /** The event's number in the whole run (a kept last event keeps its own number). */
  index: number;
  step: string;
  thread: string;
  m: string;
  /** The event's name ("bounds", "g0-check", "go"; report/events.ts lists them). */
  kind: string;
  /** For people: the event with its operands, as the log prints it. */
  text: string;
  /** The core's event kind (assembly/results.ts EV_*); 0 for an "events-omitted" entry. */
  code: number;
  /** The index of the op that was running (CompiledScenario.subjects has its path), or -1. */
  op: number;
  /** The event's operands by name (report/events.ts): addresses as hex strings, counts and ids as numbers. */
  args: Record<string, string | number>;
  /** On the "crash" event: the name of the check that ended the run ("morestack-g0"). */
  crash?: string;
  /** On the "crash" event: the runtime's fatal text, when it throws. */
  fatal?: string;
  /** On an "events-omitted" entry: how many events between the kept first and last ones are left out. */
  omitted?: number;
}

export interface MSnapshot {
  /** The scenario's name for the M ("M1"), "M(G1)" for the M made for a goroutine, or "extraM1", … */
  name: string;
  /** The runtime's m.id (what Go prints as "m="). */
  id: number;
  isextra: boolean;
  thread: string | null;
  procid: number;
  g0: { lo: string; hi: string; stackguard0: string; stackguard1: string };
  g0StackAccurate: boolean;
  isExtraInC: boolean;
  ncgo: number;
  lockedInt: number;
  lockedExt: number;
  onExtraList: boolean;
}

export interface ThreadSnapshot {
  id: string;
  tid: number;
  state: 'live' | 'exited';
  /** The name of the M bound to the thread (see MSnapshot.name). */
  boundM: string | null;
  sp: string;
  stack: [string, string];
}

export interface GoroutineSnapshot {
  /** The scenario's id for `go` goroutines; "g of extraM1" for an extra M's goroutine. */
  id: string;
  goid: number;
  status: string;
  stack: [string, string];
  sched: { sp: string; bp: string; pc: string };
  syscallsp: string;
  syscallbp: string;
  preemptShrink: boolean;
}

export interface StateSnapshot {
  ms: MSnapshot[];
  goroutines: GoroutineSnapshot[];
  threads: ThreadSnapshot[];
  /** Extra-M list from head (next to be taken) to tail, as M names. */
  extraMList: string[];
}

/** How far a running run has got (RunOptions.progress). */
export interface RunProgress {
  /** Steps of the budget spent so far. */
  stepsUsed: number;
  /** The run's step budget. */
  budget: number;
  /** Wall-clock milliseconds since the run started. */
  elapsedMs: number;
}

export interface RunResult {
  scenario: string;
  profile: ProfileName;
  /** The release asked for, when it is not the profile's own name (go1.21.12 runs as go1.21.7 + V2). */
  release?: string;
  /**
   * What the run is called in every label: the profile, or the release with what it resolved to,
   * and the flag overrides: "go1.21.12 (= go1.21.7 +CB_UPDATE_V2)", "go1.22.0 +CB_UPDATE_V2".
   */
  label: string;
  /** Flags that differ from the profile's own set (from the release, the scenario or the options). */
  overrides?: Partial<Record<FlagName, boolean>>;
  /** The GODEBUG settings in force, when any ("gcshrinkstackoff=1"). */
  godebug?: string;
  verdict: Verdict;
  /** What the real process would exit with; absent for `uaf` and `invalid`. */
  exitCode?: number;
  /** The throw text, when the runtime throws ("morestack on g0"). */
  fatal?: string;
  /** Stable short name of the check that ended the run ("morestack-g0"). */
  crash?: string;
  /** What the real process prints (stderr), exactly where the model knows it. */
  output?: string;
  /**
   * The simulator's own explanation, apart from what the process prints: what a use-after-free
   * read, or why a callback returned into the wrong C frames.
   */
  note?: string;
  /** Top-level index of the step that ended the run, when not ok. */
  step?: number;
  /** Full path of the op that ended the run ("steps[3].fn[0]"). */
  stepPath?: string;
  counters: Record<CounterName, number>;
  /**
   * Hex hash of the full event trace, with the flag overrides and GODEBUG settings mixed in: the
   * same scenario, profile, options and seed give the same hash.
   */
  traceHash: string;
  /**
   * Steps of work spent against the budget: one per op and per loop turn, plus what the op loops over
   * (frames pushed, returned from or walked, memory filled or copied, …). At most the budget.
   */
  stepsUsed: number;
  /** True when the run used the physical model (the scenario's `physical`, or the run option). */
  physical?: boolean;
  flags: FlagName[];
  platform: Platform;
  seed: number;
  /** With `seed`, what replays the scheduler's choices. */
  strategy: 'random' | 'pct';
  error?: RunError;
  /**
   * The event log (with `events: true`): the first 32,768 and the last 32,768 events, and where
   * events between them were left out, one entry of kind "events-omitted" saying how many.
   */
  events?: TraceEvent[];
  /** True when events were left out of `events`. */
  eventsTruncated?: boolean;
  /** How many events the run had in all (with `events: true`). */
  eventsTotal?: number;
  state?: StateSnapshot;
}

export interface RunOptions {
  /** A profile or release name; default: the scenario's `profile`, else "tip". */
  profile?: string;
  /** Flag overrides on top of the scenario's own. */
  flags?: Partial<Record<FlagName, boolean>>;
  seed?: number;
  /**
   * Steps of work the run may spend (see RunResult.stepsUsed); default the simulator's, 20,000,000,
   * which ends any scenario within about a second. Deterministic: the same run stops at the same op.
   */
  budget?: number;
  /** Wall-clock limit in milliseconds (error DEADLINE_EXCEEDED); not deterministic, unlike the budget. */
  deadline?: number;
  /** Print the intended "cgocallback with sp=… out of bounds" line (flag CRASH_STACK_DIAG). */
  crashStack?: boolean;
  /**
   * Called while a long run runs, about every 131,072 steps (a few milliseconds; never per event),
   * with how far it has got: for a progress display. It cannot change the run.
   */
  progress?: (p: RunProgress) => void;
  /** Return the event log (the first and the last 32,768 events, the gap marked). */
  events?: boolean;
  /** Return the final records (Ms, threads, extra-M list). */
  state?: boolean;
  /** How the scheduler makes the choices a scenario leaves open; default the scenario's, else random. */
  strategy?: 'random' | 'pct';
  /** GODEBUG settings on top of the scenario's `godebug` ("gcshrinkstackoff=1,invalidptr=0"). */
  godebug?: string;
  /**
   * The physical model (README "The physical model"): C→Go entry frames, g0 frames, guard pages,
   * verdict `corrupt`, malloc placement. Default: the scenario's `physical`, else off.
   */
  physical?: boolean;
}

/** A pin: an `at` step, put before the scenario's own steps for one run (scenario-format.md, "at"). */
export type PinStep = Extract<TimelineStep, { op: 'at' }>;

/** What one run of a prepared scenario varies (see Simulator.prepare). */
export interface RunSpec {
  /** A profile or release name; default: the scenario's `profile`, else "tip". */
  profile?: string;
  /** Flag overrides on top of the profile's and the scenario's. */
  flags?: Partial<Record<FlagName, boolean>>;
  seed?: number;
  strategy?: 'random' | 'pct';
  /** Steps of work the run may spend (as RunOptions.budget); default: the simulator's budget. */
  budget?: number;
  /**
   * Wall-clock limit in milliseconds, as RunOptions.deadline; default: the simulator's. A run its
   * deadline stops keeps its whole result at once (the wall clock cannot be replayed): ask for
   * result({ events: true }) from such a run only if it ran with events: true.
   */
  deadline?: number;
  /** Flag CRASH_STACK_DIAG, as RunOptions.crashStack. */
  crashStack?: boolean;
  /** The physical model on or off for this run, as RunOptions.physical. */
  physical?: boolean;
  /**
   * `at` steps run first, as if they were the scenario's first steps: the run is exactly the run
   * of that scenario (see PreparedScenario.withPins). Each distinct pin list is compiled once.
   */
  pins?: readonly PinStep[];
  /** Record the event log during the run, so that result({ events: true }) needs no replay. */
  events?: boolean;
}

/** The raw parts of how a run ended: enough to group findings without building text. */
export interface FailureSignature {
  verdict: Verdict;
  /**
   * The core's code for the check that ended the run (assembly/results.ts: crash kinds 1–99,
   * run-time input errors 100+); 0 when the run finished or spent its budget or deadline.
   */
  crashKind: number;
  /** The op that ended the run: its path ("steps[3].fn[0]") and its kind ("systemstack"). */
  site: string;
  opKind: string;
  /** The crash record's operands (addresses, bounds, ids: what the message would print). */
  operands: bigint[];
}

/**
 * One run of a prepared scenario. Verdict, signature, counters and hash are read from a copy of
 * the core's small result area; result() builds the full RunResult (text, events, state) only when
 * asked, from memory if this is still the simulator's latest run, else by replaying the run (runs
 * are deterministic; the replay's trace hash is checked against this one's).
 */
export interface LazyRun {
  readonly verdict: Verdict;
  /** The core's stop reason: 1 done, 2 crash, 3 uaf, 4 budget spent, 5 input error found while running, 6 deadline passed. */
  readonly stopReason: number;
  readonly crashKind: number;
  /** Index of the op that ended the run in the compiled op stream. */
  readonly crashOp: number;
  readonly traceHash: string;
  readonly stepsUsed: number;
  /** How many events the run emitted in all, when it ran with events: true (else 0); RunResult.eventsTotal. */
  readonly eventsTotal: number;
  /** Crash operand i (0–7). */
  operand(i: number): bigint;
  counter(name: CounterName): number;
  counters(): Record<CounterName, number>;
  signature(): FailureSignature;
  result(options?: { events?: boolean; state?: boolean }): RunResult;
}

/** A scenario compiled once for many runs (Simulator.prepare). */
export interface PreparedScenario {
  readonly name: string;
  readonly compiled: CompiledScenario;
  run(spec?: RunSpec): LazyRun;
  /** The scenario a pinned run is the run of: the pins put before its steps (for reports and replays). */
  withPins(pins: readonly PinStep[]): Scenario;
}

export interface Simulator {
  /**
   * Runs one scenario under one profile: an object, JSON text, or the result of compileScenario()
   * (compile once, run many times). Input errors give verdict "invalid"; it never throws for them.
   */
  run(scenario: Scenario | string | CompiledScenario, options?: RunOptions): RunResult;
  /** Runs under several profiles ("all" for every one). */
  runProfiles(scenario: Scenario | string | CompiledScenario, profiles: readonly string[] | 'all', options?: Omit<RunOptions, 'profile'>): RunResult[];
  /**
   * The binary run entry for engines (explorers, fuzzers): validates and compiles a scenario once;
   * each run() of the result varies seed, profile, flags, strategy and pins, and returns a LazyRun.
   * Throws ScenarioError for an invalid scenario. Runs share this simulator's instance: a LazyRun
   * stays readable after later runs (result() then replays it).
   */
  prepare(scenario: Scenario | string | CompiledScenario): PreparedScenario;
  /** Which instantiation path this simulator uses. */
  readonly binding: 'raw' | 'loader';
  /** Releases the instance; later calls throw. */
  dispose(): void;
}

export interface SimulatorOptions {
  /** The core: compiled module or its bytes. Platform entries supply the default. */
  wasm?: WebAssembly.Module | BufferSource;
  /** "raw": the generated raw bindings (default, faster); "loader": @assemblyscript/loader. */
  binding?: 'raw' | 'loader';
  /** Default budget (steps of work) for runs of this simulator; 20,000,000 if not given. */
  budget?: number;
  /**
   * Run everything through the reference interpreter, with the fused fast-path handlers off
   * (the differential test compares both; results are identical by construction and by test).
   */
  interpreterOnly?: boolean;
  /** Default wall-clock deadline (ms) for runs of this simulator; none if not given. */
  deadline?: number;
}

/** A scenario validated and encoded for the core (compileScenario); what PreparedScenario.compiled holds. */
export interface CompiledScenario extends EncodedOps {
  name: string;
  profile: string | undefined;
  flags: Partial<Record<FlagName, boolean>>;
  platform: Platform;
  godebug: Record<string, string>;
  g0CheckDepth: bigint;
  windowBase: bigint;
  windowSize: bigint;
  seed: number;
  runtimeStarted: boolean;
  tracebackContext: boolean;
  strategy: 'random' | 'pct';
  expect: Record<string, Expectation> | undefined;
  threads: string[];
  blocks: string[];
  goroutines: string[];
  goids: bigint[];
  goMs: string[];
  /** Channels and wait groups by index (assembly/sync.ts). */
  syncs: string[];
  goidBase: bigint;
  /** Functions of the scenario's `call`s, from index FIRST_USER_FUNC, with their stack maps. */
  funcs: FuncDef[];
  bitmaps: Uint32Array;
  /** Explicit slot values: [function index, word, value]. */
  values: [number, number, bigint][];
  godebugBits: number;
  /** The config's physical word (PHYS_* bits): a live netpoller, the malloc policy the scenario names. */
  physicalBits: number;
  /** The scenario's `physical` (default false): the physical model on unless a run says otherwise. */
  physical: boolean;
  /** Panic values of `panic` and `recover` steps, by the index the core knows them by. */
  panicValues: string[];
}
