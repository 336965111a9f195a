/** One-line summaries of import and publish reports for the terminal. */
import type { ImportReport } from '../core/content/import-articles.js';
import type { PublishReport } from '../core/publish/ports.js';

export function formatImportReport(report: ImportReport): string {
  const lines = [
    `${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.deleted.length} deleted, ${report.failed.length} failed`,
    ...report.failed.map(
      ({ file, error }) => `  ${file}: ${error.message}${error.problems.map((p) => `\n    ${p.field}: ${p.message}`).join('')}`,
    ),
  ];
  return lines.join('\n');
}

export function formatPublishReport(report: PublishReport): string {
  const digest = report.digest ? `, digest ${report.digest.id} (${report.digest.articles} articles, ${report.digest.htmlBytes} bytes)` : '';
  return `${report.full ? 'full' : 'incremental'}: ${report.written.length} written, ${report.unchanged} unchanged, ${report.deleted.length} deleted${digest} in ${report.durationMs} ms`;
}
