import { DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Packer, Paragraph, TextRun } from 'docx';
import type { ComparedParagraph, Comparison } from '../../shared/schema/readings.js';
import { authorName, comparisonLabel, paragraphNotes } from './comparison-notes.js';

/**
 * The comparison as a Word file with real revisions: `w:ins` and `w:del`
 * runs with the delegation as author and the later end's time. The text
 * section holds one Word paragraph per compared paragraph, its reference
 * first ("3.2 "), so accepting every revision gives the later text and
 * rejecting every one the earlier text.
 */
export async function comparisonDocx(comparison: Comparison, title: string): Promise<Buffer> {
  // Word reads revision dates to the second.
  const date = (comparison.to.at ?? new Date().toISOString()).replace(/\.\d+Z$/, 'Z');
  let nextId = 1;
  const inserted = (text: string, by: readonly string[]) => new InsertedTextRun({ id: nextId++, author: authorName(by), date, text });
  const deleted = (text: string, by: readonly string[]) => new DeletedTextRun({ id: nextId++, author: authorName(by), date, text });

  const textParagraph = (p: ComparedParagraph): Paragraph => {
    const children: Array<TextRun | InsertedTextRun | DeletedTextRun> = [];
    if (p.refBefore === p.refAfter) {
      if (p.refAfter) children.push(new TextRun(`${p.refAfter} `));
    } else {
      if (p.refBefore) children.push(deleted(`${p.refBefore} `, p.changedBy));
      if (p.refAfter) children.push(inserted(`${p.refAfter} `, p.changedBy));
    }
    for (const piece of p.pieces) {
      if (piece.kind === 'same') children.push(new TextRun(piece.text));
      else if (piece.kind === 'inserted') children.push(inserted(piece.text, piece.by));
      else children.push(deleted(piece.text, piece.by));
    }
    // A paragraph that came or went is a revision as a whole (its paragraph mark too), so accepting or rejecting leaves no empty line.
    const mark = { id: nextId++, author: authorName(p.changedBy.length ? p.changedBy : (p.pieces[0]?.by ?? [])), date };
    if (p.change === 'inserted') return new Paragraph({ children, run: { insertion: mark } });
    if (p.change === 'deleted') return new Paragraph({ children, run: { deletion: mark } });
    return new Paragraph({ children });
  };

  const notes = paragraphNotes(comparison.paragraphs);
  const document = new Document({
    title,
    description: comparisonLabel(comparison),
    creator: 'Negotiation drafting editor',
    styles: { default: { document: { run: { font: 'Times New Roman', size: 24 }, paragraph: { spacing: { after: 120 } } } } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
          new Paragraph({ children: [new TextRun({ text: comparisonLabel(comparison), bold: true })] }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Negotiation events')] }),
          ...(comparison.events.length ? comparison.events : [null]).map(
            (e) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(e ? `${e.ref ? `${e.ref}: ` : ''}${e.text}` : 'None.')] }),
          ),
          ...notes.map((note) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(note)] })),
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Text, with the changes tracked')] }),
          ...comparison.paragraphs.map(textParagraph),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
