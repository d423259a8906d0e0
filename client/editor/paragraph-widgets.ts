import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { eachTextblock } from './positions.js';

type WidgetState<T> = { data: Map<string, T>; decorations: DecorationSet };

export type ParagraphWidgetSpec<T> = {
  name: string;
  /** The shared type whose changes (also remote ones) redraw the widgets. */
  // Any shared type (Y.Map of threads, of groups...): only observeDeep is used.
  source: Y.AbstractType<any>;
  /** Per paragraph id, what to show; paragraphs without an entry get no widget. */
  read: () => Map<string, T>;
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
  const build = (doc: PMNode, data: Map<string, T>): DecorationSet => {
    if (data.size === 0) return DecorationSet.empty;
    const widgets: Decoration[] = [];
    eachTextblock(doc, (node, pos, id) => {
      const value = id ? data.get(id) : undefined;
      if (!id || value === undefined) return;
      widgets.push(
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
      );
    });
    return DecorationSet.create(doc, widgets);
  };

  return new Plugin<WidgetState<T>>({
    key,
    state: {
      init: (_, state) => {
        const data = spec.read();
        return { data, decorations: build(state.doc, data) };
      },
      apply: (tr, value, _old, state) => {
        const changed = tr.getMeta(key) === true;
        if (!changed && !tr.docChanged) return value;
        const data = changed ? spec.read() : value.data;
        return { data, decorations: build(state.doc, data) };
      },
    },
    props: {
      decorations: (state) => key.getState(state)?.decorations ?? null,
    },
    view(view) {
      const onChange = () =>
        queueMicrotask(() => {
          if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true));
        });
      spec.source.observeDeep(onChange);
      return { destroy: () => spec.source.unobserveDeep(onChange) };
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
