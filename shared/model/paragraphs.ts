import * as Y from 'yjs';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR } from '../schema/negotiation.js';
import { BODY_FRAGMENT, FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR, TEXT_BLOCKS } from '../schema/ydoc.js';
import { ModelError } from './errors.js';

const textBlocks = new Set<string>(TEXT_BLOCKS);

/** A text block of the body (paragraph or heading, also inside lists), in document order. */
export type Block = {
  element: Y.XmlElement;
  id: string | null;
  /** The number as typed or imported: "1.2.3", "a)", "3". */
  num: string | null;
  /** How the room refers to it: "3.5", or "3.5 b)" for a lettered item under 3.5. */
  ref: string | null;
  /** The top-level section it belongs to ("3" for 3.5 b)), for grouping. */
  section: string | null;
};

const HIERARCHICAL = /^\d+(\.\d+)*\.?$/;

export function body(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY_FRAGMENT);
}

/** Every text block of the document, with its number and reference resolved. */
export function listBlocks(doc: Y.Doc): Block[] {
  const blocks: Block[] = [];
  let lastNumber: string | null = null;
  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (!textBlocks.has(child.nodeName)) {
        visit(child);
        continue;
      }
      const id = attr(child, BLOCK_ID_ATTR);
      const num = attr(child, BLOCK_NUM_ATTR);
      const indented = Number(child.getAttribute(BLOCK_INDENT_ATTR) ?? 0) > 0;
      let ref: string | null = null;
      if (num && HIERARCHICAL.test(num) && !indented) {
        lastNumber = num.replace(/\.$/, '');
        ref = lastNumber;
      } else if (num) {
        ref = lastNumber ? `${lastNumber} ${num}` : num;
      }
      blocks.push({ element: child, id, num, ref, section: lastNumber ? lastNumber.split('.')[0]! : null });
    }
  };
  visit(body(doc));
  return blocks;
}

function attr(element: Y.XmlElement, name: string): string | null {
  const value = element.getAttribute(name) as unknown;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function findBlock(doc: Y.Doc, paragraphId: string): Block | undefined {
  return listBlocks(doc).find((b) => b.id === paragraphId);
}

export function requireBlock(doc: Y.Doc, paragraphId: string): Block {
  const block = findBlock(doc, paragraphId);
  if (!block) throw new ModelError(`No paragraph with id ${paragraphId}`, 'not-found');
  return block;
}

/** Normalises "3.5 b)", "3.5b", "3.5(b)" and "3.5 B" to one form for lookups. */
function normaliseRef(ref: string): string {
  return ref.toLowerCase().replace(/[\s()]/g, '').replace(/\.$/, '');
}

/** The block the room means by "3.5 b)" (or "3.5"), if any. */
export function findBlockByRef(doc: Y.Doc, ref: string): Block | undefined {
  const wanted = normaliseRef(ref);
  if (!wanted) return undefined;
  return listBlocks(doc).find((b) => b.ref !== null && normaliseRef(b.ref) === wanted);
}

/** Number of text blocks (paragraphs and headings, also inside lists) in a body fragment. */
export function countParagraphs(fragment: Y.XmlFragment | Y.XmlElement): number {
  let count = 0;
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) {
      count += textBlocks.has(child.nodeName) ? 1 : countParagraphs(child);
    }
  }
  return count;
}

/**
 * The blocks the room counts as paragraphs in its figures ("12 of 150
 * paragraphs agreed"): paragraphs with text, not headings, title lines or
 * empty lines. In a numbered document (any paragraph has a number), only the
 * numbered paragraphs and their lettered items count: unnumbered lines there
 * are titles, headers and signatures.
 */
export function countedBlocks(blocks: readonly Block[]): Block[] {
  const paragraphs = blocks.filter((b) => b.id !== null && b.element.nodeName === 'paragraph' && blockText(b.element).trim().length > 0);
  return paragraphs.some((b) => b.num !== null) ? paragraphs.filter((b) => b.num !== null) : paragraphs;
}

/**
 * What an agreement records of a paragraph: its text, with each footnote's
 * text in place as `[^note]`, so a changed footnote is a changed paragraph.
 */
export function agreementText(element: Y.XmlElement): string {
  return textWith(element, (note) => `[^${note}]`);
}

/** Plain text of a block element (marks dropped), for lists, search and tests. */
export function blockText(element: Y.XmlElement | Y.XmlFragment): string {
  return textWith(element, () => '');
}

/** The characters of a block, each footnote as `footnote` writes it. */
function textWith(element: Y.XmlElement | Y.XmlFragment, footnote: (note: string) => string): string {
  let out = '';
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert: unknown }>) {
        if (typeof op.insert === 'string') out += op.insert;
      }
    } else if (child instanceof Y.XmlElement) {
      const note = child.nodeName === FOOTNOTE_NODE ? (child.getAttribute(FOOTNOTE_TEXT_ATTR) as unknown) : undefined;
      out += typeof note === 'string' ? footnote(note) : textWith(child, footnote);
    }
  }
  return out;
}
