// The simulated text segment: runtime functions by the ids the core uses (assembly/abi.ts FN_*),
// with the PCs the core computes (TEXT_BASE + id * TEXT_PC_STRIDE) and the source files Go prints
// in tracebacks. Ids after the core's are the host's own: frames it adds to tracebacks.
//
// Line numbers: a traceback line carries `file:line` only for a release whose Go source we read
// (GO_LINES below, each checked against that release's source by test/go-lines.node.test.ts where
// the source is installed, and against the oracle's real crash output where a program crashes
// there). For any other release, and for a run whose flags differ from its release's own (a
// reverted CL moves lines), the line number is left out rather than guessed.

import { FN as CORE_FN, TEXT_BASE, TEXT_PC_STRIDE } from '../core/abi.js';

/**
 * A function as Go's traceback names it; `params` is how many arguments it prints (each `?`: the
 * model holds no values), or `args` the argument list as Go lays it out where an argument is a
 * string, slice or struct (`{…}` with one `?` per word) or has no words (`{}`).
 */
export interface Fn { readonly name: string; readonly file: string; readonly params: number; readonly args?: string }

// The host's ids fill the gap the core leaves for them (FN_HOST_BASE up to its next function).
const HOST_FN_BASE = CORE_FN.HOST_BASE;
const FRAME_FN_BASE = 0x1000;

export const FN = {
  ...CORE_FN, ABORT: HOST_FN_BASE, MORESTACK: HOST_FN_BASE + 1, SYSTEMSTACK: HOST_FN_BASE + 2,
  CALLBACK_UPDATE: HOST_FN_BASE + 3, NEWSTACK: HOST_FN_BASE + 4, CROSSCALL2: CORE_FN.CROSSCALL2,
  THROW: HOST_FN_BASE + 6, BADMORESTACKG0_FUNC1: HOST_FN_BASE + 7, SWITCH_TO_CRASH_STACK0: HOST_FN_BASE + 8,
  SYSTEMSTACK_SWITCH: HOST_FN_BASE + 9, DEBUG_SETGCPERCENT: HOST_FN_BASE + 10, EXITSYSCALLFAST: HOST_FN_BASE + 11,
  REENTERSYSCALL_FUNC1: HOST_FN_BASE + 12, REENTERSYSCALL_FUNC2: HOST_FN_BASE + 13,
  // Frames only: functions a traceback names but whose PCs no crash text prints. They sit past any
  // id the core uses (TEXT_BASE + id * TEXT_PC_STRIDE is never computed for them).
  CGOCALLBACKG1: FRAME_FN_BASE, UNLOCKOSTHREAD: FRAME_FN_BASE + 1, BADUNLOCKOSTHREAD: FRAME_FN_BASE + 2,
  SCHEDULE: FRAME_FN_BASE + 3, MCALL: FRAME_FN_BASE + 5, GOSCHEDIMPL: FRAME_FN_BASE + 6, SHRINKSTACK: FRAME_FN_BASE + 8,
  ADJUSTPOINTERS: FRAME_FN_BASE + 10, ADJUSTFRAME: FRAME_FN_BASE + 11, GOEXIT0: FRAME_FN_BASE + 12,
  GDESTROY: FRAME_FN_BASE + 13, COROSWITCH_M: FRAME_FN_BASE + 14, COROSWITCH: FRAME_FN_BASE + 15,
  WG_ADD: FRAME_FN_BASE + 16, ENTERSYSCALL: FRAME_FN_BASE + 17, FPTRACEBACKPCS: FRAME_FN_BASE + 18,
  TRACESTACK: FRAME_FN_BASE + 19, TRACEADVANCE_FUNC1_1: FRAME_FN_BASE + 20, BADMORESTACKGSIGNAL: FRAME_FN_BASE + 21,
  STARTTHEWORLDWITHSEMA: FRAME_FN_BASE + 22, GCSTART_FUNC3: FRAME_FN_BASE + 23,
} as const;

const FNS: Record<number, Fn> = {
  [FN.NONE]: { name: '?', file: '?', params: 0 },
  [FN.EXITSYSCALLFAST_FUNC1]: { name: 'runtime.exitsyscallfast.func1', file: 'runtime/proc.go', params: 0 },
  [FN.SETGCPERCENT_FUNC1]: { name: 'runtime.setGCPercent.func1', file: 'runtime/mgcpacer.go', params: 0 },
  [FN.DROPM]: { name: 'runtime.dropm', file: 'runtime/proc.go', params: 0 },
  [FN.PRINTLOCK]: { name: 'runtime.printlock', file: 'runtime/print.go', params: 0 },
  [FN.CGOCALLBACKG]: { name: 'runtime.cgocallbackg', file: 'runtime/cgocall.go', params: 3 },
  [FN.CGOCALL]: { name: 'runtime.cgocall', file: 'runtime/cgocall.go', params: 2 },
  [FN.GOEXIT]: { name: 'runtime.goexit', file: 'runtime/asm_amd64.s', params: 1, args: '{}' },
  [FN.REENTERSYSCALL]: { name: 'runtime.reentersyscall', file: 'runtime/proc.go', params: 2 },
  [FN.EXITSYSCALL]: { name: 'runtime.exitsyscall', file: 'runtime/proc.go', params: 0 },
  [FN.CGOCALLBACK]: { name: 'runtime.cgocallback', file: 'runtime/asm_amd64.s', params: 3 },
  [FN.NEEDM]: { name: 'runtime.needm', file: 'runtime/proc.go', params: 1 },
  [FN.GCSTART_FUNC1]: { name: 'runtime.gcStart.func1', file: 'runtime/mgc.go', params: 0 },
  [FN.NETPOLL]: { name: 'runtime.netpoll', file: 'runtime/netpoll_epoll.go', params: 1 },
  [FN.EPOLLWAIT]: { name: 'runtime/internal/syscall.EpollWait', file: 'runtime/internal/syscall/syscall_linux.go', params: 4, args: '?, {?, ?, ?}, ?, ?' },
  [FN.GETSTACKBOUND]: { name: 'x_cgo_getstackbound', file: 'runtime/cgo/gcc_stack_unix.c', params: 0 },
  [FN.TRACE_G0]: { name: 'runtime.traceAdvance', file: 'runtime/trace2.go', params: 1 },
  [FN.STOPTHEWORLD]: { name: 'runtime.stopTheWorld.func1', file: 'runtime/proc.go', params: 0 },
  [FN.COPYSTACK]: { name: 'runtime.copystack', file: 'runtime/stack.go', params: 2 },
  [FN.X_CGO_MUNMAP]: { name: 'x_cgo_munmap', file: 'runtime/cgo/gcc_mmap.c', params: 0 },
  [FN.PCVALUE]: { name: 'runtime.pcvalue', file: 'runtime/symtab.go', params: 5 },
  [FN.CGO_EXPORT]: { name: 'the cgo export wrapper', file: '_cgo_export.c', params: 0 },
  [FN.C_CALLER]: { name: 'the C caller', file: '?', params: 0 },
  [FN.ABORT]: { name: 'runtime.abort', file: 'runtime/asm_amd64.s', params: 0 },
  [FN.MORESTACK]: { name: 'runtime.morestack', file: 'runtime/asm_amd64.s', params: 0 },
  [FN.SYSTEMSTACK]: { name: 'runtime.systemstack', file: 'runtime/asm_amd64.s', params: 1 },
  [FN.CALLBACK_UPDATE]: { name: 'runtime.callbackUpdateSystemStack', file: 'runtime/cgocall.go', params: 3 },
  [FN.NEWSTACK]: { name: 'runtime.newstack', file: 'runtime/stack.go', params: 0 },
  [FN.CROSSCALL2]: { name: 'runtime.crosscall2', file: 'runtime/cgo/asm_amd64.s', params: 4 },
  [FN.THROW]: { name: 'runtime.throw', file: 'runtime/panic.go', params: 1, args: '{?, ?}' },
  [FN.BADMORESTACKG0_FUNC1]: { name: 'runtime.badmorestackg0.func1', file: 'runtime/proc.go', params: 0 },
  [FN.SWITCH_TO_CRASH_STACK0]: { name: 'runtime.switchToCrashStack0', file: 'runtime/asm_amd64.s', params: 0 },
  [FN.SYSTEMSTACK_SWITCH]: { name: 'runtime.systemstack_switch', file: 'runtime/asm_amd64.s', params: 0 },
  [FN.DEBUG_SETGCPERCENT]: { name: 'runtime/debug.setGCPercent', file: 'runtime/mgcpacer.go', params: 1 },
  [FN.EXITSYSCALLFAST]: { name: 'runtime.exitsyscallfast', file: 'runtime/proc.go', params: 1 },
  [FN.REENTERSYSCALL_FUNC1]: { name: 'runtime.reentersyscall.func1', file: 'runtime/proc.go', params: 0 },
  [FN.REENTERSYSCALL_FUNC2]: { name: 'runtime.reentersyscall.func2', file: 'runtime/proc.go', params: 0 },
  [FN.CGOCALLBACKG1]: { name: 'runtime.cgocallbackg1', file: 'runtime/cgocall.go', params: 3 },
  [FN.UNLOCKOSTHREAD]: { name: 'runtime.unlockOSThread', file: 'runtime/proc.go', params: 0 },
  [FN.BADUNLOCKOSTHREAD]: { name: 'runtime.badunlockosthread', file: 'runtime/proc.go', params: 0 },
  [FN.SCHEDULE]: { name: 'runtime.schedule', file: 'runtime/proc.go', params: 0 },
  [FN.PARK_M]: { name: 'runtime.park_m', file: 'runtime/proc.go', params: 1 },
  [FN.MCALL]: { name: 'runtime.mcall', file: 'runtime/asm_amd64.s', params: 1 },
  [FN.GOSCHEDIMPL]: { name: 'runtime.goschedImpl', file: 'runtime/proc.go', params: 2 },
  [FN.GOPREEMPT_M]: { name: 'runtime.gopreempt_m', file: 'runtime/proc.go', params: 1 },
  [FN.SHRINKSTACK]: { name: 'runtime.shrinkstack', file: 'runtime/stack.go', params: 1 },
  [FN.SCANSTACK]: { name: 'runtime.scanstack', file: 'runtime/mgcmark.go', params: 2 },
  [FN.ADJUSTPOINTERS]: { name: 'runtime.adjustpointers', file: 'runtime/stack.go', params: 4, args: '?, ?, ?, {?, ?}' },
  [FN.ADJUSTFRAME]: { name: 'runtime.adjustframe', file: 'runtime/stack.go', params: 2 },
  [FN.GOEXIT0]: { name: 'runtime.goexit0', file: 'runtime/proc.go', params: 1 },
  [FN.GDESTROY]: { name: 'runtime.gdestroy', file: 'runtime/proc.go', params: 1 },
  [FN.COROSWITCH_M]: { name: 'runtime.coroswitch_m', file: 'runtime/coro.go', params: 1 },
  [FN.COROSWITCH]: { name: 'runtime.coroswitch', file: 'runtime/coro.go', params: 1 },
  [FN.WG_ADD]: { name: 'sync.(*WaitGroup).Add', file: 'sync/waitgroup.go', params: 2 },
  [FN.ENTERSYSCALL]: { name: 'runtime.entersyscall', file: 'runtime/proc.go', params: 0 },
  [FN.FPTRACEBACKPCS]: { name: 'runtime.fpTracebackPCs', file: 'runtime/tracestack.go', params: 2 },
  [FN.TRACESTACK]: { name: 'runtime.traceStack', file: 'runtime/tracestack.go', params: 3 },
  [FN.TRACEADVANCE_FUNC1_1]: { name: 'runtime.traceAdvance.func1.1', file: 'runtime/trace.go', params: 0 },
  [FN.STARTTHEWORLDWITHSEMA]: { name: 'runtime.startTheWorldWithSema', file: 'runtime/proc.go', params: 0 },
  [FN.GCSTART_FUNC3]: { name: 'runtime.gcStart.func3', file: 'runtime/mgc.go', params: 0 },
  [FN.BADMORESTACKGSIGNAL]: { name: 'runtime.badmorestackgsignal', file: 'runtime/proc.go', params: 0 },
};

/** Where a frame is in its function, when a function has more than one place a traceback shows. */
export type Site = 'abort' | 'newstack';

/**
 * One frame of a traceback: a function, where in it, and whether the compiler inlined it. A frame
 * of the scenario's own code carries its name (fn FN.NONE) and no file: the program's source is not
 * part of the scenario. `name`, `file` and `args` override the function's own (a release that
 * spells them differently). `offset` is the frame's PC offset in its function where it was measured in
 * a real build of the release (GO_OFFSETS supplies those of the lines it has): without one the
 * `+0x…` is left out, not invented.
 */
export interface Frame { fn: number; site?: Site; inlined?: boolean; name?: string; file?: string; offset?: bigint; args?: string }

/** The GOROOT Go's tracebacks print for the official linux/amd64 tarballs. */
export const GOROOT = '/usr/local/go';

/**
 * Line numbers by release, read in that release's source (src/runtime of the Debian golang-1.21,
 * -1.22 and -1.23 packages: go1.21.13, go1.22.12, go1.23.5). The key is the function's name, or
 * name@site. A frame's line is the line of its call (or, for a closure that fails its stack check,
 * of the func literal; for runtime.abort the instruction after INT $3; for runtime.goexit its
 * leading NOP), as Go's traceback computes it.
 */
export const GO_LINES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'go1.21.13': {
    'runtime.abort': 1115, 'runtime.morestack@abort': 560, 'runtime.morestack@newstack': 593, 'runtime.systemstack': 509,
    'runtime.systemstack_switch': 474, 'runtime.cgocallback': 1035, 'runtime.goexit': 1650, 'runtime.throw': 1077,
    'runtime.setGCPercent.func1': 1261, 'runtime.exitsyscallfast.func1': 4254, 'runtime.newstack': 999,
    'runtime.reentersyscall.func1': 4015, 'runtime.netpoll': 118, 'runtime.startTheWorldWithSema': 1440,
    'runtime.gcStart.func3': 749,
  },
  'go1.22.12': {
    'runtime.abort': 1159, 'runtime.morestack@abort': 593, 'runtime.morestack@newstack': 616, 'runtime.systemstack': 509,
    'runtime.systemstack_switch': 474, 'runtime.cgocallback': 1079, 'runtime.goexit': 1695, 'runtime.throw': 1023,
    'runtime.setGCPercent.func1': 1261, 'runtime.exitsyscallfast.func1': 4627, 'runtime.newstack': 995,
    'runtime.badmorestackg0.func1': 533, 'runtime.switchToCrashStack0': 559, 'runtime.reentersyscall.func1': 4343,
    'runtime.netpoll': 118, 'runtime.startTheWorldWithSema': 1559, 'runtime.gcStart.func3': 747,
  },
  'go1.23.5': {
    'runtime.abort': 1164, 'runtime.morestack@abort': 598, 'runtime.morestack@newstack': 621, 'runtime.systemstack': 514,
    'runtime.systemstack_switch': 479, 'runtime.cgocallback': 1084, 'runtime.goexit': 1700, 'runtime.throw': 1067,
    'runtime.setGCPercent.func1': 1261, 'runtime.exitsyscallfast.func1': 4728, 'runtime.newstack': 1009,
    'runtime.badmorestackg0.func1': 565, 'runtime.switchToCrashStack0': 564, 'runtime.reentersyscall.func1': 4420,
    'runtime.reentersyscall.func2': 4426, 'runtime.netpoll': 116, 'runtime.startTheWorldWithSema': 1664,
    'runtime.gcStart.func3': 792,
  },
};

/**
 * Frame offsets by release, keyed as GO_LINES: the `+0x…` Go's traceback prints for the frame, its
 * PC minus its function's entry, measured in Debian's builds of those releases with
 * oracle/measure/offsets/offsets.mjs (go tool objdump: the return address of the call on the
 * frame's line; runtime.abort's PC is after `INT $3`, which the assembler encodes as CD 03;
 * runtime.goexit's is entry + PCQuantum). runtime.systemstack_switch's is the systemstack_switch+8
 * that gosave_systemstack_switch saves. A frame prints an offset only with its line.
 */
export const GO_OFFSETS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'go1.21.13': {
    'runtime.abort': 0x2, 'runtime.morestack@abort': 0x25, 'runtime.morestack@newstack': 0x8f, 'runtime.systemstack': 0x4a,
    'runtime.systemstack_switch': 0x8, 'runtime.cgocallback': 0xcc, 'runtime.goexit': 0x1, 'runtime.throw': 0x5c,
    'runtime.setGCPercent.func1': 0x98, 'runtime.exitsyscallfast.func1': 0x91, 'runtime.newstack': 0xa36,
    'runtime.reentersyscall.func1': 0xbb, 'runtime.netpoll': 0xcb, 'runtime.startTheWorldWithSema': 0x37,
    'runtime.gcStart.func3': 0x25,
  },
  'go1.22.12': {
    'runtime.abort': 0x2, 'runtime.morestack@abort': 0x38, 'runtime.morestack@newstack': 0x7a, 'runtime.systemstack': 0x4a,
    'runtime.systemstack_switch': 0x8, 'runtime.cgocallback': 0xcc, 'runtime.goexit': 0x1, 'runtime.throw': 0x5c,
    'runtime.setGCPercent.func1': 0x98, 'runtime.exitsyscallfast.func1': 0x2c, 'runtime.newstack': 0xa36,
    'runtime.badmorestackg0.func1': 0xe5, 'runtime.switchToCrashStack0': 0x32, 'runtime.reentersyscall.func1': 0xbb,
    'runtime.netpoll': 0xd2, 'runtime.startTheWorldWithSema': 0x45, 'runtime.gcStart.func3': 0x32,
  },
  'go1.23.5': {
    'runtime.abort': 0x2, 'runtime.morestack@abort': 0x38, 'runtime.morestack@newstack': 0x7a, 'runtime.systemstack': 0x4a,
    'runtime.systemstack_switch': 0x8, 'runtime.cgocallback': 0xcc, 'runtime.goexit': 0x1, 'runtime.throw': 0x48,
    'runtime.setGCPercent.func1': 0x98, 'runtime.exitsyscallfast.func1': 0x2c, 'runtime.newstack': 0xa36,
    'runtime.badmorestackg0.func1': 0xe5, 'runtime.switchToCrashStack0': 0x32, 'runtime.reentersyscall.func1': 0xbb,
    'runtime.reentersyscall.func2': 0xbb, 'runtime.netpoll': 0xd2, 'runtime.startTheWorldWithSema': 0x45,
    'runtime.gcStart.func3': 0x37,
  },
};

/** A release's offsets, found by its GO_LINES row (what a crash view carries). */
const OFFSETS_BY_LINES = new Map<object, Readonly<Record<string, number>>>(
  Object.entries(GO_LINES).flatMap(([release, row]) => (GO_OFFSETS[release] ? [[row, GO_OFFSETS[release]!] as const] : [])),
);

export function pcOf(fn: number, offset = 0n): bigint {
  return TEXT_BASE + BigInt(fn) * TEXT_PC_STRIDE + offset;
}

export function fnName(fn: number): string {
  return FNS[fn]?.name ?? '?';
}

export function fnFile(fn: number): string {
  return FNS[fn]?.file ?? '?';
}

/** The line-number key of a frame in GO_LINES. */
export function lineKey(f: Frame): string {
  return f.site ? `${fnName(f.fn)}@${f.site}` : fnName(f.fn);
}

/**
 * A traceback in Go's layout, two lines a frame: the function with its arguments, then the file
 * under GOROOT, `:line` where `lines` (GO_LINES of the run's release) has it, and `+0x…` only where
 * that release's offset was measured (GO_OFFSETS): no offset is invented. An inlined frame prints `(...)`
 * and no offset, as Go does; the model holds no argument values, so each argument word of a real
 * call prints as `?`. A scenario function's frame prints `?` for its file (Go's word for an unknown
 * one): the program's source is not part of the scenario. Go prints ` fp=… sp=… pc=…` after each
 * frame of a runtime throw (level 2); those are left out (docs/model.md §21).
 */
export function traceback(frames: readonly (number | Frame)[], lines?: Readonly<Record<string, number>>): string {
  return frames.map((x) => {
    const f: Frame = typeof x === 'number' ? { fn: x } : x;
    const d = f.fn === FN.NONE ? undefined : FNS[f.fn];
    const name = f.name ?? d?.name ?? '?';
    const args = f.inlined ? '...' : f.args ?? d?.args ?? Array.from({ length: d?.params ?? 0 }, () => '?').join(', ');
    const line = d ? lines?.[lineKey(f)] : undefined;
    const measured = line !== undefined && lines ? OFFSETS_BY_LINES.get(lines)?.[lineKey(f)] : undefined;
    const offset = f.offset ?? (measured !== undefined ? BigInt(measured) : undefined);
    const file = f.file ?? d?.file;
    const where = file ? `\t${GOROOT}/src/${file}${line !== undefined ? `:${line}` : ''}` : '\t?';
    return `${name}(${args})\n${where}${!f.inlined && offset !== undefined ? ` +0x${offset.toString(16)}` : ''}`;
  }).join('\n');
}
