// Errors at the boundary. A ScenarioError names where in the scenario the problem is
// ("steps[4].fn[0].sp") and what was expected; an OptionsError names the API call and option.

export class ScenarioError extends Error {
  readonly code = 'SCENARIO_INVALID';
  constructor(readonly path: string, readonly detail: string, file?: string) {
    const where = path ? `${path}: ${detail}` : detail;
    super(file ? `${file}: ${where}` : where);
    this.name = 'ScenarioError';
  }
}

export class OptionsError extends Error {
  readonly code = 'OPTIONS_INVALID';
  constructor(call: string, option: string, detail: string) {
    super(`Invalid option in ${call} call: ${JSON.stringify(option)} ${detail}`);
    this.name = 'OptionsError';
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

// ---- values ----

const UNITS: Record<string, bigint> = { '': 1n, B: 1n, KiB: 1024n, MiB: 1024n ** 2n, GiB: 1024n ** 3n, TiB: 1024n ** 4n };
export const MAX_U64 = (1n << 64n) - 1n;

/** Parses an address: hex string or non-negative safe integer. */
export function parseAddress(v: unknown, path: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^0[xX][0-9a-fA-F]{1,16}$/.test(v)) return BigInt(v);
  throw new ScenarioError(path, `must be an address: a hex string like "0x7f53071ba4f0" or a non-negative integer, got ${describe(v)}`);
}

/** Parses a size: bytes, or a string with a binary unit. */
export function parseSize(v: unknown, path: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string') {
    const m = /^\s*(\d+)\s*(B|KiB|MiB|GiB|TiB)?\s*$/.exec(v);
    if (m) {
      const n = BigInt(m[1]!) * UNITS[m[2] ?? '']!;
      if (n <= MAX_U64) return n;
    }
  }
  throw new ScenarioError(path, `must be a size: bytes, or a string like "64KiB", "8MiB", "2048", got ${describe(v)}`);
}

export function hex(v: bigint | number): string {
  return `0x${BigInt(v).toString(16)}`;
}
