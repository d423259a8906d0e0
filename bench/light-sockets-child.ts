import { lightSocketsHost } from './light-sockets-host.js';
import type { LightReply } from './light-sockets-protocol.js';

/** Child process holding the light sockets (light-sockets-host.ts), driven over the fork IPC channel. */
const handle = lightSocketsHost(
  (message: LightReply) => process.send?.(message),
  () => setTimeout(() => process.exit(0), 50),
);
process.on('message', handle);
// Never outlive the bench.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' } satisfies LightReply);
