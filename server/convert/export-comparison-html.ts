import type { ComparedParagraph, Comparison, NegotiationEvent } from '../../shared/schema/readings.js';
import { escapeHtml } from './export-html.js';
import { authorName, comparisonLabel, paragraphNotes } from './comparison-notes.js';

/**
 * The comparison as a standalone, print-friendly page: insertions underlined,
 * deletions struck through (both also coloured, so they read without colour
 * and on paper), each with its delegation in a title and after it in small
 * print, and the negotiation events listed first. No script, text escaped.
 */

const STYLE = `
body { font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.45; max-width: 46em; margin: 2em auto; padding: 0 1.5em; color: #111; }
h1 { font-size: 1.6em; margin: 0 0 .2em; } h2 { font-size: 1.2em; margin: 1.4em 0 .5em; }
.label { margin: 0 0 1em; font-weight: bold; }
ul.events { padding-left: 1.2em; } ul.events li { margin: .15em 0; }
.ref { font-weight: bold; }
a { color: inherit; }
p { margin: 0 0 .6em; }
ins { color: #14532d; background: #e7f6ec; text-decoration: underline; text-decoration-thickness: 2px; }
del { color: #991b1b; background: #fdeaea; text-decoration: line-through; }
.by { font-size: .75em; color: #444; vertical-align: super; }
.change { font-size: .8em; color: #444; font-style: italic; }
.legend { font-size: .9em; color: #333; }
@media print { body { margin: 0; max-width: none; } ins, del { background: none; } }
`;

export function comparisonHtml(comparison: Comparison, title: string): string {
  const events = comparison.events.length ? comparison.events.map(eventItem).join('\n') : '<li>None.</li>';
  const notes = paragraphNotes(comparison.paragraphs).map((n) => `<li>${escapeHtml(n)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} — ${escapeHtml(comparisonLabel(comparison))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="label">${escapeHtml(comparisonLabel(comparison))}</p>
<p class="legend"><ins>inserted text</ins> is underlined, <del>deleted text</del> is struck through; the delegation that made it follows each change, when known.</p>
<h2>Negotiation events</h2>
<ul class="events">
${events}
${notes}
</ul>
<h2>Text</h2>
${comparison.paragraphs.map(paragraphHtml).join('\n')}
</body>
</html>
`;
}

function eventItem(event: NegotiationEvent): string {
  const label = event.ref ? `<span class="ref">${escapeHtml(event.ref)}</span>` : '';
  // The paragraph's anchor below, so a reader goes from the event to the text.
  const ref = label && event.paragraphId ? `<a href="#p-${escapeHtml(event.paragraphId)}">${label}</a>: ` : label ? `${label}: ` : '';
  return `<li>${ref}${escapeHtml(event.text)}</li>`;
}

const CHANGE_WORDS: Partial<Record<ComparedParagraph['change'], string>> = { inserted: 'new paragraph', deleted: 'paragraph deleted', moved: 'moved' };

function paragraphHtml(p: ComparedParagraph): string {
  const ref =
    p.refBefore === p.refAfter
      ? p.refAfter
        ? `<span class="ref">${escapeHtml(p.refAfter)}</span> `
        : ''
      : `${p.refBefore ? `<del>${escapeHtml(p.refBefore)}</del> ` : ''}${p.refAfter ? `<ins>${escapeHtml(p.refAfter)}</ins> ` : ''}`;
  const text = p.pieces
    .map((piece) => {
      if (piece.kind === 'same') return escapeHtml(piece.text);
      const tag = piece.kind === 'inserted' ? 'ins' : 'del';
      const who = escapeHtml(authorName(piece.by));
      // An unknown author is said once, in the title, not after every change.
      const after = piece.by.length ? `<span class="by">${who}</span>` : '';
      return `<${tag} title="${who}">${escapeHtml(piece.text)}</${tag}>${after}`;
    })
    .join('');
  const status =
    p.statusBefore && p.statusAfter && p.statusBefore !== p.statusAfter ? ` <span class="change">(${escapeHtml(p.statusBefore)} → ${escapeHtml(p.statusAfter)})</span>` : '';
  const change = CHANGE_WORDS[p.change] ? ` <span class="change">(${CHANGE_WORDS[p.change]})</span>` : '';
  return `<p id="p-${escapeHtml(p.id)}">${ref}${text}${change}${status}</p>`;
}

