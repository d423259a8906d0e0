import { bracketWords, OMITTED_TEXT } from '../../shared/model/agreed-text.js';
import type { ThreadView } from '../../shared/model/comments.js';
import { authorOf, bracketText, formatDate, liveMessages, ListTracker, type ListEvent } from './export-layout.js';
import type { ExportBlock, ExportDocument, ExportInline } from './export-model.js';

/**
 * A standalone HTML page: no script, no external resource, every piece of
 * text escaped, so it is safe in the editor's sandboxed preview and readable
 * in any browser. Footnotes and comment markup follow what the HTML importer
 * reads back (`#footnote-N` links to `<li id="footnote-N">`); an open
 * bracket's note is one of those footnotes. A paragraph of a draft that is not
 * agreed carries its label, in a colour of its own, and the class `not-agreed`.
 */

const STYLE = `
body { font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.4; max-width: 46em; margin: 2em auto; padding: 0 1.5em; color: #111; }
.title-block { border-bottom: 1px solid #999; margin-bottom: 1.5em; padding-bottom: .75em; }
.doc-title { font-size: 1.6em; font-weight: bold; margin: 0 0 .3em; }
.doc-version { font-size: 1.1em; margin: 0; }
.doc-date { color: #444; margin: .2em 0 0; }
.notice { font-weight: bold; margin: .75em 0 0; }
h1, h2, h3 { margin: 1.2em 0 .5em; }
p { margin: 0 0 .6em; }
[data-num] { padding-left: 3.5em; text-indent: -3.5em; }
.num { display: inline-block; min-width: 3.5em; text-indent: 0; }
[data-indent="1"] { margin-left: 2em; } [data-indent="2"] { margin-left: 4em; } [data-indent="3"] { margin-left: 6em; }
.bracket { background: #fff4d6; }
.omitted { background: #eee; color: #555; }
.status { color: #555; font-style: italic; }
.flag { color: #9a3412; font-style: italic; font-weight: bold; }
.comments { margin: -.3em 0 .8em 3.5em; padding: .3em .8em; border-left: 3px solid #c9d7ee; background: #f5f8fd; font-size: .9em; }
.comments ul { margin: 0; padding-left: 1.2em; }
.footnotes { border-top: 1px solid #999; margin-top: 2em; font-size: .9em; }
`;

export function exportHtml(doc: ExportDocument): string {
  const notes: string[] = [];
  const body: string[] = [];
  const lists = new ListTracker();
  for (const block of doc.blocks) {
    body.push(...lists.enter(block.list).map(listTag));
    body.push(blockHtml(block, notes));
    if (block.threads.length) body.push(commentsHtml(block.threads));
  }
  body.push(...lists.finish().map(listTag));
  if (doc.orphanThreads.length) body.push('<h2>Comments on paragraphs that were deleted</h2>', commentsHtml(doc.orphanThreads));
  const footnotes = notes.length
    ? `<section class="footnotes"><ol>${notes
        .map((n, i) => `<li id="footnote-${i + 1}"><p>${escapeHtml(n)} <a href="#footnote-ref-${i + 1}">↑</a></p></li>`)
        .join('')}</ol></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(doc.title)} — ${escapeHtml(doc.versionLabel)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="title-block">
<p class="doc-title">${escapeHtml(doc.title)}</p>
<p class="doc-version">${escapeHtml(doc.versionLabel)}</p>
<p class="doc-date">${escapeHtml(formatDate(doc.date))}</p>
${doc.notices.map((n) => `<p class="notice">${escapeHtml(n)}</p>`).join('\n')}
</header>
<main>
${body.join('\n')}
</main>
${footnotes}
</body>
</html>
`;
}

function listTag(event: ListEvent): string {
  const tag = 'ordered' in event && event.ordered ? 'ol' : 'ul';
  if (event.kind === 'open') return event.ordered && event.start !== 1 ? `<ol start="${event.start}">` : `<${tag}>`;
  if (event.kind === 'close') return `</${tag}>`;
  return event.kind === 'item-open' ? '<li>' : '</li>';
}

function blockHtml(block: ExportBlock, notes: string[]): string {
  const tag = block.kind === 'heading' ? `h${block.level}` : 'p';
  const attrs = [
    block.flag ? ' class="not-agreed"' : '',
    block.num ? ` data-num="${escapeHtml(block.num)}"` : '',
    block.indent && !block.list ? ` data-indent="${block.indent}"` : '',
  ].join('');
  const num = block.num ? `<span class="num">${escapeHtml(block.num)}</span>` : '';
  const flag = block.flag ? `<span class="flag">${escapeHtml(block.flag)}</span> ` : '';
  const status = block.statusLabel ? ` <span class="status">${escapeHtml(block.statusLabel)}</span>` : '';
  return `<${tag}${attrs}>${num}${flag}${inlinesHtml(block.inlines, notes)}${status}</${tag}>`;
}

/** A footnote reference, its text kept for the list at the end. */
function noteRef(text: string, notes: string[]): string {
  notes.push(text);
  const n = notes.length;
  return `<sup class="footnote-ref"><a href="#footnote-${n}" id="footnote-ref-${n}">${n}</a></sup>`;
}

function inlinesHtml(inlines: ExportInline[], notes: string[]): string {
  return inlines
    .map((i) => {
      if (i.kind === 'break') return '<br>';
      if (i.kind === 'footnote') return noteRef(i.text, notes);
      if (i.kind === 'omitted') {
        const { lead, trail } = bracketWords(i.group);
        return `${escapeHtml(lead)}<span class="omitted">${escapeHtml(OMITTED_TEXT)}</span>${escapeHtml(trail)}`;
      }
      if (i.kind === 'open') {
        const bracket = bracketText(i.group);
        return `<span class="bracket">${escapeHtml(bracket.text)}</span>${noteRef(bracket.note, notes)}`;
      }
      let html = escapeHtml(i.text);
      if (i.marks.bold) html = `<strong>${html}</strong>`;
      if (i.marks.italic) html = `<em>${html}</em>`;
      if (i.marks.underline) html = `<u>${html}</u>`;
      if (i.marks.link && /^(https?|mailto):/i.test(i.marks.link)) html = `<a href="${escapeHtml(i.marks.link)}">${html}</a>`;
      return html;
    })
    .join('');
}

function commentsHtml(threads: ThreadView[]): string {
  const items = threads
    .map((thread) => {
      const [first, ...replies] = liveMessages(thread);
      if (!first) return '';
      const resolved = thread.status === 'resolved' ? ' <em>(resolved)</em>' : '';
      const more = replies.length ? `<ul>${replies.map((m) => `<li>${message(m)}</li>`).join('')}</ul>` : '';
      return `<li>${message(first)}${resolved}${more}</li>`;
    })
    .join('');
  return `<aside class="comments"><ul>${items}</ul></aside>`;
}

function message(m: ThreadView['messages'][number]): string {
  return `<strong>${escapeHtml(authorOf(m))}</strong>: ${escapeHtml(m.text)}`;
}

/** Text as HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
