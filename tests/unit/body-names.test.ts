import fs from 'node:fs';
import path from 'node:path';
import { getSchema } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { initProseMirrorDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { draftExtensions } from '../../client/editor/extensions/index.js';
import { starterKit } from '../../client/editor/extensions/starter-kit.js';
import { importDocx } from '../../server/convert/docx.js';
import { importHtml } from '../../server/convert/html.js';
import type { ImportedContent } from '../../server/convert/import-model.js';
import { importMarkdown } from '../../server/convert/markdown.js';
import { importPlainText } from '../../server/convert/plain-text.js';
import { blockText } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR, BRACKET_MARK } from '../../shared/schema/negotiation.js';
import {
  BODY_FRAGMENT,
  BODY_NODES,
  BOLD_MARK,
  FOOTNOTE_NODE,
  FOOTNOTE_TEXT_ATTR,
  HEADING_LEVEL_ATTR,
  HEADING_LEVELS,
  HEADING_NODE,
  ITALIC_MARK,
  LINK_HREF_ATTR,
  LINK_MARK,
  ORDERED_LIST_NODE,
  ORDERED_LIST_START_ATTR,
  TEXT_BLOCKS,
  UNDERLINE_MARK,
} from '../../shared/schema/ydoc.js';
import { sampleWordDraft } from '../support/docx-fixtures.js';

/**
 * The editor deletes from the shared document every node and mark its schema
 * does not know, and drops attributes it does not declare, the next time the
 * block is edited. So every name an importer writes must be one the editor's
 * schema knows: a name changed on one side only would silently destroy
 * imported content. The schema is the client's own, built from its extension
 * list as the editor builds it.
 */

function editorSchema(): Schema {
  const ydoc = new Y.Doc();
  const user = { name: 'Test', color: '#000000', delegation: 'Egypt' };
  const none = () => {};
  // The caret extension only keeps the provider for later: no connection is made to build a schema.
  return getSchema(
    draftExtensions({
      ydoc,
      provider: {} as never,
      user,
      identity: { name: user.name, delegation: user.delegation },
      role: 'chair',
      onNotice: none,
      onSelectGroup: none,
      onOpenThreads: none,
      onOpenResolutions: none,
    }),
  );
}

const MARKDOWN = `# 1 Introduction

## Background

### Details

1.1\tThe Group **shall** review the *ITRs* <u>every year</u>.[^1] See [the site](https://www.itu.int/).
Second line\\
after a hard break.

&emsp;a)\tfirst lettered item

3. third
4. fourth
   - nested bullet

- bullet

[^1]: Resolution 146.
`;

const HTML = `<h1>Introduction</h1><h2>Background</h2><h3>Details</h3>
<p>1.1\tThe Group <strong>shall</strong> review the <em>ITRs</em> <u>every year</u>.<sup><a href="#footnote-1" id="footnote-ref-1">1</a></sup>
See <a href="https://www.itu.int/">the site</a>.<br>After a line break.</p>
<ol start="3"><li><p>third</p><ul><li>nested</li></ul></li></ol>
<section class="footnotes"><ol><li id="footnote-1"><p>Resolution 146. <a href="#footnote-ref-1">↑</a></p></li></ol></section>`;

const TEXT = '1\tIntroduction\n1.1\tThe Group shall review the ITRs.[footnoteRef:1]\n\ta)\tfirst lettered item\n\tComment by Jane Doe (Egypt): Why?\n\n[1: Resolution 146.]\n';

async function imports(): Promise<Array<[string, ImportedContent]>> {
  const seeds = path.resolve('seeds');
  const seedFiles = fs.readdirSync(seeds).filter((f) => f.endsWith('.txt'));
  return [
    ['markdown', importMarkdown(MARKDOWN)],
    ['html', importHtml(HTML)],
    ['plain text', importPlainText(TEXT)],
    ['docx', await importDocx(await sampleWordDraft())],
    ...seedFiles.map((f): [string, ImportedContent] => [`seed ${f}`, importPlainText(fs.readFileSync(path.join(seeds, f), 'utf8'))]),
  ];
}

type Names = { nodes: Map<string, Set<string>>; marks: Map<string, Set<string>> };

/** Every element name with its attribute names, and every mark with its attribute names, in a body. */
function namesIn(fragment: Y.XmlFragment): Names {
  const names: Names = { nodes: new Map(), marks: new Map() };
  const add = (map: Map<string, Set<string>>, name: string, keys: string[]) => {
    const set = map.get(name) ?? new Set<string>();
    for (const key of keys) set.add(key);
    map.set(name, set);
  };
  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlElement) {
        add(names.nodes, child.nodeName, Object.keys(child.getAttributes()));
        visit(child);
      } else if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ attributes?: Record<string, unknown> }>) {
          for (const [mark, value] of Object.entries(op.attributes ?? {})) {
            add(names.marks, mark, value && typeof value === 'object' ? Object.keys(value) : []);
          }
        }
      }
    }
  };
  visit(fragment);
  return names;
}

function bodyOf(content: ImportedContent): Y.XmlFragment {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, content.update);
  return doc.getXmlFragment(BODY_FRAGMENT);
}

describe('every name the importers write is one the editor knows', () => {
  const schema = editorSchema();

  it('knows every declared body node, attribute and mark', () => {
    for (const name of [...BODY_NODES, ...TEXT_BLOCKS]) expect(schema.nodes[name], name).toBeDefined();
    for (const block of TEXT_BLOCKS) {
      expect(Object.keys(schema.nodes[block]!.spec.attrs ?? {}), block).toEqual(expect.arrayContaining([BLOCK_ID_ATTR, BLOCK_NUM_ATTR, BLOCK_INDENT_ATTR]));
    }
    expect(Object.keys(schema.nodes[HEADING_NODE]!.spec.attrs ?? {})).toContain(HEADING_LEVEL_ATTR);
    expect(schema.nodes[HEADING_NODE]!.spec.attrs?.[HEADING_LEVEL_ATTR]).toBeDefined();
    expect(Object.keys(schema.nodes[ORDERED_LIST_NODE]!.spec.attrs ?? {})).toContain(ORDERED_LIST_START_ATTR);
    expect(Object.keys(schema.nodes[FOOTNOTE_NODE]!.spec.attrs ?? {})).toContain(FOOTNOTE_TEXT_ATTR);
    for (const mark of [BOLD_MARK, ITALIC_MARK, UNDERLINE_MARK, LINK_MARK, BRACKET_MARK]) expect(schema.marks[mark], mark).toBeDefined();
    expect(Object.keys(schema.marks[LINK_MARK]!.spec.attrs ?? {})).toContain(LINK_HREF_ATTR);
    // The footnote is an inline atom: its text lives in the attribute, not in content the editor could edit away.
    expect(schema.nodes[FOOTNOTE_NODE]!.isInline && schema.nodes[FOOTNOTE_NODE]!.isAtom).toBe(true);
  });

  it('every node, attribute and mark the importers produce is in the editor schema', async () => {
    const all: Names = { nodes: new Map(), marks: new Map() };
    for (const [source, content] of await imports()) {
      const names = namesIn(bodyOf(content));
      for (const [node, attrs] of names.nodes) {
        const type = schema.nodes[node];
        expect(type, `${source}: node ${node}`).toBeDefined();
        for (const attr of attrs) expect(type!.spec.attrs?.[attr], `${source}: attribute ${attr} of ${node}`).toBeDefined();
        all.nodes.set(node, new Set([...(all.nodes.get(node) ?? []), ...attrs]));
      }
      for (const [mark, attrs] of names.marks) {
        const type = schema.marks[mark];
        expect(type, `${source}: mark ${mark}`).toBeDefined();
        for (const attr of attrs) expect(type!.spec.attrs?.[attr], `${source}: attribute ${attr} of mark ${mark}`).toBeDefined();
        all.marks.set(mark, new Set([...(all.marks.get(mark) ?? []), ...attrs]));
      }
    }
    // The samples exercise every name, so the check above covers them all.
    expect([...all.nodes.keys()].sort()).toEqual([...BODY_NODES].sort());
    expect([...all.marks.keys()].sort()).toEqual([BOLD_MARK, ITALIC_MARK, LINK_MARK, UNDERLINE_MARK].sort());
    expect([...all.nodes.get(HEADING_NODE)!]).toEqual(expect.arrayContaining([BLOCK_ID_ATTR, BLOCK_NUM_ATTR, HEADING_LEVEL_ATTR]));
    expect([...all.nodes.get(FOOTNOTE_NODE)!]).toEqual([FOOTNOTE_TEXT_ATTR]);
  });

  it('the editor loads every import without deleting or changing anything', async () => {
    for (const [source, content] of await imports()) {
      const fragment = bodyOf(content);
      const before = fragment.toJSON();
      let deleted = false;
      // The editor's binding deletes what it cannot represent from the Y document itself.
      fragment.doc!.on('update', () => (deleted = true));
      const { doc } = initProseMirrorDoc(fragment, schema);
      expect(deleted, source).toBe(false);
      expect(fragment.toJSON(), source).toBe(before);
      expect(sameContent(fragment, doc), source).toEqual([]);
    }
  });

  it('offers the heading levels the importers write and the exports read', () => {
    const heading = (starterKit.options as { heading?: { levels?: number[] } }).heading;
    expect(heading?.levels).toEqual([...HEADING_LEVELS]);
  });
});

/**
 * Differences between a Y body and the ProseMirror document the editor made
 * of it: elements matched in order, with their names, the attributes the
 * import wrote, and the text of each block.
 */
function sameContent(y: Y.XmlFragment | Y.XmlElement, pm: PMNode, where = 'body'): string[] {
  const problems: string[] = [];
  const yChildren = y.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
  const pmChildren: PMNode[] = [];
  pm.forEach((child) => {
    if (!child.isText) pmChildren.push(child);
  });
  if (yChildren.length !== pmChildren.length) return [`${where}: ${yChildren.length} elements, the editor has ${pmChildren.length}`];
  yChildren.forEach((el, i) => {
    const node = pmChildren[i]!;
    const at = `${where}/${el.nodeName}[${i}]`;
    if (node.type.name !== el.nodeName) problems.push(`${at}: the editor made a ${node.type.name}`);
    for (const [key, value] of Object.entries(el.getAttributes())) {
      if (node.attrs[key] !== value) problems.push(`${at}: attribute ${key} ${JSON.stringify(value)} became ${JSON.stringify(node.attrs[key])}`);
    }
    if (node.isTextblock && blockText(el) !== node.textContent) problems.push(`${at}: text ${JSON.stringify(blockText(el))} became ${JSON.stringify(node.textContent)}`);
    problems.push(...sameContent(el, node, at));
  });
  return problems;
}
