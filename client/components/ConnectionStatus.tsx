import type { ConnectionState } from '../collab/useConnectionState.js';
import './connection-status.css';

function describe({ state, wasConnected, finalCloseCode, paused }: ConnectionState): { label: string; detail: string } {
  if (finalCloseCode !== null) {
    return { label: 'Disconnected', detail: 'The server ended the connection; see the message above the text.' };
  }
  if (paused && state !== 'offline') return { label: paused.label, detail: paused.notice };
  switch (state) {
    case 'connected':
      return { label: 'Connected', detail: 'Your changes are shared with everyone as you type.' };
    case 'connecting':
      return {
        label: wasConnected ? 'Reconnecting…' : 'Connecting…',
        detail: 'Keep typing: your edits are kept on this computer and shared once the connection is back.',
      };
    case 'offline':
      return {
        label: 'Offline — edits are kept on this computer',
        detail: 'They are merged with everyone else’s when this computer is back online.',
      };
  }
}

/** Always visible: delegates must know whether what they type reaches the room. */
export function ConnectionStatus({ connection }: { connection: ConnectionState }) {
  const { label, detail } = describe(connection);
  return (
    <div
      className={`connection-status connection-status--${connection.state}${connection.paused ? ' connection-status--paused' : ''}`}
      data-testid="connection-status"
      data-state={connection.state}
      data-paused={connection.paused?.code ?? ''}
      data-synced={connection.synced}
      role="status"
      title={detail}
    >
      <span className="connection-status__dot" aria-hidden="true" />
      <span className="connection-status__label">{label}</span>
      {connection.synced && <span className="connection-status__synced">· synced</span>}
    </div>
  );
}
