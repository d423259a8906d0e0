import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importDocx } from '../../server/convert/docx.js';
import { DOCX_LIMITS, checkDocxZip, readZipDirectory } from '../../server/convert/zip-guard.js';
import { UnprocessableEntityError } from '../../server/errors.js';
import { sampleWordDraft } from '../support/docx-fixtures.js';
import { deflated, mainPartBomb, rawZip, zerosStream } from '../support/hostile-zip.js';

const TYPES = deflated('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
const MAIN = deflated('word/document.xml', '<w:document/>');

describe('the zip guard bounds every part it inflates, whatever its name', () => {
  it('the hostile stream really is small and inflates to far more than it declares', () => {
    const stream = zerosStream(4);
    expect(stream.length).toBeLessThan(8 * 1024);
    expect(zlib.inflateRawSync(stream).length).toBe(4 * 1024 * 1024);
  });

  it('refuses a main part named .dat that declares 4,000 bytes and inflates to 1.3 GB, without inflating it', () => {
    const zip = mainPartBomb(1300);
    expect(zip.length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage();
    const started = performance.now();
    expect(() => checkDocxZip(zip)).toThrow(UnprocessableEntityError);
    expect(() => checkDocxZip(zip)).toThrow(/more data than it declares \(a "zip bomb"\)/);
    // Stopped a few chunks past 4 kB: inflating 1.3 GB takes seconds and as much memory.
    expect((performance.now() - started) / 2).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses that file before mammoth reads it', async () => {
    await expect(importDocx(mainPartBomb(200))).rejects.toThrow(/zip bomb/);
  });

  it('refuses a lying part of any name: an image, a part with no extension', () => {
    for (const name of ['word/media/image1.png', 'word/document', 'customXml/item1.bin']) {
      const zip = rawZip([TYPES, MAIN, { name, body: zerosStream(64), declaredSize: 1000 }]);
      expect(() => checkDocxZip(zip), name).toThrow(/more data than it declares/);
    }
  });

  it('caps each part and the total, whatever they declare', () => {
    const honest = (name: string, mib: number) => ({ name, body: zerosStream(mib), declaredSize: mib * 1024 * 1024 });
    const limits = { ...DOCX_LIMITS, maxEntryBytes: 3 * 1024 * 1024, maxTotalBytes: 5 * 1024 * 1024, maxRatio: 1e9 };
    expect(() => checkDocxZip(rawZip([TYPES, MAIN, honest('word/media/a.bin', 2)]), limits)).not.toThrow();
    expect(() => checkDocxZip(rawZip([TYPES, MAIN, honest('word/media/a.bin', 4)]), limits)).toThrow(/zip bomb/);
    expect(() => checkDocxZip(rawZip([TYPES, MAIN, honest('word/media/a.bin', 3), honest('word/media/b.bin', 3)]), limits)).toThrow(/zip bomb/);
  });

  it('refuses a stored part whose size is not what it declares', () => {
    const zip = rawZip([TYPES, MAIN, { name: 'word/styles.xml', body: Buffer.from('<x/>'), method: 0, declaredSize: 1 }]);
    expect(() => checkDocxZip(zip)).toThrow(/size mismatch/);
  });

  it('reads the directory as JSZip does: no gap before the end record, no zip64 or multi-volume markers', () => {
    expect(() => readZipDirectory(rawZip([TYPES, MAIN]))).not.toThrow();
    // JSZip would take the gap for bytes prepended to the archive and read every part at another offset.
    expect(() => readZipDirectory(rawZip([TYPES, MAIN], { gapBeforeEnd: 46 }))).toThrow(/bad zip directory/);
    // JSZip would look for zip64 records instead of the directory checked here.
    expect(() => readZipDirectory(rawZip([TYPES, MAIN], { diskNumber: 0xffff }))).toThrow(/zip64/);
    expect(() => readZipDirectory(rawZip([TYPES, MAIN], { diskNumber: 1 }))).toThrow(/multi-volume/);
  });

  it('still accepts a real Word document', async () => {
    const word = await sampleWordDraft();
    expect(() => checkDocxZip(word)).not.toThrow();
    const result = await importDocx(word);
    expect(result.paragraphCount).toBeGreaterThan(3);
  });
});
