import type { GroupItem } from '../negotiation/negotiation-index.js';
import { OPTION_KIND_LABELS } from '../negotiation/labels.js';

/**
 * The screen's optional split: the open brackets of the section under
 * discussion, each option with its text and every delegation behind it by
 * name (nobody can click a projector, so no "+3" to open). The room sees
 * what is still to settle beside the text it is reading.
 */
function openBracketsOf(groups: readonly GroupItem[], section: string | null): GroupItem[] {
  return groups.filter((group) => group.status === 'open' && group.section === section);
}

function behind(option: GroupItem['options'][number], group: GroupItem): string {
  const names = option.kind === 'original' ? group.bracketedBy.map((entry) => entry.delegation) : option.proponents;
  const said = option.kind === 'original' ? 'bracketed by' : 'proposed by';
  const who = names.length > 0 ? `${said} ${names.join(', ')}` : '';
  const support = option.supporters.length > 0 ? `supported by ${option.supporters.join(', ')}` : '';
  return [who, support].filter(Boolean).join(' · ');
}

export function ScreenBrackets({ groups, section }: { groups: readonly GroupItem[]; section: string | null }) {
  const open = openBracketsOf(groups, section);
  const heading = section ? `Open brackets in section ${section}` : 'Open brackets';
  return (
    <aside className="screen-brackets" aria-label={heading} data-testid="screen-brackets">
      <h2 className="screen-brackets__heading">
        {heading} <span className="screen-brackets__count">{open.length}</span>
      </h2>
      {open.length === 0 && <p className="screen-brackets__none">None: every bracket of this section is settled.</p>}
      <ol className="screen-brackets__list">
        {open.map((group) => (
          <li key={group.id} className="screen-brackets__group" data-testid="screen-bracket">
            <span className="screen-brackets__ref">{group.ref ?? 'Unnumbered'}</span>
            <ul className="screen-brackets__options">
              {group.options.map((option) => (
                <li key={option.id} className="screen-brackets__option">
                  <span className="screen-brackets__label">{option.label}</span>{' '}
                  <span className="screen-brackets__text">{option.kind === 'delete' ? `(${OPTION_KIND_LABELS.delete})` : option.text.trim()}</span>
                  <span className="screen-brackets__who">{behind(option, group)}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </aside>
  );
}
