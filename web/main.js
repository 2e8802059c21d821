// The browser page: the embeddable core (dist/src/api/browser.js) run on a scenario under every profile.

import { createSimulator, PROFILE_NAMES } from '../dist/src/api/browser.js';

const EXAMPLES = [
  'regressions/s01-stack-switch-callback-62440.json', 'regressions/s03-partial-overlap-g1-62440.json',
  'regressions/s05-main-thread-callbacks-68587.json', 'regressions/s08-traceback-context-preemption-47441.json',
  'regressions/s08-seeded-scheduler-47441.json', 'regressions/s11-stale-syscallbp-tracer-69085.json',
  'regressions/s12-savedsp-survives-gc-shrink-7978.json', 'regressions/s16-tracer-park-order-573155.json',
  'demos/nested-fiber-callback-extra-m.json',
];

const $ = (id) => document.getElementById(id);
const sim = await createSimulator({ wasmUrl: new URL('../dist/build/release.wasm', import.meta.url) });
let results = [];

for (const file of EXAMPLES) $('examples').append(new Option(file.replace(/^.*\//, '').replace(/\.json$/, ''), file));
async function load(file) {
  const r = await fetch(new URL(`../scenarios/${file}`, import.meta.url));
  $('scenario').value = await r.text();
}
$('examples').addEventListener('change', (e) => load(e.target.value));

function why(r) {
  if (r.verdict === 'ok') return `exit 0; ${r.counters.callbacks} callbacks, ${r.counters.getstackbound} getstackbound`;
  if (r.verdict === 'invalid') return r.error.message;
  return `${r.fatal ?? r.crash} at ${r.stepPath}`;
}

function show(i) {
  const r = results[i];
  [...$('table').tBodies[0].rows].forEach((row, j) => row.classList.toggle('selected', j === i));
  const counters = Object.entries(r.counters).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ');
  const events = (r.events ?? []).map((e) => `${String(e.index).padStart(4)} ${e.step.padEnd(22)} ${e.thread.padEnd(6)} ${e.m.padEnd(4)} ${e.text}`).join('\n');
  $('detail').textContent = [`${r.scenario} [${r.profile}]: ${r.verdict}`, r.output ?? r.error?.message ?? '', `counters: ${counters}`, `trace ${r.traceHash}`, events].filter(Boolean).join('\n\n');
}

$('run').addEventListener('click', () => {
  $('status').textContent = '';
  const body = $('table').tBodies[0];
  body.replaceChildren();
  results = PROFILE_NAMES.map((profile) => sim.run($('scenario').value, { profile, events: $('events').checked, crashStack: $('crashStack').checked }));
  results.forEach((r, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = r.profile;
    const v = row.insertCell();
    v.textContent = r.verdict;
    v.className = r.verdict;
    row.insertCell().textContent = why(r);
    row.insertCell().textContent = r.traceHash;
    row.addEventListener('click', () => show(i));
  });
  if (results[0]?.verdict === 'invalid') $('status').textContent = results[0].error.message;
  show(results.findIndex((r) => r.verdict !== 'ok') >= 0 ? results.findIndex((r) => r.verdict !== 'ok') : 0);
});

await load(EXAMPLES[0]);
$('run').click();
