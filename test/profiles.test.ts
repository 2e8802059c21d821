import { describe, expect, it } from 'vitest';
import { flagSet, resolveProfile } from '../src/model/profiles.js';

describe('profiles', () => {
  it.each([
    ['go1.17rc1', 'go1.17rc1'], ['go1.17rc2', 'go1.17'], ['go1.18.3', 'go1.17'], ['go1.20.14', 'go1.17'],
    ['go1.21.0', 'go1.21.0'], ['go1.21.6', 'go1.21.0'], ['go1.21rc2', 'go1.21.0'], ['go1.21.7', 'go1.21.7'],
    ['go1.21.13', 'go1.21.7'], ['go1.22.3', 'go1.22.0'], ['go1.22.5', 'go1.22.5'], ['go1.22.12', 'go1.22.5'],
    ['go1.23.0', 'go1.23.0'], ['go1.23.4', 'go1.23.1'], ['go1.23.5', 'tip'], ['go1.24.2', 'tip'], ['go1.26.0', 'tip'],
    ['tip', 'tip'], ['devel', 'tip'],
  ])('%s resolves to %s', (release, profile) => {
    expect(resolveProfile(release)?.profile).toBe(profile);
  });

  it('takes names in any letter case', () => {
    expect(resolveProfile('GO1.22.3')?.profile).toBe('go1.22.0');
    expect(resolveProfile('Tip')?.profile).toBe('tip');
    expect(resolveProfile(' go1.21.12 ')?.overrides).toEqual({ CB_UPDATE_V1: false, CB_UPDATE_V2: true });
  });

  it('refuses what it cannot stand for', () => {
    for (const name of ['go1.16.5', 'go2', '1.22.0', 'go1.22.x', '']) expect(resolveProfile(name), name).toBeUndefined();
  });

  it('go1.21.12+ carries 584597 (V2) on top of the go1.21.7 profile', () => {
    const r = resolveProfile('go1.21.12')!;
    const flags = flagSet(r.profile, r.overrides);
    expect(flags.has('CB_UPDATE_V2')).toBe(true);
    expect(flags.has('CB_UPDATE_V1')).toBe(false);
  });

  it('turning one CB_UPDATE version on turns the others off', () => {
    const flags = flagSet('go1.22.0', { CB_UPDATE_V3: true });
    expect([...flags].filter((f) => f.startsWith('CB_UPDATE_V'))).toEqual(['CB_UPDATE_V3']);
  });
});
