/**
 * Values a Lambda function builds on its first invocation rather than at init: the secrets
 * extension does not answer during init, and routes that need no secret should not wait
 * for one.
 */
import type { DeliveryApi } from '../http/delivery-api.js';

/** Built on the first call and kept; a build that failed is tried again on the next call instead of failing every later one. */
export function onFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (!value) {
      value = build();
      value.catch(() => {
        value = undefined;
      });
    }
    return value;
  };
}

/**
 * A DeliveryApi whose use cases are built when a route first needs them: the signing key is
 * read then, and what needs no key (a subscribe, which only queues; the rate limiter) keeps
 * answering should reading it fail.
 */
export function deferredDeliveryApi(
  build: () => Promise<DeliveryApi>,
  ready: Pick<DeliveryApi, 'subscribe' | 'rateLimiter' | 'perClient'>,
): DeliveryApi {
  return {
    ...ready,
    checkLink: async (token, purpose, now) => (await build()).checkLink(token, purpose, now),
    confirm: async (token, now) => (await build()).confirm(token, now),
    unsubscribe: async (token, source, now) => (await build()).unsubscribe(token, source, now),
    readChoices: async (token, now) => (await build()).readChoices(token, now),
    saveChoices: async (token, preferences, now) => (await build()).saveChoices(token, preferences, now),
    startSend: async (digestId) => (await build()).startSend(digestId),
    resumeSend: async (digestId) => (await build()).resumeSend(digestId),
    progress: async (digestId) => (await build()).progress(digestId),
    sendTest: async (digestId, email, now) => (await build()).sendTest(digestId, email, now),
  };
}
