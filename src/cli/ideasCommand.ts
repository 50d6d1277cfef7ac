/** `perf-lab ideas` and `perf-lab ideas set`: the idea documents from the command line. */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  applyEdits,
  spliceChangedLines,
  defaultIdeaDocumentGlobs,
  Idea,
  IdeaEditError,
  inlineText,
  listFiles,
  matchesAny,
  parseIdeas,
  resolveLocations,
  setMeasuredEdits,
  setStatusEdits,
  TextEdit,
  unifiedDiff,
} from '../core/ideas';
import { CliUsageError, commandArgs } from './args';
import type { CliIo } from './cli';

export const ideasUsage = `perf-lab ideas [FILES...] [--json]
perf-lab ideas set FILE:LINE|ID [--title TITLE] [--status S] [--measured TEXT] [--write]`;

/** A problem with the user's files: exit code 1, the message names the file and line. */
export class IdeasError extends Error {}

/** The workspace's idea documents by the default globs (the CLI has no settings). */
export function ideaDocuments(files: readonly string[]): string[] {
  return files.filter((file) => file.endsWith('.md') && matchesAny(file, defaultIdeaDocumentGlobs));
}

/** A document's text; a file that cannot be read is the user's problem, named. */
export function readDocument(root: string, document: string): string {
  try {
    return readFileSync(path.resolve(root, document), 'utf8');
  } catch (error) {
    throw new IdeasError(`${document}: ${(error as Error).message}`);
  }
}

export async function runIdeasCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] === 'set') return setCommand(args.slice(1), io);
  const root = process.cwd();
  const workspaceFiles = listFiles(root);
  const { values, positionals: given } = commandArgs(args, { json: { type: 'boolean' } });
  const documents = given.length ? given : ideaDocuments(workspaceFiles);
  const ideas: Idea[] = [];
  for (const document of documents) ideas.push(...parseIdeas(readDocument(root, document), document).ideas);
  resolveLocations(ideas, {
    files: workspaceFiles,
    read: (file) => {
      try {
        return readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  const byStatus: Record<string, number> = {};
  for (const idea of ideas) byStatus[idea.status ?? 'No status'] = (byStatus[idea.status ?? 'No status'] ?? 0) + 1;
  if (values.json) {
    const json = {
      ideas: ideas.map((idea) => ({
        id: idea.id,
        title: idea.title,
        document: idea.document,
        line: idea.line,
        section: idea.section,
        status: idea.status ?? null,
        impact: idea.impact ?? null,
        locations: idea.locations.map((location) => ({
          text: location.text,
          file: location.file ?? null,
          line: location.resolvedLine ?? location.line ?? null,
          resolved: location.resolved ?? false,
        })),
      })),
      byStatus,
    };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  let current = '';
  for (const idea of ideas) {
    if (idea.document !== current) {
      current = idea.document;
      io.out(`${current}\n`);
    }
    const unresolved = idea.locations.filter((location) => !location.resolved).map((location) => location.text);
    io.out(`  ${idea.line}: [${idea.status ?? 'No status'}] ${idea.title}${unresolved.length ? `  (unresolved: ${unresolved.join(', ')})` : ''}\n`);
  }
  io.out(
    `${ideas.length} ideas: ${Object.entries(byStatus)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ')}\n`,
  );
  return 0;
}

function setCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = commandArgs(args, { status: { type: 'string' }, measured: { type: 'string' }, title: { type: 'string' }, write: { type: 'boolean' } });
  const [target] = positionals;
  // FILE#SLUG (an id of `ideas --json`) names an idea wherever it has moved; FILE:LINE is checked
  // against --title when given, so a row inserted above since does not edit its neighbour.
  const match = target ? /^(.*)(?::(\d+)|#([^#:]+))$/.exec(target) : null;
  if (!match) throw new CliUsageError('ideas set needs FILE:LINE or an idea id FILE#SLUG');
  const { status, measured, title: expectedTitle } = values;
  if (status === undefined && measured === undefined) throw new CliUsageError('ideas set needs --status or --measured');
  const [, file, lineText, id] = match;
  let text: string;
  try {
    text = readFileSync(file!, 'utf8');
  } catch (error) {
    throw new IdeasError(`${file}: ${(error as Error).message}`);
  }
  const ideas = parseIdeas(text, file!).ideas;
  let idea: Idea | undefined;
  if (id !== undefined) {
    idea = ideas.find((candidate) => candidate.id === target);
    if (!idea) throw new IdeasError(`${file}: no idea with the id ${target} (perf-lab ideas --json lists them)`);
  } else {
    const line = Number(lineText);
    idea = ideas.find((candidate) => candidate.line <= line && line <= Math.max(candidate.line, candidate.endLine));
    if (!idea) throw new IdeasError(`${file}:${line}: no idea on this line`);
  }
  if (expectedTitle !== undefined && inlineText(expectedTitle).trim() !== idea.title) {
    throw new IdeasError(`${file}:${idea.line}: the idea here is "${idea.title}", not "${expectedTitle}"; nothing changed (the file may have changed since; ${idea.id} names it wherever it is)`);
  }
  const edits: TextEdit[] = [];
  try {
    if (status !== undefined) edits.push(...setStatusEdits(text, idea, status));
    if (measured !== undefined) {
      // Measured edits are computed on the text after the status edit, so both can apply.
      const afterStatus = applyEdits(text, edits);
      const reparsed = parseIdeas(afterStatus, file!).ideas.find((candidate) => candidate.id === idea.id)!;
      const after = applyEdits(afterStatus, setMeasuredEdits(afterStatus, reparsed, measured));
      return finish(io, file!, text, after, values.write === true);
    }
  } catch (error) {
    if (error instanceof IdeaEditError) throw new IdeasError(error.message);
    throw error;
  }
  return finish(io, file!, text, applyEdits(text, edits), values.write === true);
}

function finish(io: CliIo, file: string, before: string, after: string, write: boolean): number {
  io.out(unifiedDiff(file, before, after));
  // Only the changed lines' bytes are written: invalid UTF-8 elsewhere stays as it was.
  if (write && after !== before) writeFileSync(file, spliceChangedLines(readFileSync(file), before, after));
  return 0;
}
