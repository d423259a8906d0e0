import { useId, useState, type FormEvent } from 'react';

type PasswordFormProps = {
  /** Creating an account asks for the password twice. */
  confirm: boolean;
  submitLabel: string;
  onSubmit: (name: string, password: string) => Promise<void>;
};

/** Name and password, for the secretariat's sign-in and its first account. */
export function PasswordForm({ confirm, submitLabel, onSubmit }: PasswordFormProps) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError('Please enter the account name.');
    if (confirm && password.length < 10) return setError('Choose a password of at least 10 characters.');
    if (confirm && password !== again) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim(), password);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <label className="field" htmlFor={`${id}-name`}>
        <span className="field__label">Account name</span>
        <input id={`${id}-name`} data-testid="signin-name" className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" autoFocus />
      </label>
      <label className="field" htmlFor={`${id}-password`}>
        <span className="field__label">Password</span>
        <input
          id={`${id}-password`}
          data-testid="signin-password"
          className="input"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete={confirm ? 'new-password' : 'current-password'}
        />
      </label>
      {confirm && (
        <label className="field" htmlFor={`${id}-again`}>
          <span className="field__label">Password again</span>
          <input id={`${id}-again`} data-testid="signin-password-again" className="input" type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
        </label>
      )}
      {error && (
        <p className="form__error" role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" data-testid="signin-submit" disabled={busy}>
          {busy ? 'Please wait…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
