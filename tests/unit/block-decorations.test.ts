import fc from 'fast-check';
import { Fragment, type Node as PMNode, Schema } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { Decoration, type DecorationSet } from '@tiptap/pm/view';
import { describe, expect, it } from 'vitest';
import { decorateAll, diffBlocks, redecorateChanged, redecorateIds, type BlockDecorator } from '../../client/editor/block-decorations.js';

/**
 * The editor's per-paragraph decorations are updated from what changed
 * (client/editor/block-decorations.ts); whatever the change, local steps or
 * the Yjs binding's whole-document replacement, the result must be what
 * drawing the whole document afresh gives.
 */

const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: { group: 'block', content: 'text*', attrs: { id: { default: null } } },
    bulletList: { group: 'block', content: 'listItem+' },
    listItem: { content: 'paragraph+' },
    text: {},
  },
});

const para = (id: string, text: string) => schema.nodes.paragraph!.create({ id }, text ? schema.text(text) : null);
const list = (...items: PMNode[]) => schema.nodes.bulletList!.create(null, items.map((p) => schema.nodes.listItem!.create(null, p)));

/** A status on some paragraphs (node decoration) and a marker at the end of each (widget), as the plugins draw them. */
function decorator(marked: ReadonlySet<string>): BlockDecorator {
  return (node, pos, id) => {
    if (!id) return [];
    const widget = Decoration.widget(pos + node.nodeSize - 1, () => document.createElement('span'), { key: `end:${id}` });
    return marked.has(id) ? [Decoration.node(pos, pos + node.nodeSize, { class: 'marked' }), widget] : [widget];
  };
}

/** A set's decorations as plain, comparable facts. */
function facts(set: DecorationSet): string[] {
  return set
    .find()
    .map((d) => `${d.from}-${d.to}:${(d.spec as { key?: string }).key ?? ''}`)
    .sort();
}

const ids = fc.array(fc.stringMatching(/^[a-z]{1,3}$/), { minLength: 1, maxLength: 12 });

function childrenOf(doc: PMNode): PMNode[] {
  const blocks: PMNode[] = [];
  doc.forEach((b) => {
    blocks.push(b);
  });
  return blocks;
}

function docOf(names: string[]): PMNode {
  const blocks = names.map((name, i) => (i % 5 === 4 ? list(para(`${name}${i}`, name)) : para(`${name}${i}`, `text of ${name}`)));
  return schema.nodes.doc!.create(null, blocks);
}

type Change =
  | { kind: 'type'; at: number; text: string }
  | { kind: 'split'; at: number }
  | { kind: 'remove'; block: number }
  | { kind: 'insert'; block: number; id: string }
  | { kind: 'rebuild'; block: number; text: string };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(400), text: fc.stringMatching(/^[a-z ]{1,5}$/) }),
  fc.record({ kind: fc.constant('split' as const), at: fc.nat(400) }),
  fc.record({ kind: fc.constant('remove' as const), block: fc.nat(20) }),
  fc.record({ kind: fc.constant('insert' as const), block: fc.nat(20), id: fc.stringMatching(/^[a-z]{2}$/) }),
  fc.record({ kind: fc.constant('rebuild' as const), block: fc.nat(20), text: fc.stringMatching(/^[a-z ]{0,6}$/) }),
);

/** A change as a ProseMirror transaction (local typing) or, for `rebuild`, a new document reusing the untouched blocks (the Yjs binding). */
function applyChange(doc: PMNode, c: Change): PMNode {
  const blocks = childrenOf(doc);
  switch (c.kind) {
    case 'type':
    case 'split': {
      const state = EditorState.create({ doc });
      const pos = Math.min(c.at, doc.content.size);
      const $pos = doc.resolve(pos);
      if (!$pos.parent.isTextblock) return doc;
      const tr = state.tr.setSelection(TextSelection.create(doc, pos));
      if (c.kind === 'type') tr.insertText(c.text);
      else tr.split(pos, 1, [{ type: schema.nodes.paragraph!, attrs: { id: null } }]);
      return tr.doc;
    }
    case 'remove':
      if (blocks.length > 1) blocks.splice(c.block % blocks.length, 1);
      return schema.nodes.doc!.create(null, Fragment.from(blocks));
    case 'insert':
      blocks.splice(c.block % (blocks.length + 1), 0, para(c.id, 'inserted'));
      return schema.nodes.doc!.create(null, Fragment.from(blocks));
    case 'rebuild': {
      const i = c.block % blocks.length;
      const old = blocks[i]!;
      if (old.type === schema.nodes.paragraph) blocks[i] = para(old.attrs.id as string, c.text);
      return schema.nodes.doc!.create(null, Fragment.from(blocks));
    }
  }
}

describe('per-paragraph decorations updated from what changed', () => {
  it('read the same as decorations drawn afresh, after any sequence of changes', () => {
    fc.assert(
      fc.property(ids, fc.array(change, { minLength: 1, maxLength: 15 }), fc.array(fc.nat(20)), (names, changes, markedAt) => {
        let doc = docOf(names);
        const marked = new Set<string>();
        let set = decorateAll(doc, decorator(marked));
        for (const c of changes) {
          const next = applyChange(doc, c);
          const diff = diffBlocks(doc, next);
          if (diff) set = redecorateChanged(set, diff, next, decorator(marked));
          doc = next;
          expect(facts(set)).toEqual(facts(decorateAll(doc, decorator(marked))));
        }
        // What they show changed (a status), not the text: only those paragraphs are drawn again.
        const all: string[] = [];
        doc.descendants((node) => {
          if (node.isTextblock && node.attrs.id) all.push(node.attrs.id as string);
          return !node.isTextblock;
        });
        const changed = new Set(markedAt.map((i) => all[i % all.length]!).filter(Boolean));
        for (const id of changed) marked.add(id);
        set = redecorateIds(set, doc, changed, decorator(marked));
        expect(facts(set)).toEqual(facts(decorateAll(doc, decorator(marked))));
      }),
      { numRuns: 200 },
    );
  });

  it('finds only the changed paragraph when a remote change replaces the whole document', () => {
    const doc = docOf(['a', 'b', 'c', 'd', 'e', 'f']);
    const blocks = childrenOf(doc);
    blocks[2] = para('c2', 'text of c, edited elsewhere');
    const diff = diffBlocks(doc, schema.nodes.doc!.create(null, Fragment.from(blocks)))!;
    expect(diff.after.map(({ node }) => node.attrs.id)).toEqual(['c2']);
    expect(diffBlocks(doc, schema.nodes.doc!.create(null, doc.content))).toBeNull();
  });
});
