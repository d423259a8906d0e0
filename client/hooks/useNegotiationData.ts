import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { listBracketGroups, type GroupView } from '../../shared/model/brackets.js';
import { listThreads, type ThreadView } from '../../shared/model/comments.js';
import { consensus, type Consensus } from '../../shared/model/consensus.js';
import { damageCollector } from '../../shared/model/damaged-records.js';
import { paragraphStatuses } from '../../shared/model/paragraph-status.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import type { DamagedRecord } from '../../shared/model/record-guards.js';
import type { ParagraphStatus } from '../../shared/schema/negotiation.js';

export type BlockInfo = { id: string; ref: string | null; section: string | null; status: ParagraphStatus; index: number };

/** A bracket group as panels show it: plain data, where it is now. */
export type GroupItem = Omit<GroupView, 'block'> & {
  /** The paragraph holding its text now, else the one it was created in. */
  where: string;
  ref: string | null;
  section: string | null;
};

export type NegotiationData = {
  blocks: Record<string, BlockInfo>;
  groups: GroupItem[];
  threads: ThreadView[];
  consensus: Consensus;
  /** Entries of the negotiation maps (and bracket marks) the readers skipped: the panels show the rest. */
  damaged: DamagedRecord[];
};

function read(ydoc: Y.Doc): NegotiationData {
  const { onDamaged, records } = damageCollector();
  const statuses = paragraphStatuses(ydoc, onDamaged);
  const blocks: Record<string, BlockInfo> = {};
  listBlocks(ydoc).forEach((block, index) => {
    if (block.id && !blocks[block.id]) {
      const status = statuses.get(block.id)?.status ?? 'open';
      blocks[block.id] = { id: block.id, ref: block.ref, section: block.section, status, index };
    }
  });
  const views = listBracketGroups(ydoc, onDamaged);
  const groups = views.map(({ block, ...group }): GroupItem => {
    const where = block?.id ?? group.paragraphId;
    return { ...group, where, ref: blocks[where]?.ref ?? null, section: blocks[where]?.section ?? null };
  });
  const threads = listThreads(ydoc, onDamaged);
  return { blocks, groups, threads, consensus: consensus(ydoc, views), damaged: records };
}

/** How often panels follow the document while people type: fast enough to feel live, cheap on a long report. */
const REFRESH_MS = 80;

/**
 * Brackets, comments, statuses and the consensus figure, recomputed with the
 * shared model whenever the document changes (here or elsewhere), and only
 * handed to React when something visible changed.
 */
export function useNegotiationData(ydoc: Y.Doc): NegotiationData {
  const [data, setData] = useState(() => read(ydoc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = JSON.stringify(data);
    const refresh = () => {
      timer = undefined;
      const next = read(ydoc);
      const text = JSON.stringify(next);
      if (text === last) return;
      last = text;
      setData(next);
    };
    const onUpdate = () => {
      timer ??= setTimeout(refresh, REFRESH_MS);
    };
    ydoc.on('update', onUpdate);
    refresh();
    return () => {
      ydoc.off('update', onUpdate);
      clearTimeout(timer);
    };
    // `data` is only the starting point: the subscription lives as long as the document.
  }, [ydoc]);
  return data;
}
