// Parking and waking (docs/model.md §8.4): channels, wait groups and timers, over the scheduler's
// gopark/goready (sched.ts). Enough of runtime/chan.go, sync.WaitGroup and time.Sleep for goroutines
// that wait for each other across C/Go crossings: a callback's goroutine that blocks on a channel
// parks while its C thread waits inside the callback, and a goroutine on another M wakes it.
//
// Channels (chan.go): a send hands its value to the first waiting receiver (goready), else fills a
// free buffer slot, else parks ("chan send"); a receive takes from a waiting sender (which goes on)
// or the buffer, returns the zero value from a closed empty channel, else parks ("chan receive").
// Wait queues are FIFO (sudog order): each waiting goroutine records what it waits on and when it
// started. Values are not modelled, only who waits and who goes on.
//
// Wait groups: Add changes the counter (below zero panics), reaching zero readies every waiter;
// Wait parks ("semacquire", as runtime_SemacquireWaitGroup does up to go1.24) while it is above zero.
//
// Time: a simulated clock in nanoseconds. time.Sleep parks ("sleep") until the clock reaches its
// wake time; the clock moves only when the scenario lets time pass (a `sleep` on the timeline or in
// C, usleep) or when a `join` waits for a thread and nothing else can run (the next timer fires).
//

import {
  CORO_DONE, CORO_EXIT, CORO_NEW, CORO_SWITCH, CRASH_CORO_EXITED, CRASH_CORO_LOCK, EV_CORO, F_COROUTINES, G_DEAD,
  G_RUNNING, INVALID_NO_COROUTINES, INVALID_TOO_DEEP, WR_COROUTINE, CHAN_CLOSED, CHAN_MADE, CHAN_RECV_BLOCKS, CHAN_RECV_BUFFERED, CHAN_RECV_CLOSED, CHAN_RECV_FROM_SENDER,
  CHAN_SEND_BLOCKS, CHAN_SEND_BUFFERED, CHAN_SEND_HANDOFF, CHAN_WG_ADD, CHAN_WG_WAIT_BLOCKS, CHAN_WG_WAIT_DONE,
  CRASH_CLOSE_CLOSED, CRASH_SEND_CLOSED, CRASH_WG_NEGATIVE, C_CHAN_OPS, C_TIMERS_FIRED, EV_CHAN, EV_CLOCK,
  EV_TIMER, G_WAITING, WORK_GOROUTINES, MAX_SYNC, SYNC_SIZE, WR_CHAN_RECEIVE, WR_CHAN_SEND, WR_SEMACQUIRE, WR_SLEEP,
} from './abi';
import { SYNC_LOCATION } from './memory';
import { thread, mrec, grec } from './records';
import { count, emit, crash, crashOperand, debt, invalid } from './results';
import { has } from './profile';
import { freeRegion } from './regions';
import { GO_STACK_POISON } from './regions';
import { newGoroutine } from './cgocall';
import { pushFrame, gctx, goroutineFrame, FK_GOROUTINE } from './frames';
import { gopark, goready } from './sched';
import { gCount } from './runtime';

// Sync (SYNC_SIZE), 32 bytes: a channel, a wait group or a coroutine
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 cap u32             │ 8 count i32           │ 12 closed u32         │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 gp u32             │ 20 mp u32             │ 24 lockedInt u32      │ 28 lockedExt u32      │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
class Sync {
  kind: u32;       // SK_*
  cap: u32;        // a channel: its buffer size
  count: i32;      // a channel: values buffered; a wait group: its counter
  closed: u32;     // a channel: closed; a coroutine: done (stop was called, or the iterator returned)
  gp: u32;         // a coroutine: the goroutine blocked in it (+1), 0 once it has exited
  mp: u32;         // a coroutine: the M it was created on (+1) when that M had a thread lock, else 0
  lockedInt: u32;  // a coroutine: that M's lock counts at creation
  lockedExt: u32;
}

// @ts-ignore: decorator
@inline const SK_CHAN: u32 = 1;
// @ts-ignore: decorator
@inline const SK_WG: u32 = 2;
// @ts-ignore: decorator
@inline const SK_CORO: u32 = 3;

// What a goroutine waits on: g.waitOn = sync object + 1 | direction << 16.
// @ts-ignore: decorator
@inline const DIR_RECV: u32 = 1;
// @ts-ignore: decorator
@inline const DIR_SEND: u32 = 2;
// @ts-ignore: decorator
@inline const DIR_WG: u32 = 3;
// @ts-ignore: decorator
@inline const DIR_SLEEP: u32 = 4;

// @ts-ignore: decorator
@inline function syncAt(si: u32): Sync {
  if (si >= syncUsed) syncUsed = si + 1;
  return changetype<Sync>(SYNC_LOCATION + <usize>si * SYNC_SIZE);
}
// @ts-ignore: decorator
@inline function waitKey(si: u32, dir: u32): u32 { return (si + 1) | (dir << 16); }

/** The simulated clock (ns). */
export let now: u64 = 0;
let nextWaitSeq: u32 = 0;

// Records [0, syncUsed) are the only ones a run since the last reset can have written (every access
// goes through syncAt): the reset clears those.
let syncUsed: u32 = MAX_SYNC;

export function resetSync(): void {
  memory.fill(SYNC_LOCATION, 0, <usize>syncUsed * SYNC_SIZE);
  syncUsed = 0;
  now = 0;
  nextWaitSeq = 0;
}

@inline function curM(ti: i32): i32 { return <i32>thread(ti).m - 1; }
@inline function curG(ti: i32): i32 { return <i32>mrec(curM(ti)).curg - 1; }

/** gopark with the wait recorded first, so a waker finds it in FIFO order. */
function park(ti: i32, key: u32, reason: u32): void {
  const mi = curM(ti);
  const gi = curG(ti);
  const gp = grec(gi);
  gp.waitOn = key;
  gp.waitSeq = nextWaitSeq++;
  gopark(ti, mi, gi, reason);
}

/** The goroutine that has waited longest on key, or -1. */
function firstWaiter(key: u32): i32 {
  debt(<u64>gCount, WORK_GOROUTINES);
  let best = -1;
  let bestSeq: u32 = 0;
  for (let gi = 0; gi < gCount; gi++) {
    const gp = grec(gi);
    if (gp.waitOn != key || gp.status != G_WAITING) continue;
    if (best < 0 || gp.waitSeq < bestSeq) {
      best = gi;
      bestSeq = gp.waitSeq;
    }
  }
  return best;
}

/** make(chan T, cap); `chan` on the timeline or in a Go body. */
export function makechan(ti: i32, si: u32, cap: u32): void {
  const s = syncAt(si);
  s.kind = SK_CHAN;
  s.cap = cap;
  s.count = 0;
  s.closed = 0;
  emit(EV_CHAN, ti, ti < 0 ? -1 : curM(ti), <u64>si, CHAN_MADE);
}

/** chansend from the goroutine running on thread ti. */
export function chansend(ti: i32, si: u32): void {
  const s = syncAt(si);
  const mi = curM(ti);
  count(C_CHAN_OPS);
  if (s.closed != 0) {
    crashOperand(0, <u64>si);
    crash(CRASH_SEND_CLOSED, ti, mi, curG(ti), 0);
    return;
  }
  const r = firstWaiter(waitKey(si, DIR_RECV));
  if (r >= 0) {
    emit(EV_CHAN, ti, mi, <u64>si, CHAN_SEND_HANDOFF);
    goready(ti, r);
    return;
  }
  if (<u32>s.count < s.cap) {
    s.count++;
    emit(EV_CHAN, ti, mi, <u64>si, CHAN_SEND_BUFFERED);
    return;
  }
  emit(EV_CHAN, ti, mi, <u64>si, CHAN_SEND_BLOCKS);
  park(ti, waitKey(si, DIR_SEND), WR_CHAN_SEND);
}

/** chanrecv from the goroutine running on thread ti. */
export function chanrecv(ti: i32, si: u32): void {
  const s = syncAt(si);
  const mi = curM(ti);
  count(C_CHAN_OPS);
  // A waiting sender means the buffer is full (or there is none): take the head, its value moves in.
  const snd = firstWaiter(waitKey(si, DIR_SEND));
  if (snd >= 0) {
    emit(EV_CHAN, ti, mi, <u64>si, CHAN_RECV_FROM_SENDER);
    goready(ti, snd);
    return;
  }
  if (s.count > 0) {
    s.count--;
    emit(EV_CHAN, ti, mi, <u64>si, CHAN_RECV_BUFFERED);
    return;
  }
  if (s.closed != 0) {
    emit(EV_CHAN, ti, mi, <u64>si, CHAN_RECV_CLOSED);
    return;
  }
  emit(EV_CHAN, ti, mi, <u64>si, CHAN_RECV_BLOCKS);
  park(ti, waitKey(si, DIR_RECV), WR_CHAN_RECEIVE);
}

/** closechan: every waiting receiver goes on with the zero value; a waiting sender panics. */
export function closechan(ti: i32, si: u32): void {
  const s = syncAt(si);
  const mi = curM(ti);
  count(C_CHAN_OPS);
  if (s.closed != 0) {
    crashOperand(0, <u64>si);
    crash(CRASH_CLOSE_CLOSED, ti, mi, curG(ti), 0);
    return;
  }
  s.closed = 1;
  emit(EV_CHAN, ti, mi, <u64>si, CHAN_CLOSED);
  for (let r = firstWaiter(waitKey(si, DIR_RECV)); r >= 0; r = firstWaiter(waitKey(si, DIR_RECV))) goready(ti, r);
  const snd = firstWaiter(waitKey(si, DIR_SEND));
  if (snd >= 0) {
    // The sender wakes to a closed channel and panics; the model ends the run here, on its behalf.
    crashOperand(0, <u64>si);
    crash(CRASH_SEND_CLOSED, ti, mi, snd, 0);
  }
}

/** sync.WaitGroup.Add(delta) (Done is Add(-1)). */
export function wgAdd(ti: i32, si: u32, delta: i64): void {
  const s = syncAt(si);
  const mi = curM(ti);
  s.kind = SK_WG;
  s.count += <i32>delta;
  emit(EV_CHAN, ti, mi, <u64>si, CHAN_WG_ADD);
  if (s.count < 0) {
    crashOperand(0, <u64>si);
    crashOperand(1, <u64><i64>s.count);
    crash(CRASH_WG_NEGATIVE, ti, mi, curG(ti), 0);
    return;
  }
  if (s.count == 0) {
    for (let w = firstWaiter(waitKey(si, DIR_WG)); w >= 0; w = firstWaiter(waitKey(si, DIR_WG))) goready(ti, w);
  }
}

/** sync.WaitGroup.Wait. */
export function wgWait(ti: i32, si: u32): void {
  const s = syncAt(si);
  const mi = curM(ti);
  s.kind = SK_WG;
  if (s.count == 0) {
    emit(EV_CHAN, ti, mi, <u64>si, CHAN_WG_WAIT_DONE);
    return;
  }
  emit(EV_CHAN, ti, mi, <u64>si, CHAN_WG_WAIT_BLOCKS);
  park(ti, waitKey(si, DIR_WG), WR_SEMACQUIRE);
}

/** time.Sleep(ns) from a goroutine: a timer at now + ns, then gopark. Zero returns at once. */
export function timeSleep(ti: i32, ns: u64): void {
  if (ns == 0) return;
  grec(curG(ti)).wakeAt = now + ns;
  park(ti, waitKey(0xffff, DIR_SLEEP), WR_SLEEP);
}

/** Fires the earliest timer due at or before `limit`: its goroutine becomes runnable. */
export function fireNextTimer(limit: u64): bool {
  const key = waitKey(0xffff, DIR_SLEEP);
  debt(<u64>gCount, WORK_GOROUTINES);
  let best = -1;
  for (let gi = 0; gi < gCount; gi++) {
    const gp = grec(gi);
    if (gp.waitOn != key || gp.status != G_WAITING || gp.wakeAt > limit) continue;
    if (best < 0) { best = gi; continue; }
    const b = grec(best);
    if (gp.wakeAt < b.wakeAt || (gp.wakeAt == b.wakeAt && gp.waitSeq < b.waitSeq)) best = gi;
  }
  if (best < 0) return false;
  const gp = grec(best);
  if (gp.wakeAt > now) now = gp.wakeAt;
  gp.wakeAt = 0;
  count(C_TIMERS_FIRED);
  emit(EV_TIMER, -1, -1, gp.goid, now);
  goready(-1, best);
  return true;
}

/** Time passes on a thread that sleeps in C (or on the timeline): timers due meanwhile fire. */
export function advanceClock(ti: i32, ns: u64): void {
  const target = now + ns;
  while (fireNextTimer(target)) {}
  now = target;
  emit(EV_CLOCK, ti, ti < 0 ? -1 : <i32>thread(ti).m - 1, now, ns);
}

// ---- coroutines (runtime/coro.go, go1.23; iter.Pull) ----
//
// iter.Pull makes a coroutine: a goroutine waiting ("coroutine") to run the iterator. next() and
// the iterator's yield are coroswitch: the caller waits in the coroutine and the goroutine that
// waited there runs on the same M at once, without the scheduler; stop() marks it done and switches
// so the iterator's yield returns false; when the iterator returns, coroexit ends its goroutine
// and switches back. 583675's rule: at every switch, if the coroutine was created on a thread-locked
// M or the switching goroutine is locked, the M and its lockedInt/lockedExt must be those at
// creation, else throw; a locked goroutine gives its lock to the one it switches to.
// Not modelled: yield's value and iter.Pull's panic propagation; a yield after stop returns false
// without switching, and the iterator's remaining ops still run (a well-behaved iterator would
// return at once).

/** iter.Pull: newcoro for coroutine si, whose goroutine gi (goid) runs the iterator body [start, end). */
export function newcoro(ti: i32, si: u32, gi: i32, goid: u64, start: u32, end: u32, op: u32): void {
  const mi = curM(ti);
  if (!has(F_COROUTINES)) {
    invalid(INVALID_NO_COROUTINES, ti);
    return;
  }
  if (!newGoroutine(ti, gi, goid, 0, 0)) return;
  const gp = grec(gi);
  gp.status = G_WAITING;
  gp.waitreason = WR_COROUTINE;
  const pushed = pushFrame(gctx(gi), FK_GOROUTINE, start, end, op);
  if (pushed == null) return invalid(INVALID_TOO_DEEP, ti);
  const f = goroutineFrame(pushed);
  f.m = 0;
  f.g = <u32>gi + 1;
  f.coro = si + 1; // a coroutine's body: its end is coroexit, not goexit
  const c = syncAt(si);
  const m = mrec(mi);
  c.kind = SK_CORO;
  c.closed = 0;
  c.gp = <u32>gi + 1;
  if (m.lockedExt + m.lockedInt != 0) {
    c.mp = <u32>mi + 1;
    c.lockedInt = m.lockedInt;
    c.lockedExt = m.lockedExt;
  } else {
    c.mp = 0;
    c.lockedInt = 0;
    c.lockedExt = 0;
  }
  emit(EV_CORO, ti, mi, goid, CORO_NEW);
}

/** next(): a finished iterator returns at once; else coroswitch. */
export function coroNext(ti: i32, si: u32): void {
  if (syncAt(si).closed != 0) {
    emit(EV_CORO, ti, curM(ti), 0, CORO_DONE);
    return;
  }
  coroswitch(ti, si, false);
}

/** yield inside the iterator: after stop it returns false without switching; else coroswitch. */
export function coroYield(ti: i32, si: u32): void {
  coroNext(ti, si);
}

/** stop(): marks the coroutine done and switches, so its pending yield returns false. */
export function coroStop(ti: i32, si: u32): void {
  const c = syncAt(si);
  if (c.closed != 0) return;
  c.closed = 1;
  coroswitch(ti, si, false);
}

/** The iterator's body returned: coroexit (its goroutine ends; the one waiting in c runs). */
export function coroExit(ti: i32, si: u32): void {
  syncAt(si).closed = 1;
  coroswitch(ti, si, true);
}

/** coroswitch_m for the goroutine running on thread ti. */
function coroswitch(ti: i32, si: u32, exit: bool): void {
  const c = syncAt(si);
  const mi = curM(ti);
  const m = mrec(mi);
  const gi = curG(ti);
  const gp = grec(gi);
  const locked = gp.lockedm != 0;
  if (c.mp != 0 || locked) {
    if (c.mp != <u32>mi + 1 || m.lockedInt != c.lockedInt || m.lockedExt != c.lockedExt) {
      crashOperand(0, <u64>m.id);
      crashOperand(1, c.mp == 0 ? 0 : <u64>mrec(<i32>c.mp - 1).id);
      crashOperand(2, <u64>m.lockedInt);
      crashOperand(3, <u64>c.lockedInt);
      crashOperand(4, <u64>m.lockedExt);
      crashOperand(5, <u64>c.lockedExt);
      crashOperand(6, c.mp == 0 ? 0 : 1);
      crash(CRASH_CORO_LOCK, ti, mi, gi, 0);
      return;
    }
  }
  if (locked) gp.lockedm = 0;
  if (c.gp == 0) {
    crash(CRASH_CORO_EXITED, ti, mi, gi, 0);
    return;
  }
  const next = <i32>c.gp - 1;
  if (exit) {
    // gdestroy: the iterator's goroutine is gone, its stack goes back to Go.
    gp.status = G_DEAD;
    if (gp.region != 0) freeRegion(<i32>gp.region - 1, GO_STACK_POISON);
    c.gp = 0;
  } else {
    gp.status = G_WAITING;
    gp.waitreason = WR_COROUTINE;
    c.gp = <u32>gi + 1;
  }
  gp.m = 0;
  const np = grec(next);
  m.curg = <u32>next + 1;
  np.m = <u32>mi + 1;
  np.status = G_RUNNING;
  np.waitreason = 0;
  if (locked) {
    m.lockedg = <u32>next + 1;
    np.lockedm = <u32>mi + 1;
  }
  thread(ti).tlsG = <u32>next + 1;
  emit(EV_CORO, ti, mi, np.goid, exit ? CORO_EXIT : CORO_SWITCH);
}

if (offsetof<Sync>() != SYNC_SIZE) ERROR('the Sync record\'s size differs from SYNC_SIZE');
