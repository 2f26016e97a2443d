import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { every, systemClock, type Clock } from '../queue/clock.js';
import { idempotencyClaimMs, idempotencyHoldMs, idempotencyKeepMs, idempotencyRenewMs, type IdempotencyKeyRef } from '../queue/idempotency-store.js';
import type { Store } from '../stores/store.js';
import { ApiError, type ErrorCode } from './errors.js';
import { idempotencyKeyOf, idempotencyKeyPath } from './idempotency-key.js';
import { canonicalJson, fingerprintContentType, RequestFingerprint } from './request-fingerprint.js';

/**
 * `Idempotency-Key` on a POST that creates things (docs/http-api.md, "Idempotency-Key"): route
 * hooks, spread into the route's options, over the store's claim, record and release
 * (src/queue/idempotency-store.ts). A request without the header is untouched.
 *
 * preHandler (after the body's validation: a refused body claims nothing) claims the key, scoped
 * to the method and path. Claimed: the route's work runs. In flight under another request: 409
 * with `Retry-After`. Answered: the request's fingerprint (request-fingerprint.ts) is compared with
 * the stored one: the same, the stored answer is sent again byte for byte with
 * `Idempotent-Replayed: true`, and the route does nothing; another, 422. onSend records a 2xx
 * answer as serialized, with its Location, before it is sent (a retry that follows the answer
 * finds it). Any other answer lets the key go (letGo): a 4xx is a refusal before any write, and a
 * body not read to its end was never stored (the uploads write only once the whole file is read),
 * so both give the key back for the request put right; a 5xx after a body read whole may come
 * after the work committed (an error after the write, a COMMIT whose acknowledgement was lost), so
 * its claim is kept, unrenewed, until it goes stale (idempotencyClaimMs), then a retry runs the work
 * again, as without a key. onResponse lets go a claim no onSend settled.
 *
 * Crash safety is bounded, not transactional: the work and the record are two writes. While its
 * handler works a request renews its claim every idempotencyRenewMs (100 s), whether its client
 * still waits or not (a client's timeout must not let its retry run the work beside it), for at
 * most idempotencyHoldMs (1 hour: a hung handler does not hold its key for ever), and not once
 * the app closes (`closing`). A process that dies between its claim and its record or release
 * stops renewing: its claim is answered 409 until it is idempotencyClaimMs (5 minutes) unrenewed,
 * then the next request with the key takes it over and does the work (a process that died after
 * its work committed but before its record: that work is then done twice, as without a key).
 */
export interface IdempotentRouteOptions {
  /**
   * For a route that reads its body itself (an upload): reads it through the request's
   * fingerprint (fingerprintOf) without doing the work, when the key was already answered.
   * Without it, the parsed body is the fingerprint's.
   */
  readBody?: (request: FastifyRequest) => Promise<void>;
  /** The renewals' timers (RouteOptions.clock); default the system clock. */
  clock?: Clock;
  /** Aborted when the app closes (RouteOptions.closing): the renewals of the requests still at work stop. */
  closing?: AbortSignal;
}

/** The `Retry-After` of the 409 of a key in flight: soon, the first request may answer any moment. */
export const inFlightRetryAfterSeconds = 5;

type Hooks = Pick<RouteShorthandOptions, 'preHandler' | 'onSend' | 'onResponse'>;

interface Held {
  ref: IdempotencyKeyRef;
  settled: boolean;
  renewals: { stop(): void };
}

const fingerprints = new WeakMap<FastifyRequest, RequestFingerprint>();
const held = new WeakMap<FastifyRequest, Held>();

/** The fingerprint an upload reader feeds its options and file into, when the request has a key. */
export function fingerprintOf(request: FastifyRequest): RequestFingerprint | undefined {
  return fingerprints.get(request);
}

/** `POST /api/datasets/ds-1/actuals`: the route's path with its parameters, whatever the spelling sent (a trailing slash, escapes). */
function scopeOf(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, string>;
  const path = request.routeOptions.url!.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  return `${request.method} ${path}`;
}

const keyError = (status: number, error: string, message: string, code: ErrorCode) => new ApiError(status, error, [{ path: idempotencyKeyPath, message }], {}, code);

export function idempotentRoute(store: Store, options: IdempotentRouteOptions = {}): Hooks {
  const clock = options.clock ?? systemClock;
  const { closing } = options;
  const settle = (claim: Held) => {
    claim.settled = true;
    claim.renewals.stop();
  };
  const release = async (request: FastifyRequest, claim: Held) => {
    settle(claim);
    try {
      await store.releaseIdempotencyKey(claim.ref);
    } catch (error) {
      request.log.warn({ err: error, idempotencyKey: claim.ref.key }, `the Idempotency-Key could not be released: it stays in flight for at most ${idempotencyClaimMs / 60_000} minutes`);
    }
  };
  /** An answer not kept: the key given back when no work can have been stored, else left to go stale. */
  const letGo = async (request: FastifyRequest, reply: FastifyReply, claim: Held) => {
    const refused = reply.statusCode >= 400 && reply.statusCode < 500;
    if (refused || !fingerprints.get(request)!.complete) return release(request, claim);
    settle(claim);
    request.log.warn({ idempotencyKey: claim.ref.key, statusCode: reply.statusCode },
      `an answer not kept for its Idempotency-Key, after work that may have been stored: the key stays in flight for ${idempotencyClaimMs / 60_000} minutes, then a request with it runs the work again`);
  };
  const renewing = (request: FastifyRequest, ref: IdempotencyKeyRef) => {
    const since = clock.now();
    const loop = every(clock, idempotencyRenewMs, async () => {
      if (clock.now() - since >= idempotencyHoldMs) {
        stop();
        request.log.warn({ idempotencyKey: ref.key }, `still at work after ${idempotencyHoldMs / 60_000} minutes: its Idempotency-Key is no longer renewed (another request may take it over ${idempotencyClaimMs / 60_000} minutes on)`);
        return;
      }
      try {
        if (!(await store.renewIdempotencyKey(ref))) stop(); // answered meanwhile, or taken over
      } catch (error) {
        request.log.warn({ err: error, idempotencyKey: ref.key }, 'an Idempotency-Key claim could not be renewed (the next try is in 100 s)');
      }
    });
    const stop = () => {
      loop.stop();
      closing?.removeEventListener('abort', stop);
    };
    if (closing?.aborted) stop();
    else closing?.addEventListener('abort', stop, { once: true });
    return { stop };
  };

  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply) {
      const key = idempotencyKeyOf(request);
      if (key === undefined) return;
      const scope = scopeOf(request);
      const fingerprint = new RequestFingerprint()
        .add('scope', scope)
        .add('query', canonicalJson(request.query))
        .add('content-type', fingerprintContentType(request.headers['content-type']));
      if (!options.readBody) fingerprint.add('body', canonicalJson(request.body));
      fingerprints.set(request, fingerprint);
      const ref = { scope, key, token: randomUUID() };
      const claim = await store.claimIdempotencyKey({ ...ref, claimMs: idempotencyClaimMs, keepMs: idempotencyKeepMs });
      if (claim.state === 'in-flight') {
        // Sent, not thrown: the answer carries Retry-After, for clients that back off on it.
        const busy = keyError(409, 'a request with this Idempotency-Key is still in progress',
          'another request with this key has not answered yet: send this one again once it has (its answer is then sent again)', 'conflict_retry');
        return reply.code(409).header('retry-after', String(inFlightRetryAfterSeconds)).send(busy.body);
      }
      if (claim.state === 'completed') {
        await options.readBody?.(request);
        if (!fingerprint.complete || fingerprint.digest() !== claim.fingerprint) {
          throw keyError(422, 'this Idempotency-Key was used for another request',
            `the key was used within the last ${idempotencyKeepMs / 3_600_000} hours with another body, query or Content-Type for ${scope}: use a new key for a new request`, 'idempotency_key_reused');
        }
        const { status, body, contentType, location } = claim.response;
        void reply.code(status).header('content-type', contentType).header('idempotent-replayed', 'true');
        if (location !== null) void reply.header('location', location);
        return reply.send(Buffer.from(body, 'utf8'));
      }
      // Renewed as long as the handler works, not as long as its client waits: stopped by settle.
      held.set(request, { ref, settled: false, renewals: renewing(request, ref) });
    },

    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const claim = held.get(request);
      if (!claim || claim.settled) return payload;
      const fingerprint = fingerprints.get(request)!;
      const ok = reply.statusCode >= 200 && reply.statusCode < 300;
      // A body other than the serialized JSON (a stream) cannot be sent again; nor can an answer
      // to a body not read to its end be told apart from another's: neither is kept.
      if (!ok || typeof payload !== 'string' || !fingerprint.complete) {
        await letGo(request, reply, claim);
        return payload;
      }
      settle(claim);
      const location = reply.getHeader('location');
      try {
        const recorded = await store.recordIdempotentResponse({
          ...claim.ref,
          fingerprint: fingerprint.digest(),
          response: { status: reply.statusCode, body: payload, contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'), location: location === undefined ? null : String(location) },
        });
        if (!recorded) request.log.warn({ idempotencyKey: claim.ref.key }, 'the Idempotency-Key was taken over while this request ran (it ran past its claim): its answer is not kept');
      } catch (error) {
        request.log.warn({ err: error, idempotencyKey: claim.ref.key }, `the answer of an Idempotency-Key could not be kept: the key stays in flight for at most ${idempotencyClaimMs / 60_000} minutes`);
      }
      return payload;
    },

    async onResponse(request: FastifyRequest, reply: FastifyReply) {
      const claim = held.get(request);
      if (claim && !claim.settled) await letGo(request, reply, claim);
    },
  };
}
