/**
 * WebSubHub, over HTTP to a hub on a local port, holds the WebSubPublisher contract
 * (tests/support/contracts/websub.contract.ts), as does the fake the core tests use; then what only
 * WebSubHub does: the form it posts, and what happens when no hub answers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSubHub } from '../../functions/adapters/websub-hub.js';
import { describeWebSubContract } from '../support/contracts/websub.contract.js';
import { RecordingWebSub } from '../support/fakes/websub.js';

interface Received {
  method: string;
  contentType: string;
  body: URLSearchParams;
}

/** A hub on a free local port that records each request and answers with `status(request)`. */
async function startHub(
  status: (body: URLSearchParams) => number = () => 202,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = new URLSearchParams(text);
    received.push({ method: req.method ?? '', contentType: req.headers['content-type'] ?? '', body });
    res.writeHead(status(body)).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describeWebSubContract('WebSubHub', async (refuses) => {
  const hub = await startHub((body) => (refuses(body.get('hub.url')!) ? 500 : 204));
  servers.push(hub.server);
  return { publisher: new WebSubHub(hub.url), told: () => hub.received.map((r) => r.body.get('hub.url')!) };
});

describeWebSubContract('RecordingWebSub', async (refuses) => {
  const hub = new RecordingWebSub({ refuses });
  return { publisher: hub, told: () => hub.told.flat() };
});

describe('WebSubHub', () => {
  it('posts hub.mode=publish with each changed feed as hub.url, form-encoded', async () => {
    const hub = await startHub();
    servers.push(hub.server);

    await new WebSubHub(hub.url).publish(['https://news.example.com/feed.xml', 'https://news.example.com/tags/a&b/atom.xml']);

    expect(hub.received.map((r) => [r.method, r.contentType, r.body.get('hub.mode'), r.body.get('hub.url')])).toEqual(
      expect.arrayContaining([
        ['POST', 'application/x-www-form-urlencoded', 'publish', 'https://news.example.com/feed.xml'],
        ['POST', 'application/x-www-form-urlencoded', 'publish', 'https://news.example.com/tags/a&b/atom.xml'],
      ]),
    );
  });

  it('names the status the hub answered for each feed it did not accept', async () => {
    const hub = await startHub((body) => (body.get('hub.url')!.endsWith('atom.xml') ? 500 : 204));
    servers.push(hub.server);

    const ping = new WebSubHub(hub.url).publish(['https://news.example.com/feed.xml', 'https://news.example.com/atom.xml']);

    await expect(ping).rejects.toThrow(/did not accept 1 of 2: https:\/\/news\.example\.com\/atom\.xml: answered 500/);
  });

  it('rejects when no hub answers', async () => {
    const hub = await startHub();
    await new Promise((resolve) => hub.server.close(resolve));

    await expect(new WebSubHub(hub.url, { timeoutMs: 1000 }).publish(['https://news.example.com/feed.xml'])).rejects.toThrow(
      /did not accept 1 of 1/,
    );
  });
});
