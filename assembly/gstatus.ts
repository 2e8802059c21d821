// Goroutine wait reasons, and the tracer's on/off switch that the GC's shrink rule reads
// (docs/model.md §6, §11.4). Shared by the stack and tracer modules.

import {
  F_TRACE_EMIT_BEFORE_CAS, G_WAITING, WR_GARBAGE_COLLECTION, WR_GC_ASSIST_MARKING, WR_GC_MARK_TERMINATION,
  WR_GC_WORKER_ACTIVE, WR_PAGE_TRACE_FLUSH, WR_STOPPING_THE_WORLD, WR_TRACE_PROC_STATUS,
} from './abi';
import { has } from './profile';

// Wait reasons are WR_* in abi.ts; 1–10 are the isWaitingForGC set.

export let tracingOn: bool = false;
export function setTracing(on: bool): void { tracingOn = on; }

/**
 * isWaitingForGC (go1.23+), or go1.22's exception list as its precedence slip makes it behave:
 * `status == _Gwaiting && wr == A || wr == B || …` ties only the first comparison to the status.
 */
export function isWaitingForGC(status: u32, reason: u32): bool {
  if (has(F_TRACE_EMIT_BEFORE_CAS)) return reason >= WR_GC_ASSIST_MARKING && reason <= WR_PAGE_TRACE_FLUSH;
  return (status == G_WAITING && reason == WR_STOPPING_THE_WORLD) || reason == WR_GC_MARK_TERMINATION ||
    reason == WR_GARBAGE_COLLECTION || reason == WR_TRACE_PROC_STATUS || reason == WR_PAGE_TRACE_FLUSH ||
    reason == WR_GC_WORKER_ACTIVE;
}
