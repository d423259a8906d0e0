import * as Y from 'yjs';
import { encodeSyncStep1 } from '../shared/protocol/messages.js';

/**
 * The one frame the light sockets send, encoded once by the shared protocol
 * module: sync step 1 of a client that has nothing (its state vector is the
 * single varUint 0), so the server answers with the whole document.
 */
export const EMPTY_SYNC_STEP1 = encodeSyncStep1(new Y.Doc());
