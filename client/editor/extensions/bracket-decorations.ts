import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, type DecorationSet } from '@tiptap/pm/view';
import { describeBacking, optionBacking } from '../../negotiation/labels.js';
import type { OpenGroupMarks, OptionMarks } from '../../negotiation/paragraph-margins.js';
import { decorateAll, diffBlocks, redecorateChanged, redecorateIds, type BlockDecorator } from '../block-decorations.js';
import { bracketAtSelection, bracketMarkOf, textblockAtSelection } from '../positions.js';
import { negotiationOf } from './negotiation.js';

/**
 * Draws square brackets around open groups: `[`, ` / ` between options, `]`,
 * and after each option who stands behind it (who bracketed the original
 * text, who proposes an alternative, who supports it). They are widgets, not text: nobody
 * can type over a bracket, and the document holds only the options' words.
 *
 * Drawn per paragraph: a change redraws the paragraphs it touched, and a
 * change of who proposes or supports what redraws the paragraphs holding
 * brackets, never the whole report.
 */

type Groups = ReadonlyMap<string, OpenGroupMarks>;
type Segment = { group: string; option: string; from: number; to: number };
type BracketState = { groups: Groups; decorations: DecorationSet };

export type BracketDecorationsOptions = {
  /** A bracket or a label was pressed: show that group's details. */
  onSelectGroup: (groupId: string) => void;
};

const bracketDecorationsKey = new PluginKey<BracketState>('bracketDecorations');

/** Contiguous text of one option of an open group, in one text block at `pos`. */
function segmentsOf(block: PMNode, pos: number, groups: Groups): Segment[] {
  const segments: Segment[] = [];
  if (groups.size === 0) return segments;
  block.forEach((child, offset) => {
    const mark = bracketMarkOf(child);
    // A mark naming an option the group does not have reads as plain text, as in the exports.
    if (!mark || !groups.get(mark.group)?.options.has(mark.option)) return;
    const from = pos + 1 + offset;
    const to = from + child.nodeSize;
    const last = segments[segments.length - 1];
    // Bold or italic split an option into several text nodes: one segment all the same.
    if (last && last.group === mark.group && last.option === mark.option && last.to === from) last.to = to;
    else segments.push({ group: mark.group, option: mark.option, from, to });
  });
  return segments;
}

function span(className: string, text: string): HTMLElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  el.contentEditable = 'false';
  return el;
}


function decorator(groups: Groups, onSelectGroup: (groupId: string) => void): BlockDecorator {
  return (block, pos) => {
    const segments = segmentsOf(block, pos, groups);
    const widgets: Decoration[] = [];
    const widget = (at: number, side: number, key: string, make: () => HTMLElement, group: string) =>
      widgets.push(
        Decoration.widget(
          at,
          () => {
            const el = make();
            el.dataset.group = group;
            // A bracket or a label picks its group: the details open beside the text.
            el.addEventListener('mousedown', (event) => {
              event.preventDefault();
              onSelectGroup(group);
            });
            return el;
          },
          // marks: [] keeps widgets out of the option's own mark (and its tint).
          { side, key, marks: [], ignoreSelection: true, stopEvent: (event) => event.type === 'mousedown' },
        ),
      );
    // "A bracketed by Brazil", "B Egypt · supported by United States": the letter, then every name, compacted.
    const label = (at: number, side: number, option: OptionMarks, group: string) => {
      const bracketedBy = groups.get(group)?.bracketedBy ?? [];
      const text = optionBacking(option, bracketedBy);
      const title = describeBacking(option, bracketedBy);
      widget(
        at,
        side,
        `label:${group}:${option.id}:${option.label}:${title}`,
        () => {
          const el = span(option.kind === 'original' ? 'bracket-label bracket-label--original' : 'bracket-label', '');
          el.title = title;
          el.append(span('bracket-label__letter', option.label), document.createTextNode(text));
          return el;
        },
        group,
      );
    };

    segments.forEach((segment, i) => {
      const info = groups.get(segment.group)!;
      const option = info.options.get(segment.option);
      const previous = segments[i - 1];
      const next = segments[i + 1];
      const startsGroup = !previous || previous.group !== segment.group || previous.to !== segment.from;
      const endsGroup = !next || next.group !== segment.group || next.from !== segment.to;
      // Sides: `[` sits after a caret at the group's start, labels and `]` before a caret at its end,
      // so what is typed just outside the brackets shows outside them.
      if (startsGroup) widget(segment.from, 10, `open:${segment.group}`, () => span('bracket-punct bracket-punct--open', '['), segment.group);
      if (option) label(segment.to, -30, option, segment.group);
      if (!endsGroup) {
        widget(segment.to, -20, `sep:${segment.group}:${segment.option}`, () => span('bracket-punct', ' / '), segment.group);
        return;
      }
      const del = info.deleteOption;
      if (del) {
        widget(segment.to, -26, `sep-del:${segment.group}`, () => span('bracket-punct', ' / '), segment.group);
        widget(segment.to, -25, `del:${segment.group}`, () => span('bracket-punct bracket-delete', '(delete)'), segment.group);
        label(segment.to, -24, del, segment.group);
      }
      widget(segment.to, -10, `close:${segment.group}`, () => span('bracket-punct bracket-punct--close', ']'), segment.group);
    });
    return widgets;
  };
}

/** The option holding the caret, tinted more strongly so a delegate sees which wording they are in. */
function currentOption(state: EditorState, value: BracketState): DecorationSet {
  const here = bracketAtSelection(state);
  const block = here && value.groups.has(here.group) ? textblockAtSelection(state) : null;
  if (!here || !block) return value.decorations;
  const inline = segmentsOf(block.node, block.pos, value.groups)
    .filter((s) => s.group === here.group)
    .map((s) =>
      Decoration.inline(s.from, s.to, { class: s.option === here.option ? 'bracket-current bracket-current--option' : 'bracket-current' }),
    );
  return value.decorations.add(state.doc, inline);
}

export const BracketDecorations = Extension.create<BracketDecorationsOptions>({
  name: 'bracketDecorations',

  addOptions() {
    return { onSelectGroup: () => {} };
  },

  addProseMirrorPlugins() {
    const { index } = negotiationOf(this.editor);
    const { onSelectGroup } = this.options;
    const read = () => index.snapshot().margins.openGroups;
    return [
      new Plugin<BracketState>({
        key: bracketDecorationsKey,
        state: {
          init: (_, state) => {
            const groups = read();
            return { groups, decorations: decorateAll(state.doc, decorator(groups, onSelectGroup)) };
          },
          apply: (tr, value, oldState, state) => {
            const groups = read();
            let decorations = value.decorations;
            const diff = tr.docChanged ? diffBlocks(oldState.doc, state.doc) : null;
            if (diff) decorations = redecorateChanged(decorations, diff, state.doc, decorator(groups, onSelectGroup));
            // Proponents, supporters and statuses change without the text changing: redraw the bracketed paragraphs.
            if (groups !== value.groups) {
              const bracketed = index.snapshot().margins.bracketed;
              decorations = redecorateIds(decorations, state.doc, bracketed, decorator(groups, onSelectGroup));
            }
            return decorations === value.decorations && groups === value.groups ? value : { groups, decorations };
          },
        },
        props: {
          decorations(state) {
            const value = bracketDecorationsKey.getState(state);
            return value ? currentOption(state, value) : null;
          },
        },
      }),
    ];
  },
});
