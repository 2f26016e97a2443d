import type { Command } from 'commander';
import type { DatasetValidationError } from '../datasets/dataset-validation-error.js';
import type { ErrorCode } from '../api/errors.js';

/**
 * `--json` on the commands that answer as an HTTP route does (import, actuals, accuracy, snapshots).
 * Two modes per process: off (the default: lines for people on stdout, one error line on stderr),
 * or on, set by main() from the arguments before they are parsed and by the command's action from
 * its flags: stdout then carries exactly one JSON object, the route's answer, or on a refusal the
 * route's error body, `{error, code, details, ...}`, with the exit code non-zero; stderr keeps its one error line, so a script that reads only the exit
 * code and stderr works either way. Progress (`--watch`'s bar) goes to stderr in both modes.
 */
const state = { on: false, printed: false };

export function addJsonOption(command: Command): Command {
  return command.option('--json', "print one JSON object on stdout: the HTTP route's answer, or its error body {error, code, details} on a refusal (exit code 1)");
}

/**
 * Reads the flag into the process's mode; true when on. main() turns it on from argv before the
 * command parses, so a refusal before the action (a bad option value, a bad variable) answers in
 * JSON too; the action confirms it from its flags.
 */
export function startJson(flags: { json?: boolean }): boolean {
  state.on = state.on || flags.json === true;
  return state.on;
}

export function jsonOn(): boolean {
  return state.on;
}

/** The one object; a second (a failure after the answer, say the store's close) is not printed. */
export function printJson(value: unknown): void {
  if (state.printed) return;
  state.printed = true;
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * While `--watch` follows a batch the answer is already true (the dataset stored, the jobs
 * queued): a SIGINT or SIGTERM then prints it with `watch: {interrupted: true}` and ends the
 * process as the signal would (130, 143), so a script stopped by a timeout still learns the
 * dataset id. Returns the undo, for when the watch ends by itself.
 */
export function answerOnInterrupt(answer: Record<string, unknown>): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      printJson({ ...answer, watch: { interrupted: true } });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

/** The error body a route answers for this refusal (api/errors.ts and refusingBadInput give the same). */
export function validationJson(error: DatasetValidationError): Record<string, unknown> {
  return {
    error: error.message,
    code: 'invalid_request',
    details: error.details,
    ...(error.report ? { report: error.report } : {}),
    ...(error.columns ? { columns: error.columns } : {}),
    ...(error.sheets ? { sheets: error.sheets } : {}),
  };
}

/**
 * Any other failure of a command in JSON mode: its message, the route's code for it (a refusal of
 * what was given unless said), and the field it names when it names one.
 */
export function failureJson(message: string, path?: string, code: ErrorCode = 'invalid_request'): Record<string, unknown> {
  return { error: message, code, details: path ? [{ path, message }] : [] };
}

/** For tests that run several commands in one process. */
export function resetJson(): void {
  state.on = false;
  state.printed = false;
}
