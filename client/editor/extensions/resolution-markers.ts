import { Extension } from '@tiptap/core';
import { paragraphWidgetsPlugin, widgetButton } from '../paragraph-widgets.js';
import { negotiationOf } from './negotiation.js';

export type ResolutionMarkersOptions = {
  /** A marker was pressed: show the resolution records of that paragraph. */
  onOpenResolutions: (paragraphId: string) => void;
};

/**
 * A history marker on paragraphs whose brackets were cleaned: the clean text
 * no longer shows what was on the table, the record does.
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
          const button = widgetButton(
            'history-marker',
            '↺',
            count === 1 ? 'A bracket here was resolved: show the record' : `${count} brackets here were resolved: show the records`,
            () => onOpenResolutions(id),
          );
          button.dataset.testid = 'resolution-marker';
          return button;
        },
      }),
    ];
  },
});
