// The explorer's random numbers: a small, fast, seedable generator (sfc32, seeded through
// splitmix32) so that one 32-bit seed replays a whole run, its scenario and its choices, on any
// platform. Math.random is never used: a finding must be reproducible from its seed alone.

/** splitmix32: spreads a seed (or a seed and an index) over 32 bits. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The seed of run `index` of a campaign whose seed is `seed`: independent per index. */
export function runSeed(seed: number, index: number): number {
  return mix32(mix32(seed) ^ mix32(index + 0x632be5ab));
}

export class Rng {
  /** sfc32's state words a, b, c, d: int32 lanes, so the hot loop's arithmetic never boxes a number. */
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    this.seed(seed);
  }

  /** Starts over from `seed` (as a new Rng(seed) would). */
  seed(seed: number): void {
    const s = this.s;
    s[0] = mix32(seed);
    s[1] = mix32(seed ^ 0x2545f491);
    s[2] = mix32(seed ^ 0x1b873593);
    s[3] = 1;
    for (let i = 0; i < 8; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const s = this.s;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Picks an index by weight; weights of 0 are never picked. Returns -1 if all are 0. */
  weighted(weights: ArrayLike<number>, n = weights.length): number {
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    if (total <= 0) return -1;
    let r = (this.next() / 4294967296) * total;
    for (let i = 0; i < n; i++) {
      r -= weights[i]!;
      if (r < 0 && weights[i]! > 0) return i;
    }
    for (let i = n - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return -1;
  }
}
