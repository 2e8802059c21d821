// The address-space picture: regions on a (possibly broken) vertical axis, high addresses at the
// top as stacks are drawn, each M's g0 believed bounds as a bracket, each thread's SP as an arrow,
// and the last g0 split check per M with its guard, in red where it failed.

import type { Frame, Replay } from './replay.js';

const NS = 'http://www.w3.org/2000/svg';
const hex = (v: bigint) => `0x${v.toString(16)}`;

interface Cluster { lo: bigint; hi: bigint; top: number; bottom: number }

export interface Axis { clusters: Cluster[]; height: number; lanes: Map<string, number>; laneCount: number; ms: string[] }

function size(n: bigint): string {
  const units: [bigint, string][] = [[1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [u, name] of units) {
    if (n < u) continue;
    const exact = n % (u / 16n) === 0n;
    return `${exact ? '' : '≈'}${exact ? Number(n) / Number(u) : (Number(n) / Number(u)).toFixed(1)} ${name}`;
  }
  return `${n} B`;
}

/** One axis for the whole run, so that scrubbing never moves what stays put. */
export function axisFor(replay: Replay): Axis {
  const spans: [bigint, bigint][] = [];
  const boundSpans: [bigint, bigint][] = [];
  const ms = new Set<string>();
  for (let i = 0; i < replay.length; i++) {
    const f = replay.frame(i)!;
    for (const r of f.regions) spans.push([r.lo, r.hi]);
    for (const [m, b] of f.bounds) {
      ms.add(m);
      if (b) { spans.push([b.lo, b.hi]); boundSpans.push([b.lo, b.hi]); }
    }
    for (const s of f.sp.values()) spans.push([s.sp, s.sp]);
    for (const c of f.checks.values()) spans.push([c.guard < c.sp ? c.guard : c.sp, c.sp > c.guard ? c.sp : c.guard]);
  }
  spans.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [lo, hi] of spans) {
    const last = merged.at(-1);
    if (last) {
      const gap = lo - last[1];
      const span = (last[1] - last[0] > hi - lo ? last[1] - last[0] : hi - lo) + 1n;
      // Far apart (more than the larger of the two spans, and more than 64 KiB): break the axis.
      if (gap <= span || gap <= 0x10000n) {
        if (hi > last[1]) last[1] = hi;
        continue;
      }
    }
    merged.push([lo, hi]);
  }
  // Heights by the logarithm of each cluster's span: a 4 KiB stack stays readable beside 8 MiB.
  // Where g0 bounds lie (the heart of the picture) gets more room.
  const weights = merged.map(([lo, hi]) => Math.max(1, Math.log2(Number(hi - lo + 1n) / 1024)) * (boundSpans.some(([a, b]) => a <= hi && b >= lo) ? 2 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const TOTAL = merged.length <= 1 ? 360 : 440;
  const GAP = 26;
  // Highest cluster at the top.
  const clusters: Cluster[] = [];
  let y = 16;
  [...merged].reverse().forEach(([lo, hi], i) => {
    const h = Math.max(60, Math.round((TOTAL * weights[merged.length - 1 - i]!) / total));
    const pad = (hi - lo) / 25n + 16n;
    clusters.push({ lo: lo - pad < 0n ? 0n : lo - pad, hi: hi + pad, top: y, bottom: y + h });
    y += h + GAP;
  });
  // Lanes: regions that overlap in address (a freed block and its successor) side by side.
  const lanes = new Map<string, number>();
  const laneEnds: { lo: bigint; hi: bigint }[][] = [];
  const all = new Map<string, { lo: bigint; hi: bigint }>();
  for (let i = 0; i < replay.length; i++) for (const r of replay.frame(i)!.regions) all.set(r.key, r);
  for (const [key, r] of [...all].sort((a, b) => (a[1].lo < b[1].lo ? -1 : 1))) {
    let lane = laneEnds.findIndex((l) => l.every((o) => r.hi <= o.lo || r.lo >= o.hi));
    if (lane < 0) { lane = laneEnds.length; laneEnds.push([]); }
    laneEnds[lane]!.push(r);
    lanes.set(key, lane);
  }
  return { clusters, height: y - GAP + 14, lanes, laneCount: Math.max(1, laneEnds.length), ms: [...ms].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) };
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The y of an address, or undefined when it is on no cluster. */
function yOf(axis: Axis, a: bigint): number | undefined {
  for (const c of axis.clusters) {
    if (a >= c.lo && a <= c.hi) return c.bottom - (Number(a - c.lo) / Number(c.hi - c.lo)) * (c.bottom - c.top);
  }
  return undefined;
}

const COLORS: Record<string, string> = {
  'thread stack': '#cfe3f5', 'malloc block': '#f6dfb3', 'goroutine stack': '#d4ecd0', 'M thread stack': '#e2d8f0',
};

export function drawPicture(svg: SVGSVGElement, replay: Replay, axis: Axis, frame: Frame | undefined, title: string): void {
  const LANE_W = 190;
  const X0 = 92;
  const lanesEnd = X0 + axis.laneCount * (LANE_W + 8);
  const bracketX = (m: string) => lanesEnd + 18 + axis.ms.indexOf(m) * 64;
  const spX = lanesEnd + 18 + axis.ms.length * 64 + 10;
  const width = spX + 340;
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${axis.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  svg.append(el('title', {}, title));
  const defs = el('defs', {});
  const pat = el('pattern', { id: `hatch-${svg.id}`, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pat.append(el('rect', { width: 6, height: 6, fill: '#eee' }), el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#999', 'stroke-width': 2 }));
  defs.append(pat);
  svg.append(defs);
  // Axis: clusters with their end addresses, breaks between them.
  axis.clusters.forEach((c, i) => {
    svg.append(el('line', { x1: X0 - 6, y1: c.top, x2: X0 - 6, y2: c.bottom, class: 'axis' }));
    svg.append(el('text', { x: X0 - 10, y: c.top + 4, class: 'addr', 'text-anchor': 'end' }, hex(c.hi)));
    svg.append(el('text', { x: X0 - 10, y: c.bottom, class: 'addr', 'text-anchor': 'end' }, hex(c.lo)));
    if (i > 0) {
      const y = c.top - 13;
      svg.append(el('path', { d: `M ${X0 - 14} ${y + 3} l 8 -6 M ${X0 - 14} ${y + 9} l 8 -6`, class: 'break' }));
      svg.append(el('text', { x: X0 + 2, y: y + 4, class: 'gap' }, `… ${size(axis.clusters[i - 1]!.lo - c.hi)} not drawn …`));
    }
  });
  if (!frame) return;
  for (const r of frame.regions) {
    const yTop = yOf(axis, r.hi);
    const yBot = yOf(axis, r.lo);
    if (yTop === undefined || yBot === undefined) continue;
    const x = X0 + (axis.lanes.get(r.key) ?? 0) * (LANE_W + 8);
    const g = el('g', { class: `region${r.freed ? ' freed' : ''}`, 'data-kind': r.kind, 'data-label': r.label });
    const h = Math.max(2, yBot - yTop);
    g.append(el('rect', { x, y: yTop, width: LANE_W, height: h, fill: r.freed ? `url(#hatch-${svg.id})` : COLORS[r.kind] ?? '#ddd', stroke: '#777' }));
    g.append(el('title', {}, `${r.kind} ${r.label}: [${hex(r.lo)}, ${hex(r.hi)}), ${size(r.hi - r.lo)}${r.freed ? ', freed' : ''}`));
    if (h > 12) g.append(el('text', { x: x + 4, y: yTop + 12, class: 'rlabel' }, `${r.label}${r.freed ? ' (freed)' : ''}`));
    if (h > 26) g.append(el('text', { x: x + 4, y: yTop + 24, class: 'rsub' }, `${r.kind}, ${size(r.hi - r.lo)}`));
    svg.append(g);
  }
  for (const m of axis.ms) {
    const b = frame.bounds.get(m);
    const x = bracketX(m);
    svg.append(el('text', { x, y: 10, class: 'mlabel', 'text-anchor': 'middle' }, `${m} g0`));
    if (!b) continue;
    const y1 = yOf(axis, b.hi);
    const y2 = yOf(axis, b.lo);
    if (y1 === undefined || y2 === undefined) continue;
    const g = el('g', { class: 'bounds', 'data-m': m });
    g.append(el('path', { d: `M ${x + 8} ${y1} h -8 V ${y2} h 8`, class: 'bracket' }));
    g.append(el('title', {}, `${m}'s g0 believed bounds [${hex(b.lo)}, ${hex(b.hi)}] (${b.how}${b.event >= 0 ? ` at event ${b.event}` : ''})`));
    svg.append(g);
  }
  for (const [m, c] of frame.checks) {
    const x = bracketX(m);
    const ys = yOf(axis, c.sp);
    const yg = yOf(axis, c.guard);
    if (ys === undefined) continue;
    const current = c.event === frame.event;
    const g = el('g', { class: `check ${c.ok ? 'ok' : 'failed'}${current ? ' current' : ''}`, 'data-testid': c.ok ? 'g0-check' : 'failed-check' });
    if (yg !== undefined) {
      g.append(el('line', { x1: x - 14, y1: yg, x2: x + 14, y2: yg, class: 'guard' }));
      g.append(el('text', { x: x - 16, y: yg + 4, class: 'small', 'text-anchor': 'end' }, 'guard'));
    }
    if (c.ok) g.append(el('circle', { cx: x, cy: ys, r: 5 }));
    else g.append(el('path', { d: `M ${x - 6} ${ys - 6} l 12 12 M ${x + 6} ${ys - 6} l -12 12`, class: 'cross' }));
    g.append(el('title', {}, `${c.fn}: g0 split check at sp=${hex(c.sp)} against guard ${hex(c.guard)}: ${c.ok ? 'ok (sp above the guard)' : 'FAILS (sp at or below the guard: morestack on g0)'} (event ${c.event})`));
    if (!c.ok) g.append(el('text', { x: spX + 4, y: ys + 18, class: 'failtext' }, `✗ g0 check failed: sp ${hex(c.sp)} ≤ guard ${hex(c.guard)}`));
    svg.append(g);
  }
  let row = 0;
  for (const [t, s] of frame.sp) {
    const y = yOf(axis, s.sp);
    if (y === undefined) continue;
    const current = s.event === frame.event;
    const g = el('g', { class: `sp${current ? ' current' : ''}`, 'data-thread': t });
    g.append(el('line', { x1: X0, y1: y, x2: spX, y2: y, class: 'spline' }));
    g.append(el('path', { d: `M ${X0} ${y} l 8 -5 v 10 z`, class: 'sparrow' }));
    g.append(el('text', { x: spX + 4, y: y + 4 + (row++ % 2) * 0, class: 'splabel' }, `SP ${t} ${hex(s.sp)}`));
    g.append(el('title', {}, `${t}: SP ${hex(s.sp)} (${s.how}, event ${s.event})`));
    svg.append(g);
  }
  void replay;
}
