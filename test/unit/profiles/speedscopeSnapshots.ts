/**
 * Reads speedscope's Jest snapshots in ../shared/conformance (MIT, speedscope commit 3613918):
 * per profile, the frames with their self and total weights as speedscope computed them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const conformance = path.resolve(__dirname, '../../../../../shared/conformance/profiles');
export const speedscopeSamples = path.join(conformance, 'speedscope');

export interface SnapshotFrame {
  name: string;
  file?: string;
  selfWeight: number;
  totalWeight: number;
}

export interface SnapshotProfile {
  name: string;
  frames: SnapshotFrame[];
  /** Raw value of a snapshot that is a single string (error messages). */
  text?: string;
}

export function readSnapshots(file: string): Map<string, SnapshotProfile> {
  const text = readFileSync(path.join(speedscopeSamples, 'expected', file), 'utf8');
  const result = new Map<string, SnapshotProfile>();
  for (const match of text.matchAll(/^exports\[`(.+?)`\] = `([\s\S]*?)`;$/gm)) {
    const [, title, body] = match;
    const frames: SnapshotFrame[] = [];
    for (const frame of body!.matchAll(/Frame \{([\s\S]*?)\n\s+\},?/g)) {
      const field = (key: string) => new RegExp(`"${key}": (.+?),?\\n`).exec(frame[1]! + '\n')?.[1];
      const name = JSON.parse(field('name')!) as string;
      const fileValue = field('file');
      const entry: SnapshotFrame = { name, selfWeight: Number(field('selfWeight')), totalWeight: Number(field('totalWeight')) };
      if (fileValue && fileValue !== 'undefined') entry.file = JSON.parse(fileValue) as string;
      frames.push(entry);
    }
    const name = /\n {2}"name": (".*?"),\n/.exec(body!)?.[1];
    result.set(title!, { name: name ? (JSON.parse(name) as string) : '', frames, text: body!.trim() });
  }
  return result;
}
