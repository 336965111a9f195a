/**
 * An SMTP catcher with a web inbox (maildev 3) in this process: the local mailer sends to
 * it, and a person reads what was sent at its URL. Both servers listen on 127.0.0.1 only.
 */
import { MailDev } from 'maildev';

export interface CaughtMail {
  id: string;
  /** Envelope recipients. */
  to: string[];
  subject: string;
}

export interface RunningMaildev {
  smtp: { host: string; port: number };
  /** The web inbox; undefined when started without it. */
  inboxUrl?: string;
  /** Every caught message, oldest first. */
  list(): Promise<CaughtMail[]>;
  /** A caught message as it arrived (headers and MIME body). */
  raw(id: string): Promise<Buffer>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export interface MaildevOptions {
  /** 0 (the default) picks any free port. */
  smtpPort?: number;
  webPort?: number;
  /** Default true. */
  web?: boolean;
  /** Where caught mail is kept across restarts; omit for a temporary folder. */
  mailDirectory?: string;
}

/** A port the catcher needs is held by another program: told to the user as it is, without a stack. */
export class PortInUse extends Error {}

function portInUse(error: unknown, what: string, variable: string): Error {
  if (error instanceof Error && (error as { code?: string }).code === 'EADDRINUSE') {
    return new PortInUse(`The ${what} port is in use (another maildev?); set ${variable} to a free port or 0`, { cause: error });
  }
  return error as Error;
}

export async function startMaildev(options: MaildevOptions = {}): Promise<RunningMaildev> {
  const web = options.web ?? true;
  const maildev = new MailDev({
    smtp: options.smtpPort ?? 0,
    ip: '127.0.0.1',
    web: options.webPort ?? 0,
    webIp: '127.0.0.1',
    disableWeb: !web,
    silent: true,
    ...(options.mailDirectory ? { mailDirectory: options.mailDirectory } : {}),
  });
  let servers: Awaited<ReturnType<MailDev['start']>>;
  try {
    servers = await maildev.start();
  } catch (error) {
    await maildev.stop().catch(() => undefined);
    throw portInUse(error, 'maildev SMTP or web', 'PRESSRUN_SMTP_PORT or PRESSRUN_MAILDEV_WEB_PORT');
  }
  const smtp = servers.smtp.getAddress();
  const webAddress = servers.api?.getAddress();
  return {
    smtp: { host: '127.0.0.1', port: smtp.port },
    ...(webAddress ? { inboxUrl: `http://localhost:${webAddress.port}/` } : {}),
    list: async () =>
      (await servers.smtp.getAllEmails())
        .map((email) => ({
          id: email.id,
          to: email.envelope.to.map((a) => a.address),
          subject: email.subject ?? '',
          time: new Date(email.time).getTime(),
        }))
        .sort((a, b) => a.time - b.time)
        .map(({ time: _time, ...mail }) => mail),
    raw: async (id) => {
      const chunks: Buffer[] = [];
      for await (const chunk of await servers.smtp.getRawEmail(id)) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks);
    },
    clear: async () => void (await servers.smtp.deleteAllEmails()),
    close: () => maildev.stop(),
  };
}
