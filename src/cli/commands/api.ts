import type { Command } from 'commander';
import { settings } from '../../config/env.js';
import { takeSupervisedMark } from '../../config/supervised-mark.js';
import { startApiServer, waitForShutdownSignal } from '../api-server.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { addListenOptions, apiConfigFrom, type ListenFlags } from '../listen-options.js';
import { createLogger } from '../logger.js';
import { stopStart } from '../stop-start.js';

type ApiFlags = DatabaseFlags & ListenFlags;

/** `skucast api`: the HTTP API and the web app, until SIGINT/SIGTERM. */
export const apiCommand: CliCommand = {
  name: 'api',
  register(program: Command) {
    const command = addListenOptions(program
      .command('api')
      .description('run the HTTP API and the web app (no workers: run `skucast worker` beside it)'));
    addDatabaseOptions(command).action(async (flags: ApiFlags) => {
      const { httpDrainMs, storeCloseMs } = settings();
      // Marked by `npm run dev` (scripts/dev-api.mjs): one Ctrl-C reaches this API 1 to 3 times.
      const supervised = takeSupervisedMark();
      const logger = createLogger(undefined, { role: 'api' });
      const api = await startApiServer({ storeConfig: storeConfigFrom(flags), apiConfig: apiConfigFrom(flags), logger });
      const { signal, stopped } = await waitForShutdownSignal({
        logger, abandons: 'requests in flight get no answer, the store is not closed (docs/deploy.md)', supervised,
      });
      // `skucast start`'s stop without the workers: bounded from the signal to the exit, the store's
      // close included, so a request hung on a lock cannot hold the process forever (stop-start.ts).
      await stopStart({ signal, api, logger, httpCloseTimeoutMs: httpDrainMs, closeTimeoutMs: storeCloseMs });
      stopped();
    });
  },
};
