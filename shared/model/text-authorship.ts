import * as Y from 'yjs';
import { FOOTNOTE_NODE, FOOTNOTE_TEXT_ATTR } from '../schema/ydoc.js';

/**
 * Who typed each character of a block since an earlier state: the text of
 * agreementText (footnotes in place as `[^note]`), with, per run, the Yjs
 * client id that wrote it when that was after the earlier state (null for
 * characters the earlier state already had). A Yjs item belongs to the
 * earlier state when its clock is below that state's vector for its client.
 */
export type AuthoredRun = { text: string; client: number | null };

export function authoredRuns(element: Y.XmlElement, since: ReadonlyMap<number, number>): AuthoredRun[] {
  const runs: AuthoredRun[] = [];
  const isNew = (id: Y.ID) => id.clock >= (since.get(id.client) ?? 0);
  const push = (text: string, id: Y.ID | undefined) => {
    if (!text) return;
    const client = id && isNew(id) ? id.client : null;
    const last = runs[runs.length - 1];
    if (last && last.client === client) last.text += text;
    else runs.push({ text, client });
  };
  const visit = (parent: Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        // The same items toDelta reads (live, countable strings), in order, with their ids.
        for (let item = child._start; item !== null; item = item.right) {
          if (!item.deleted && item.countable && item.content instanceof Y.ContentString) push(item.content.str, item.id);
        }
      } else if (child instanceof Y.XmlElement) {
        const note = child.nodeName === FOOTNOTE_NODE ? (child.getAttribute(FOOTNOTE_TEXT_ATTR) as unknown) : undefined;
        if (typeof note === 'string') {
          // A footnote's text is one attribute value: the whole `[^note]` is as new as its last write.
          push(`[^${note}]`, child._map.get(FOOTNOTE_TEXT_ATTR)?.id ?? child._item?.id);
        } else {
          visit(child);
        }
      }
    }
  };
  visit(element);
  return runs;
}
