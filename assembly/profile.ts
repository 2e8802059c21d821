// Profiles: a runtime version is a set of feature flags (docs/model.md §15). The host resolves
// a profile name plus per-flag overrides into this mask; the core only ever tests bits, so a flag
// means the same thing in every mechanism that reads it. Bit numbers are part of the host contract
// (src/profiles.ts lists them in the same order).

// @ts-ignore: decorator
@inline export const F_DEFER_UNLOCK_FIRST: u64 = 1 << 0;          // 338197: defer unlockOSThread registered first
// @ts-ignore: decorator
@inline export const F_M_CHANGED_CHECK: u64 = 1 << 1;             // 338197: throw if the M changed in cgocallbackg
// @ts-ignore: decorator
@inline export const F_UNLOCK_IN_CGOCALLBACKG: u64 = 1 << 2;      // 532615: unlock after incgo = true, no defer
// @ts-ignore: decorator
@inline export const F_M_CACHE_PTHREAD_KEY: u64 = 1 << 3;         // 495855: extra M stays bound to its C thread
// @ts-ignore: decorator
@inline export const F_NEEDM_PTHREAD_BOUNDS_UNCHECKED: u64 = 1 << 4; // 479915: needm trusts pthread bounds
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_V1: u64 = 1 << 5;                // 527715
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_V2: u64 = 1 << 6;                // 584597
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_V3: u64 = 1 << 7;                // 600296
// @ts-ignore: decorator
@inline export const F_SAVE_RESTORE_G0: u64 = 1 << 8;             // 600296: cgocallbackg restores g0 bounds
// @ts-ignore: decorator
@inline export const F_MUSL_ZERO_BOUNDS: u64 = 1 << 9;            // 600296: musl getstackbound returns zeros
// @ts-ignore: decorator
@inline export const F_DROPM_CLEARS_BOUNDS: u64 = 1 << 10;        // 537695
// @ts-ignore: decorator
@inline export const F_DROPM_NOSPLIT: u64 = 1 << 11;              // 527715
// @ts-ignore: decorator
@inline export const F_G0_STACKGUARD1: u64 = 1 << 12;             // 527716
// @ts-ignore: decorator
@inline export const F_CRASHSTACK_MORESTACK_G0: u64 = 1 << 13;    // go1.22: badmorestackg0 on a crash stack
// @ts-ignore: decorator
@inline export const F_TRACER_V2: u64 = 1 << 14;
// @ts-ignore: decorator
@inline export const F_TRACE_EMIT_BEFORE_CAS: u64 = 1 << 15;      // 573155
// @ts-ignore: decorator
@inline export const F_OWNERSHIP_GODEBUG: u64 = 1 << 16;          // 573155
// @ts-ignore: decorator
@inline export const F_SHRINK_TRACE_CHECK: u64 = 1 << 17;         // 573155
// @ts-ignore: decorator
@inline export const F_CAS_TO_WAITING_FOR_GC: u64 = 1 << 18;      // 573155
// @ts-ignore: decorator
@inline export const F_TRACE_OTHER_G_STACKS: u64 = 1 << 19;       // 567076
// @ts-ignore: decorator
@inline export const F_SYSCALLBP: u64 = 1 << 20;                  // 580255
// @ts-ignore: decorator
@inline export const F_SAVEDBP_UNSAFE_POINTER: u64 = 1 << 21;     // 608775
// @ts-ignore: decorator
@inline export const F_BP_CHECK: u64 = 1 << 22;                   // 608775
// @ts-ignore: decorator
@inline export const F_ISEXTRAINC_ONLY_NCGO0: u64 = 1 << 23;      // 658035
// @ts-ignore: decorator
@inline export const F_SHRINK_GATE_WITHOUT_TRACE: u64 = 1 << 24;  // 692716
// @ts-ignore: decorator
@inline export const F_SAVEDSP_AS_UINTPTR: u64 = 1 << 25;         // mutation: savedsp held as uintptr
// @ts-ignore: decorator
@inline export const F_NCGO_BEFORE_ENTERSYSCALL: u64 = 1 << 26;   // go1.17–1.20: ncgo++ before entersyscall
// @ts-ignore: decorator
@inline export const F_ENTERSYSCALL_SP_WORDING: u64 = 1 << 27;    // 608835: "entersyscall inconsistent sp "
// @ts-ignore: decorator
@inline export const F_CRASH_STACK_DIAG: u64 = 1 << 28;           // diagnostic: print the intended OOB line
// @ts-ignore: decorator
@inline export const F_NON_OPEN_CODED_DEFERS: u64 = 1 << 29;      // knob: deferreturn preemption point (#62102)
// @ts-ignore: decorator
@inline export const F_PREEMPT_AFTER_UNLOCK: u64 = 1 << 30;       // mutation: 1.22's unlock in splittable code
// @ts-ignore: decorator
@inline export const F_UNWINDM_UNLOCKS: u64 = 1 << 31;            // mutation: unwindm keeps rc1's unlockOSThread

// Platforms (§10.1): what _cgo_getstackbound returns and whether a pthread key caches the M.
// @ts-ignore: decorator
@inline export const PLATFORM_GLIBC: i32 = 0;
// @ts-ignore: decorator
@inline export const PLATFORM_MUSL: i32 = 1;
// @ts-ignore: decorator
@inline export const PLATFORM_WINDOWS: i32 = 2;
// @ts-ignore: decorator
@inline export const PLATFORM_NOBOUNDS: i32 = 3;

export let flags: u64 = 0;
export let platform: i32 = PLATFORM_GLIBC;

// abi.StackNosplitBase(800) + stackSystem + abi.StackSmall(128); stackSystem is 0 on linux and
// 512*PtrSize on windows/amd64 (docs/model.md §2).
export let stackGuard: u64 = 928;

export function configureProfile(mask: u64, plat: i32): void {
  flags = mask;
  platform = plat;
  stackGuard = plat == PLATFORM_WINDOWS ? 928 + 4096 : 928;
}

// @ts-ignore: decorator
@inline export function has(flag: u64): bool { return (flags & flag) != 0; }

/** A pthread key caches the extra M per thread (go1.21+, every unix libc; never on windows). */
// @ts-ignore: decorator
@inline export function mCacheActive(): bool {
  return has(F_M_CACHE_PTHREAD_KEY) && platform != PLATFORM_WINDOWS;
}
