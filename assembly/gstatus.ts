// Goroutine wait reasons, and the tracer's on/off switch that the GC's shrink rule reads
// (docs/model.md §6, §11.4). Shared by the stack and tracer modules.

import { has, F_TRACE_EMIT_BEFORE_CAS } from './profile';
import { G_WAITING } from './records';

// Wait reasons (waitReasonStrings); the host maps the names. 1–10 are the isWaitingForGC set.
export const WR_GC_ASSIST_MARKING: u32 = 1;
export const WR_GARBAGE_COLLECTION: u32 = 2;
export const WR_GC_SCAN: u32 = 3;
export const WR_GC_WORKER_ACTIVE: u32 = 4;
export const WR_GC_MARK_TERMINATION: u32 = 5;
export const WR_STOPPING_THE_WORLD: u32 = 6;
export const WR_FLUSHING_PROC_CACHES: u32 = 7;
export const WR_TRACE_GOROUTINE_STATUS: u32 = 8;
export const WR_TRACE_PROC_STATUS: u32 = 9;
export const WR_PAGE_TRACE_FLUSH: u32 = 10;

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
