/**
 * What a command does when the reader of its stdout goes away (`skucast export ... | head`):
 * Node ignores SIGPIPE, so the write fails with EPIPE, which no listener would crash the process
 * with a stack trace. A Unix tool dies of SIGPIPE instead, quietly, and its shell reports 141
 * (128 + 13): so does this. Whatever the command wrote before was already committed; a closed
 * pipe only loses the rest of its output. Other stdout errors are left to crash loudly.
 */
export const closedPipeExitCode = 141;

export function exitQuietlyWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(closedPipeExitCode);
  });
}
