import { useState } from 'react';
import { useIdentity } from '../hooks/useIdentity.js';
import { identityColor, identityLabel } from '../identity.js';
import { IdentityDialog } from './IdentityDialog.js';

/** The person's own name in the header; clicking it changes name or delegation. */
export function IdentityButton() {
  const [identity, setIdentity] = useIdentity();
  const [editing, setEditing] = useState(false);

  return (
    <>
      <button
        type="button"
        className="identity-button"
        data-testid="identity-button"
        onClick={() => setEditing(true)}
        title="Change your name or delegation"
      >
        {identity ? (
          <>
            <span className="color-dot" style={{ backgroundColor: identityColor(identity) }} aria-hidden="true" />
            {identityLabel(identity.name, identity.delegation)}
          </>
        ) : (
          'Set your name'
        )}
      </button>
      {editing && (
        <IdentityDialog
          initial={identity}
          onCancel={() => setEditing(false)}
          onSubmit={(next) => {
            setIdentity(next);
            setEditing(false);
          }}
        />
      )}
    </>
  );
}
