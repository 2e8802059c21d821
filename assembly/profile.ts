// Profiles: a runtime version is a set of feature flags (docs/model.md §15). The host resolves
// a profile name plus per-flag overrides into this mask; the core only ever tests bits, so a flag
// means the same thing in every mechanism that reads it. The bits (F_*) are in abi.ts, where
// the host's copy is generated from.

import {
  F_CB_UPDATE_V1, F_CB_UPDATE_V2, F_CB_UPDATE_V3, F_M_CACHE_PTHREAD_KEY, PLATFORM_GLIBC, PLATFORM_NOBOUNDS,
  PLATFORM_WINDOWS,
} from './abi';

// Platforms (§10.1, PLATFORM_* in abi.ts): what _cgo_getstackbound returns and whether a pthread key
// caches the M.

export let flags: u64 = 0;
export let platform: i32 = PLATFORM_GLIBC;

// abi.StackNosplitBase(800) + stackSystem + abi.StackSmall(128); stackSystem is 0 on linux and
// 512*PtrSize on windows/amd64 (docs/model.md §2).
export let stackGuard: u64 = 928;

export function configureProfile(mask: u64, plat: i32): void {
  // Exactly one callbackUpdateSystemStack is the runtime's: none of the three flags (V0) or one.
  assert(popcnt<u64>(mask & (F_CB_UPDATE_V1 | F_CB_UPDATE_V2 | F_CB_UPDATE_V3)) <= 1, 'config: more than one callbackUpdateSystemStack variant');
  assert(plat >= PLATFORM_GLIBC && plat <= PLATFORM_NOBOUNDS, 'config: unknown platform');
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
