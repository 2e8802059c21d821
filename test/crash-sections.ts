// Go's crash layout, parsed for structural checks (docs/model.md §21): the lines before the first
// section, then sections headed `runtime stack:` or `goroutine N [status]:` (go1.22+: with gp=, m=,
// mp=), each a list of frames of two lines, `name(args)` then `\t/usr/local/go/src/FILE[:LINE]
// [+0xOFF]` (or `\t?` for a scenario's function). parseCrash throws on anything else.

export interface ParsedFrame { name: string; args: string; file: string; line?: number; offset?: string }
export interface ParsedSection { header: string; frames: ParsedFrame[]; elided?: string }
export interface ParsedCrash { head: string[]; sections: ParsedSection[] }

const HEADER = /^(runtime stack:|goroutine \d+ (gp=\S+ m=\S+ mp=\S+ )?\[[^\]]+\]:)$/;
const FUNC = /^([\w./*()-]+)\((.*)\)$/;
const WHERE = /^\t(\?|\/usr\/local\/go\/src\/[\w./-]+\.(?:go|s))(?::(\d+))?(?: \+0x([0-9a-f]+))?$/;

export function parseCrash(output: string): ParsedCrash {
  const lines = output.split('\n');
  if (lines.at(-1) !== '') throw new Error('output does not end with a newline');
  lines.pop();
  // The head runs to the first blank line followed by a section header (a check may print a
  // traceback of its own before its throw, as newstack and badmorestackg0 do).
  const blank = lines.findIndex((l, i) => l === '' && HEADER.test(lines[i + 1] ?? ''));
  const head = blank < 0 ? lines : lines.slice(0, blank);
  const sections: ParsedSection[] = [];
  let i = blank < 0 ? lines.length : blank;
  while (i < lines.length) {
    if (lines[i] !== '') throw new Error(`line ${i + 1}: a blank line must separate sections: ${JSON.stringify(lines[i])}`);
    i++;
    const header = lines[i] ?? '';
    if (!HEADER.test(header)) throw new Error(`line ${i + 1}: not a section header: ${JSON.stringify(header)}`);
    i++;
    const frames: ParsedFrame[] = [];
    let elided: string | undefined;
    while (i < lines.length && lines[i] !== '') {
      if (/^\.\.\.(\d+|additional) frames elided\.\.\.$/.test(lines[i]!) && elided === undefined && frames.length > 0) {
        elided = lines[i++];
        continue;
      }
      const f = FUNC.exec(lines[i]!);
      const w = WHERE.exec(lines[i + 1] ?? '');
      if (!f || !w) throw new Error(`line ${i + 1}: not a frame: ${JSON.stringify(lines[i])} / ${JSON.stringify(lines[i + 1])}`);
      if (f[2] === '...' && w[3] !== undefined) throw new Error(`line ${i + 2}: an inlined frame has no offset`);
      frames.push({ name: f[1]!, args: f[2]!, file: w[1]!, ...(w[2] ? { line: Number(w[2]) } : {}), ...(w[3] ? { offset: w[3] } : {}) });
      i += 2;
    }
    if (frames.length === 0) throw new Error(`section ${JSON.stringify(header)} has no frames`);
    sections.push({ header, frames, ...(elided ? { elided } : {}) });
  }
  return { head, sections };
}

/** The frame names of a section, innermost first. */
export const names = (s: ParsedSection | undefined): string[] => (s ? s.frames.map((f) => f.name) : []);
