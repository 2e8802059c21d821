// What a real run and a cgosim run ended with, and whether the two agree.

/** The first line matching re in text, group 1, or undefined. */
function first(re, text) {
  const m = re.exec(text);
  return m ? m[1].trim() : undefined;
}

/** The throw text of a real Go crash: "fatal error: X" (or go1.21's "fatal: morestack on g0"). */
function realFatal(stderr) {
  return first(/^fatal error: (.+)$/m, stderr) ?? first(/^fatal: (.+)$/m, stderr);
}

function clip(text, lines = 24) {
  const all = text.split('\n');
  return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join('\n') : text;
}

/** A real process's outcome: { kind: ok|crash|timeout, layout, fatal, signal, exit, summary, output }. */
export function classifyReal({ status, signal, stdout, stderr, timedOut }) {
  const layout = first(/^layout: (\S+)/m, stdout) ?? '*';
  const exit = signal ?? status;
  const output = clip(`${stdout.split('\n').filter((l) => !/^(OK)?$/.test(l)).join('\n')}\n${stderr}`.trim());
  if (timedOut) return { kind: 'timeout', layout, exit, summary: 'timeout', output };
  if (status === 0 && /^OK$/m.test(stdout)) return { kind: 'ok', layout, exit: 0, summary: 'ok', output };
  const fatal = realFatal(stderr);
  const sig = first(/^(SIG[A-Z]+): /m, stderr) ?? (signal ?? undefined);
  const parts = [];
  if (fatal) parts.push(`fatal "${fatal}"`);
  if (sig) parts.push(sig);
  if (!parts.length) parts.push(status === 0 ? 'no OK' : `exit ${exit}`);
  return { kind: 'crash', layout, fatal, signal: sig, exit, summary: parts.join(', '), output };
}

/** cgosim's outcome over one run, or several seeds for a racy program. */
export function classifySim(results) {
  const fails = results.filter((r) => r.verdict !== 'ok');
  const r = fails[0] ?? results[0];
  let summary;
  if (r.verdict === 'ok') summary = 'ok';
  else if (r.verdict === 'invalid') summary = `invalid: ${r.error?.message ?? ''}`;
  else if (r.verdict === 'uaf') summary = 'uaf';
  else summary = r.fatal ? `fatal "${r.fatal}"` : (r.crash ?? 'crash');
  if (results.length > 1) summary += ` (${fails.length}/${results.length} seeds)`;
  return {
    verdict: fails.length === 0 ? 'ok' : r.verdict,
    failing: fails.length,
    runs: results.length,
    fraction: fails.length / results.length,
    fatal: r.fatal,
    crash: r.crash,
    exitCode: r.exitCode,
    profile: r.profile,
    flags: r.flags,
    summary,
    output: clip(r.verdict === 'invalid' ? String(r.error?.message ?? '') : (r.output ?? '')),
  };
}

/**
 * Whether a real outcome and cgosim's agree. Racy programs: both fail in some runs, or neither
 * does. Otherwise: both ok; or both crash, with the same throw text when cgosim names one (a crash
 * cgosim reports without a throw, a wrong-M return or a use-after-free, matches any real crash).
 */
export function compare(real, sim, racy) {
  if (sim.verdict === 'none' || sim.verdict === 'invalid') return { agree: false, why: `no cgosim verdict: ${sim.summary}` };
  if (real.kind === 'timeout') return { agree: false, why: 'the real program timed out' };
  if (racy) {
    const r = real.failing > 0;
    const s = sim.failing > 0;
    return r === s
      ? { agree: true, why: r ? 'both fail in some runs' : 'neither fails' }
      : { agree: false, why: r ? `real fails in ${real.failing}/${real.runs} runs, cgosim in no seed` : `cgosim fails for ${sim.failing}/${sim.runs} seeds, real in none of ${real.runs} runs` };
  }
  if (real.kind === 'mixed') return { agree: false, why: `real outcome varies between runs (${real.failing}/${real.runs} fail) in a program not marked racy` };
  if (real.kind === 'ok' && sim.verdict === 'ok') return { agree: true, why: 'both ok' };
  if (real.kind === 'ok') return { agree: false, why: `cgosim says ${sim.summary}, the real run finished` };
  if (sim.verdict === 'ok') return { agree: false, why: `the real run crashed (${real.summary}), cgosim says ok` };
  if (sim.fatal) {
    return real.fatal === sim.fatal
      ? { agree: true, why: 'same throw' }
      : { agree: false, why: `different crash: real ${real.summary}, cgosim ${sim.summary}` };
  }
  return { agree: true, why: `both crash (cgosim: ${sim.summary})` };
}

/**
 * The known differences: lines "- `program` on `runtime`: reason" in oracle/known-differences.md.
 * Returns a map "program runtime" -> reason. A line without a reason is an error.
 */
export function knownDifferences(markdown) {
  const map = new Map();
  for (const line of markdown.split('\n')) {
    const m = /^- `([^`]+)` on `([^`]+)`:\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[3].trim().length < 10) throw new Error(`oracle/known-differences.md: "${line}" gives no reason`);
    map.set(`${m[1]} ${m[2]}`, m[3].trim());
  }
  return map;
}
