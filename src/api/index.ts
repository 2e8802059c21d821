// cgosim's platform-neutral entry: the whole API, given the core's Wasm bytes or module. Node users
// import "cgosim" (node.ts, which finds the bytes on disk); pages import "cgosim/browser".

export { createSimulatorFrom } from '../core/instance.js';
export { compileScenario, type OpSubjects } from '../scenario/compile.js';
// The tables the pipeline reads, for generators, shrinkers and editors: which ops exist, where they
// may stand and what fields they take; the JSON Schema derived from them; crashes and events.
export { OPS, BODIES, opDef, fieldsOf, type OpDef, type FieldDef, type FieldType, type BodyKind, type BodyDef } from '../scenario/ops.js';
export { scenarioSchema } from '../scenario/schema.js';
export { CRASHES, INPUT_ERRORS, type CrashEntry, type CrashVariant, type InputErrorEntry } from '../report/crashes.js';
export { EVENTS, type EventDef } from '../report/events.js';
export { type ChromeTrace, type ChromeTraceEvent } from '../report/traceexport.js';
export { checkExpectation, expectationFor, toChromeTrace, resolveProfile, flagSet } from './checked.js';
export { POINTS, pointsTable } from '../model/points.js';
export { ScenarioError, OptionsError } from './errors.js';
export {
  PROFILES, PROFILE_NAMES, FLAG_NAMES, FLAG_DOC, PLATFORMS,
} from '../model/profiles.js';
export * from './types.js';
export { type ExploreOptions, type ExploreReport, type Finding, type DiffReport } from '../explore/index.js';
export { explore, shrink, diff, generate } from './checked.js';
