import { useCallback, useSyncExternalStore } from 'react';
import { IDENTITY_STORAGE_KEY, loadIdentity, saveIdentity, type Identity } from '../identity.js';

const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  // Another tab changed the identity: follow it, so one laptop shows one name.
  const onStorage = (event: StorageEvent) => {
    if (event.key === IDENTITY_STORAGE_KEY || event.key === null) onChange();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onStorage);
  };
}

// useSyncExternalStore needs the same object back while nothing changed.
let cachedRaw: string | null | undefined;
let cachedIdentity: Identity | null = null;

function getSnapshot(): Identity | null {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(IDENTITY_STORAGE_KEY);
  } catch {
    // Storage disabled: behave as if nothing is stored.
  }
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedIdentity = loadIdentity();
  }
  return cachedIdentity;
}

export function useIdentity(): [Identity | null, (identity: Identity) => void] {
  const identity = useSyncExternalStore(subscribe, getSnapshot);
  const setIdentity = useCallback((next: Identity) => {
    saveIdentity(next);
    for (const listener of listeners) listener();
  }, []);
  return [identity, setIdentity];
}
