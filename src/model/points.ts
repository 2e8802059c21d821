// The interleaving points (assembly/points.ts, ids in assembly/abi.ts POINT_*): public names, stable once published. `at` pins what
// runs at one; `cgosim points` prints this catalogue with the order of the steps around each point
// per profile.

import { flagSet, PROFILE_NAMES, type FlagName, type ProfileName } from './profiles.js';
import { POINT } from '../core/abi.js';

export interface PointInfo {
  readonly id: number;
  readonly name: string;
  readonly where: string;
  /** Whether a pending preemption request preempts the goroutine here. */
  readonly preempts: string;
}

export const POINTS: readonly PointInfo[] = [
  { id: POINT.PROLOGUE, name: 'goroutine.prologue', where: 'before a goroutine op that begins with a call (call, grow, cgocall, gc, gosched, systemstack), and at cgocallbackg1\'s prologue when a callback enters Go: a splittable prologue', preempts: 'yes: a synchronous preemption point' },
  { id: POINT.CB_ENTRY, name: 'cgocallbackg.entry', where: 'a callback from C has reached cgocallbackg; the goroutine is still in _Gsyscall, before callbackUpdateSystemStack', preempts: 'no (nosplit)' },
  { id: POINT.AFTER_EXITSYSCALL, name: 'cgocallbackg.after-exitsyscall', where: 'the callback\'s goroutine has left _Gsyscall (syscallsp = 0) and is about to run the exported Go function', preempts: 'no' },
  { id: POINT.AFTER_FN, name: 'cgocallbackg1.after-fn', where: 'the exported Go function has returned; cgocallbackg1\'s deferred calls come next', preempts: 'no' },
  { id: POINT.CTXT_POP, name: 'cgocallbackg1.defer-ctxt-pop', where: 'the deferred closure that pops the cgo traceback context (only with "tracebackContext": true): its wrapper\'s prologue', preempts: 'yes' },
  { id: POINT.DEFERRETURN, name: 'cgocallbackg1.deferreturn', where: 'after the last deferred call of cgocallbackg1, with non-open-coded defers (flag NON_OPEN_CODED_DEFERS, #62102)', preempts: 'yes, with NON_OPEN_CODED_DEFERS' },
  { id: POINT.AFTER_UNLOCK, name: 'cgocallbackg.after-unlock', where: 'right after go1.22+\'s unlockOSThread in cgocallbackg (incgo already true); go1.22+ only', preempts: 'only with the PREEMPT_AFTER_UNLOCK mutation' },
  { id: POINT.BEFORE_REENTER, name: 'cgocallbackg.before-reentersyscall', where: 'after the m-changed check, before reentersyscall(savedpc, savedsp, savedbp)', preempts: 'no' },
  { id: POINT.PARK_AFTER_STATUS, name: 'park_m.after-status', where: 'a parking goroutine (park) has just become _Gwaiting: from here the GC may take its stack. go1.22 emits GoBlock with its stack after this point, go1.23+ before it', preempts: 'no' },
  { id: POINT.GOSCHED_AFTER_STATUS, name: 'goschedImpl.after-status', where: 'a goroutine yielding (gosched) or preempted has just become _Grunnable; go1.22 emits GoStop/GoPreempt with its stack after this point, go1.23+ before', preempts: 'no' },
  { id: POINT.STW_WAITING, name: 'stopTheWorld.waiting', where: 'readMemStats: the goroutine stopping the world is _Gwaiting (waiting for the GC) but still runs and is traced with its stack next', preempts: 'no' },
  { id: POINT.AFTER_ENTERSYSCALL, name: 'cgocall.after-entersyscall', where: 'a goroutine calling C has recorded syscallsp/pc(/bp) and is in _Gsyscall; C runs next', preempts: 'no' },
];

export function pointId(name: string): number | undefined {
  return POINTS.find((p) => p.name === name)?.id;
}

/** The callback's return path in order, for one profile, with the points marked. */
export function returnPath(profile: ProfileName, extra: Partial<Record<FlagName, boolean>> = {}): string[] {
  const f = flagSet(profile, extra);
  const steps = ['[cgocallbackg1.after-fn]', 'deferred unwindm' + (!f.has('DEFER_UNLOCK_FIRST') && !f.has('UNLOCK_IN_CGOCALLBACKG') ? ' -> unlockOSThread' : '')];
  steps.push('deferred ctxt pop [cgocallbackg1.defer-ctxt-pop]');
  if (f.has('DEFER_UNLOCK_FIRST')) steps.push('deferred unlockOSThread');
  steps.push('[cgocallbackg1.deferreturn]');
  steps.push('cgocallbackg1 returns', f.has('UNLOCK_IN_CGOCALLBACKG') ? 'incgo = true; unlockOSThread [cgocallbackg.after-unlock]' : 'incgo = true');
  if (f.has('M_CHANGED_CHECK')) steps.push('m changed check');
  steps.push('[cgocallbackg.before-reentersyscall]', 'reentersyscall', 'cgocallback: back on m.g0 at g0.sched.sp');
  return steps;
}

export function pointsTable(): string {
  const lines = ['Interleaving points (use with { "op": "at", "point": NAME, "g": G, "steps": [...] }):', ''];
  for (const p of POINTS) lines.push(`  ${p.name}`, `      ${p.where}`, `      preemption point: ${p.preempts}`);
  lines.push('', 'The callback\'s way back to C, per profile ([point]):');
  for (const profile of PROFILE_NAMES) lines.push(`  ${profile.padEnd(10)} ${returnPath(profile).join(' -> ')}`);
  return lines.join('\n');
}
