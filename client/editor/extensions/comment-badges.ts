import { Extension } from '@tiptap/core';
import type { ThreadCount } from '../../negotiation/paragraph-margins.js';
import { paragraphWidgetsPlugin, widgetButton } from '../paragraph-widgets.js';
import { negotiationOf } from './negotiation.js';

export type CommentBadgesOptions = {
  /** A badge was pressed: show that paragraph's comment threads. */
  onOpenThreads: (paragraphId: string) => void;
};

function title({ open, total }: ThreadCount): string {
  const threads = total === 1 ? '1 comment thread' : `${total} comment threads`;
  return open === total ? `${threads}: show` : `${threads} (${open} open): show`;
}

/** In the margin of each paragraph that has comment threads: how many; a click shows them. */
export const CommentBadges = Extension.create<CommentBadgesOptions>({
  name: 'commentBadges',

  addOptions() {
    return { onOpenThreads: () => {} };
  },

  addProseMirrorPlugins() {
    const { index } = negotiationOf(this.editor);
    const { onOpenThreads } = this.options;
    return [
      paragraphWidgetsPlugin<ThreadCount>({
        name: 'commentBadges',
        read: () => index.snapshot().margins.threads,
        keyOf: (id, { open, total }) => `comments:${id}:${open}:${total}`,
        side: 20,
        render: (id, count) => {
          const button = widgetButton(
            count.open ? 'comment-badge' : 'comment-badge comment-badge--resolved',
            String(count.open || count.total),
            title(count),
            () => onOpenThreads(id),
          );
          button.dataset.testid = 'comment-badge';
          return button;
        },
      }),
    ];
  },
});
