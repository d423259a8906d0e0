import * as Y from 'yjs';
import { bracketGroups, type GroupView } from '../../shared/model/brackets.js';
import { commentThreads, type ThreadView } from '../../shared/model/comments.js';
import { countedParagraphs, type Consensus, type CountedParagraph } from '../../shared/model/consensus.js';
import { damageCollector } from '../../shared/model/damaged-records.js';
import { paragraphMetas } from '../../shared/model/paragraph-status.js';
import { body } from '../../shared/model/paragraphs.js';
import { readGroup, readParagraphMeta, readThread, type DamagedRecord, type GroupRecord, type ThreadRecord } from '../../shared/model/record-guards.js';
import { BLOCK_ID_ATTR, BLOCK_INDENT_ATTR, BLOCK_NUM_ATTR, type ParagraphMeta, type ParagraphStatus } from '../../shared/schema/negotiation.js';
import { TEXT_BLOCKS } from '../../shared/schema/ydoc.js';
import { BlockTable } from './block-table.js';
import { blockInfos, consensusOf, groupCountsKey, groupItem, groupViews, threadViews, type BlockInfo, type GroupItem } from './negotiation-views.js';
import {
  bracketedOf,
  keepIfSame,
  lockedOf,
  NO_MARGINS,
  openGroupsOf,
  resolvedCountsOf,
  threadCountsOf,
  UnheldAgreements,
  type ParagraphMargins,
} from './paragraph-margins.js';
import { RecordTable } from './record-table.js';

export type { BlockInfo, GroupItem } from './negotiation-views.js';

export type NegotiationData = {
  blocks: Record<string, BlockInfo>;
  groups: GroupItem[];
  threads: ThreadView[];
  consensus: Consensus;
  /** Entries of the negotiation maps (and bracket marks) the readers skipped: the panels show the rest. */
  damaged: DamagedRecord[];
  /** Per paragraph, what the editor draws on and beside it. */
  margins: ParagraphMargins;
};

/** A shared type as a transaction lists it among the changed ones. */
type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never;

const TEXT_BLOCK_NAMES = new Set<string>(TEXT_BLOCKS);
/** Block attributes that decide a block's id or reference ("3.5 b)"), its own and its followers'. */
const LISTING_ATTRS = new Set<string>([BLOCK_ID_ATTR, BLOCK_NUM_ATTR, BLOCK_INDENT_ATTR]);

type Touched = {
  relist: boolean;
  blocks: Set<Y.XmlElement>;
  groups: Set<string>;
  threads: Set<string>;
  statuses: Set<string>;
};

/**
 * `agreements`: which agreements no longer hold for their paragraph's text
 * changed; `emptied`: a paragraph gained its first text or lost its last.
 */
type Changed = { blocks: boolean; marks: boolean; statuses: boolean; agreements: boolean; emptied: boolean; groups: boolean; threads: boolean };
const EVERYTHING: Changed = { blocks: true, marks: true, statuses: true, agreements: true, emptied: true, groups: true, threads: true };

const EMPTY: NegotiationData = {
  blocks: {},
  groups: [],
  threads: [],
  consensus: { paragraphs: 0, agreed: 0, agreedAdRef: 0, withOpenBrackets: 0, openGroups: 0, resolvedGroups: 0 },
  damaged: [],
  margins: NO_MARGINS,
};

/** Items of `next` that read the same as the item of `previous` with their id are that item: unchanged cards keep their identity. */
function keepItems<T extends { id: string }>(previous: T[], next: T[]): T[] {
  const before = new Map(previous.map((item) => [item.id, item]));
  const items = next.map((item) => {
    const old = before.get(item.id);
    return old && keepIfSame(old, item) === old ? old : item;
  });
  return items.length === previous.length && items.every((item, i) => item === previous[i]) ? previous : items;
}

/**
 * One index of the negotiation per document: blocks by id, bracket groups,
 * comment threads, statuses, the consensus figure and what the editor draws
 * per paragraph. It follows every Yjs transaction from what the transaction
 * touched (its `changed` types): typing in a paragraph re-reads that
 * paragraph's marks and nothing else; a support re-reads that group.
 *
 * It updates before the transaction's observers run (`beforeObserverCalls`),
 * so the editor's plugins, which the Yjs binding calls from its observer,
 * already read the state the transaction left. Panels and plugins read the
 * same snapshot; each part keeps its identity while it reads the same.
 */
export class NegotiationIndex {
  private readonly body: Y.XmlFragment;
  private readonly groupsMap: Y.Map<unknown>;
  private readonly threadsMap: Y.Map<unknown>;
  private readonly statusesMap: Y.Map<unknown>;
  private readonly blocks = new BlockTable();
  private readonly statuses: RecordTable<ParagraphMeta>;
  private readonly groups: RecordTable<GroupRecord>;
  private readonly threads: RecordTable<ThreadRecord>;
  private views: GroupView[] = [];
  private readonly unheld: UnheldAgreements;
  /** What the consensus figure last counted of the groups (groupCountsKey). */
  private countedGroups = '';
  private bodyDamage: DamagedRecord[] = [];
  private data: NegotiationData = EMPTY;
  private readonly listeners = new Set<() => void>();

  constructor(readonly doc: Y.Doc) {
    this.body = body(doc);
    this.groupsMap = bracketGroups(doc);
    this.threadsMap = commentThreads(doc);
    this.statusesMap = paragraphMetas(doc);
    this.statuses = new RecordTable(this.statusesMap, readParagraphMeta);
    this.groups = new RecordTable(this.groupsMap, readGroup);
    this.threads = new RecordTable(this.threadsMap, readThread);
    this.unheld = new UnheldAgreements(this.statuses, this.blocks);
    this.readEverything();
    doc.on('beforeObserverCalls', this.onTransaction);
  }

  destroy(): void {
    this.doc.off('beforeObserverCalls', this.onTransaction);
    this.listeners.clear();
  }

  /** The current state; the same object until something in it changes. */
  readonly snapshot = (): NegotiationData => this.data;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A paragraph's status as the model reads it (a damaged or missing entry: open). */
  statusOf(paragraphId: string): ParagraphStatus {
    return this.statuses.get(paragraphId)?.status ?? 'open';
  }

  /**
   * The paragraphs the room counts (countedBlocks: no headings, titles or
   * empty lines), in document order, with their status as it reads now: what
   * "agree this section" sets. Reads every block's text: for a command, not
   * for each render.
   */
  countedParagraphs(): CountedParagraph[] {
    return countedParagraphs(this.blocks.entries, (id) => this.statuses.get(id));
  }

  private readEverything(): void {
    this.statuses.readAll();
    this.groups.readAll();
    this.threads.readAll();
    this.blocks.relist(this.doc);
    this.unheld.recheckAll();
    this.derive(EVERYTHING);
  }

  private readonly onTransaction = (transaction: Y.Transaction): void => {
    try {
      const touched = this.touched(transaction);
      this.derive(this.reread(touched));
    } catch (err) {
      // A reader that throws must not break the Yjs transaction it follows: read everything afresh instead.
      console.error('negotiation index: reading everything again after', err);
      this.readEverything();
    }
  };

  /** What a transaction touched, from the types it changed (with the keys of maps and attributes). */
  private touched(transaction: Y.Transaction): Touched {
    const touched: Touched = { relist: false, blocks: new Set(), groups: new Set(), threads: new Set(), statuses: new Set() };
    for (const [type, keys] of transaction.changed) this.classify(type, keys, touched);
    return touched;
  }

  private classify(type: SharedType, keys: Set<string | null>, touched: Touched): void {
    let node: SharedType = type;
    let block: Y.XmlElement | null = null;
    let entry: string | null = null;
    while (node._item !== null) {
      if (!block && node instanceof Y.XmlElement && TEXT_BLOCK_NAMES.has(node.nodeName)) block = node;
      const parent = node._item.parent as SharedType;
      if (parent._item === null) entry = node._item.parentSub;
      node = parent;
    }
    // Compared as plain objects: the Yjs typings keep the root's own class out of reach here.
    const root: unknown = node;
    const changed: unknown = type;
    const keyed = (into: Set<string>) => {
      if (changed === root) for (const key of keys) key !== null && into.add(key);
      else if (entry !== null) into.add(entry);
    };
    if (root === this.body) {
      if (block && changed === block) {
        for (const key of keys) {
          if (key === null) touched.blocks.add(block);
          else if (LISTING_ATTRS.has(key)) touched.relist = true;
        }
      } else if (block) touched.blocks.add(block);
      // The body or a list gained, lost or moved blocks.
      else if (keys.has(null)) touched.relist = true;
    } else if (root === this.groupsMap) keyed(touched.groups);
    else if (root === this.threadsMap) keyed(touched.threads);
    else if (root === this.statusesMap) keyed(touched.statuses);
  }

  private reread(touched: Touched): Changed {
    const changed: Changed = {
      blocks: touched.relist,
      marks: touched.relist,
      statuses: touched.statuses.size > 0,
      agreements: false,
      emptied: false,
      groups: touched.groups.size > 0,
      threads: touched.threads.size > 0,
    };
    this.statuses.reread(touched.statuses);
    this.groups.reread(touched.groups);
    this.threads.reread(touched.threads);
    if (touched.relist) this.blocks.relist(this.doc);
    for (const element of touched.blocks) {
      const entry = this.blocks.entryOf(element);
      if (entry) {
        const reread = this.blocks.reread(entry);
        if (reread.marks) changed.marks = true;
        if (reread.emptied) changed.emptied = true;
      } else if (!element._item?.deleted && !changed.blocks) {
        // A text block the listing does not know yet: list again rather than miss it.
        this.blocks.relist(this.doc);
        changed.blocks = changed.marks = true;
      }
    }
    // The agreements the change may have broken or restored: of the statuses and the texts it touched.
    if (changed.blocks) changed.agreements = this.unheld.recheckAll();
    else {
      const ids = new Set(touched.statuses);
      for (const element of touched.blocks) {
        const id = this.blocks.entryOf(element)?.id;
        if (id) ids.add(id);
      }
      changed.agreements = this.unheld.recheck(ids);
    }
    return changed;
  }

  /** Rebuilds the parts the changes reach; notifies when one of them reads differently. */
  private derive(changed: Changed): void {
    const previous = this.data;
    const blocks =
      changed.blocks || changed.statuses || changed.agreements
        ? keepIfSame(previous.blocks, blockInfos(this.blocks, this.statuses, this.unheld.ids))
        : previous.blocks;
    const regroup = changed.marks || changed.groups || blocks !== previous.blocks;
    if (regroup) {
      const { onDamaged, records } = damageCollector();
      this.views = groupViews(this.groups, this.blocks, onDamaged);
      this.bodyDamage = records;
    }
    const groups = regroup ? keepItems(previous.groups, this.views.map((view) => groupItem(view, blocks))) : previous.groups;
    const threads =
      changed.threads || changed.blocks ? keepItems(previous.threads, threadViews(this.threads, this.blocks)) : previous.threads;
    // The figure reads every counted paragraph's text: only when what it counts may have changed.
    // groupsCounted is asked whenever the groups were read again, even when something else already calls for a
    // recount: the key it keeps must be that of the groups last counted, or a later change back to it goes uncounted.
    const groupsMoved = regroup && this.groupsCounted();
    const recount = changed.blocks || changed.statuses || changed.agreements || changed.emptied || groupsMoved;
    const consensus = recount
      ? keepIfSame(previous.consensus, consensusOf(this.blocks.entries, this.statuses, this.views))
      : previous.consensus;
    const damaged =
      changed.statuses || changed.groups || changed.threads || regroup ? keepIfSame(previous.damaged, this.damaged()) : previous.damaged;
    const margins = this.margins(previous.margins, changed, regroup, threads === previous.threads ? null : threads);
    if (
      blocks === previous.blocks &&
      groups === previous.groups &&
      threads === previous.threads &&
      consensus === previous.consensus &&
      damaged === previous.damaged &&
      margins === previous.margins
    ) {
      return;
    }
    this.data = { blocks, groups, threads, consensus, damaged, margins };
    for (const listener of [...this.listeners]) listener();
  }

  /** Whether the groups changed what the figure counts of them (typing in an option changes nothing it counts). */
  private groupsCounted(): boolean {
    const key = groupCountsKey(this.views);
    if (key === this.countedGroups) return false;
    this.countedGroups = key;
    return true;
  }

  /** `threads`: the new thread list when it changed, else null. */
  private margins(previous: ParagraphMargins, changed: Changed, regroup: boolean, threads: ThreadView[] | null): ParagraphMargins {
    const next: ParagraphMargins = {
      locked: changed.statuses || changed.agreements ? keepIfSame(previous.locked, lockedOf(this.statuses.entries(), this.unheld.ids)) : previous.locked,
      threads: threads ? keepIfSame(previous.threads, threadCountsOf(threads)) : previous.threads,
      resolved: regroup ? keepIfSame(previous.resolved, resolvedCountsOf(this.views)) : previous.resolved,
      openGroups: regroup ? keepIfSame(previous.openGroups, openGroupsOf(this.views)) : previous.openGroups,
      bracketed: changed.marks ? keepIfSame(previous.bracketed, bracketedOf(this.blocks)) : previous.bracketed,
    };
    const same = (Object.keys(next) as Array<keyof ParagraphMargins>).every((key) => next[key] === previous[key]);
    return same ? previous : next;
  }

  /** Statuses, brackets, marks in the text, comments: the order in which the panels have always listed them. */
  private damaged(): DamagedRecord[] {
    const { onDamaged, records } = damageCollector();
    for (const record of [...this.statuses.damaged(), ...this.groups.damaged(), ...this.bodyDamage, ...this.threads.damaged()]) {
      onDamaged(record);
    }
    return records;
  }
}
