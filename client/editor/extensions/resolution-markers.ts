import { Extension } from '@tiptap/core';
import { bracketGroups, listBracketGroups } from '../../../shared/model/brackets.js';
import type { NegotiationEnv } from '../../negotiation/env.js';
import { paragraphWidgetsPlugin, widgetButton } from '../paragraph-widgets.js';

/** Per paragraph, how many of its bracket groups were resolved. */
function countResolved(env: NegotiationEnv): Map<string, number> {
  const counts = new Map<string, number>();
  for (const group of listBracketGroups(env.ydoc)) {
    if (group.status !== 'resolved') continue;
    counts.set(group.paragraphId, (counts.get(group.paragraphId) ?? 0) + 1);
  }
  return counts;
}

/**
 * A history marker on paragraphs whose brackets were cleaned: the clean text
 * no longer shows what was on the table, the record does.
 */
export function resolutionMarkers(env: NegotiationEnv) {
  return Extension.create({
    name: 'resolutionMarkers',
    addProseMirrorPlugins() {
      return [
        paragraphWidgetsPlugin<number>({
          name: 'resolutionMarkers',
          source: bracketGroups(env.ydoc),
          read: () => countResolved(env),
          keyOf: (id, count) => `resolved:${id}:${count}`,
          side: 30,
          render: (id, count) => {
            const button = widgetButton(
              'history-marker',
              '↺',
              count === 1 ? 'A bracket here was resolved: show the record' : `${count} brackets here were resolved: show the records`,
              () => env.openResolutions(id),
            );
            button.dataset.testid = 'resolution-marker';
            return button;
          },
        }),
      ];
    },
  });
}
