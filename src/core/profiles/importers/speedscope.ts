/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): sampled and
 * evented profiles over shared frames. With several profiles in one file, each becomes a root
 * frame named after it, so none is lost.
 */
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';

interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

interface SpeedscopeProfile {
  type: 'sampled' | 'evented';
  name?: string;
  unit?: string;
  samples?: number[][];
  weights?: number[];
  events?: { type: 'O' | 'C'; at: number; frame: number }[];
}

export function importSpeedscope(document: unknown, source: string): Profile {
  const file = document as { profiles?: SpeedscopeProfile[]; shared?: { frames?: SpeedscopeFrame[] } };
  const frames = file.shared?.frames;
  if (!Array.isArray(file.profiles) || !Array.isArray(frames)) {
    throw new ProfileError(source, undefined, 'speedscope file without "profiles" and "shared.frames"');
  }
  const unit = file.profiles[0]?.unit ?? 'none';
  const b = new ProfileBuilder('speedscope', source, [{ name: unit === 'none' ? 'samples' : 'time', unit }]);
  const frameIds = frames.map((frame, index) => {
    if (typeof frame?.name !== 'string') throw new ProfileError(source, undefined, `shared frame ${index} has no name`);
    const func = b.functionId(frame.name, frame.file);
    return b.frameId(func, frame.line, frame.col);
  });
  const frameAt = (index: number, where: string) => {
    const id = frameIds[index];
    if (id === undefined) throw new ProfileError(source, undefined, `${where} refers to frame ${index}, which does not exist`);
    return id;
  };
  const several = file.profiles.length > 1;
  file.profiles.forEach((profile, profileIndex) => {
    const label = `profile "${profile.name ?? profileIndex}"`;
    const root = several ? b.child(-1, b.frameId(b.functionId(profile.name ?? `profile ${profileIndex}`, undefined, '[profile]', { external: true }))) : -1;
    if (profile.type === 'sampled') {
      const samples = profile.samples ?? [];
      const weights = profile.weights ?? samples.map(() => 1);
      if (!Array.isArray(samples) || !Array.isArray(weights)) throw new ProfileError(source, undefined, `${label}: "samples" and "weights" must be lists`);
      const bad = weights.findIndex((weight) => typeof weight !== 'number' || !Number.isFinite(weight));
      if (bad >= 0) throw new ProfileError(source, undefined, `${label}, sample ${bad}: weight ${JSON.stringify(weights[bad])} is not a number`);
      samples.forEach((stack, i) => {
        if (!Array.isArray(stack)) throw new ProfileError(source, undefined, `${label}, sample ${i}: a stack must be a list of frame indexes`);
        let node = root;
        for (const index of stack) node = b.child(node, frameAt(index, `${label}, sample ${i}`));
        b.addWeight(node, 0, weights[i] ?? 0);
        b.samples++;
      });
    } else if (profile.type === 'evented') {
      importEvents(b, profile, root, label, frameAt, source, frames);
    } else {
      throw new ProfileError(source, undefined, `${label} has unknown type "${String(profile.type)}"`);
    }
  });
  return b.build();
}

function importEvents(
  b: ProfileBuilder,
  profile: SpeedscopeProfile,
  root: number,
  label: string,
  frameAt: (index: number, where: string) => number,
  source: string,
  frames: SpeedscopeFrame[],
): void {
  const open: { frame: number; node: number }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let previousAt = 0;
  for (const event of profile.events ?? []) {
    if (event.at < last) throw new ProfileError(source, undefined, `${label}: events are out of order at ${event.at}`);
    last = event.at;
    const top = open[open.length - 1];
    if (top) b.addWeight(top.node, 0, event.at - previousAt);
    previousAt = event.at;
    if (event.type === 'O') {
      const node = b.child(top ? top.node : root, frameAt(event.frame, label));
      open.push({ frame: event.frame, node });
      b.samples++;
    } else if (event.type === 'C') {
      if (!top || top.frame !== event.frame) {
        const name = (index: number | undefined) => (index === undefined ? 'nothing' : `"${frames[index]?.name}"`);
        throw new ProfileError(source, undefined, `${label}: leaves frame ${name(event.frame)} while ${name(top?.frame)} is at the top, at ${event.at}`);
      }
      open.pop();
    }
  }
  if (open.length) {
    throw new ProfileError(source, undefined, `${label}: the trace ends with ${open.length} frame(s) still open (an incomplete trace)`);
  }
}
