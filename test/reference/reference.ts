// A small pure-TypeScript reference of the system-stack bound functions (docs/model.md §4.2,
// §10), written from the model text independently of assembly/stackbounds.ts. The property tests
// compare the two on random inputs; the benchmark runs the same callback workload through it to
// show what the Wasm core buys.

export const STACK_GUARD = 928n;
export const STACK_GUARD_WINDOWS = 928n + 4096n;
const DUMMY_BELOW = 32n * 1024n;
const DUMMY_ABOVE = 1024n;
const MUSL_STACK = 128n * 1024n;
const U64 = (1n << 64n) - 1n;

export type RefPlatform = 'glibc' | 'musl' | 'windows' | 'nobounds';

export interface RefInput {
  version: 1 | 2 | 3;
  lo: bigint;
  hi: bigint;
  sp: bigint;
  ncgo: number;
  isextra: boolean;
  accurate: boolean;
  signal: boolean;
  platform: RefPlatform;
  /** The thread's pthread stack (what glibc's getstackbound reports). */
  threadLo: bigint;
  threadHi: bigint;
  g0Stackguard1: boolean;
  muslZeroBounds: boolean;
  /** g0's guards before the call (kept unless the bounds change; stackguard1 also needs G0_STACKGUARD1). */
  stackguard0: bigint;
  stackguard1: bigint;
}

export interface RefOutput {
  /** 0 kept, 1 re-estimated, 2 the ncgo > 0 throw. */
  outcome: 0 | 1 | 2;
  lo: bigint;
  hi: bigint;
  stackguard0: bigint;
  stackguard1: bigint;
  accurate: boolean;
  getstackboundCalls: number;
}

function getstackbound(i: RefInput): [bigint, bigint] {
  if (i.platform === 'glibc') return [i.threadLo, i.threadHi];
  if (i.platform === 'musl' && !i.muslZeroBounds) {
    const lo = (i.sp + 4096n - MUSL_STACK) & U64;
    return [lo, (lo + MUSL_STACK) & U64];
  }
  return [0n, 0n];
}

export function refCallbackUpdateSystemStack(i: RefInput, stackGuard = STACK_GUARD): RefOutput {
  const out: RefOutput = {
    outcome: 0, lo: i.lo, hi: i.hi, stackguard0: i.stackguard0, stackguard1: i.stackguard1, accurate: i.accurate, getstackboundCalls: 0,
  };
  const setBounds = (lo: bigint, hi: bigint) => {
    out.lo = lo & U64;
    out.hi = hi & U64;
    out.stackguard0 = (out.lo + stackGuard) & U64;
    if (i.g0Stackguard1) out.stackguard1 = out.stackguard0;
  };
  const reestimate = () => {
    out.outcome = 1;
    let lo = (i.sp - DUMMY_BELOW) & U64;
    let hi = (i.sp + DUMMY_ABOVE) & U64;
    out.accurate = false;
    if (!i.signal) {
      out.getstackboundCalls++;
      const [blo, bhi] = getstackbound(i);
      if (blo !== 0n && i.sp > blo && i.sp <= bhi) {
        lo = blo;
        hi = bhi;
        out.accurate = true;
      }
    }
    setBounds(lo, hi);
  };
  const inBound = i.sp > i.lo && i.sp <= i.hi;
  const kept = () => out;
  switch (i.version) {
    case 1:
      if (inBound) return kept();
      if (i.ncgo > 0) { out.outcome = 2; setBounds(i.sp - DUMMY_BELOW, i.sp + DUMMY_ABOVE); return out; }
      reestimate();
      return out;
    case 2:
      if (i.ncgo > 0 && !inBound) { out.outcome = 2; setBounds(i.sp - DUMMY_BELOW, i.sp + DUMMY_ABOVE); return out; }
      if (!i.isextra) return kept();
      reestimate();
      return out;
    case 3:
      if (!i.isextra) return kept();
      if (inBound && i.accurate) return kept();
      reestimate();
      return out;
  }
}

/** The g0 split check: morestack iff SP <= stackguard0 (unsigned). True when it passes. */
export function refG0Check(stackguard0: bigint, sp: bigint): boolean {
  return sp > stackguard0;
}

/**
 * The benchmark's workload through the reference: `count` callbacks from a C thread whose extra M
 * is bound (tip: V3 with save/restore), each running one systemstack. Plain objects, the same
 * steps as the Wasm path: bounds update, lockOSThread, exitsyscall with its g0 check, the body's
 * g0 check, unlockOSThread, reentersyscall's check, bounds restore. Returns the g0 checks passed.
 */
export function refBoundCallbacks(count: number, sp: bigint, threadLo: bigint, threadHi: bigint, depth = 0x100n): number {
  // As needm left a bound M: accurate pthread bounds.
  const g0 = threadLo + STACK_GUARD;
  const m = { lo: threadLo, hi: threadHi, guard0: g0, guard1: g0, accurate: true, ncgo: 0, lockedInt: 1, schedSp: 0n };
  const gp = { lo: 0x2000000n, hi: 0x2001000n, syscallsp: 0x2000fe0n, status: 3, guard0: 0n };
  let passed = 0;
  const input: RefInput = {
    version: 3, lo: 0n, hi: 0n, sp, ncgo: 0, isextra: true, accurate: false, signal: false, platform: 'glibc',
    threadLo, threadHi, g0Stackguard1: true, muslZeroBounds: true, stackguard0: 0n, stackguard1: 0n,
  };
  for (let n = 0; n < count; n++) {
    const savedLo = m.lo;
    const savedHi = m.hi;
    const savedAccurate = m.accurate;
    const oldSchedSp = m.schedSp;
    m.schedSp = sp;
    input.lo = m.lo; input.hi = m.hi; input.accurate = m.accurate; input.stackguard0 = m.guard0; input.stackguard1 = m.guard1;
    const r = refCallbackUpdateSystemStack(input);
    if (r.outcome !== 0) {
      m.lo = r.lo; m.hi = r.hi; m.guard0 = r.stackguard0; m.guard1 = r.stackguard1; m.accurate = r.accurate;
    }
    m.lockedInt++;
    const savedsp = gp.syscallsp;
    if (!refG0Check(m.guard0, m.schedSp - depth)) throw new Error('morestack on g0');
    gp.status = 2; gp.syscallsp = 0n;
    if (!refG0Check(m.guard0, m.schedSp - depth)) throw new Error('morestack on g0');
    passed += 2;
    m.lockedInt--;
    gp.syscallsp = savedsp; gp.status = 3;
    if (savedsp < gp.lo || savedsp > gp.hi) throw new Error('entersyscall inconsistent');
    m.lo = savedLo; m.hi = savedHi; m.guard0 = savedLo + STACK_GUARD; m.guard1 = m.guard0; m.accurate = savedAccurate;
    m.schedSp = oldSchedSp;
  }
  return passed;
}

// ---- copystack ----
//
// The frame layout and PC scheme of assembly/stack.ts, from the model text (§5): a frame of
// function k at sp has its locals from sp, the caller's BP at sp+F-8 and the return PC at sp+F;
// k's PC is FUNC_TEXT_BASE + k*0x100 + 0x40 (goexit, k = 0: +1). The reference relocates a copy
// of the used part: the saved-BP slot of every frame, and every stack-map pointer word, when the
// value lies in the old stack.

export const FUNC_TEXT_BASE = 0x460000n;
export const GOEXIT = 0;
export const FIRST_USER_FUNC = 16;

export interface RefFunc { frameSize: number; ptr: boolean[] }

export function refFuncPc(k: number): bigint {
  return FUNC_TEXT_BASE + BigInt(k) * 0x100n + (k === GOEXIT ? 1n : 0x40n);
}

function refFuncOf(pc: bigint): number {
  const k = Number((pc - FUNC_TEXT_BASE) / 0x100n);
  return pc >= FUNC_TEXT_BASE && refFuncPc(k) === pc ? k : -1;
}

export interface StackImage {
  lo: bigint;
  hi: bigint;
  /** The stack's bytes, [lo, hi). */
  bytes: Uint8Array;
  sp: bigint;
  bp: bigint;
  pc: bigint;
  frames: number;
}

/** A small deterministic PRNG (xorshift32), so images are reproducible from a seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

/**
 * A goroutine stack with frames of the given functions (chosen at random), from goexit at the top
 * down to `fill` of the stack. Every local word holds, at random: an address in this stack, an
 * address outside it (heap, C), a small scalar, or zero; pointer words never hold 0 < p < 4096.
 */
export function buildStackImage(rand: () => number, lo: bigint, size: number, funcs: Map<number, RefFunc>, fill: number): StackImage {
  const hi = lo + BigInt(size);
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  const at = (addr: bigint) => Number(addr - lo);
  const userFuncs = [...funcs.keys()].filter((k) => k >= FIRST_USER_FUNC);
  let sp = hi - 32n;
  let bp = 0n;
  let pc = refFuncPc(GOEXIT);
  let frames = 0;
  const limit = hi - BigInt(Math.floor(size * fill));
  for (;;) {
    const k = userFuncs[Math.floor(rand() * userFuncs.length)]!;
    const f = funcs.get(k)!;
    const F = BigInt(f.frameSize);
    const nsp = sp - F - 8n;
    if (nsp < limit || nsp < lo) break;
    dv.setBigUint64(at(nsp + F), pc, true);
    dv.setBigUint64(at(nsp + F - 8n), bp, true);
    for (let i = 0; i < f.ptr.length; i++) {
      const r = rand();
      let v: bigint;
      if (r < 0.5) v = lo + (BigInt(Math.floor(rand() * size)) & ~7n);
      else if (r < 0.7) v = 0xc000000000n + BigInt(Math.floor(rand() * 0x100000)) * 8n;
      else if (r < 0.85) v = f.ptr[i] ? 0n : BigInt(Math.floor(rand() * 4096));
      else v = 0n;
      dv.setBigUint64(at(nsp + BigInt(i * 8)), v, true);
    }
    sp = nsp;
    bp = nsp + F - 8n;
    pc = refFuncPc(k);
    frames++;
  }
  return { lo, hi, bytes, sp, bp, pc, frames };
}

/** Where the reference's copystack stopped the run, with the operands the model reports. */
export type RefStop =
  | { kind: 'invalid-pointer'; k: number; slot: bigint; value: bigint }
  | { kind: 'unknown-pc'; pc: bigint; sp: bigint };

/**
 * copystack's effect on the used part of the stack, moved to end at newHi. Frame by frame from the
 * innermost: the saved-BP slot, then the pointer words in address order. A return PC of no function
 * in `funcs`, or a frame that would run past the stack's top, stops the walk (unknown pc); with
 * `invalidptr`, so does a pointer word holding 0 < p < 4096, after the words before it. `used` is
 * then the new stack as the runtime leaves it at that point.
 */
export function refCopystack(img: StackImage, newHi: bigint, funcs: Map<number, RefFunc>, invalidptr = false): { used: Uint8Array; bp: bigint; adjusted: number; stop?: RefStop } {
  const usedBytes = Number(img.hi - img.sp);
  const used = img.bytes.slice(img.bytes.length - usedBytes);
  const dv = new DataView(used.buffer);
  const delta = newHi - img.hi;
  const inOld = (v: bigint) => v >= img.lo && v < img.hi;
  const at = (addr: bigint) => Number(addr - img.sp);
  const bp = inOld(img.bp) ? img.bp + delta : img.bp;
  let adjusted = 0;
  let sp = img.sp;
  let pc = img.pc;
  for (;;) {
    const k = refFuncOf(pc);
    if (k === GOEXIT) break;
    const f = funcs.get(k);
    if (k < 0 || f === undefined || sp + BigInt(f.frameSize) + 8n > img.hi) {
      return { used, bp, adjusted, stop: { kind: 'unknown-pc', pc, sp: sp + delta } };
    }
    const F = BigInt(f.frameSize);
    const varp = sp + F - 8n;
    const saved = dv.getBigUint64(at(varp), true);
    if (inOld(saved)) { dv.setBigUint64(at(varp), saved + delta, true); adjusted++; }
    for (let i = 0; i < f.ptr.length; i++) {
      if (!f.ptr[i]) continue;
      const slot = at(sp + BigInt(i * 8));
      const v = dv.getBigUint64(slot, true);
      if (inOld(v)) { dv.setBigUint64(slot, v + delta, true); adjusted++; }
      if (invalidptr && v > 0n && v < 4096n) {
        return { used, bp, adjusted, stop: { kind: 'invalid-pointer', k, slot: sp + BigInt(i * 8) + delta, value: v } };
      }
    }
    pc = dv.getBigUint64(at(sp + F), true);
    sp += F + 8n;
  }
  return { used, bp, adjusted };
}

/** The SPs of an image's frames, innermost first (the reference's walk, without relocating). */
export function frameSPs(img: StackImage, funcs: Map<number, RefFunc>): { sp: bigint; k: number }[] {
  const dv = new DataView(img.bytes.buffer, img.bytes.byteOffset, img.bytes.byteLength);
  const out: { sp: bigint; k: number }[] = [];
  let sp = img.sp;
  let pc = img.pc;
  for (;;) {
    const k = refFuncOf(pc);
    if (k === GOEXIT || k < 0) return out;
    out.push({ sp, k });
    const F = BigInt(funcs.get(k)!.frameSize);
    pc = dv.getBigUint64(Number(sp + F - img.lo), true);
    sp += F + 8n;
  }
}

/** Random functions: frame sizes of 2..maxWords+1 words, each local a pointer with probability p. */
export function randomFuncs(rand: () => number, n: number, maxWords: number, p: number): Map<number, RefFunc> {
  const funcs = new Map<number, RefFunc>();
  for (let i = 0; i < n; i++) {
    const words = 1 + Math.floor(rand() * maxWords);
    funcs.set(FIRST_USER_FUNC + i, { frameSize: (words + 1) * 8, ptr: Array.from({ length: words }, () => rand() < p) });
  }
  return funcs;
}
