// Runtime profiles: each a named set of feature flags (docs/model.md §1, §15). The flags and
// their bits are the core's (assembly/abi.ts F_*, generated into ../core/abi.ts): FLAG_NAMES lists
// them in bit order.

import { F, PLATFORM_GLIBC, PLATFORM_MUSL, PLATFORM_WINDOWS, PLATFORM_NOBOUNDS } from '../core/abi.js';

export const FLAG_NAMES = Object.keys(F) as (keyof typeof F)[];

export type FlagName = keyof typeof F;

/** What each flag stands for, for `cgosim profiles --flags` and error messages. */
export const FLAG_DOC: Record<FlagName, string> = {
  DEFER_UNLOCK_FIRST: '338197: cgocallbackg1 defers unlockOSThread first, so it runs last',
  M_CHANGED_CHECK: '338197: throw "m changed unexpectedly in cgocallbackg"',
  UNLOCK_IN_CGOCALLBACKG: '532615: unlockOSThread directly in cgocallbackg after incgo = true',
  M_CACHE_PTHREAD_KEY: '495855: an extra M stays bound to its C thread via a pthread key',
  NEEDM_PTHREAD_BOUNDS_UNCHECKED: '479915: needm takes pthread bounds without checking SP (go1.21.0-1.21.6)',
  CB_UPDATE_V1: '527715: callbackUpdateSystemStack with the in-bounds fast path',
  CB_UPDATE_V2: '584597: extra Ms always re-estimate their g0 bounds',
  CB_UPDATE_V3: '600296: bounds cached while accurate, no ncgo > 0 throw',
  SAVE_RESTORE_G0: '600296: cgocallbackg restores the caller\'s g0 bounds',
  MUSL_ZERO_BOUNDS: '600296: getstackbound returns zeros on musl',
  DROPM_CLEARS_BOUNDS: '537695: dropm clears g0 bounds',
  DROPM_NOSPLIT: '527715: dropm is nosplit (no g0 check of its own)',
  G0_STACKGUARD1: '527716: extra-M g0.stackguard1 = stackguard0',
  CRASHSTACK_MORESTACK_G0: 'go1.22: "runtime: morestack on g0, stack [...]" on a crash stack',
  TRACER_V2: 'go1.22: execution tracer v2',
  TRACE_EMIT_BEFORE_CAS: '573155: trace events emitted before the status change',
  OWNERSHIP_GODEBUG: '573155: GODEBUG=tracecheckstackownership=1 check',
  SHRINK_TRACE_CHECK: '573155: isShrinkStackSafe refuses GC-waiting Gs while tracing',
  CAS_TO_WAITING_FOR_GC: '573155: casGToWaitingForGC',
  TRACE_OTHER_G_STACKS: '567076: GoStatusStack events with other goroutines\' stacks',
  SYSCALLBP: '580255: g.syscallbp recorded by entersyscall',
  SAVEDBP_UNSAFE_POINTER: '608775: cgocallbackg holds savedbp as unsafe.Pointer',
  BP_CHECK: '608775: "entersyscall inconsistent bp" check',
  ISEXTRAINC_ONLY_NCGO0: '658035: isExtraInC set only when ncgo == 0',
  SHRINK_GATE_WITHOUT_TRACE: '692716: never shrink a G waiting for suspendG, tracing or not',
  SAVEDSP_AS_UINTPTR: 'mutation: cgocallbackg holds savedsp as uintptr (the 2014 #7978 bug)',
  NCGO_BEFORE_ENTERSYSCALL: 'go1.17-1.20: cgocall increments ncgo before entersyscall',
  ENTERSYSCALL_SP_WORDING: '608835: "entersyscall inconsistent sp " wording',
  CRASH_STACK_DIAG: 'diagnostic: print the intended "cgocallback with sp=... out of bounds" line',
  NON_OPEN_CODED_DEFERS: 'knob: deferreturn adds a preemption point after the last deferred call (386 PIE/shared, #62102)',
  PREEMPT_AFTER_UNLOCK: 'mutation: a preemption point after go1.22\'s unlockOSThread, as if cgocallbackg were splittable',
  UNWINDM_UNLOCKS: 'mutation: unwindm keeps go1.17rc1\'s unlockOSThread (with 338197\'s deferred one: a double unlock)',
  NEEDM_NO_SIGBLOCK: 'mutation: needm does not block signals (before 42207, go1.16): a signal during needm runs badsignal\'s needm',
  RACEFINI_ENTERSYSCALL: '59711: racefini enters a syscall before __tsan_fini runs C destructors (go1.21)',
  UNMINIT_KEEPS_GSIGNAL: 'mutation: unminit leaves gsignal on the sigaltstack C set (before 22930, go1.10)',
  GOEXIT_LOCKED_TEXT: 'go1.23: gdestroy throws "exited a goroutine internally locked to the OS thread" (before: "internal lockOSThread error")',
  GOEXIT_EXTRA_M_TEXT: 'go1.24: on an extra M gdestroy throws "runtime.Goexit called in a thread that was not created by the Go runtime"',
  NOCALLBACK_DIRECTIVE: 'go1.24: cgo accepts #cgo nocallback (cgocallbackg\'s panic is there from go1.22; cgo refused the directive until go1.24)',
  COROUTINES: 'go1.23: iter.Pull\'s coroutines (newcoro/coroswitch) with 583675\'s check that OS-thread locking matches the coroutine\'s creation',
  CB_UPDATE_IN_NEEDM: '527715: needm sets g0 bounds with callbackUpdateSystemStack (the CB_UPDATE_V* variant); off: needm\'s own dummy (or go1.21.0 pthread) bounds',
  CB_UPDATE_IN_CGOCALLBACKG: '527715: cgocallbackg calls callbackUpdateSystemStack on every callback; off alone: 527715 reverted in cgocallbackg only (as oracle/patches/527715-*.patch does)',
};

/** Flags that name a real version difference the model does not act on yet (the tracer\'s event order, GC-waiting stacks). */
export const NOT_MODELLED_FLAGS: readonly FlagName[] = ['CAS_TO_WAITING_FOR_GC'];

/** At most one of these is on: which callbackUpdateSystemStack the runtime has (none: V0). */
export const CB_UPDATE_GROUP: readonly FlagName[] = ['CB_UPDATE_V1', 'CB_UPDATE_V2', 'CB_UPDATE_V3'];

/**
 * Where that variant is called. Turning a CB_UPDATE_V* on turns both sites on (the old flag's
 * meaning: needm and cgocallbackg both update); a site flag turned off after that reverts one call
 * site alone, whatever order the overrides were written in.
 */
export const CB_UPDATE_SITES: readonly FlagName[] = ['CB_UPDATE_IN_NEEDM', 'CB_UPDATE_IN_CGOCALLBACKG'];

export const PROFILE_NAMES = [
  'go1.17rc1', 'go1.17', 'go1.21.0', 'go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.0', 'go1.23.1', 'tip',
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ProfileInfo {
  readonly name: ProfileName;
  readonly releases: string;
  readonly flags: readonly FlagName[];
}

const GO117: FlagName[] = ['DEFER_UNLOCK_FIRST', 'M_CHANGED_CHECK', 'NCGO_BEFORE_ENTERSYSCALL'];
const GO121: FlagName[] = ['DEFER_UNLOCK_FIRST', 'M_CHANGED_CHECK', 'M_CACHE_PTHREAD_KEY', 'RACEFINI_ENTERSYSCALL'];
const SITES = CB_UPDATE_SITES;
const GO1217: FlagName[] = [...GO121, 'CB_UPDATE_V1', ...SITES, 'DROPM_CLEARS_BOUNDS', 'DROPM_NOSPLIT'];
const GO122: FlagName[] = [
  'UNLOCK_IN_CGOCALLBACKG', 'M_CHANGED_CHECK', 'M_CACHE_PTHREAD_KEY', 'RACEFINI_ENTERSYSCALL', 'DROPM_CLEARS_BOUNDS',
  'DROPM_NOSPLIT', 'G0_STACKGUARD1', 'CRASHSTACK_MORESTACK_G0', 'TRACER_V2',
];
const GO123: FlagName[] = [
  ...GO122, 'CB_UPDATE_V2', ...SITES, 'TRACE_EMIT_BEFORE_CAS', 'OWNERSHIP_GODEBUG', 'SHRINK_TRACE_CHECK',
  'CAS_TO_WAITING_FOR_GC', 'TRACE_OTHER_G_STACKS', 'SYSCALLBP', 'GOEXIT_LOCKED_TEXT', 'COROUTINES',
];
const GO1231: FlagName[] = [...GO123, 'SAVEDBP_UNSAFE_POINTER', 'BP_CHECK', 'ENTERSYSCALL_SP_WORDING'];

export const PROFILES: readonly ProfileInfo[] = [
  { name: 'go1.17rc1', releases: 'go1.17rc1 (before 338197)', flags: ['NCGO_BEFORE_ENTERSYSCALL'] },
  { name: 'go1.17', releases: 'go1.17rc2 - go1.20.x', flags: GO117 },
  { name: 'go1.21.0', releases: 'go1.21.0 - go1.21.6', flags: [...GO121, 'NEEDM_PTHREAD_BOUNDS_UNCHECKED'] },
  { name: 'go1.21.7', releases: 'go1.21.7 - go1.21.11 (go1.21.12+: add CB_UPDATE_V2)', flags: GO1217 },
  { name: 'go1.22.0', releases: 'go1.22.0 - go1.22.4', flags: [...GO122, 'CB_UPDATE_V1', ...SITES] },
  { name: 'go1.22.5', releases: 'go1.22.5 - go1.22.12', flags: [...GO122, 'CB_UPDATE_V2', ...SITES] },
  { name: 'go1.23.0', releases: 'go1.23.0', flags: GO123 },
  { name: 'go1.23.1', releases: 'go1.23.1 - go1.23.4', flags: GO1231 },
  {
    name: 'tip',
    releases: 'go1.23.5+, go1.24+, tip',
    flags: [
      ...GO1231.filter((f) => f !== 'CB_UPDATE_V2'), 'CB_UPDATE_V3', 'SAVE_RESTORE_G0',
      'MUSL_ZERO_BOUNDS', 'ISEXTRAINC_ONLY_NCGO0', 'SHRINK_GATE_WITHOUT_TRACE', 'GOEXIT_EXTRA_M_TEXT', 'NOCALLBACK_DIRECTIVE',
    ],
  },
];

export interface ResolvedProfile {
  readonly profile: ProfileName;
  /** Flags a release sets on top of its profile (go1.21.12+ has 584597's V2 update). */
  readonly overrides: Partial<Record<FlagName, boolean>>;
}

/**
 * A profile name, or a real release name resolved to the profile that stands for it
 * (`go1.22.3` → `go1.22.0`), in any letter case (`Go1.22.3`, `TIP`). Returns undefined for names
 * that are neither.
 */
export function resolveProfile(asked: string): ResolvedProfile | undefined {
  const name = asked.trim().toLowerCase();
  if ((PROFILE_NAMES as readonly string[]).includes(name)) return { profile: name as ProfileName, overrides: {} };
  if (name === 'devel' || name === 'master' || name === 'gotip') return { profile: 'tip', overrides: {} };
  const m = /^go1\.(\d+)(?:\.(\d+)|(rc|beta)(\d+))?$/.exec(name);
  if (!m) return undefined;
  const minor = Number(m[1]);
  const patch = m[2] !== undefined ? Number(m[2]) : 0;
  const pre = m[3] !== undefined ? `${m[3]}${m[4]}` : '';
  const at = (profile: ProfileName, overrides: ResolvedProfile['overrides'] = {}): ResolvedProfile => ({ profile, overrides });
  if (minor < 17) return undefined;
  if (minor === 17 && (pre === 'rc1' || pre.startsWith('beta'))) return at('go1.17rc1');
  if (minor <= 20) return at('go1.17');
  if (minor === 21) {
    if (pre !== '' || patch < 7) return at('go1.21.0');
    return patch < 12 ? at('go1.21.7') : at('go1.21.7', { CB_UPDATE_V1: false, CB_UPDATE_V2: true });
  }
  if (minor === 22) return pre !== '' || patch < 5 ? at('go1.22.0') : at('go1.22.5');
  // Releases that stand with tip but lack its newest changes carry those flags off.
  const tipWithout = (...off: FlagName[]) => at('tip', Object.fromEntries(off.map((f) => [f, false])));
  if (minor === 23) {
    if (pre !== '' || patch === 0) return at('go1.23.0');
    if (patch < 5) return at('go1.23.1');
    const pre124: FlagName[] = ['SHRINK_GATE_WITHOUT_TRACE', 'GOEXIT_EXTRA_M_TEXT', 'NOCALLBACK_DIRECTIVE'];
    return patch < 8 ? tipWithout('ISEXTRAINC_ONLY_NCGO0', ...pre124) : tipWithout(...pre124);
  }
  if (minor === 24) return pre !== '' || patch < 2 ? tipWithout('ISEXTRAINC_ONLY_NCGO0', 'SHRINK_GATE_WITHOUT_TRACE') : tipWithout('SHRINK_GATE_WITHOUT_TRACE');
  if (minor === 25) return tipWithout('SHRINK_GATE_WITHOUT_TRACE');
  // Releases after go1.23.5 behave as tip in everything modelled here, up to the development
  // version of today (go1.28); a larger number is more likely a typo than a release.
  return minor <= LATEST_MINOR ? at('tip') : undefined;
}

/** The newest Go minor version a release name may have (the development branch in late 2026). */
export const LATEST_MINOR = 28;

export function profileInfo(name: ProfileName): ProfileInfo {
  const p = PROFILES.find((q) => q.name === name);
  if (!p) throw new Error(`unknown profile ${name}`);
  return p;
}

/**
 * The flag set of a profile after overrides. Turning one CB_UPDATE_V* on turns the others off;
 * `CB_UPDATE` may also be given as "V0".."V3".
 */
export function flagSet(profile: ProfileName, ...overrideSets: Partial<Record<FlagName, boolean>>[]): Set<FlagName> {
  const set = new Set<FlagName>(profileInfo(profile).flags);
  for (const overrides of overrideSets) {
    const entries = Object.entries(overrides) as [FlagName, boolean][];
    // The variant first (it sets both call sites), then the sites, then everything else.
    const rank = (n: FlagName) => (CB_UPDATE_GROUP.includes(n) ? 0 : CB_UPDATE_SITES.includes(n) ? 1 : 2);
    entries.sort((a, b) => rank(a[0]) - rank(b[0]));
    for (const [name, on] of entries) {
      if (on) {
        if (CB_UPDATE_GROUP.includes(name)) {
          for (const g of CB_UPDATE_GROUP) set.delete(g);
          for (const site of CB_UPDATE_SITES) set.add(site);
        }
        set.add(name);
      } else {
        set.delete(name);
      }
    }
  }
  return set;
}

/** The 64-bit mask the core tests. */
export function flagMask(flags: Set<FlagName>): bigint {
  let mask = 0n;
  for (const name of flags) mask |= F[name];
  return mask;
}

export const PLATFORMS = ['glibc', 'musl', 'windows', 'nobounds'] as const;
export type Platform = (typeof PLATFORMS)[number];
/** The core's id of each platform (assembly/abi.ts PLATFORM_*). */
export const PLATFORM_IDS: Record<Platform, number> = {
  glibc: PLATFORM_GLIBC, musl: PLATFORM_MUSL, windows: PLATFORM_WINDOWS, nobounds: PLATFORM_NOBOUNDS,
};

/** The GODEBUG settings the model acts on. */
export const GODEBUG_NAMES = ['tracecheckstackownership', 'gcshrinkstackoff', 'invalidptr'] as const;

/** Real GODEBUG settings near this machinery that the model does not act on: refused, not ignored. */
export const GODEBUG_NOT_MODELLED = ['traceadvanceperiod', 'asyncpreemptoff', 'adaptivestackstart', 'cgocheck'] as const;

/** The flags of a run that differ from its profile's own set: true added, false removed. */
export function flagOverridesOf(profile: ProfileName, flags: ReadonlySet<FlagName>): Partial<Record<FlagName, boolean>> {
  const own = flagSet(profile);
  const out: Partial<Record<FlagName, boolean>> = {};
  for (const f of FLAG_NAMES) {
    // A call-site flag is an override only where it differs from what the CB_UPDATE_V* variant
    // implies (both sites with a variant, neither without): "+CB_UPDATE_V2" stays one override.
    if (CB_UPDATE_SITES.includes(f)) {
      if (flags.has(f) !== impliedSites(flags)) out[f] = flags.has(f);
    } else if (own.has(f) !== flags.has(f)) {
      out[f] = flags.has(f);
    }
  }
  return out;
}

/** Whether the CB_UPDATE_IN_* call-site flags are implied on: a CB_UPDATE_V* variant is. */
export function impliedSites(flags: ReadonlySet<FlagName>): boolean {
  return CB_UPDATE_GROUP.some((g) => flags.has(g));
}

/**
 * The name a run goes by in every label: the profile, or the release asked for with what it
 * resolved to, and the flag overrides: "go1.21.12 (= go1.21.7 +CB_UPDATE_V2)", "go1.22.0
 * +CB_UPDATE_V2". Turning one CB_UPDATE version on turns the others off; that is not repeated.
 */
export function runLabel(asked: string, profile: ProfileName, overrides: Partial<Record<FlagName, boolean>>): string {
  const on = Object.entries(overrides).filter(([, v]) => v).map(([f]) => f as FlagName);
  const cbOn = on.some((f) => CB_UPDATE_GROUP.includes(f));
  const off = Object.entries(overrides).filter(([f, v]) => !v && !(cbOn && CB_UPDATE_GROUP.includes(f as FlagName))).map(([f]) => f);
  const diff = [...on.map((f) => `+${f}`), ...off.map((f) => `-${f}`)].join(' ');
  if (asked !== profile) return `${asked} (= ${profile}${diff ? ` ${diff}` : ''})`;
  return diff ? `${profile} ${diff}` : profile;
}
