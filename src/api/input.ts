// Reading scenario input from files, with limits: a size cap on every read (a scenario of the
// largest size the compiler accepts is far smaller), and for what is not a regular file (a FIFO,
// a character device such as /dev/zero, a terminal, standard input) a timeout while no data
// comes, so that a pipe with no writer or a device that never ends gives an error, not a hang.
//
// The reads are synchronous (the CLI and loadScenarioFile are): a non-regular file is opened
// non-blocking and polled, sleeping a few milliseconds between empty reads.

import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';

/** Scenario input larger than this is refused unless the caller raises it (maxBytes, --max-input). */
export const DEFAULT_MAX_INPUT_BYTES = 32 << 20;
/** How long a non-regular file may give no data before the read gives up (inputTimeout, --input-timeout). */
export const DEFAULT_INPUT_TIMEOUT_MS = 750;

export interface InputLimits { maxBytes?: number; timeoutMs?: number }

/** A read that broke a limit or failed: `reason` is one line, without the file name. */
export class InputError extends Error {
  constructor(readonly reason: string) { super(reason); }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void { Atomics.wait(sleeper, 0, 0, ms); }

function mib(n: number): string { return n % (1 << 20) === 0 ? `${n >> 20} MiB` : `${n} bytes`; }

/** Reads `file` ("-": standard input) as UTF-8 within the limits. */
export function readInput(file: string, limits: InputLimits = {}): string {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const timeoutMs = limits.timeoutMs ?? DEFAULT_INPUT_TIMEOUT_MS;
  // Standard input is reopened non-blocking through /dev/stdin where there is one (Linux), so a
  // terminal or a silent pipe can time out; elsewhere fd 0 is read as it is.
  let fd: number;
  let own = true;
  try {
    if (file === '-') {
      try {
        fd = openSync('/dev/stdin', constants.O_RDONLY | constants.O_NONBLOCK);
      } catch {
        fd = 0;
        own = false;
      }
    } else {
      fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot open it (${code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError('is a directory, not a scenario file');
    if (st.isFile() && st.size > maxBytes) throw new InputError(`is ${st.size} bytes, more than the ${mib(maxBytes)} input limit (raise it with --max-input or maxBytes)`);
    return readAll(fd, st.isFile(), maxBytes, timeoutMs);
  } finally {
    if (own) closeSync(fd);
  }
}

function readAll(fd: number, regular: boolean, maxBytes: number, timeoutMs: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  let lastData = Date.now();
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw new InputError(`cannot read it (${code ?? (e as Error).message})`);
      n = -1;
    }
    if (n > 0) {
      total += n;
      if (total > maxBytes) throw new InputError(`gave more than the ${mib(maxBytes)} input limit (raise it with --max-input or maxBytes)`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
      lastData = Date.now();
      continue;
    }
    // End of input: a regular file's end, or a pipe's writer has closed after sending something.
    // A FIFO that has had no writer yet also reads as 0: wait for one, within the timeout.
    if (n === 0 && (regular || total > 0)) break;
    if (Date.now() - lastData > timeoutMs) {
      throw new InputError(total === 0
        ? `gave no data within ${timeoutMs} ms (a pipe with no writer?); raise the wait with --input-timeout`
        : `stopped giving data for ${timeoutMs} ms before its end; raise the wait with --input-timeout`);
    }
    sleepMs(5);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}
