// The CLI's progress line (src/cli/progress.ts): drawn on a terminal only, only after the work has
// taken its grace time, and cleared at the end so that the output is the same as without it.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../src/cli/progress.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let buf = '';
  const w = new Writable({ write(chunk, _enc, cb) { buf += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream;
  Object.assign(w, { isTTY, columns: 120, cursorTo: (x: number) => { buf += `\x1b[${x + 1}G`; return true; }, clearLine: () => { buf += '\x1b[2K'; return true; } });
  return { stream: w, text: () => buf };
}

describe('CLI progress line', () => {
  it('draws the label, the count and the percentage on a terminal, then clears its line', () => {
    const { stream, text } = fakeStream(true);
    const bar = progressLine('runs', true, stream, 0);
    bar.update(0, 40, 'S03');
    bar.update(10, 40, 'S05');
    bar.done();
    const t = text();
    expect(t).toContain('S03');
    expect(t).toMatch(/\d+\/40 runs/);
    expect(t).toMatch(/\d+%/);
    // cli-progress's clearOnComplete: the line ends cleared.
    expect(t.endsWith('\x1b[2K') || t.includes('\x1b[2K')).toBe(true);
    bar.done(); // twice is harmless
  });

  it('waits for its grace time before drawing anything', () => {
    const { stream, text } = fakeStream(true);
    const bar = progressLine('runs', true, stream, 60_000);
    bar.update(1, 2, 'x');
    bar.done();
    expect(text()).toBe('');
  });

  it('writes nothing when standard error is not a terminal, or when disabled', () => {
    for (const [tty, enabled] of [[false, true], [true, false]] as const) {
      const { stream, text } = fakeStream(tty);
      const bar = progressLine('steps', enabled, stream, 0);
      bar.update(5, 10, 'x');
      bar.done();
      expect(text()).toBe('');
    }
  });
});
