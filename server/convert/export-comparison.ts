import type { Comparison } from '../../shared/schema/readings.js';
import { comparisonDocx } from './export-comparison-docx.js';
import { comparisonHtml } from './export-comparison-html.js';
import { safeFileName } from './export-document.js';

/**
 * A comparison of two readings as a file to circulate: Word with real tracked
 * changes (each insertion and deletion a revision by its delegation, so Word
 * or LibreOffice can accept or reject it, and accepting all gives the later
 * text), or a print-friendly HTML page. Both open with the negotiation events.
 */
export async function exportComparison(
  comparison: Comparison,
  format: 'docx' | 'html',
  options: { title: string },
): Promise<{ body: Buffer; contentType: string; fileName: string }> {
  const base = `${safeFileName(options.title, 80)} - ${safeFileName(comparison.from.name, 80)} to ${safeFileName(comparison.to.name, 80)}`;
  if (format === 'docx') {
    return {
      body: await comparisonDocx(comparison, options.title),
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      fileName: `${base}.docx`,
    };
  }
  return { body: Buffer.from(comparisonHtml(comparison, options.title), 'utf8'), contentType: 'text/html; charset=utf-8', fileName: `${base}.html` };
}
