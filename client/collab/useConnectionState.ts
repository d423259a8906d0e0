import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { serverPause, type ServerPause } from './close-messages.js';
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
  /** The server said it cannot take changes for now (disk full, 4507; the document quarantined, 4503): our edits wait on this computer until it can. */
  paused: ServerPause | null;
};

const INITIAL: ConnectionState = { state: 'connecting', synced: false, wasConnected: false, finalCloseCode: null, paused: null };

/**
 * A server whose disk is full closes the connection as soon as our edits
 * arrive, milliseconds after it sent its copy: a connection that stays open
 * this long after syncing had its edits stored, and the notice goes.
 */
const STORED_AFTER_MS = 2_000;

export function useConnectionState(provider: WebsocketProvider | null): ConnectionState {
  const [providerStatus, setProviderStatus] = useState<'connected' | 'connecting' | 'disconnected'>('connecting');
  const [synced, setSynced] = useState(false);
  const [wasConnected, setWasConnected] = useState(false);
  const [finalCloseCode, setFinalCloseCode] = useState<number | null>(null);
  const [paused, setPaused] = useState<ServerPause | null>(null);
  const online = useOnline();

  useEffect(() => {
    if (!provider) return;
    setProviderStatus(provider.wsconnected ? 'connected' : 'connecting');
    setSynced(provider.synced);
    setFinalCloseCode(null);
    setPaused(null);
    let stored: ReturnType<typeof setTimeout> | undefined;

    const onStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      setProviderStatus(status);
      if (status === 'connected') setWasConnected(true);
    };
    const onSync = (isSynced: boolean) => {
      setSynced(isSynced);
      clearTimeout(stored);
      if (isSynced) stored = setTimeout(() => setPaused(null), STORED_AFTER_MS);
    };
    const onClose = (event: CloseEvent | null) => {
      setSynced(false);
      clearTimeout(stored);
      if (event && isFinalClose(event.code)) setFinalCloseCode(event.code);
      const pause = event ? serverPause(event.code) : null;
      if (pause) setPaused(pause);
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('connection-close', onClose);
    return () => {
      clearTimeout(stored);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
    };
  }, [provider]);

  if (!provider) return INITIAL;
  const state =
    finalCloseCode !== null || !online ? 'offline' : providerStatus === 'connected' ? 'connected' : 'connecting';
  return { state, synced: state === 'connected' && synced, wasConnected, finalCloseCode, paused: finalCloseCode === null ? paused : null };
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
