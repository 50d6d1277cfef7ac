/**
 * valgrind DHAT's `dhat.out.PID` (JSON, dhatFileVersion 2, heap mode): per allocation point the
 * bytes and blocks allocated, held at the global peak (t-gmax) and at exit, and the bytes read
 * and written. Each point is a stack (`fs` indexes `ftbl`, the allocation function first); the
 * profile has one sample type per figure, bytes at peak first.
 */
import * as shape from '../../shape';
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';
import { valgrindFrame, valgrindStack } from './massif';

const figures = [
  { key: 'gb', name: 'bytes at peak', unit: 'bytes' },
  { key: 'tb', name: 'bytes allocated', unit: 'bytes' },
  { key: 'tbk', name: 'allocations', unit: 'count' },
  { key: 'eb', name: 'leaked bytes', unit: 'bytes' },
  { key: 'rb', name: 'bytes read', unit: 'bytes' },
  { key: 'wb', name: 'bytes written', unit: 'bytes' },
] as const;

export function isDhat(document: unknown): boolean {
  return !!document && typeof document === 'object' && typeof (document as Record<string, unknown>).dhatFileVersion === 'number';
}

export function importDhat(document: unknown, source: string): Profile {
  const dhat = shape.object(document, 'the document');
  const version = shape.number(dhat.dhatFileVersion, 'dhatFileVersion');
  if (version !== 2) throw new ProfileError(source, undefined, `DHAT file version ${version}, which Perf Lab does not read (it reads version 2)`);
  if (dhat.mode !== 'heap') throw new ProfileError(source, undefined, `a DHAT ${JSON.stringify(dhat.mode)} profile: Perf Lab reads heap profiles (DHAT's default mode)`);
  const table = (shape.optionalList(dhat.ftbl, 'ftbl') ?? []).map((entry, index) => shape.text(entry, `ftbl[${index}]`));
  const b = new ProfileBuilder(
    'dhat',
    source,
    figures.map(({ name, unit }) => ({ name, unit })),
  );
  const frames = new Map<number, { id: number; address?: string }>();
  const frameOf = (index: number, where: string) => {
    let frame = frames.get(index);
    if (frame) return frame;
    const text = table[index];
    if (text === undefined) throw new ProfileError(source, undefined, `${where} refers to frame ${index}, which ftbl does not have`);
    frames.set(index, (frame = valgrindFrame(b, text)));
    return frame;
  };
  (shape.optionalList(dhat.pps, 'pps') ?? []).forEach((entry, index) => {
    const where = `pps[${index}]`;
    const point = shape.object(entry, where);
    const stack = (shape.optionalList(point.fs, `${where}.fs`) ?? []).map((frame, at) => shape.number(frame, `${where}.fs[${at}]`, { integer: true, min: 0 }));
    // Innermost first in the file; root first here. ftbl[0] is "[root]", no frame of the program.
    const path = stack
      .filter((frame) => table[frame] !== '[root]')
      .reverse()
      .map((frame) => frameOf(frame, where));
    const node = path.length ? valgrindStack(b, path) : b.child(-1, b.frameId(b.functionId('[unknown allocation site]')));
    figures.forEach(({ key }, type) => b.addWeight(node, type, shape.optionalNumber(point[key], `${where}.${key}`, { min: 0 }) ?? 0));
    b.samples += shape.optionalNumber(point.tbk, `${where}.tbk`, { min: 0 }) ?? 0;
  });
  return b.build();
}
