/**
 * Just enough ELF for symbolization: the loadable segments (perf script prints addresses as file
 * offsets in the binary, addr2line wants virtual addresses) and the GNU build-id.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface LoadSegment {
  offset: number;
  vaddr: number;
  fileSize: number;
}

export interface ElfInfo {
  segments: LoadSegment[];
  buildId?: string;
  /** Section names (`.symtab`, `.debug_info`, ...): whether it is stripped or has debug info. */
  sections: string[];
}

/** Reads an ELF64 little-endian file's program headers; undefined for anything else. */
export function readElf(file: string): ElfInfo | undefined {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(64);
    if (readSync(fd, header, 0, 64, 0) < 64) return undefined;
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return undefined;
    const phoff = Number(header.readBigUInt64LE(32));
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    if (phentsize < 56 || phnum > 512) return undefined;
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    const info: ElfInfo = { segments: [], sections: readSectionNames(fd, header) };
    for (let i = 0; i < phnum; i++) {
      const entry = table.subarray(i * phentsize);
      const type = entry.readUInt32LE(0);
      const offset = Number(entry.readBigUInt64LE(8));
      const fileSize = Number(entry.readBigUInt64LE(32));
      if (type === 1) info.segments.push({ offset, vaddr: Number(entry.readBigUInt64LE(16)), fileSize });
      if (type === 4 && fileSize < 4096) info.buildId ??= readBuildId(fd, offset, fileSize);
    }
    return info;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The section names from the section header table and its string table, bounded in size. */
function readSectionNames(fd: number, header: Buffer): string[] {
  const shoff = Number(header.readBigUInt64LE(40));
  const shentsize = header.readUInt16LE(58);
  const shnum = header.readUInt16LE(60);
  const shstrndx = header.readUInt16LE(62);
  if (!shoff || shentsize < 64 || shnum === 0 || shnum > 4096 || shstrndx >= shnum) return [];
  const table = Buffer.alloc(shentsize * shnum);
  if (readSync(fd, table, 0, table.length, shoff) < table.length) return [];
  const strings = table.subarray(shstrndx * shentsize);
  const size = Math.min(Number(strings.readBigUInt64LE(32)), 1 << 20);
  const names = Buffer.alloc(size);
  readSync(fd, names, 0, size, Number(strings.readBigUInt64LE(24)));
  const result: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const start = table.readUInt32LE(i * shentsize);
    if (start >= size) continue;
    const end = names.indexOf(0, start);
    result.push(names.toString('latin1', start, end < 0 ? size : end));
  }
  return result;
}

function readBuildId(fd: number, offset: number, size: number): string | undefined {
  const notes = Buffer.alloc(size);
  readSync(fd, notes, 0, size, offset);
  for (let at = 0; at + 12 <= size;) {
    const nameSize = notes.readUInt32LE(at);
    const descSize = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const nameStart = at + 12;
    const descStart = nameStart + align4(nameSize);
    if (type === 3 && notes.toString('latin1', nameStart, nameStart + nameSize - 1) === 'GNU') {
      return notes.toString('hex', descStart, descStart + descSize);
    }
    at = descStart + align4(descSize);
  }
  return undefined;
}

function align4(value: number): number {
  return (value + 3) & ~3;
}

/** The virtual address of a file offset, when a loadable segment holds it. */
export function offsetToVirtual(elf: ElfInfo, offset: number): number | undefined {
  for (const segment of elf.segments) {
    if (offset >= segment.offset && offset < segment.offset + segment.fileSize) return offset - segment.offset + segment.vaddr;
  }
  return undefined;
}

/**
 * The virtual address of an address relative to the binary's base (samply's and the Firefox
 * Profiler's "relative address"): the base is the address the first loaded segment maps file
 * offset 0 to, so 0 for position-independent executables and 0x400000 for classic ones.
 */
export function relativeToVirtual(elf: ElfInfo, relative: number): number {
  const first = elf.segments[0];
  return first ? relative + first.vaddr - first.offset : relative;
}
