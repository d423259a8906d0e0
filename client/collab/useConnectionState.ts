import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { isFinalClose } from './session.js';

export type ConnectionState = {
  /** What the status badge shows; the value of its data-state attribute. */
  state: 'connected' | 'connecting' | 'offline';
  /** The server has sent its copy and has ours: everything typed so far is shared. */
  synced: boolean;
  /** Whether a connection ever opened, to tell "Connecting…" from "Reconnecting…". */
  wasConnected: boolean;
  /** Set when the server ended the connection for good (document deleted, unknown, …). */
  finalCloseCode: number | null;
};

const INITIAL: ConnectionState = { state: 'connecting', synced: false, wasConnected: false, finalCloseCode: null };

export function useConnectionState(provider: WebsocketProvider | null): ConnectionState {
  const [providerStatus, setProviderStatus] = useState<'connected' | 'connecting' | 'disconnected'>('connecting');
  const [synced, setSynced] = useState(false);
  const [wasConnected, setWasConnected] = useState(false);
  const [finalCloseCode, setFinalCloseCode] = useState<number | null>(null);
  const online = useOnline();

  useEffect(() => {
    if (!provider) return;
    setProviderStatus(provider.wsconnected ? 'connected' : 'connecting');
    setSynced(provider.synced);
    setFinalCloseCode(null);

    const onStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      setProviderStatus(status);
      if (status === 'connected') setWasConnected(true);
    };
    const onSync = (isSynced: boolean) => setSynced(isSynced);
    const onClose = (event: CloseEvent | null) => {
      setSynced(false);
      if (event && isFinalClose(event.code)) setFinalCloseCode(event.code);
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('connection-close', onClose);
    return () => {
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
    };
  }, [provider]);

  if (!provider) return INITIAL;
  const state =
    finalCloseCode !== null || !online ? 'offline' : providerStatus === 'connected' ? 'connected' : 'connecting';
  return { state, synced: state === 'connected' && synced, wasConnected, finalCloseCode };
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}
