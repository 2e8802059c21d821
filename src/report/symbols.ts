// The simulated text segment: runtime functions by the ids the core uses (assembly/abi.ts FN_*),
// with the PCs the core computes (TEXT_BASE + id * TEXT_PC_STRIDE) and the source files Go prints
// in tracebacks. Ids after the core's are the host's own: frames it adds to tracebacks.

import { FN as CORE_FN, TEXT_BASE, TEXT_PC_STRIDE } from '../core/abi.js';

export interface Fn { readonly name: string; readonly file: string }

const HOST_FN_BASE = Math.max(...Object.values(CORE_FN)) + 1;

export const FN = {
  ...CORE_FN, ABORT: HOST_FN_BASE, MORESTACK: HOST_FN_BASE + 1, SYSTEMSTACK: HOST_FN_BASE + 2,
  CALLBACK_UPDATE: HOST_FN_BASE + 3, NEWSTACK: HOST_FN_BASE + 4, CROSSCALL2: HOST_FN_BASE + 5,
} as const;

const FNS: Record<number, Fn> = {
  [FN.NONE]: { name: '?', file: '?' },
  [FN.EXITSYSCALLFAST_FUNC1]: { name: 'runtime.exitsyscallfast.func1', file: 'runtime/proc.go' },
  [FN.SETGCPERCENT_FUNC1]: { name: 'runtime.setGCPercent.func1', file: 'runtime/mgcpacer.go' },
  [FN.DROPM]: { name: 'runtime.dropm', file: 'runtime/proc.go' },
  [FN.PRINTLOCK]: { name: 'runtime.printlock', file: 'runtime/print.go' },
  [FN.CGOCALLBACKG]: { name: 'runtime.cgocallbackg', file: 'runtime/cgocall.go' },
  [FN.CGOCALL]: { name: 'runtime.cgocall', file: 'runtime/cgocall.go' },
  [FN.GOEXIT]: { name: 'runtime.goexit', file: 'runtime/asm_amd64.s' },
  [FN.REENTERSYSCALL]: { name: 'runtime.reentersyscall', file: 'runtime/proc.go' },
  [FN.EXITSYSCALL]: { name: 'runtime.exitsyscall', file: 'runtime/proc.go' },
  [FN.CGOCALLBACK]: { name: 'runtime.cgocallback', file: 'runtime/asm_amd64.s' },
  [FN.NEEDM]: { name: 'runtime.needm', file: 'runtime/proc.go' },
  [FN.ABORT]: { name: 'runtime.abort', file: 'runtime/asm_amd64.s' },
  [FN.MORESTACK]: { name: 'runtime.morestack', file: 'runtime/asm_amd64.s' },
  [FN.SYSTEMSTACK]: { name: 'runtime.systemstack', file: 'runtime/asm_amd64.s' },
  [FN.CALLBACK_UPDATE]: { name: 'runtime.callbackUpdateSystemStack', file: 'runtime/cgocall.go' },
  [FN.NEWSTACK]: { name: 'runtime.newstack', file: 'runtime/stack.go' },
  [FN.CROSSCALL2]: { name: 'runtime.crosscall2', file: 'runtime/cgo/asm_amd64.s' },
};

export function pcOf(fn: number, offset = 0n): bigint {
  return TEXT_BASE + BigInt(fn) * TEXT_PC_STRIDE + offset;
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
