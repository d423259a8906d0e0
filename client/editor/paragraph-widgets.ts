import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, type DecorationSet } from '@tiptap/pm/view';
import { changedIds } from '../negotiation/paragraph-margins.js';
import { decorateAll, diffBlocks, redecorateChanged, redecorateIds, type BlockDecorator } from './block-decorations.js';

type WidgetState<T> = { data: ReadonlyMap<string, T>; decorations: DecorationSet };

export type ParagraphWidgetSpec<T> = {
  name: string;
  /**
   * Per paragraph id, what to show (paragraphs without an entry get no
   * widget), from the negotiation index: the same map while nothing in it
   * changed, so a keystroke redraws nothing but its own paragraph.
   */
  read: () => ReadonlyMap<string, T>;
  /** A key that changes whenever the widget's content does, so unchanged widgets are reused. */
  keyOf: (paragraphId: string, value: T) => string;
  render: (paragraphId: string, value: T) => HTMLElement;
  /** Order among the widgets at the end of a paragraph. */
  side: number;
};

/**
 * A clickable marker at the end of each paragraph that has something attached
 * in one of the negotiation maps (comment threads, resolution records). Drawn
 * as a widget, positioned in the page margin by the stylesheet.
 */
export function paragraphWidgetsPlugin<T>(spec: ParagraphWidgetSpec<T>): Plugin<WidgetState<T>> {
  const key = new PluginKey<WidgetState<T>>(spec.name);
  const decorator =
    (data: ReadonlyMap<string, T>): BlockDecorator =>
    (node, pos, id) => {
      const value = id ? data.get(id) : undefined;
      if (!id || value === undefined) return [];
      return [
        Decoration.widget(
          pos + node.nodeSize - 1,
          () => {
            const el = spec.render(id, value);
            el.classList.add('para-widget');
            el.contentEditable = 'false';
            return el;
          },
          {
            side: spec.side,
            key: spec.keyOf(id, value),
            marks: [],
            ignoreSelection: true,
            // Clicks belong to the widget's own button, not to the text.
            stopEvent: (event) => event.type === 'mousedown' || event.type === 'click',
          },
        ),
      ];
    };

  return new Plugin<WidgetState<T>>({
    key,
    state: {
      init: (_, state) => {
        const data = spec.read();
        return { data, decorations: decorateAll(state.doc, decorator(data)) };
      },
      apply: (tr, value, oldState, state) => {
        const data = spec.read();
        let decorations = value.decorations;
        const diff = tr.docChanged ? diffBlocks(oldState.doc, state.doc) : null;
        if (diff) decorations = redecorateChanged(decorations, diff, state.doc, decorator(data));
        if (data !== value.data) decorations = redecorateIds(decorations, state.doc, changedIds(value.data, data), decorator(data));
        return decorations === value.decorations && data === value.data ? value : { data, decorations };
      },
    },
    props: {
      decorations: (state) => key.getState(state)?.decorations ?? null,
    },
  });
}

/** A small button for a paragraph widget; acts on click without moving the caret. */
export function widgetButton(className: string, label: string, title: string, onClick: () => void): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.textContent = label;
  button.title = title;
  button.setAttribute('aria-label', title);
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', (event) => {
    event.preventDefault();
    onClick();
  });
  return button;
}
