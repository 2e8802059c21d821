// cgosim profiles: the runtime profiles, the releases each stands for, and the feature flags.

import { out } from './io.js';
import { FLAG_DOC, FLAG_NAMES, NOT_MODELLED_FLAGS, PROFILES, flagSet } from '../model/profiles.js';
import { UsageError, flagged, type Command, type ParsedArgs } from './args.js';

const HELP = `Usage: cgosim profiles [--json] [--flags]

Lists the runtime profiles, the releases each stands for and its feature flags. --flags also lists
what every flag means.`;

function profiles(p: ParsedArgs): number {
  if (p.positionals.length > 0) throw new UsageError(`profiles takes no arguments (got ${p.positionals[0]})`);
  if (flagged(p, 'json')) {
    out(`${JSON.stringify(PROFILES.map((q) => ({ ...q, flags: [...flagSet(q.name)] })), null, 2)}\n`);
    return 0;
  }
  const lines = PROFILES.map((q) => `${q.name.padEnd(10)} ${q.releases}\n${' '.repeat(11)}${[...flagSet(q.name)].join(' ') || '(none)'}`);
  if (flagged(p, 'flags')) {
    lines.push('', 'Flags (* = a real difference the model does not act on yet):',
      ...FLAG_NAMES.map((f) => `  ${(NOT_MODELLED_FLAGS.includes(f) ? `${f} *` : f).padEnd(31)} ${FLAG_DOC[f]}`));
  }
  out(`${lines.join('\n')}\n`);
  return 0;
}

export const profilesCommand: Command = {
  help: HELP,
  options: { json: { type: 'boolean' }, flags: { type: 'boolean' } },
  run: profiles,
};
