import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';

describe('freePort', () => {
  it('hands out each port once, to calls one after another (the OS alone repeats a port just closed) and at the same moment, and each can be listened on', async () => {
    const ports: number[] = [];
    // 200 in a row from about 28,000 ephemeral ports: without the claims a repeat is more likely than not.
    for (let i = 0; i < 200; i++) ports.push(await freePort());
    ports.push(...(await Promise.all(Array.from({ length: 40 }, () => freePort()))));
    expect(new Set(ports).size).toBe(240);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
