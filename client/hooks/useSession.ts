import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../shared/schema/auth.js';
import { getSession } from '../api.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'ready'; session: SessionInfo }
  | { status: 'error'; message: string };

/** Who is signed in on this browser (secretariat account and/or opened invitations). */
export function useSession(): [SessionState, () => void] {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const reload = useCallback(() => {
    getSession().then(
      (session) => setState(session ? { status: 'ready', session } : { status: 'signed-out' }),
      (err: unknown) => setState({ status: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  }, []);
  useEffect(reload, [reload]);
  return [state, reload];
}
