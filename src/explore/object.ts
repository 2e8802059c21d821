// The object back-end: a generator tape (tape.ts) as a scenario object, the form a finding is
// printed, shrunk and saved in. The explorer's loop never calls it; only a finding, a sampled
// check of the generator, or the API's generate() does.

import { Tape, T, B, N_FIELDS } from './tape.js';
import { ALL_POINTS, PARK_REASONS, PANIC_VALUES } from './generate.js';
import type { Scenario } from '../api/types.js';

type Step = Record<string, unknown>;

const hex = (n: number) => `0x${n.toString(16)}`;
/** Sizes as a person writes them: "40KiB" when whole KiB, else bytes. */
const size = (n: number): number | string => (n % 1024 === 0 && n >= 1024 ? `${n / 1024}KiB` : n);
const thread = (t: number) => `T${t + 1}`;
const block = (b: number) => `B${b + 1}`;
const goroutine = (g: number) => `G${g + 2}`;
const m = (k: number) => `M${k}`;
const chan = (s: number) => `c${s + 1}`;
const wg = (s: number) => `wg${s + 1}`;
const it = (s: number) => `it${s + 1}`;

function steps(tape: Tape, parent: number): Step[] {
  const out: Step[] = [];
  for (let c = tape.first[parent]!; c >= 0; c = tape.next[c]!) out.push(step(tape, c));
  return out;
}

function step(tape: Tape, i: number): Step {
  const f = (k: number) => tape.f[i * N_FIELDS + k]!;
  const op = tape.op[i]!;
  switch (op) {
    case T.thread:
      if (tape.kind[i] === B.c) return f(0) >= 0 ? { op: 'thread', stack: size(f(0)), fn: steps(tape, i) } : { op: 'thread', fn: steps(tape, i) };
      return { op: 'thread', id: thread(f(0)), stack: [hex(f(1)), hex(f(2))] };
    case T.malloc: return { op: 'malloc', id: block(f(0)), size: size(f(1)), at: hex(f(2)) };
    case T.free: return { op: 'free', id: block(f(0)) };
    case T.switch: return { op: 'switch', thread: thread(f(0)), to: f(1) < 0 ? 'thread' : block(f(1)) };
    case T.callback: {
      const s: Step = { op: 'callback' };
      if (f(0) >= 0) s.thread = thread(f(0));
      if (f(1) >= 0) s.sp = hex(f(1));
      s.fn = steps(tape, i);
      return s;
    }
    case T.signal:
      if (tape.kind[i] === B.go) return { op: 'signal' };
      return f(1) >= 0 ? { op: 'signal', thread: thread(f(0)), sp: hex(f(1)), fn: steps(tape, i) } : { op: 'signal', thread: thread(f(0)), fn: steps(tape, i) };
    case T.exit: return { op: 'exit', thread: thread(f(0)) };
    case T.go: {
      const s: Step = { op: 'go', id: goroutine(f(0)) };
      if (tape.kind[i] === B.go) {
        if (f(2) >= 0) s.stack = [hex(f(2)), hex(f(3))];
        s.fn = steps(tape, i);
        return s;
      }
      if (f(1) >= 0) s.m = { id: m(f(1)) };
      if (f(2) >= 0) s.stack = [hex(f(2)), hex(f(3))];
      s.fn = steps(tape, i);
      return s;
    }
    case T.resume: return { op: 'resume', g: goroutine(f(0)) };
    case T.repeat: return { op: 'repeat', count: f(0), steps: steps(tape, i) };
    case T.preempt: {
      const s: Step = { op: 'preempt' };
      if (f(0) >= 0) s.g = goroutine(f(0));
      if (f(1) >= 0) s.resumeOn = m(f(1));
      return s;
    }
    case T.at: {
      const s: Step = { op: 'at', point: ALL_POINTS[f(0)] };
      if (f(1) >= 0) s.g = goroutine(f(1));
      s.steps = steps(tape, i);
      return s;
    }
    case T.cgocall: return f(0) > 0 ? { op: 'cgocall', nocallback: true, fn: steps(tape, i) } : { op: 'cgocall', fn: steps(tape, i) };
    case T.call: {
      const s: Step = { op: 'call', frame: f(0) };
      if (f(1) >= 0) s.ptrs = f(1) === 0 ? [0] : [0, f(1)];
      if (f(2) >= 0) s.depth = f(2);
      if (tape.count[i]! > 0) s.fn = steps(tape, i);
      return s;
    }
    case T.grow: return { op: 'grow', bytes: size(f(0)) };
    case T.park: return { op: 'park', reason: PARK_REASONS[f(0)] };
    case T.stack: return { op: 'stack', bytes: f(0) };
    case T.recover: return f(0) >= 0 ? { op: 'recover', value: PANIC_VALUES[f(0)], fn: steps(tape, i) } : { op: 'recover', fn: steps(tape, i) };
    case T.panic: return { op: 'panic', value: PANIC_VALUES[f(0)] };
    case T.chan: return f(1) > 0 ? { op: 'chan', id: chan(f(0)), cap: f(1) } : { op: 'chan', id: chan(f(0)) };
    case T.send: return { op: 'send', ch: chan(f(0)) };
    case T.recv: return { op: 'recv', ch: chan(f(0)) };
    case T.close: return { op: 'close', ch: chan(f(0)) };
    case T.wgAdd: return f(1) !== 1 ? { op: 'wgAdd', wg: wg(f(0)), n: f(1) } : { op: 'wgAdd', wg: wg(f(0)) };
    case T.wgDone: return { op: 'wgDone', wg: wg(f(0)) };
    case T.wgWait: return { op: 'wgWait', wg: wg(f(0)) };
    case T.sleep: return { op: 'sleep', us: f(0) };
    case T.join: return { op: 'join', thread: thread(f(0)) };
    case T.pull: return { op: 'pull', id: it(f(0)), fn: steps(tape, i) };
    case T.next: return { op: 'next', it: it(f(0)) };
    case T.yield: return { op: 'yield', it: it(f(0)) };
    case T.stop: return { op: 'stop', it: it(f(0)) };
    case T.carve: return { op: 'carve', id: block(f(0)), thread: thread(f(1)), size: size(f(2)) };
    case T.sigaltstack: return { op: 'sigaltstack', thread: thread(f(0)), stack: f(1) < 0 ? 'none' : block(f(1)) };
    case T.atexit: return { op: 'atexit', fn: steps(tape, i) };
    case T.osExit: return f(0) > 0 ? { op: 'osExit', race: true } : { op: 'osExit' };
    default: return { op: OP_NAMES[op] };
  }
}

const OP_NAMES: Record<number, string> = {
  [T.gc]: 'gc', [T.traceStart]: 'traceStart', [T.traceAdvance]: 'traceAdvance', [T.traceStop]: 'traceStop',
  [T.systemstack]: 'systemstack', [T.lockOSThread]: 'lockOSThread', [T.unlockOSThread]: 'unlockOSThread',
  [T.gosched]: 'gosched', [T.readMemStats]: 'readMemStats', [T.block]: 'block', [T.goexit]: 'goexit',
};

/** The scenario a tape describes. */
export function toScenario(tape: Tape): Scenario {
  const scenario: Scenario = { format: 1, name: `explore-${tape.generatorSeed}`, steps: steps(tape, 0) as unknown as Scenario['steps'] };
  if (tape.platform !== 'glibc') scenario.platform = tape.platform as Scenario['platform'];
  if (tape.physical) scenario.physical = true;
  if (tape.tracebackContext) scenario.tracebackContext = true;
  scenario.seed = tape.seed;
  if (tape.strategy === 'pct') scenario.strategy = 'pct';
  return scenario;
}
