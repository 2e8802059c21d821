// The physical model's host side (assembly/physical.ts has the numbers): which release line's
// measured frame sizes a profile uses, passed to the core in the platform word's second byte.

import { PHYS_CLASS, PLATFORM_WORD_CLASS_SHIFT, PLATFORM_WORD_PHYSICAL } from '../core/abi.js';
import type { ProfileName } from './profiles.js';

/** The frame-size class of a profile: the release line whose frames were measured for it. */
export function physClassOf(profile: ProfileName): number {
  switch (profile) {
    case 'go1.17rc1': case 'go1.17': return PHYS_CLASS.GO119;
    case 'go1.21.0': case 'go1.21.7': return PHYS_CLASS.GO121;
    case 'go1.22.0': case 'go1.22.5': return PHYS_CLASS.GO122;
    default: return PHYS_CLASS.GO123;
  }
}

/**
 * The config's platform word: the platform id, the profile's frame-size class above it, and
 * whether the physical model is on for the run (opt-in: off, nothing changes from before it).
 */
export function platformWord(platformId: number, profile: ProfileName, physical: boolean): number {
  return platformId | (physClassOf(profile) << PLATFORM_WORD_CLASS_SHIFT) | (physical ? PLATFORM_WORD_PHYSICAL : 0);
}

/** The release line a class was measured on (for crash texts that differ by version). */
export const CLASS_RELEASE = ['go1.19', 'go1.21', 'go1.22', 'go1.23'] as const;
