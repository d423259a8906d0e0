import { type Editor, Extension } from '@tiptap/core';
import { PluginKey } from '@tiptap/pm/state';
import type { ThreadCount } from '../../negotiation/paragraph-margins.js';
import { paragraphWidgetsPlugin, widgetButton } from '../paragraph-widgets.js';
import { negotiationOf } from './negotiation.js';

export type CommentBadgesOptions = {
  /** A badge was pressed: show that paragraph's comment threads. */
  onOpenThreads: (paragraphId: string) => void;
};

type CommentBadgesStorage = {
  /** Per paragraph, the messages this person has not read (paragraphs with none absent): set by showUnreadOnBadges. */
  unread: ReadonlyMap<string, number>;
};

declare module '@tiptap/core' {
  interface Storage {
    commentBadges: CommentBadgesStorage;
  }
}

type Badge = ThreadCount & { unread: number };

const NONE: ReadonlyMap<string, number> = new Map();
const unreadRedrawKey = new PluginKey('commentBadgesUnread');

/**
 * What this person has not read, per paragraph, on the badges: kept by the
 * page (it lives in the browser, not in the document), handed to the editor
 * here; a transaction of its own lets the badges concerned redraw.
 */
export function showUnreadOnBadges(editor: Editor, unread: ReadonlyMap<string, number>): void {
  const storage = editor.storage.commentBadges;
  if (!storage || storage.unread === unread || editor.isDestroyed) return;
  storage.unread = unread;
  editor.view.dispatch(editor.state.tr.setMeta(unreadRedrawKey, true));
}

function title({ open, total, unread }: Badge): string {
  const threads = total === 1 ? '1 comment thread' : `${total} comment threads`;
  const news = unread ? `, ${unread} unread` : '';
  return open === total ? `${threads}${news}: show` : `${threads} (${open} open${news}): show`;
}

/** In the margin of each paragraph that has comment threads: how many, whether something in them is unread; a click shows them. */
export const CommentBadges = Extension.create<CommentBadgesOptions>({
  name: 'commentBadges',

  addOptions() {
    return { onOpenThreads: () => {} };
  },

  addStorage() {
    return { unread: NONE };
  },

  addProseMirrorPlugins() {
    const { index } = negotiationOf(this.editor);
    const { onOpenThreads } = this.options;
    const unread = () => this.editor.storage.commentBadges?.unread ?? NONE;
    // The badges as last read, kept while neither the threads nor the unread counts changed.
    let last: { threads: ReadonlyMap<string, ThreadCount>; unread: ReadonlyMap<string, number>; badges: ReadonlyMap<string, Badge> } | null = null;
    const read = (): ReadonlyMap<string, Badge> => {
      const threads = index.snapshot().margins.threads;
      const news = unread();
      if (last && last.threads === threads && last.unread === news) return last.badges;
      const badges = new Map([...threads].map(([id, count]): [string, Badge] => [id, { ...count, unread: news.get(id) ?? 0 }]));
      last = { threads, unread: news, badges };
      return badges;
    };
    return [
      paragraphWidgetsPlugin<Badge>({
        name: 'commentBadges',
        read,
        keyOf: (id, { open, total, unread: news }) => `comments:${id}:${open}:${total}:${news}`,
        side: 20,
        render: (id, badge) => {
          const button = widgetButton(
            `comment-badge${badge.open ? '' : ' comment-badge--resolved'}${badge.unread ? ' comment-badge--unread' : ''}`,
            String(badge.open || badge.total),
            title(badge),
            () => onOpenThreads(id),
          );
          button.dataset.testid = 'comment-badge';
          button.dataset.unread = String(badge.unread);
          return button;
        },
      }),
    ];
  },
});
