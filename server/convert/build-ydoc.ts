import * as Y from 'yjs';
import { addThread, reply } from '../../shared/model/comments.js';
import { newId } from '../../shared/model/ids.js';
import { countParagraphs } from '../../shared/model/paragraphs.js';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR, type Actor } from '../../shared/schema/negotiation.js';
import {
  BODY_FRAGMENT,
  BOLD_MARK,
  BULLET_LIST_NODE,
  FOOTNOTE_NODE,
  FOOTNOTE_TEXT_ATTR,
  HARD_BREAK_NODE,
  HEADING_LEVEL_ATTR,
  HEADING_NODE,
  ITALIC_MARK,
  LINK_HREF_ATTR,
  LINK_MARK,
  LIST_ITEM_NODE,
  MAX_HEADING_LEVEL,
  ORDERED_LIST_NODE,
  PARAGRAPH_NODE,
  UNDERLINE_MARK,
} from '../../shared/schema/ydoc.js';
import type { ImportBlock, ImportedContent, ImportedThread, Inline, Marks, TextBlock } from './import-model.js';

// Every node, attribute and mark name written here is the editor's (shared/schema/ydoc.ts):
// the editor deletes what its schema does not know (tests/unit/body-names.test.ts checks).

/** Imported comments come from the file, not from a delegation in the room. */
const ORIGINAL_DOCUMENT = 'Original document';
const MAX_NAME = 80;
const MAX_COMMENT = 10_000;

type PendingThread = { paragraphId: string; thread: ImportedThread };

/** Builds a fresh Y.Doc from imported blocks and encodes it as one update. */
export function buildDocument(blocks: ImportBlock[], warnings: string[] = []): ImportedContent {
  const doc = new Y.Doc();
  const threads: PendingThread[] = [];
  const fragment = doc.getXmlFragment(BODY_FRAGMENT);
  doc.transact(() => {
    fragment.insert(0, blocks.map((block) => element(block, threads)));
    for (const { paragraphId, thread } of threads) addImportedThread(doc, paragraphId, thread);
  });
  return { update: Y.encodeStateAsUpdate(doc), paragraphCount: countParagraphs(fragment), warnings };
}

function element(block: ImportBlock, threads: PendingThread[]): Y.XmlElement {
  if (block.kind === 'list') {
    const list = new Y.XmlElement(block.ordered ? ORDERED_LIST_NODE : BULLET_LIST_NODE);
    list.insert(
      0,
      block.items.map((item) => {
        const listItem = new Y.XmlElement(LIST_ITEM_NODE);
        // ProseMirror's listItem must start with a paragraph.
        const content = item[0]?.kind === 'paragraph' ? item : [{ kind: 'paragraph', inlines: [] } as TextBlock, ...item];
        listItem.insert(0, content.map((child) => element(child, threads)));
        return listItem;
      }),
    );
    return list;
  }
  const id = newId();
  const el = new Y.XmlElement(block.kind === 'heading' ? HEADING_NODE : PARAGRAPH_NODE);
  el.setAttribute(BLOCK_ID_ATTR, id);
  // Numbers, not strings: what TipTap writes for these attributes.
  if (block.kind === 'heading') el.setAttribute(HEADING_LEVEL_ATTR, clampLevel(block.level) as unknown as string);
  if (block.num) el.setAttribute(BLOCK_NUM_ATTR, block.num);
  if (block.indent && block.kind === 'paragraph') el.setAttribute(BLOCK_INDENT_ATTR, block.indent as unknown as string);
  el.insert(0, inlineChildren(block.inlines));
  for (const thread of block.threads ?? []) threads.push({ paragraphId: id, thread });
  return el;
}

function clampLevel(level: number | undefined): number {
  return Math.min(MAX_HEADING_LEVEL, Math.max(1, level ?? 1));
}

/** Text runs go into Y.XmlText; footnotes and line breaks are elements between them, as y-tiptap stores inline nodes. */
function inlineChildren(inlines: Inline[]): Array<Y.XmlText | Y.XmlElement> {
  const children: Array<Y.XmlText | Y.XmlElement> = [];
  let current: Y.XmlText | null = null;
  let length = 0;
  for (const inline of inlines) {
    if (inline.kind === 'text') {
      if (!current) {
        current = new Y.XmlText();
        length = 0;
        children.push(current);
      }
      current.insert(length, inline.text, markAttributes(inline.marks));
      length += inline.text.length;
      continue;
    }
    current = null;
    if (inline.kind === 'footnote') {
      const note = new Y.XmlElement(FOOTNOTE_NODE);
      note.setAttribute(FOOTNOTE_TEXT_ATTR, inline.text);
      children.push(note);
    } else {
      children.push(new Y.XmlElement(HARD_BREAK_NODE));
    }
  }
  // An empty block still holds one (empty) text, like the paragraphs TipTap creates.
  if (children.length === 0) children.push(new Y.XmlText());
  return children;
}

function markAttributes(marks: Marks): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  if (marks.bold) attrs[BOLD_MARK] = {};
  if (marks.italic) attrs[ITALIC_MARK] = {};
  if (marks.underline) attrs[UNDERLINE_MARK] = {};
  if (marks.link) attrs[LINK_MARK] = { [LINK_HREF_ATTR]: marks.link };
  return attrs;
}

function addImportedThread(doc: Y.Doc, paragraphId: string, thread: ImportedThread): void {
  const messages = thread
    .map((m) => ({ actor: actorOf(m.author), text: m.text.trim().slice(0, MAX_COMMENT) }))
    .filter((m) => m.text.length > 0);
  const [first, ...replies] = messages;
  if (!first) return;
  const { threadId } = addThread(doc, { paragraphId, text: first.text, actor: first.actor });
  for (const r of replies) reply(doc, { threadId, text: r.text, actor: r.actor });
}

/** "Name (Delegation)" as our exports write it; any other name is the original document's reviewer. */
function actorOf(author: string): Actor {
  const attributed = /^(.+?) \(([^()]+)\)$/.exec(author.trim());
  const name = (attributed ? attributed[1]! : author).trim().slice(0, MAX_NAME) || 'Reviewer';
  const delegation = (attributed ? attributed[2]! : ORIGINAL_DOCUMENT).trim().slice(0, MAX_NAME) || ORIGINAL_DOCUMENT;
  return { name, delegation };
}
