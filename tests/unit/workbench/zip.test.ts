import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { crc32, createZip } from '../../../src/workbench/zip.ts';

/** Reads a store-only ZIP through its central directory, the way unzip tools do. */
function parseZip(zip: Uint8Array): Array<{ name: string; text: string; crc: number }> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    expect(view.getUint16(at + 10, true)).toBe(0); // stored
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(dataStart, dataStart + size);
    expect(crc32(data)).toBe(crc);
    out.push({ name, text: decoder.decode(data), crc });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

describe('zip writer', () => {
  test('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  const files = [
    { name: 'reverse-proxy/proxy.ts', data: 'export const x = 1;\n' },
    { name: 'reverse-proxy/lib/cache.ts', data: '// café ☕ — UTF-8\n' },
    { name: 'reverse-proxy/empty.ts', data: '' },
  ];

  test('every file comes back byte for byte through the central directory', () => {
    const parsed = parseZip(createZip(files, new Date(2024, 4, 17, 13, 45, 30)));
    expect(parsed.map((f) => [f.name, f.text])).toEqual(files.map((f) => [f.name, f.data]));
  });

  test.skipIf(!existsSync('/usr/bin/unzip'))('unzip -t accepts it and extracts the same text', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hop-zip-'));
    try {
      const file = path.join(dir, 'code.zip');
      writeFileSync(file, createZip(files));
      const test = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(test).toContain('No errors detected');
      execFileSync('unzip', ['-q', file, '-d', path.join(dir, 'out')]);
      expect(readFileSync(path.join(dir, 'out/reverse-proxy/lib/cache.ts'), 'utf8')).toBe(files[1]!.data);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an empty archive is just the end record', () => {
    const zip = createZip([]);
    expect(zip.length).toBe(22);
    expect(parseZip(zip)).toEqual([]);
  });
});
