/**
 * What the send cost bench sends to, in a process of its own as SES and DynamoDB are to the
 * send worker: a null SMTP sink (every message read to its end and accepted, nothing kept) and
 * dynalite. Prints one line of JSON (the sink's port, dynalite's endpoint, and a URL that
 * answers how many messages the sink received), then serves until its parent ends it.
 *
 *   node --import tsx bench/support/send-services.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startDynalite } from '../../functions/local/dynalite.js';

let received = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const dynalite = await startDynalite();
const counter = createServer((_request, response) => response.end(String(received)));
await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));

const port = (server: { address(): AddressInfo | string | null }) => (server.address() as AddressInfo).port;
console.log(
  JSON.stringify({
    smtpPort: port(sink.server as unknown as { address(): AddressInfo }),
    dynalite: dynalite.endpoint,
    received: `http://127.0.0.1:${port(counter)}/`,
  }),
);
// The parent closes stdin when it is done (or dies).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
