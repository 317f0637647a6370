/** What every command-line entry point shares: where it writes, and the error that means "wrong arguments, print the usage". */

/** Where a command writes: stdout for results (one JSON object with --json), stderr for progress and errors. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export class UsageError extends Error {}
