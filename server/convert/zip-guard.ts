import zlib from 'node:zlib';
import { UnprocessableEntityError } from '../errors.js';

/**
 * A .docx is a zip, and a zip can claim anything: a few kilobytes that
 * inflate to gigabytes, millions of entries, sizes that lie. Mammoth (through
 * JSZip) would believe it, so the central directory is read here first and
 * every part, whatever its name, is inflated with a hard output cap before
 * mammoth ever sees the file: mammoth finds its main part through
 * [Content_Types].xml and the relationships, so "word/document.dat" is as
 * much a part it reads as "word/document.xml".
 *
 * The directory must also be read exactly as JSZip reads it, or the guard
 * checks one set of parts and mammoth inflates another: JSZip shifts every
 * offset when the directory does not end where the end record sits, and
 * switches to zip64 records when any end-record field is at its maximum, so
 * both are refused here.
 */

export type ZipLimits = {
  maxEntries: number;
  /** Sum of the declared uncompressed sizes, and of what the parts really inflate to. */
  maxTotalBytes: number;
  /** Largest one part may inflate to, whatever it declares. */
  maxEntryBytes: number;
  /** Declared uncompressed / compressed, for entries big enough to matter. */
  maxRatio: number;
};

export const DOCX_LIMITS: ZipLimits = {
  maxEntries: 2000,
  maxTotalBytes: 200 * 1024 * 1024,
  maxEntryBytes: 100 * 1024 * 1024,
  maxRatio: 200,
};

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localOffset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const NOT_DOCX = 'This file is not a valid Word document (.docx): it may be damaged or of another type.';
/** Output chunk of the capped inflate: how far past its cap a lying part gets before it is stopped. */
const INFLATE_CHUNK = 64 * 1024;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;

function bomb(): UnprocessableEntityError {
  return new UnprocessableEntityError('This file would expand to far more data than a Word document holds (a "zip bomb"); it was not imported.');
}

function liar(): UnprocessableEntityError {
  return new UnprocessableEntityError('This file expands to more data than it declares (a "zip bomb"); it was not imported.');
}

function corrupt(detail: string): UnprocessableEntityError {
  return new UnprocessableEntityError(`${NOT_DOCX} (${detail})`);
}

/** The last end record, as JSZip finds it (it searches from the very end, so a signature in the last 22 bytes counts). */
function findEndOfCentralDirectory(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 4; i >= stop; i--) {
    if (zip.readUInt32LE(i) !== EOCD) continue;
    if (i + 22 > zip.length) throw corrupt('cut-off zip directory');
    return i;
  }
  throw corrupt('no zip directory');
}

/** The entries the central directory declares, checked against the limits. */
export function readZipDirectory(zip: Buffer, limits: ZipLimits = DOCX_LIMITS): ZipEntry[] {
  if (zip.length < 22) throw corrupt('too short');
  const end = findEndOfCentralDirectory(zip);
  const disk = zip.readUInt16LE(end + 4);
  const dirDisk = zip.readUInt16LE(end + 6);
  const countOnDisk = zip.readUInt16LE(end + 8);
  const count = zip.readUInt16LE(end + 10);
  const dirSize = zip.readUInt32LE(end + 12);
  const dirOffset = zip.readUInt32LE(end + 16);
  if ([disk, dirDisk, countOnDisk, count].includes(MAX_16) || dirSize === MAX_32 || dirOffset === MAX_32) {
    throw corrupt('zip64 archives are not accepted');
  }
  if (disk !== 0 || dirDisk !== 0 || countOnDisk !== count) throw corrupt('multi-volume archives are not accepted');
  if (count > limits.maxEntries) {
    throw new UnprocessableEntityError(`This file has ${count} parts; a Word document has far fewer. It was not imported.`);
  }
  // Anything between the directory and the end record would make JSZip read every part at another offset.
  if (dirOffset + dirSize !== end) throw corrupt('bad zip directory');

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
    // JSZip reads 64-bit sizes and offsets from the extra field when one of these is at its maximum.
    if (entry.size === MAX_32 || entry.compressedSize === MAX_32 || entry.localOffset === MAX_32) {
      throw corrupt('zip64 archives are not accepted');
    }
    total += entry.size;
    const ratio = entry.size / Math.max(1, entry.compressedSize);
    if (total > limits.maxTotalBytes || entry.size > limits.maxEntryBytes || (entry.size > 1024 * 1024 && ratio > limits.maxRatio)) {
      throw bomb();
    }
    entries.push(entry);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  // JSZip reads directory records for as long as they follow each other, not `count` of them.
  if (at !== end) throw corrupt('bad zip directory');
  return entries;
}

/**
 * Inflates one entry, never producing more than it declared nor more than
 * `maxEntryBytes` (a lying header is a bomb too): zlib inflates in small
 * chunks and stops as soon as the output passes the cap, so a part that
 * declares 4 kB costs 4 kB and a few chunks, whatever its stream would make.
 */
export function readZipEntry(zip: Buffer, entry: ZipEntry, maxEntryBytes = DOCX_LIMITS.maxEntryBytes): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw corrupt(`bad entry ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw corrupt(`truncated entry ${entry.name}`);
  if (entry.size > maxEntryBytes) throw bomb();
  if (entry.method === 0) {
    if (data.length !== entry.size) throw corrupt(`size mismatch in ${entry.name}`);
    return data;
  }
  let out: Buffer;
  try {
    out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size), chunkSize: INFLATE_CHUNK });
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw liar();
    throw corrupt(`damaged entry ${entry.name}`);
  }
  if (out.length !== entry.size) throw corrupt(`size mismatch in ${entry.name}`);
  return out;
}

/**
 * Checks that a buffer is a sane .docx: a zip within the limits, with the
 * parts Word needs, every part of which really inflates to what it declares,
 * each within `maxEntryBytes` and all together within `maxTotalBytes`. Each
 * part's output is dropped once counted, so the check holds one part at a time.
 */
export function checkDocxZip(zip: Buffer, limits: ZipLimits = DOCX_LIMITS): void {
  const entries = readZipDirectory(zip, limits);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || ![...names].some((n) => n.startsWith('word/'))) {
    throw new UnprocessableEntityError(`${NOT_DOCX} (it is a zip archive without a Word document inside)`);
  }
  // Every part, not only those named .xml: the name does not decide what mammoth reads.
  let inflated = 0;
  for (const entry of entries) {
    inflated += readZipEntry(zip, entry, limits.maxEntryBytes).length;
    if (inflated > limits.maxTotalBytes) throw bomb();
  }
}
