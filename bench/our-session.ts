/**
 * Our server may require a signed-in secretariat account to create documents
 * and a session to open the websocket. A fresh data directory has no account;
 * the server logs a one-time setup link instead, which the bench redeems once
 * per server start for a session cookie. A server without sign-in logs no
 * link, and the bench then sends no credentials.
 */
export async function sessionFromSetupLink(httpBase: string, setupUrl: string): Promise<string> {
  const token = new URL(setupUrl).pathname.split('/').filter(Boolean).at(-1) ?? '';
  const res = await fetch(`${httpBase}/api/session/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, name: 'Bench Secretariat', password: 'bench-password-not-secret' }),
  });
  if (!res.ok) throw new Error(`setting up the bench account answered ${res.status}: ${await res.text()}`);
  // "nde_session=<secret>; Path=/; HttpOnly; ..." → "nde_session=<secret>"
  const cookies = res.headers.getSetCookie().map((c) => c.split(';', 1)[0]!);
  if (cookies.length === 0) throw new Error('setting up the bench account returned no session cookie');
  return cookies.join('; ');
}
