// cgosim points: the interleaving points a scenario's "at" can pin, and the return path per profile.

import { out } from './io.js';
import { pointsTable } from '../model/points.js';
import { UsageError, type Command, type ParsedArgs } from './args.js';

const HELP = `Usage: cgosim points

Lists the interleaving points: where inside the runtime's steps a scenario's
{ "op": "at", "point": NAME, "g": G, "steps": [...] } runs its steps, and which are preemption
points; then the callback's way back to C, step by step, for every profile.`;

function points(p: ParsedArgs): number {
  if (p.positionals.length > 0) throw new UsageError(`points takes no arguments (got ${p.positionals[0]})`);
  out(`${pointsTable()}\n`);
  return 0;
}

export const pointsCommand: Command = { help: HELP, options: {}, run: points };
