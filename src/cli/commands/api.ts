import { Option, type Command } from 'commander';
import { apiConfigFromEnv, defaultHost, defaultPort } from '../../api/api-config.js';
import { startApiServer, waitForShutdownSignal } from '../api-server.js';
import { integerOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { createLogger } from '../logger.js';

interface ApiFlags extends DatabaseFlags {
  port?: number;
  host?: string;
}

/** `skucast api`: the HTTP API and the web app, until SIGINT/SIGTERM. */
export const apiCommand: CliCommand = {
  name: 'api',
  register(program: Command) {
    const command = program
      .command('api')
      .description('run the HTTP API and the web app (no workers: run `skucast worker` beside it)')
      .addOption(new Option('--port <port>', `port to listen on (env PORT, default ${defaultPort})`).argParser(integerOption(0)))
      .addOption(new Option('--host <address>', `address to listen on (env HOST, default ${defaultHost}); any other than loopback needs API_TOKEN`));
    addDatabaseOptions(command).action(async (flags: ApiFlags) => {
      const logger = createLogger(undefined, { role: 'api' });
      const apiConfig = apiConfigFromEnv(process.env, { ...(flags.port !== undefined && { port: flags.port }), ...(flags.host !== undefined && { host: flags.host }) });
      const api = await startApiServer({ storeConfig: storeConfigFrom(flags), apiConfig, logger });
      const signal = await waitForShutdownSignal();
      logger.info({ signal }, 'shutting down');
      await api.close();
      logger.info('stopped');
    });
  },
};
