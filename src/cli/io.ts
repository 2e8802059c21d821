// Every byte the CLI writes goes through here: standard output, standard error and output files.
// One mechanism, so that every write is checked the same way:
//
//   - an output file that cannot be written (a missing directory, a directory, a read-only place,
//     a full disk such as /dev/full) is an OutputError: one line on stderr, exit status 2;
//   - standard output that fails (ENOSPC on /dev/full, EIO, …) is the same: one line, exit 2;
//   - standard output whose reader has gone away (EPIPE: `cgosim run … | head`) is not an error:
//     the CLI stops writing and exits 0, quietly, as `yes | head` does.
//
// Node reports a failed write to a pipe asynchronously, as an 'error' event on the stream; to a
// file, synchronously inside write(). installOutputGuards() catches both.

import { appendFileSync, writeFileSync } from 'node:fs';

/** An output that could not be written: its message is the one line the CLI prints. */
export class OutputError extends Error {}

let stdoutGone = false;

function reason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT': return 'no such directory';
    case 'EISDIR': return 'is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return e.code ?? e.message;
  }
}

/** The reader of standard output has gone: stop quietly with status 0. */
function readerGone(): never {
  stdoutGone = true;
  process.exit(0);
}

function stdoutFailed(e: NodeJS.ErrnoException): never {
  if (e.code === 'EPIPE') readerGone();
  try {
    process.stderr.write(`cgosim: cannot write to standard output: ${reason(e)}\n`);
  } catch {
    // stderr is gone too: the exit status is all that is left.
  }
  process.exit(2);
}

/** Once, before a command runs: failed writes to stdout/stderr end the process as described above. */
export function installOutputGuards(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => stdoutFailed(e));
  // Nothing can be reported about a failing stderr; a closed one must not crash the process.
  process.stderr.on('error', () => undefined);
}

/** Writes to standard output. */
export function out(text: string): void {
  if (stdoutGone) return;
  try {
    process.stdout.write(text);
  } catch (e) {
    stdoutFailed(e as NodeJS.ErrnoException);
  }
}

/** Writes to standard error (diagnostics; a failure there is ignored). */
export function err(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // see installOutputGuards
  }
}

/** Writes an output file (a trace); an OutputError names the file and why it failed. */
export function writeOutputFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new OutputError(`cannot write ${file}: ${reason(e as NodeJS.ErrnoException)}`);
  }
}

/** Appends to an output file (a campaign journal); an OutputError names the file and why it failed. */
export function appendOutputFile(file: string, text: string): void {
  try {
    appendFileSync(file, text);
  } catch (e) {
    throw new OutputError(`cannot write ${file}: ${reason(e as NodeJS.ErrnoException)}`);
  }
}
