import { Writable } from 'node:stream';
import pino from 'pino';

/** A pino logger whose JSON lines a test reads back (`lines`); `onLine` sees each message as it is written. */
export function recordingLogger(onLine: (msg: string) => void = () => undefined) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      const line = JSON.parse(String(chunk)) as Record<string, unknown>;
      lines.push(line);
      onLine(String(line.msg));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}
