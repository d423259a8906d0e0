import { useEffect } from 'react';
import { signInWithPassword } from '../api.js';
import { AuthCard } from '../components/AuthCard.js';
import { listPath, navigate } from '../router.js';
import { PasswordForm } from './auth/PasswordForm.js';

/** The secretariat signs in with a password; everyone else comes in through an invitation link. */
export function SignInPage() {
  useEffect(() => {
    document.title = 'Sign in — Drafting room';
  }, []);
  return (
    <AuthCard title="Secretariat sign-in">
      <p className="form__hint">Delegates, the chair and observers open the invitation link they were sent instead.</p>
      <PasswordForm
        confirm={false}
        submitLabel="Sign in"
        onSubmit={async (name, password) => {
          await signInWithPassword(name, password);
          navigate(listPath());
        }}
      />
    </AuthCard>
  );
}
