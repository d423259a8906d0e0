import WebSocket from 'ws';

export type Closed = { code: number; reason: string };

/** A bare websocket for sending frames no stock client would send. */
export async function openRaw(
  wsUrl: string,
  documentId: string,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; closed: Promise<Closed> }> {
  const ws = new WebSocket(`${wsUrl}/${documentId}${token ? `?token=${token}` : ''}`, { headers });
  const closed = new Promise<Closed>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before open')));
  });
  return { ws, closed };
}
