import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { bracketGroups, listBracketGroups, type OptionView } from '../../../shared/model/brackets.js';
import { bracketSelection } from '../../negotiation/actions.js';
import type { NegotiationEnv } from '../../negotiation/env.js';
import { bracketAtSelection, bracketMarkOf, eachTextblock } from '../positions.js';

/**
 * Draws square brackets around open groups: `[`, ` / ` between options, `]`,
 * and after each option who proposes it. They are widgets, not text: nobody
 * can type over a bracket, and the document holds only the options' words.
 */

type OptionInfo = Pick<OptionView, 'id' | 'label' | 'kind' | 'proponents' | 'supporters'>;
/** What the widgets need of each open group, read from the `brackets` map. */
type GroupInfo = { options: Map<string, OptionInfo>; deleteOption: OptionInfo | null };
type Segment = { group: string; option: string; from: number; to: number };
type BracketState = { groups: Map<string, GroupInfo>; segments: Segment[]; decorations: DecorationSet };

export const bracketDecorationsKey = new PluginKey<BracketState>('bracketDecorations');

function readGroups(env: NegotiationEnv): Map<string, GroupInfo> {
  const groups = new Map<string, GroupInfo>();
  for (const group of listBracketGroups(env.ydoc)) {
    if (group.status !== 'open') continue;
    groups.set(group.id, {
      options: new Map(group.options.map((o) => [o.id, o])),
      deleteOption: group.options.find((o) => o.kind === 'delete') ?? null,
    });
  }
  return groups;
}

/** Contiguous text of one option of an open group, in document order. */
function findSegments(doc: PMNode, groups: Map<string, GroupInfo>): Segment[] {
  const segments: Segment[] = [];
  if (groups.size === 0) return segments;
  eachTextblock(doc, (block, pos) => {
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

function describeOption(option: OptionInfo): string {
  const proposed = option.proponents.length ? `proposed by ${option.proponents.join(', ')}` : 'no proponent left';
  const supported = option.supporters.length ? `; supported by ${option.supporters.join(', ')}` : '';
  return `Option ${option.label}, ${proposed}${supported}`;
}

/** "A Egypt, China +2": the option's letter, its proponents, how many more support it. */
function labelText(option: OptionInfo): string {
  const more = option.supporters.length ? ` +${option.supporters.length}` : '';
  return `${option.proponents.join(', ') || '—'}${more}`;
}

function build(doc: PMNode, groups: Map<string, GroupInfo>, env: NegotiationEnv): { segments: Segment[]; decorations: DecorationSet } {
  const segments = findSegments(doc, groups);
  const widgets: Decoration[] = [];
  const widget = (pos: number, side: number, key: string, make: () => HTMLElement, group: string) =>
    widgets.push(
      Decoration.widget(
        pos,
        () => {
          const el = make();
          el.dataset.group = group;
          // A bracket or a label picks its group: the details open beside the text.
          el.addEventListener('mousedown', (event) => {
            event.preventDefault();
            env.selectGroup(group);
          });
          return el;
        },
        // marks: [] keeps widgets out of the option's own mark (and its tint).
        { side, key, marks: [], ignoreSelection: true, stopEvent: (event) => event.type === 'mousedown' },
      ),
    );
  const label = (pos: number, side: number, option: OptionInfo, group: string) =>
    widget(
      pos,
      side,
      `label:${group}:${option.id}:${option.label}:${labelText(option)}`,
      () => {
        const el = span('bracket-label', '');
        el.title = describeOption(option);
        el.append(span('bracket-label__letter', option.label), document.createTextNode(labelText(option)));
        return el;
      },
      group,
    );

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
  return { segments, decorations: DecorationSet.create(doc, widgets) };
}

/** The option holding the caret, tinted more strongly so a delegate sees which wording they are in. */
function currentOption(state: EditorState, value: BracketState): DecorationSet {
  const here = bracketAtSelection(state);
  if (!here || !value.groups.has(here.group)) return value.decorations;
  const inline = value.segments
    .filter((s) => s.group === here.group)
    .map((s) =>
      Decoration.inline(s.from, s.to, { class: s.option === here.option ? 'bracket-current bracket-current--option' : 'bracket-current' }),
    );
  return value.decorations.add(state.doc, inline);
}

export function bracketDecorations(env: NegotiationEnv) {
  return Extension.create({
    name: 'bracketDecorations',

    addKeyboardShortcuts() {
      return {
        'Mod-Alt-b': () => {
          bracketSelection(env, this.editor.state);
          return true;
        },
      };
    },

    addProseMirrorPlugins() {
      return [
        new Plugin<BracketState>({
          key: bracketDecorationsKey,
          state: {
            init: (_, state) => {
              const groups = readGroups(env);
              return { groups, ...build(state.doc, groups, env) };
            },
            apply: (tr, value, _old, state) => {
              const groupsChanged = tr.getMeta(bracketDecorationsKey) === 'groups-changed';
              if (!groupsChanged && !tr.docChanged) return value;
              const groups = groupsChanged ? readGroups(env) : value.groups;
              return { groups, ...build(state.doc, groups, env) };
            },
          },
          props: {
            decorations(state) {
              const value = bracketDecorationsKey.getState(state);
              return value ? currentOption(state, value) : null;
            },
          },
          view(view) {
            const groups = bracketGroups(env.ydoc);
            // Proponents, supporters and statuses change without the text changing: redraw then too.
            const onChange = () =>
              queueMicrotask(() => {
                if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(bracketDecorationsKey, 'groups-changed'));
              });
            groups.observeDeep(onChange);
            return { destroy: () => groups.unobserveDeep(onChange) };
          },
        }),
      ];
    },
  });
}
