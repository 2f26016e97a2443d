import { Command, CommanderError } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { addListenOptions } from './listen-options.js';

/** --port is checked as PORT is: a port past 65535 used to reach Fastify, which named `options.port`, after the store was opened. */
describe('--port', () => {
  const parse = (...argv: string[]) => {
    const command = addListenOptions(new Command('api').exitOverride().configureOutput({ writeErr: () => undefined }));
    command.action(() => undefined);
    return command.parseAsync(argv, { from: 'user' }).then(() => command.opts());
  };

  it('takes 0 to 65535', async () => {
    expect(await parse('--port', '65535')).toMatchObject({ port: 65535 });
    expect(await parse('--port', '0')).toMatchObject({ port: 0 });
  });

  it('takes plain decimal digits only, as PORT does: 1e3, 0x10, 0b1, 8.0 and +80 are refused', async () => {
    expect(await parse('--port', '080')).toMatchObject({ port: 80 });
    for (const value of ['1e3', '0x10', '0b1', '8.0', '+80', '-0', '']) {
      await expect(parse('--port', value), value).rejects.toBeInstanceOf(CommanderError);
    }
  });

  it('refuses a port past 65535, naming the flag', async () => {
    const err = vi.fn();
    const command = addListenOptions(new Command('api').exitOverride().configureOutput({ writeErr: err }));
    await expect(command.parseAsync(['--port', '70000'], { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
    expect(err.mock.calls.join('')).toMatch(/option '--port <port>' argument '70000' is invalid\. expected an integer from 0 to 65535/);
    await expect(parse('--port', '70000')).rejects.toBeInstanceOf(CommanderError);
  });
});
