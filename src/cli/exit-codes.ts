/** Exit codes, the same for every command (DESIGN.md "Commands and contracts"). */
export const EXIT = {
  ok: 0,
  error: 1,
  /** plan --detailed-exitcode and drift: the account differs from the file. */
  changes: 2,
  /** apply: refused by a safety rule or a stale plan; nothing was written. */
  refused: 3,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  sigint: 130,
  /** Stopped by SIGTERM (a CI cancel): 128 + 15. */
  sigterm: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
