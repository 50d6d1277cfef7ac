/**
 * What each `perfLab.*` setting holds, once: the settings module reads them typed and checked,
 * and test/unit/manifest.test.ts checks this table against package.json's declarations (where
 * the defaults live: none is copied into code). No `vscode` import.
 */
export const settingKinds = {
  'ideas.documents': 'string[]',
  'ideas.statuses': 'string[]',
  'hotPaths.threshold': 'number',
  'hotPaths.metric': ['total', 'self'],
  'hotPaths.decorations': 'boolean',
  'hotPaths.diagnostics': 'boolean',
  'profiles.directory': 'string',
  'profiles.prefixMap': 'object',
  'benchmarks.criterionArgs': 'string[]',
  'benchmarks.divanArgs': 'string[]',
  'benchmarks.libtestArgs': 'string[]',
  'benchmarks.goArgs': 'string[]',
  'benchmarks.catch2Args': 'string[]',
  'benchmarks.googleBenchmarkArgs': 'string[]',
  commands: 'array',
  targets: 'object',
  'experiments.directory': 'string',
  'experiments.rounds': 'integer',
  'experiments.runsPerSide': 'integer',
  'experiments.buildCommand': 'string',
  'experiments.sharedPaths': 'string[]',
  'experiments.profile': 'boolean',
  'experiments.instructions': ['off', 'report', 'decide'],
  'experiments.metric': ['time', 'instructions', 'peak memory'],
  'experiments.correctnessCommand': 'string',
  methodologyFile: 'string',
  methodology: 'object',
  'trace.server': ['off', 'messages', 'verbose'],
} as const;

export type SettingKey = keyof typeof settingKinds;

type ValueOf<Kind> = Kind extends 'string[]'
  ? string[]
  : Kind extends 'number' | 'integer'
    ? number
    : Kind extends 'boolean'
      ? boolean
      : Kind extends 'string'
        ? string
        : Kind extends 'object'
          ? Record<string, unknown>
          : Kind extends 'array'
            ? unknown[]
            : Kind extends readonly (infer Choice)[]
              ? Choice
              : never;

export type SettingValue<K extends SettingKey> = ValueOf<(typeof settingKinds)[K]>;

/** Whether `value` is what setting `key` holds (a hand-edited settings.json can hold anything). */
export function isSettingValue<K extends SettingKey>(key: K, value: unknown): value is SettingValue<K> {
  const kind: (typeof settingKinds)[SettingKey] = settingKinds[key];
  if (Array.isArray(kind)) return (kind as readonly unknown[]).includes(value);
  switch (kind) {
    case 'string[]':
      return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
    case 'array':
      return Array.isArray(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
  return false;
}
