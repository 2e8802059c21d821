// The simulated text segment: runtime functions by the ids assembly/fns.ts uses, with the PCs the
// core computes (TEXT_BASE + id * FN_PC_STRIDE) and the source files Go prints in tracebacks.

export const TEXT_BASE = 0x401000n;
export const FN_PC_STRIDE = 0x200n;

export interface Fn { readonly name: string; readonly file: string }

export const FNS: readonly Fn[] = [
  { name: '?', file: '?' },
  { name: 'runtime.exitsyscallfast.func1', file: 'runtime/proc.go' },
  { name: 'runtime.setGCPercent.func1', file: 'runtime/mgcpacer.go' },
  { name: 'runtime.dropm', file: 'runtime/proc.go' },
  { name: 'runtime.printlock', file: 'runtime/print.go' },
  { name: 'runtime.cgocallbackg', file: 'runtime/cgocall.go' },
  { name: 'runtime.cgocall', file: 'runtime/cgocall.go' },
  { name: 'runtime.goexit', file: 'runtime/asm_amd64.s' },
  { name: 'runtime.reentersyscall', file: 'runtime/proc.go' },
  { name: 'runtime.exitsyscall', file: 'runtime/proc.go' },
  { name: 'runtime.cgocallback', file: 'runtime/asm_amd64.s' },
  { name: 'runtime.needm', file: 'runtime/proc.go' },
  // Host-only: frames the host adds to tracebacks.
  { name: 'runtime.abort', file: 'runtime/asm_amd64.s' },
  { name: 'runtime.morestack', file: 'runtime/asm_amd64.s' },
  { name: 'runtime.systemstack', file: 'runtime/asm_amd64.s' },
  { name: 'runtime.callbackUpdateSystemStack', file: 'runtime/cgocall.go' },
  { name: 'runtime.newstack', file: 'runtime/stack.go' },
  { name: 'runtime.crosscall2', file: 'runtime/cgo/asm_amd64.s' },
];

export const FN = {
  EXITSYSCALLFAST_FUNC1: 1, SETGCPERCENT_FUNC1: 2, DROPM: 3, PRINTLOCK: 4, CGOCALLBACKG: 5, CGOCALL: 6,
  GOEXIT: 7, REENTERSYSCALL: 8, EXITSYSCALL: 9, CGOCALLBACK: 10, NEEDM: 11, ABORT: 12, MORESTACK: 13,
  SYSTEMSTACK: 14, CALLBACK_UPDATE: 15, NEWSTACK: 16, CROSSCALL2: 17,
} as const;

export function pcOf(fn: number, offset = 0n): bigint {
  return TEXT_BASE + BigInt(fn) * FN_PC_STRIDE + offset;
}

export function fnName(fn: number): string {
  return FNS[fn]?.name ?? '?';
}

/**
 * A traceback in Go's layout, frame per two lines. The frames are the simulated call path (the
 * model knows which runtime functions are on the stack, not their line numbers), so the second
 * line gives the file and the simulated PC offset instead of file:line.
 */
export function traceback(fns: readonly number[]): string {
  return fns.map((fn, i) => `${fnName(fn)}(...)\n\t${FNS[fn]?.file ?? '?'} +0x${(0x20 + 8 * i).toString(16)}`).join('\n');
}
