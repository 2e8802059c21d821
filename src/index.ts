// cgosim's platform-neutral entry: the whole API, given the core's Wasm bytes or module. Node users
// import "cgosim" (node.ts, which finds the bytes on disk); pages import "cgosim/browser".

export { createSimulatorFrom } from './core.js';
export { compileScenario } from './compile.js';
export { checkExpectation, expectationFor } from './expect.js';
export { toChromeTrace, type ChromeTrace, type ChromeTraceEvent } from './traceexport.js';
export { POINTS, pointsTable } from './points.js';
export { ScenarioError, OptionsError } from './errors.js';
export {
  PROFILES, PROFILE_NAMES, FLAG_NAMES, FLAG_DOC, PLATFORMS, resolveProfile, flagSet,
} from './profiles.js';
export * from './types.js';
