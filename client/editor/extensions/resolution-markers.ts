import { Extension } from '@tiptap/core';
import { paragraphWidgetsPlugin, widgetButton } from '../paragraph-widgets.js';
import { negotiationOf } from './negotiation.js';

export type ResolutionMarkersOptions = {
  /** A marker was pressed: show the resolution records of that paragraph. */
  onOpenResolutions: (paragraphId: string) => void;
};

/**
 * A history marker on paragraphs whose brackets were cleaned ("↺ 2",
 * "Resolved brackets: 2 — see record"): the clean text no longer shows what
 * was on the table, the record does.
 */
export const ResolutionMarkers = Extension.create<ResolutionMarkersOptions>({
  name: 'resolutionMarkers',

  addOptions() {
    return { onOpenResolutions: () => {} };
  },

  addProseMirrorPlugins() {
    const { index } = negotiationOf(this.editor);
    const { onOpenResolutions } = this.options;
    return [
      paragraphWidgetsPlugin<number>({
        name: 'resolutionMarkers',
        read: () => index.snapshot().margins.resolved,
        keyOf: (id, count) => `resolved:${id}:${count}`,
        side: 30,
        render: (id, count) => {
          // The arrow alone said nothing: the count shows, and the label says what it is and what a click does.
          const label = `Resolved brackets: ${count} — see record`;
          const button = widgetButton('history-marker', `↺ ${count}`, label, () => onOpenResolutions(id));
          button.dataset.label = label;
          button.dataset.testid = 'resolution-marker';
          return button;
        },
      }),
    ];
  },
});
