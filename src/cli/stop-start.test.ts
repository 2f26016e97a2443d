import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultBodyLimitBytes } from '../api/api-config.js';
import { parseEnv } from '../config/env.js';
import { defaultCloseTimeoutMs } from '../stores/close-store-within.js';
import { startApiServer, type RunningApi } from './api-server.js';
import { defaultHttpCloseTimeoutMs, stopStart } from './stop-start.js';
import { recordingLogger } from '../../tests/support/recording-logger.js';

/**
 * `skucast start`'s stop with an HTTP request in flight: an upload whose body is still arriving,
 * as a 50 MB import is for a while. The test sends the body's end itself, so the request lasts
 * exactly as long as the test says, with no clock.
 */
let dir: string;
let api: RunningApi | undefined;
// A client that keeps its connections open, as a browser or a proxy does (Node's global agent
// ends an idle one after 5 s): the server must end it once its request has answered.
let agent: Agent;
beforeEach(() => {
  agent = new Agent({ keepAlive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-stop-start-'));
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function start(logger: pino.Logger): Promise<RunningApi> {
  return startApiServer({
    storeConfig: { databasePath: path.join(dir, 'jobs.db') },
    apiConfig: { host: '127.0.0.1', port: 0, corsOrigins: [], bodyLimitBytes: defaultBodyLimitBytes, webDistDir: path.join(dir, 'no-web') },
    logger,
  });
}

/** Starts a CSV import and resolves once the server has its headers (the request is in flight). */
async function uploadInFlight(running: RunningApi): Promise<{ req: ClientRequest; response: Promise<IncomingMessage & { body: string }> }> {
  const received = new Promise<void>((resolve) => running.app.server.once('request', () => resolve()));
  const req = request(new URL('/api/datasets?models=naive&createJobs=false', running.url), { method: 'POST', agent, headers: { 'content-type': 'text/csv' } });
  const response = new Promise<IncomingMessage & { body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).once('end', () => resolve(Object.assign(res, { body })));
    });
    req.once('error', reject);
  });
  req.write('sku,month,units\nA,2024-01,1\nA,2024-02,2\n');
  await received;
  return { req, response };
}

/** Whether a new TCP connection to the API's port is refused. */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('stopStart with HTTP requests in flight', () => {
  it('stops accepting connections at the signal, answers a request still running past the store\'s bound once the workers have stopped, and stops cleanly', async () => {
    // The body ends well after the store's close bound (closeTimeoutMs) would have passed, counted
    // from 'workers stopped': a stop that raced the HTTP close together with the store's close
    // against that bound has given up by then (its 50 ms timer fires before this 300 ms one).
    const closeTimeoutMs = 50;
    let finishUpload = () => undefined as void;
    let bodyEnd: NodeJS.Timeout | undefined;
    const log = recordingLogger((msg) => {
      if (msg.startsWith('workers stopped')) bodyEnd = setTimeout(() => finishUpload(), closeTimeoutMs * 6);
    });
    api = await start(log.logger);
    // A keep-alive as long as a proxy's: the connection must still be closed once its request answers.
    api.app.server.keepAliveTimeout = 600_000;
    const { req, response } = await uploadInFlight(api);
    const running = api;
    let refusedDuringDrain: boolean | undefined;
    finishUpload = () => void req.end('A,2024-03,3\n');
    const exits: number[] = [];
    const outcome = await stopStart({
      signal: 'SIGTERM', api, logger: log.logger, closeTimeoutMs,
      supervisor: { stop: async () => void (refusedDuringDrain = await refused(running.url)) },
      exit: (code) => void exits.push(code),
    });
    clearTimeout(bodyEnd);
    req.end(); // a no-op once the body was sent; otherwise lets the response settle
    expect(outcome).toBe('stopped');
    expect(exits).toEqual([]);
    expect(refusedDuringDrain).toBe(true);
    const res = await response;
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ datasetId: expect.any(String) });
    const messages = log.lines.map((l) => String(l.msg));
    expect(messages.indexOf('HTTP server closed; closing the store')).toBeGreaterThan(messages.findIndex((m) => m.startsWith('workers stopped')));
    expect(messages.at(-1)).toBe('stopped');
  });

  it('drops the connections of requests still running at the HTTP bound, says so, and still closes the store', async () => {
    const log = recordingLogger();
    api = await start(log.logger);
    const { req, response } = await uploadInFlight(api);
    const exits: number[] = [];
    const outcome = await stopStart({
      signal: 'SIGTERM', api, logger: log.logger, httpCloseTimeoutMs: 0, closeTimeoutMs: 5000,
      supervisor: { stop: async () => undefined },
      exit: (code) => void exits.push(code),
    });
    await expect(response).rejects.toThrow(/socket hang up|ECONNRESET/);
    req.destroy();
    expect(outcome).toBe('stopped');
    expect(exits).toEqual([]);
    expect(log.lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ level: 40, msg: 'HTTP requests still running at the bound; dropping their connections' }),
      expect.objectContaining({ msg: 'HTTP connections dropped; closing the store' }),
    ]));
    expect(log.lines.some((l) => l.msg === 'HTTP server closed; closing the store')).toBe(false);
    expect(log.lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });
});

describe('the stop\'s bounds', () => {
  it('default, from the environment, to the same bounds as the code (docs/deploy.md adds them up)', () => {
    expect(parseEnv({})).toMatchObject({ httpDrainMs: defaultHttpCloseTimeoutMs, storeCloseMs: defaultCloseTimeoutMs });
  });
});
