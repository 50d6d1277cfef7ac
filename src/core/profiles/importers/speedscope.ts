/**
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json): sampled and
 * evented profiles over shared frames. With several profiles in one file, each becomes a root
 * frame named after it, so none is lost.
 */
import { ProfileError } from '../errors';
import { Profile, ProfileBuilder } from '../model';
import * as shape from '../../shape';

interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

export function importSpeedscope(document: unknown, source: string): Profile {
  const file = shape.object(document, 'the document');
  const shared = file.shared === undefined ? undefined : shape.object(file.shared, 'shared');
  if (!Array.isArray(file.profiles) || !Array.isArray(shared?.frames)) {
    throw new ProfileError(source, undefined, 'speedscope file without "profiles" and "shared.frames"');
  }
  const profiles = file.profiles.map((profile, index) => shape.object(profile, `profiles[${index}]`));
  const frames: SpeedscopeFrame[] = (shared.frames as unknown[]).map((value, index) => {
    const where = `shared.frames[${index}]`;
    const frame = shape.object(value, where);
    const file = shape.optionalText(frame.file, `${where}.file`);
    const line = shape.optionalNumber(frame.line, `${where}.line`, { min: 0, integer: true });
    const col = shape.optionalNumber(frame.col, `${where}.col`, { min: 0, integer: true });
    return { name: shape.text(frame.name, `${where}.name`), ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line } : {}), ...(col !== undefined ? { col } : {}) };
  });
  const unit = shape.optionalText(profiles[0]?.unit, 'profiles[0].unit') ?? 'none';
  const b = new ProfileBuilder('speedscope', source, [{ name: unit === 'none' ? 'samples' : 'time', unit }]);
  const frameIds = frames.map((frame) => b.frameId(b.functionId(frame.name, frame.file), frame.line, frame.col));
  const frameAt = (index: unknown, where: string) => {
    const id = typeof index === 'number' ? frameIds[index] : undefined;
    if (id === undefined) throw new ProfileError(source, undefined, `${where} refers to frame ${shape.describeValue(index)}, which does not exist`);
    return id;
  };
  const several = profiles.length > 1;
  profiles.forEach((profile, profileIndex) => {
    const name = shape.optionalText(profile.name, `profiles[${profileIndex}].name`);
    const label = `profile "${name ?? profileIndex}"`;
    const root = several ? b.child(-1, b.frameId(b.functionId(name ?? `profile ${profileIndex}`, undefined, '[profile]', { external: true }))) : -1;
    if (profile.type === 'sampled') {
      const samples = shape.optionalList(profile.samples, `${label}: "samples"`) ?? [];
      const weights = shape.optionalList(profile.weights, `${label}: "weights"`) ?? samples.map(() => 1);
      const bad = weights.findIndex((weight) => typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0);
      if (bad >= 0) throw new ProfileError(source, undefined, `${label}, sample ${bad}: weight ${shape.describeValue(weights[bad])} is not a number of at least 0`);
      samples.forEach((stack, i) => {
        if (!Array.isArray(stack)) throw new ProfileError(source, undefined, `${label}, sample ${i}: a stack must be a list of frame indexes`);
        let node = root;
        for (const index of stack) node = b.child(node, frameAt(index, `${label}, sample ${i}`));
        b.addWeight(node, 0, (weights[i] as number | undefined) ?? 0);
        b.samples++;
      });
    } else if (profile.type === 'evented') {
      const events = (shape.optionalList(profile.events, `${label}: "events"`) ?? []).map((value, index) => {
        const where = `${label}, event ${index}`;
        const event = shape.object(value, where);
        return { type: event.type, at: shape.number(event.at, `${where}: "at"`), frame: event.frame };
      });
      importEvents(b, events, root, label, frameAt, source, frames);
    } else {
      throw new ProfileError(source, undefined, `${label} has unknown type ${shape.describeValue(profile.type)}`);
    }
  });
  return b.build();
}

function importEvents(
  b: ProfileBuilder,
  events: readonly { type: unknown; at: number; frame: unknown }[],
  root: number,
  label: string,
  frameAt: (index: unknown, where: string) => number,
  source: string,
  frames: SpeedscopeFrame[],
): void {
  const open: { frame: unknown; node: number }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  let previousAt = 0;
  for (const event of events) {
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
        const name = (index: unknown) => (typeof index === 'number' && frames[index] ? `"${frames[index].name}"` : shape.describeValue(index));
        throw new ProfileError(source, undefined, `${label}: leaves frame ${name(event.frame)} while ${name(top?.frame)} is at the top, at ${event.at}`);
      }
      open.pop();
    }
  }
  if (open.length) {
    throw new ProfileError(source, undefined, `${label}: the trace ends with ${open.length} frame(s) still open (an incomplete trace)`);
  }
}
