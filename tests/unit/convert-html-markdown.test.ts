import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importHtml } from '../../server/convert/html.js';
import { importMarkdown } from '../../server/convert/markdown.js';
import { listThreads } from '../../shared/model/comments.js';
import { blockText, listBlocks } from '../../shared/model/paragraphs.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

const load = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
};
/** The body without ids: element names (lower-cased by Yjs), attributes and marks. */
const body = (doc: Y.Doc) => doc.getXmlFragment(BODY_FRAGMENT).toString().replace(/ id="[^"]*"/g, '');
const texts = (doc: Y.Doc) => listBlocks(doc).map((b) => blockText(b.element));

describe('HTML import', () => {
  const hostile = `<!DOCTYPE html><html><head><title>Page title</title>
    <script>document.cookie</script><style>p { color: red }</style>
    <meta http-equiv="refresh" content="0;url=https://evil.example"></head>
    <body onload="steal()">
    <p onclick="steal()" style="x" class="y">Safe <a href="javascript:steal()">js link</a>, <a href="data:text/html,x">data link</a>,
      <a href="https://www.itu.int/en/" onmouseover="steal()">ITU</a> and <a href="mailto:sec@itu.int">mail</a>.</p>
    <iframe src="https://evil.example"></iframe><object data="x.swf">fallback</object>
    <img src="x" onerror="steal()"><svg><script>steal()</script><text>svg text</text></svg>
    <template><p>hidden template</p></template><noscript>no script text</noscript>
    <form action="https://evil.example"><input value="typed"><button>Go</button><textarea>area</textarea></form>
    </body></html>`;

  it('keeps text and safe links only: no script, style, handler, form or javascript: link survives', () => {
    const result = importHtml(hostile);
    const doc = load(result.update);
    const xml = body(doc);
    expect(texts(doc)).toEqual(['Safe js link, data link, ITU and mail.']);
    expect(xml).toContain('<link href="https://www.itu.int/en/">ITU</link>');
    expect(xml).toContain('<link href="mailto:sec@itu.int">mail</link>');
    for (const bad of ['steal', 'javascript', 'data:', 'cookie', 'color: red', 'evil', 'svg text', 'hidden template', 'no script', 'typed', 'area', 'Page title', 'onclick', 'style']) {
      expect(xml).not.toContain(bad);
    }
    expect(result.warnings).toEqual(['1 image(s) were left out: the editor holds text only.']);
  });

  it('maps headings, typed numbers, indentation, lists and marks to the block model', () => {
    const doc = load(
      importHtml(`<h1>1\tIntroduction</h1><h4>Deep heading</h4>
        <p>1.1\tThe <strong>Group</strong> <em>shall</em> <u>review</u> <b><i>both</i></b>.</p>
        <p>\ta)\tfirst item<br>second line</p>
        <p data-num="3.5" data-indent="2"><span class="num">3.5</span>By attributes</p>
        <ul><li>one</li><li><p>two</p><ol><li>nested</li></ol></li></ul>
        <div>loose <span>text</span></div>`).update,
    );
    expect(body(doc)).toBe(
      '<heading level="1" num="1">Introduction</heading>' +
        '<heading level="3">Deep heading</heading>' +
        '<paragraph num="1.1">The <bold>Group</bold> <italic>shall</italic> <underline>review</underline> <bold><italic>both</italic></bold>.</paragraph>' +
        '<paragraph indent="1" num="a)">first item<hardbreak></hardbreak>second line</paragraph>' +
        '<paragraph indent="2" num="3.5">By attributes</paragraph>' +
        '<bulletlist><listitem><paragraph>one</paragraph></listitem><listitem><paragraph>two</paragraph>' +
        '<orderedlist><listitem><paragraph>nested</paragraph></listitem></orderedlist></listitem></bulletlist>' +
        '<paragraph>loose text</paragraph>',
    );
  });

  it('reads footnotes and comments the way mammoth writes them', () => {
    const doc = load(
      importHtml(
        `<p>Text<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> more<sup><a href="#comment-0" id="comment-ref-0">[SS1]</a></sup></p>
         <ol><li id="footnote-1"><p>The note. <a href="#footnote-ref-1">↑</a></p></li></ol>
         <dl><dt id="comment-0">Comment [SS1]</dt><dd><p>Please check <a href="#comment-ref-0">↑</a></p></dd></dl>`,
        { commentAuthors: new Map([['0', 'Shahira Selim']]) },
      ).update,
    );
    expect(body(doc)).toBe('<paragraph>Text<footnote text="The note."></footnote> more</paragraph>');
    expect(listThreads(doc).map((t) => t.messages.map((m) => [m.author.name, m.text]))).toEqual([[['Shahira Selim', 'Please check']]]);
  });

  it('imports a table as one paragraph per row, cells separated by TAB, and says so', () => {
    const result = importHtml('<table><tr><th>Region</th><th>Vice-Chair</th></tr><tbody><tr><td><p>Africa</p></td><td>Mr Kouakou</td></tr></tbody></table>');
    expect(texts(load(result.update))).toEqual(['Region\tVice-Chair', 'Africa\tMr Kouakou']);
    expect(result.warnings).toEqual(['1 table(s) were imported as one paragraph per row, cells separated by TAB.']);
  });
});

describe('Markdown import', () => {
  it('reads headings, numbered paragraphs, emphasis, links, lists, tables and footnotes', () => {
    const result = importMarkdown(
      [
        '# Draft report',
        '',
        '## 1.1\tIntroduction',
        '',
        '1.1.1\tThe **Group** *shall* <u>review</u> the [ITRs](https://www.itu.int/itrs) [now](javascript:alert(1))[^a].',
        'It meets in Geneva.',
        '',
        '&emsp;a)\tsub item with snake_case_name',
        '',
        '- first',
        '- second',
        '  - nested',
        '',
        '1. one',
        '2. two',
        '',
        '| Region | Chair |',
        '| --- | --- |',
        '| Africa | Mr K |',
        '',
        '2012 was a year, and 1\\. is escaped.',
        '',
        '[^a]: The note,',
        '  on two lines.',
      ].join('\n'),
    );
    const doc = load(result.update);
    expect(result.warnings).toEqual([]);
    expect(body(doc)).toBe(
      '<heading level="1">Draft report</heading>' +
        '<heading level="2" num="1.1">Introduction</heading>' +
        '<paragraph num="1.1.1">The <bold>Group</bold> <italic>shall</italic> <underline>review</underline> the ' +
        '<link href="https://www.itu.int/itrs">ITRs</link> now<footnote text="The note, on two lines."></footnote>. It meets in Geneva.</paragraph>' +
        '<paragraph indent="1" num="a)">sub item with snake_case_name</paragraph>' +
        '<bulletlist><listitem><paragraph>first</paragraph></listitem><listitem><paragraph>second</paragraph>' +
        '<bulletlist><listitem><paragraph>nested</paragraph></listitem></bulletlist></listitem></bulletlist>' +
        '<orderedlist><listitem><paragraph>one</paragraph></listitem><listitem><paragraph>two</paragraph></listitem></orderedlist>' +
        '<paragraph>Region\tChair</paragraph><paragraph>Africa\tMr K</paragraph>' +
        '<paragraph>2012 was a year, and 1. is escaped.</paragraph>',
    );
  });

  it('attaches "> Comment by" lines to the paragraph above and keeps raw HTML as visible text', () => {
    const doc = load(
      importMarkdown('3.5\tText\n\n> Comment by Amina Hassan (Egypt): Why?\n> Reply by John Smith (United States): Because\n\n<script>alert(1)</script>\n').update,
    );
    expect(texts(doc)).toEqual(['Text', '<script>alert(1)</script>']);
    expect(listThreads(doc).map((t) => t.messages.map((m) => [m.author.delegation, m.text]))).toEqual([
      [
        ['Egypt', 'Why?'],
        ['United States', 'Because'],
      ],
    ]);
  });
});
