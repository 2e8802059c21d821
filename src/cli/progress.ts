// Progress on a terminal for work that takes a while: a run of millions of callbacks, the repro
// matrix. A bar from cli-progress on standard error, drawn only when standard error is a TTY and
// only once the work has taken more than a second; it is cleared when the work ends, so the output
// is the same as without it. Nothing at all when standard error is a file or a pipe.

import cliProgress from 'cli-progress';

export interface ProgressLine {
  /** How far the work has got: `value` of `total`, with a label for the current item. */
  update(value: number, total: number, label: string): void;
  /** The work ended (or failed): clear the line. Safe to call more than once. */
  done(): void;
}

const NONE: ProgressLine = { update: () => undefined, done: () => undefined };

/**
 * A progress line for work measured in `unit`s; a no-op unless it is `enabled` and standard error
 * is a terminal.
 */
export function progressLine(unit: string, enabled = true, stream: NodeJS.WriteStream = process.stderr, showAfterMs = 1000): ProgressLine {
  if (!enabled || stream.isTTY !== true) return NONE;
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(value, total, label) {
      if (!bar) {
        if (performance.now() - started < showAfterMs) return;
        bar = new cliProgress.SingleBar({
          stream, format: `{label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
          barsize: 24, hideCursor: false, clearOnComplete: true, synchronousUpdate: true, fps: 10, linewrap: false,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, value, { label });
        return;
      }
      bar.setTotal(total);
      bar.update(value, { label });
    },
    done() {
      bar?.stop();
      bar = undefined;
    },
  };
}
