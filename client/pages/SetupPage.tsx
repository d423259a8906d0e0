import { useEffect } from 'react';
import { createSecretariatAccount } from '../api.js';
import { AuthCard } from '../components/AuthCard.js';
import { listPath, navigate } from '../router.js';
import { PasswordForm } from './auth/PasswordForm.js';

/** The one-time link printed on first start: it creates the secretariat account that manages everything else. */
export function SetupPage({ token }: { token: string }) {
  useEffect(() => {
    document.title = 'Set up — Drafting room';
  }, []);
  return (
    <AuthCard title="Create the secretariat account">
      <p className="form__hint">
        This account creates documents, imports and exports them, and invites the chair, the delegations and observers. The
        link you followed works once.
      </p>
      <PasswordForm
        confirm
        submitLabel="Create account"
        onSubmit={async (name, password) => {
          await createSecretariatAccount(token, name, password);
          navigate(listPath(), { replace: true });
        }}
      />
    </AuthCard>
  );
}
