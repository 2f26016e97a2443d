import { Option, type Command } from 'commander';
import { apiConfigFromSettings, defaultHost, defaultPort, type ApiConfig } from '../api/api-config.js';
import { parseEnv, settings } from '../config/env.js';
import { integerOption } from './cli-command.js';

export interface ListenFlags {
  port?: number;
  host?: string;
}

/** --port / --host, shared by the commands that run the API (`api`, `start`). */
export function addListenOptions(command: Command): Command {
  return command
    .addOption(new Option('--port <port>', `port to listen on (env PORT, default ${defaultPort})`).argParser(integerOption(0, 65535)))  // as PORT: else Fastify refuses it after the store is opened, naming `options.port`
    .addOption(new Option('--host <address>', `address to listen on (env HOST, default ${defaultHost}); any other than loopback needs API_TOKEN`));
}

/** The API's config from the environment, with the flags winning. */
export function apiConfigFrom(flags: ListenFlags, env?: NodeJS.ProcessEnv): ApiConfig {
  return apiConfigFromSettings(env ? parseEnv(env) : settings(), { ...(flags.port !== undefined && { port: flags.port }), ...(flags.host !== undefined && { host: flags.host }) });
}
