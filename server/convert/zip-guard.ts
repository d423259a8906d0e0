import zlib from 'node:zlib';
import { UnprocessableEntityError } from '../errors.js';

/**
 * A .docx is a zip, and a zip can claim anything: a few kilobytes that
 * inflate to gigabytes, millions of entries, sizes that lie. Mammoth (through
 * JSZip) would believe it, so the central directory is read here first and
 * every part mammoth parses is inflated with a hard output cap before mammoth
 * ever sees the file.
 */

export type ZipLimits = {
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Declared uncompressed / compressed, for entries big enough to matter. */
  maxRatio: number;
};

export const DOCX_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 200 * 1024 * 1024, maxRatio: 200 };

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const NOT_DOCX = 'This file is not a valid Word document (.docx): it may be damaged or of another type.';

function corrupt(detail: string): UnprocessableEntityError {
  return new UnprocessableEntityError(`${NOT_DOCX} (${detail})`);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  throw corrupt('no zip directory');
}

/** The entries the central directory declares, checked against the limits. */
export function readZipDirectory(zip: Buffer, limits: ZipLimits = DOCX_LIMITS): ZipEntry[] {
  if (zip.length < 22) throw corrupt('too short');
  const end = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const dirSize = zip.readUInt32LE(end + 12);
  const dirOffset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw corrupt('zip64 archives are not accepted');
  if (count > limits.maxEntries) {
    throw new UnprocessableEntityError(`This file has ${count} parts; a Word document has far fewer. It was not imported.`);
  }
  if (dirOffset + dirSize > end) throw corrupt('bad zip directory');

  const entries: ZipEntry[] = [];
  let total = 0;
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== CENTRAL) throw corrupt('bad zip directory entry');
    const flags = zip.readUInt16LE(at + 8);
    const entry: ZipEntry = {
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      name: zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)),
      localOffset: zip.readUInt32LE(at + 42),
    };
    if (flags & 0x1) throw new UnprocessableEntityError('This document is password-protected: remove the password in Word and import it again.');
    if (entry.method !== 0 && entry.method !== 8) throw corrupt(`unsupported compression in ${entry.name}`);
    total += entry.size;
    const ratio = entry.size / Math.max(1, entry.compressedSize);
    if (total > limits.maxTotalBytes || (entry.size > 1024 * 1024 && ratio > limits.maxRatio)) {
      throw new UnprocessableEntityError(
        'This file would expand to far more data than a Word document holds (a "zip bomb"); it was not imported.',
      );
    }
    entries.push(entry);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** Inflates one entry, never producing more than it declared (a lying header is a bomb too). */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw corrupt(`bad entry ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw corrupt(`truncated entry ${entry.name}`);
  if (entry.method === 0) return data;
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnprocessableEntityError('This file expands to more data than it declares (a "zip bomb"); it was not imported.');
    }
    throw corrupt(`damaged entry ${entry.name}`);
  }
  if (out.length !== entry.size) throw corrupt(`size mismatch in ${entry.name}`);
  return out;
}

/**
 * Checks that a buffer is a sane .docx: a zip within the limits, with the
 * parts Word needs, whose XML parts really inflate to what they declare.
 */
export function checkDocxZip(zip: Buffer, limits: ZipLimits = DOCX_LIMITS): void {
  const entries = readZipDirectory(zip, limits);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || ![...names].some((n) => n.startsWith('word/'))) {
    throw new UnprocessableEntityError(`${NOT_DOCX} (it is a zip archive without a Word document inside)`);
  }
  // Mammoth parses only the XML parts; images are never read (see docx.ts).
  for (const entry of entries) {
    if (/\.(xml|rels)$/i.test(entry.name)) readZipEntry(zip, entry);
  }
}
