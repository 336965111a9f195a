/** Summaries of import and publish reports for the terminal. */
import type { ImportReport } from '../core/content/import-articles.js';
import type { PressrunError } from '../core/errors.js';
import type { PublishReport } from '../core/publish/ports.js';

type Failure = ImportReport['failed'][number];

/**
 * What a file's error says, without the file's name where the message starts with it (the
 * caller names the file), then each problem the message does not already say.
 */
export function failureLines(file: string, error: PressrunError): string[] {
  const message = error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message;
  return [message, ...error.problems.filter((p) => !message.includes(p.message)).map((p) => `${p.field}: ${p.message}`)];
}

function describeFailure({ file, error }: Failure): string {
  const [message, ...more] = failureLines(file, error);
  return `  ${file}: ${message}${more.map((line) => `\n    ${line}`).join('')}`;
}

export function formatImportReport(report: ImportReport): string {
  const lines = [
    `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.deleted.length} deleted, ${report.failed.length} failed`,
    ...report.failed.map(describeFailure),
  ];
  return lines.join('\n');
}

/**
 * What the server tells about the imports it runs on every change and publish: the first in
 * full, later ones only when something changed. A bad file is told once, not again at every
 * import while it stays the same, and told fixed when it imports again.
 */
export class ImportLog {
  private failing: Map<string, string> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  record(report: ImportReport): void {
    const first = this.failing === undefined;
    const before = this.failing ?? new Map<string, string>();
    const now = new Map(report.failed.map((failure) => [failure.file, describeFailure(failure)]));
    const news = report.failed.filter((failure) => before.get(failure.file) !== now.get(failure.file));
    const fixed = [...before.keys()].filter((file) => !now.has(file));
    this.failing = now;
    const changed = report.created.length + report.updated.length + report.deleted.length > 0;
    if (!first && !changed && news.length === 0 && fixed.length === 0) return;
    const counts = `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.deleted.length} deleted, ${report.failed.length} failed`;
    this.log([`import: ${counts}`, ...news.map(describeFailure), ...fixed.map((file) => `  ${file}: fixed`)].join('\n'));
  }
}

export function formatPublishReport(report: PublishReport): string {
  const carried = report.digest?.carriedOver ? `; ${report.digest.carriedOver} more wait for the next digest` : '';
  const digest = report.digest
    ? `, digest ${report.digest.id} (${report.digest.articles} article${report.digest.articles === 1 ? '' : 's'}, ${report.digest.htmlBytes} bytes${carried})`
    : '';
  const leftOut = (report.leftOut ?? []).map(({ slug, reason }) => `\n  left out ${slug}: ${reason}`).join('');
  return `${report.full ? 'full' : 'incremental'}: ${report.listed?.written ?? report.written.length} written, ${report.unchanged} unchanged, ${report.listed?.deleted ?? report.deleted.length} deleted${digest} in ${report.durationMs} ms${leftOut}`;
}
