// cgosim's platform-neutral entry: the whole API, given the core's Wasm bytes or module. Node users
// import "cgosim" (node.ts, which finds the bytes on disk); pages import "cgosim/browser".

export { createSimulatorFrom } from '../core/instance.js';
export { compileScenario } from '../scenario/compile.js';
export { checkExpectation, expectationFor } from '../scenario/expect.js';
export { toChromeTrace, type ChromeTrace, type ChromeTraceEvent } from '../report/traceexport.js';
export { POINTS, pointsTable } from '../model/points.js';
export { ScenarioError, OptionsError } from './errors.js';
export {
  PROFILES, PROFILE_NAMES, FLAG_NAMES, FLAG_DOC, PLATFORMS, resolveProfile, flagSet,
} from '../model/profiles.js';
export * from './types.js';
