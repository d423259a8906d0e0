import type * as Y from 'yjs';
import { listBracketGroups } from '../../shared/model/brackets.js';
import { listThreads } from '../../shared/model/comments.js';
import { paragraphMetas } from '../../shared/model/paragraph-status.js';
import { listBlocks, blockText } from '../../shared/model/paragraphs.js';
import { textRuns } from '../../shared/model/text-runs.js';

/** Everything a person could see of a document, to assert it did not change. */
export function digest(doc: Y.Doc): unknown {
  return {
    blocks: listBlocks(doc).map((b) => ({
      id: b.id,
      num: b.num,
      text: blockText(b.element),
      marks: textRuns(b.element).map((r) => [r.insert, r.attributes]),
    })),
    brackets: listBracketGroups(doc).map((g) => ({
      id: g.id,
      status: g.status,
      options: g.options.map((o) => [o.text, o.proponents, o.supporters, o.note]),
      resolution: g.resolution?.outcome ?? null,
    })),
    threads: listThreads(doc).map((t) => ({ id: t.id, status: t.status, messages: t.messages.map((m) => [m.author, m.text, m.deleted]) })),
    statuses: paragraphMetas(doc).toJSON(),
  };
}
