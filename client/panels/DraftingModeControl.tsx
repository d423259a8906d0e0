import { useCallback, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { DRAFTING_MODE_LABELS, draftingModeSetting, setDraftingMode, settings } from '../../shared/model/drafting-mode.js';
import type { DocumentAccess } from '../../shared/schema/auth.js';
import { DraftingMode, SettingKeys } from '../../shared/schema/negotiation.js';
import { Modal } from '../components/Modal.js';
import { modeSwitchRefusal } from '../editor/extensions/drafting-mode.js';
import { NEGOTIATION_ORIGIN } from '../editor/negotiation-origin.js';
import { act } from '../negotiation/participant.js';
import { formatRelative } from '../time.js';
import './drafting-mode-control.css';

type DraftingModeControlProps = {
  ydoc: Y.Doc | null;
  access: DocumentAccess | null;
  /** Until the document has synced its settings are not known: nothing is shown rather than a guess. */
  synced: boolean;
};

/** The raw setting (the same value until it changes), re-read when the settings map changes. */
function useRawSetting(ydoc: Y.Doc | null): unknown {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!ydoc) return () => {};
      const map = settings(ydoc);
      map.observe(onChange);
      return () => map.unobserve(onChange);
    },
    [ydoc],
  );
  return useSyncExternalStore(subscribe, () => (ydoc ? settings(ydoc).get(SettingKeys.draftingMode) : undefined));
}

/**
 * The drafting mode for everyone to see, in the header; the chair and the
 * secretariat switch it here, after saying yes to what it changes.
 */
export function DraftingModeControl({ ydoc, access, synced }: DraftingModeControlProps) {
  useRawSetting(ydoc);
  const [pending, setPending] = useState<DraftingMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const setting = ydoc ? draftingModeSetting(ydoc) : null;
  if (!ydoc || !access || (!synced && !setting)) return null;

  const mode = setting?.mode ?? 'open';
  const label = DRAFTING_MODE_LABELS[mode];
  const since = setting ? ` Set by ${setting.by.name} (${setting.by.delegation}), ${formatRelative(new Date(setting.at))}.` : '';
  const switches = modeSwitchRefusal(access.role) === null;

  const close = () => {
    setPending(null);
    setError(null);
  };
  const confirm = (next: DraftingMode) => {
    const done = act({ name: access.name, delegation: access.delegation }, setError, (actor) =>
      setDraftingMode(ydoc, { mode: next, actor }, NEGOTIATION_ORIGIN),
    );
    if (done) close();
  };

  return (
    <>
      <div className={`drafting-mode drafting-mode--${mode}`} data-testid="drafting-mode" data-mode={mode} title={`${label.hint}${since}`}>
      <span className="drafting-mode__caption">Mode</span>
      {switches ? (
        <select
          className="select select--small drafting-mode__select"
          data-testid="drafting-mode-select"
          aria-label={`Drafting mode: ${label.name}`}
          value={mode}
          onChange={(event) => {
            const next = DraftingMode.safeParse(event.target.value);
            if (next.success && next.data !== mode) setPending(next.data);
          }}
        >
          {DraftingMode.options.map((option) => (
            <option key={option} value={option}>
              {DRAFTING_MODE_LABELS[option].name}
            </option>
          ))}
        </select>
      ) : (
        <span className="drafting-mode__name" data-testid="drafting-mode-name">
          {label.name}
        </span>
      )}
      </div>
      {pending && (
        <Modal title={`Switch to ${DRAFTING_MODE_LABELS[pending].name}?`} onClose={close}>
          <div className="form" data-testid="drafting-mode-dialog">
            <p>{DRAFTING_MODE_LABELS[pending].hint}</p>
            <p className="form__hint">Every open editor follows at once. You can switch back at any time.</p>
            {error && (
              <p className="form__error" role="alert">
                {error}
              </p>
            )}
            <div className="form__actions">
              <button type="button" className="button" onClick={close} autoFocus>
                Keep {label.name.toLowerCase()}
              </button>
              <button type="button" className="button button--primary" data-testid="drafting-mode-confirm" onClick={() => confirm(pending)}>
                Switch to {DRAFTING_MODE_LABELS[pending].name.toLowerCase()}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}
