// One naming of Ms. An M the scenario named (a `go` op's "m": { "id" }, a resumeOn) is shown by that
// name everywhere: events, texts, state, traces. An M the runtime made for a `go` without "m" is
// "M(G1)", after its goroutine; an extra M (made by needm/oneNewExtraM for C threads) is "extraM1",
// "extraM2", … in creation order; any other M the runtime started (newm from startm, for goroutines
// no scenario M was named for) is "m3", after its m.id, as Go's own texts call it ("m=3"). The
// runtime's own M id (m.id) shows only where Go prints it: "m=3" in crash texts, and as `id` in the
// state's M records.

/** Scenario M slots come first in the M table (compile.ts `goMs`); extra Ms follow. */
export interface MNames {
  /** By M record index. */
  byIndex: string[];
  /** By the runtime's m.id. */
  byId: Map<number, string>;
}

/** isExtra(i): whether M record i is an extra M (m.isextra); records past the scenario's are named by it. */
export function mNames(goMs: readonly string[], mIds: readonly number[], isExtra: (i: number) => boolean): MNames {
  const byIndex: string[] = [];
  const taken = new Set(goMs.filter((n) => !n.startsWith('(')));
  let extra = 0;
  for (let i = 0; i < mIds.length; i++) {
    let name: string;
    if (i < goMs.length) {
      const own = goMs[i]!;
      const forG = /^\(M for (.*)\)$/.exec(own);
      name = forG ? `M(${forG[1]})` : own;
    } else if (isExtra(i)) {
      do name = `extraM${++extra}`; while (taken.has(name));
    } else {
      name = `m${mIds[i]}`;
      while (taken.has(name)) name += "'";
    }
    taken.add(name);
    byIndex.push(name);
  }
  const byId = new Map<number, string>();
  mIds.forEach((id, i) => { if (id > 0) byId.set(id, byIndex[i]!); });
  return { byIndex, byId };
}

/** An M by its runtime id, for texts; the id itself if no record has it. */
export function mById(names: MNames, id: number | bigint): string {
  return names.byId.get(Number(id)) ?? `m.id ${id}`;
}
