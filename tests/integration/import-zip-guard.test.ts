import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentList, ErrorBody } from '../../shared/schema/api.js';
import { signInSecretariat, type Admin } from '../support/admin.js';
import { deflated, mainPartBomb, rawZip, zerosStream } from '../support/hostile-zip.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** Peak resident memory of a process, from Linux's /proc (null elsewhere). */
function peakMemoryBytes(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

describe('the import refuses a .docx whose parts inflate to more than they declare, whatever their names', () => {
  let server: ServerProcess;
  let admin: Admin;

  beforeAll(async () => {
    server = await startServerProcess();
    admin = await signInSecretariat(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const upload = (name: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    return admin.api('/api/documents/import', { method: 'POST', body: form });
  };
  const documentCount = async () => DocumentList.parse(await (await admin.api('/api/documents')).json()).documents.length;

  it('refuses a 1.3 MB file whose main part, word/document.dat, declares 4,000 bytes and inflates to 1.3 GB', async () => {
    const before = await documentCount();
    const peakBefore = peakMemoryBytes(server.process.pid!);
    const res = await upload('report.docx', mainPartBomb(1300));
    expect(res.status).toBe(422);
    const body = ErrorBody.parse(await res.json());
    expect(body).toMatchObject({ error: 'unprocessable_entity', message: expect.stringMatching(/zip bomb/) });
    expect(await documentCount()).toBe(before);
    // The server never held the inflated part.
    const peakAfter = peakMemoryBytes(server.process.pid!);
    if (peakBefore !== null && peakAfter !== null) expect(peakAfter - peakBefore).toBeLessThan(300 * 1024 * 1024);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('refuses a lying image part too', async () => {
    const zip = rawZip([
      deflated('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      deflated('word/document.xml', '<w:document/>'),
      { name: 'word/media/image1.png', body: zerosStream(64), declaredSize: 2048 },
    ]);
    const res = await upload('pictures.docx', zip);
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(await res.json()).message).toMatch(/more data than it declares/);
  });
});
