import { Extension } from '@tiptap/core';
import { commentThreads, listThreads } from '../../../shared/model/comments.js';
import type { NegotiationEnv } from '../../negotiation/env.js';
import { paragraphWidgetsPlugin, widgetButton } from '../paragraph-widgets.js';

type Count = { open: number; total: number };

function countThreads(env: NegotiationEnv): Map<string, Count> {
  const counts = new Map<string, Count>();
  for (const thread of listThreads(env.ydoc)) {
    if (thread.orphaned) continue;
    const count = counts.get(thread.paragraphId) ?? { open: 0, total: 0 };
    count.total++;
    if (thread.status === 'open') count.open++;
    counts.set(thread.paragraphId, count);
  }
  return counts;
}

function title({ open, total }: Count): string {
  const threads = total === 1 ? '1 comment thread' : `${total} comment threads`;
  return open === total ? `${threads}: show` : `${threads} (${open} open): show`;
}

/** In the margin of each paragraph that has comment threads: how many; a click shows them. */
export function commentBadges(env: NegotiationEnv) {
  return Extension.create({
    name: 'commentBadges',
    addProseMirrorPlugins() {
      return [
        paragraphWidgetsPlugin<Count>({
          name: 'commentBadges',
          source: commentThreads(env.ydoc),
          read: () => countThreads(env),
          keyOf: (id, { open, total }) => `comments:${id}:${open}:${total}`,
          side: 20,
          render: (id, count) => {
            const button = widgetButton(
              count.open ? 'comment-badge' : 'comment-badge comment-badge--resolved',
              String(count.open || count.total),
              title(count),
              () => env.openThreads(id),
            );
            button.dataset.testid = 'comment-badge';
            return button;
          },
        }),
      ];
    },
  });
}
