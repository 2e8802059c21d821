#!/usr/bin/env node
// Frame offsets for GO_LINES (src/report/symbols.ts): for each function[@site] whose line a
// release's table holds, the offset Go's traceback prints after `+` (the frame's PC minus the
// function's entry), read from `go tool objdump` of binaries that release built. A caller's frame
// PC is the return address of its call on that line (the instruction after the CALL);
// runtime.abort's is the faulting PC after INT $3 (the first instruction on its line); goexit's is
// its entry + PCQuantum (the instruction after its leading NOP); systemstack_switch's is the
// systemstack_switch+8 that gosave_systemstack_switch saves for the goroutine.
//
// Usage (after npm run build): node oracle/measure/offsets/offsets.mjs GO RELEASE BINARY...
//   GO       the release's go command (e.g. /usr/lib/go-1.22/bin/go)
//   RELEASE  its key in GO_LINES (go1.22.12)
//   BINARY   programs it built; the first that has a function is used (cgo programs have cgocallback,
//            one calling runtime.GC with a live netpoller has netpoll and gcStart.func3, one calling
//            debug.SetGCPercent has setGCPercent.func1)
// Prints the release's GO_OFFSETS row as JSON; a key no binary has is reported on stderr and left out.

import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [go, release, ...binaries] = process.argv.slice(2);
if (!go || !release || binaries.length === 0) {
  console.error('usage: node offsets.mjs GO RELEASE BINARY...');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { GO_LINES } = await import(join(root, 'dist/src/report/symbols.js'));
const lines = GO_LINES[release];
if (!lines) {
  console.error(`no GO_LINES row for ${release}`);
  process.exit(2);
}

/** One function's instructions: { file, line, addr, text } in order, from go tool objdump -s. */
function disassemble(name) {
  // Assembly functions are named with their ABI (runtime.abort.abi0).
  const re = `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.abi0)?$`;
  for (const bin of binaries) {
    const out = execFileSync(go, ['tool', 'objdump', '-s', re, bin], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const ins = [];
    for (const l of out.split('\n')) {
      const m = /^\s+(\S+):(\d+)\s+0x([0-9a-f]+)\s+[0-9a-f]+\s+(.*)$/.exec(l);
      if (m) ins.push({ file: m[1], line: Number(m[2]), addr: BigInt(`0x${m[3]}`), text: m[4].trim() });
    }
    if (ins.length > 0) return ins;
  }
  return undefined;
}

const row = {};
for (const [key, line] of Object.entries(lines)) {
  const name = key.split('@')[0];
  const ins = disassemble(name);
  if (!ins) {
    console.error(`${release} ${key}: in none of the binaries`);
    continue;
  }
  const entry = ins[0].addr;
  const at = ins.map((x, i) => ({ ...x, i })).filter((x) => x.line === line);
  let pc;
  if (name === 'runtime.abort') pc = at[0]?.addr;
  else if (name === 'runtime.goexit') pc = ins[1]?.addr;
  // Not a return address: the PC gosave_systemstack_switch saves, systemstack_switch+8 (asm_amd64.s).
  else if (name === 'runtime.systemstack_switch') pc = entry + 8n;
  else {
    const calls = at.filter((x) => /^CALL /.test(x.text));
    const last = calls.at(-1);
    pc = last ? ins[last.i + 1]?.addr : undefined;
  }
  if (pc === undefined) {
    console.error(`${release} ${key}: no call on line ${line}`);
    continue;
  }
  row[key] = `0x${(pc - entry).toString(16)}`;
}
console.log(JSON.stringify(row));
