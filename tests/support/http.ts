import { CreatedDocument } from '../../shared/schema/api.js';

export async function createDocument(baseUrl: string, title: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return CreatedDocument.parse(await res.json()).id;
}
