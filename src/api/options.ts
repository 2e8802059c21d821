// Checking the options of every public API call at the boundary, esbuild's way: each option has one
// checker, unknown keys are refused, and a wrong value throws an OptionsError that names the call,
// the option (with its path, "flags.CB_UPDATE_V2") and what was expected. Nothing else escapes: no
// TypeError from reading a property of null, no array taken for an object.

import { OptionsError, describe } from './errors.js';
import { FLAG_NAMES, PROFILE_NAMES, resolveProfile } from '../model/profiles.js';

/** A checker: throws OptionsError(call, name, …) when value is not what the option takes. */
export type Checker = (call: string, name: string, value: unknown) => void;

/** A plain object: not null, not an array, not a typed array or other class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function fail(call: string, name: string, expected: string, value: unknown): never {
  throw new OptionsError(call, name, `must be ${expected}, got ${describe(value)}`);
}

export const boolean: Checker = (call, name, v) => {
  if (typeof v !== 'boolean') fail(call, name, 'a boolean', v);
};

export function integer(min: number, max: number): Checker {
  return (call, name, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(call, name, max !== Number.MAX_SAFE_INTEGER ? `an integer from ${min} to ${max}` : min === 1 ? 'a positive integer' : `an integer from ${min}`, v);
    }
  };
}

export const positiveMs: Checker = (call, name, v) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(call, name, 'a positive number of milliseconds', v);
};

export function oneOf(...values: string[]): Checker {
  return (call, name, v) => {
    if (typeof v !== 'string' || !values.includes(v)) fail(call, name, values.map((x) => JSON.stringify(x)).join(' or '), v);
  };
}

export const string: Checker = (call, name, v) => {
  if (typeof v !== 'string') fail(call, name, 'a string', v);
};

export const profile: Checker = (call, name, v) => {
  if (typeof v !== 'string' || !resolveProfile(v.trim().toLowerCase())) {
    fail(call, name, `a profile (${PROFILE_NAMES.join(', ')}) or a release such as go1.22.3`, v);
  }
};

/** Flag overrides: an object of known flag names to booleans. */
export const flags: Checker = (call, name, v) => {
  if (!isPlainObject(v)) fail(call, name, 'an object of flag names to booleans, such as { "CB_UPDATE_V2": true }', v);
  for (const [k, x] of Object.entries(v)) {
    if (!(FLAG_NAMES as readonly string[]).includes(k)) throw new OptionsError(call, `${name}.${k}`, `is not a flag; known flags: ${FLAG_NAMES.join(', ')}`);
    boolean(call, `${name}.${k}`, x);
  }
};

/**
 * Checks an options object against its checkers: undefined is no options; anything else must be a
 * plain object whose keys all have a checker. Values that are undefined are as if absent.
 */
export function checkOptions(call: string, options: unknown, checkers: Record<string, Checker>, what = 'options'): asserts options is Record<string, unknown> | undefined {
  if (options === undefined) return;
  if (!isPlainObject(options)) fail(call, what, 'an object', options);
  for (const [k, v] of Object.entries(options)) {
    const check = Object.hasOwn(checkers, k) ? checkers[k] : undefined;
    if (!check) throw new OptionsError(call, k, `is not an option; expected one of ${Object.keys(checkers).join(', ')}`);
    if (v !== undefined) check(call, k, v);
  }
}
