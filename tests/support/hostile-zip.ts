import zlib from 'node:zlib';

/**
 * Zips built byte by byte from raw deflate streams, for the import guard's
 * tests: a part whose stream inflates to far more than its header declares,
 * without the test ever holding (or compressing) that much data.
 */

const MIB = 1024 * 1024;

/**
 * A raw deflate stream of `mib` MiB of zeros, about 1 kB per MiB: one
 * sync-flushed block of a mebibyte repeated (a sync flush ends on a byte
 * boundary and the block only refers back to zeros, so copies chain), then
 * an empty final block.
 */
export function zerosStream(mib: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(MIB), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array.from({ length: mib }, () => block), zlib.deflateRawSync(Buffer.alloc(0))]);
}

export type RawEntry = {
  name: string;
  /** The bytes stored for the entry: already deflated when `method` is 8. */
  body: Buffer;
  method?: 0 | 8;
  /** What the headers claim the entry inflates to. */
  declaredSize: number;
  /** CRC-32 of the inflated data (0 when absent: the guard does not read it). */
  crc?: number;
};

/** A zip of entries as given, sizes and CRCs as declared. */
export function rawZip(entries: RawEntry[], options: { gapBeforeEnd?: number; diskNumber?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(entry.crc ?? 0, 14);
    local.writeUInt32LE(entry.body.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(entry.crc ?? 0, 16);
    central.writeUInt32LE(entry.body.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.body);
    centrals.push(central, name);
    offset += local.length + name.length + entry.body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.diskNumber ?? 0, 4);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, Buffer.alloc(options.gapBeforeEnd ?? 0), end]);
}

/** An honest deflated entry. */
export function deflated(name: string, text: string | Buffer): RawEntry {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return { name, body: zlib.deflateRawSync(data), declaredSize: data.length };
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Override PartName="/word/document.dat" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;

const RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.dat"/>
</Relationships>`;

/**
 * A .docx whose main part is `word/document.dat` (the relationships say so,
 * and mammoth follows them): it declares 4,000 bytes, and its stream inflates
 * to `mib` MiB.
 */
export function mainPartBomb(mib = 1300): Buffer {
  return rawZip([
    deflated('[Content_Types].xml', CONTENT_TYPES),
    deflated('_rels/.rels', RELS),
    { name: 'word/document.dat', body: zerosStream(mib), declaredSize: 4000 },
  ]);
}
