import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';

import { DomainError } from '../errors/domain-error.js';
import { filterReport } from '../scanner/reports/report-filter.js';
import { REPORT_FORMATS, type ReportFormatName } from '../scanner/reports/report-formats.js';
import { SEVERITY_ORDER, type ScanReport } from '../scanner/scan/scan-report.js';
import type { Severity } from '../scanner/severity/severity.js';

const FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

// Table and JSON are read in place; the others are documents for other tools, saved as files.
const INLINE_FORMATS: ReadonlySet<ReportFormatName> = new Set(['table', 'json']);

/** The query of every scan report route: output format and which findings to show. */
export const ScanReportQuery = Type.Object({
  format: Type.Enum(FORMAT_NAMES, { default: 'json', description: 'The output format' }),
  severity: Type.Optional(
    Type.String({
      description: `Only findings of these severities, comma-separated, any case (${SEVERITY_ORDER.join(', ')})`,
      examples: ['critical,high'],
    }),
  ),
  ignoreUnfixed: Type.Boolean({
    default: false,
    description: 'Leave out vulnerabilities that have no fixed version',
  }),
});

export type ScanReportQueryValue = Static<typeof ScanReportQuery>;

/** A comma-separated severity list, case-insensitive, or VALIDATION_FAILED naming the bad word. */
export function parseSeverityList(list: string): Severity[] {
  return list.split(',').map((word) => {
    const severity = SEVERITY_ORDER.find((s) => s === word.trim().toLowerCase());
    if (severity === undefined) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `querystring/severity has "${word}": use ${SEVERITY_ORDER.join(', ')}, comma-separated`,
      );
    }
    return severity;
  });
}

/**
 * Validates the query, loads the report and sends it rendered as asked: as an attachment
 * `<id>.scan.<ext>` for the formats meant for other tools.
 */
export async function sendScanReport(
  reply: FastifyReply,
  query: ScanReportQueryValue,
  id: string,
  load: () => Promise<ScanReport>,
): Promise<FastifyReply> {
  const format = REPORT_FORMATS[query.format];
  const filter = {
    ...(query.severity === undefined ? {} : { severities: parseSeverityList(query.severity) }),
    ignoreUnfixed: query.ignoreUnfixed,
  };
  const shown = filterReport(await load(), filter);
  reply.type(format.mediaType);
  if (!INLINE_FORMATS.has(format.name)) {
    reply.header(
      'content-disposition',
      `attachment; filename="${id}.scan.${format.fileExtension}"`,
    );
  }
  // A Buffer, so Fastify sends the media type as registered, with no `charset` appended.
  return reply.send(Buffer.from(format.render(shown)));
}
