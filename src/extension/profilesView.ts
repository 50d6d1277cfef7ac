import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { LoadProfileRequest, ProfilesChangedNotification, ProfileSummaryItem, ProfilesRequest, SetActiveProfileRequest } from '../protocol/lsp';
import { errorText, PerfLabLanguageServer } from './languageServer';

/** File names Perf Lab offers to open as profiles (content decides the format). */
export const profileFilePatterns = [
  '*.perf',
  '*.perf.txt',
  '*.folded',
  '*.collapsed',
  'callgrind.out*',
  '*.pb',
  '*.pb.gz',
  '*.cpuprofile',
  '*.speedscope.json',
  'profile.json.gz',
  '*.samply.json',
  '*.samply.json.gz',
  '*.heapprofile',
  'heaptrack.*.zst',
  'heaptrack.*.gz',
  'massif.out*',
  'dhat.out*',
];

/** The Profiles view: loaded profiles, the active one first-class; opening and switching. */
export class ProfilesView implements vscode.TreeDataProvider<ProfileSummaryItem>, vscode.Disposable {
  private profiles: ProfileSummaryItem[] = [];
  private readonly changed = new vscode.EventEmitter<ProfileSummaryItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Fires when the active profile changes (heat decorations repaint). */
  private readonly activeChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly server: PerfLabLanguageServer) {
    this.disposables.push(
      vscode.window.registerTreeDataProvider('perfLab.profiles', this),
      this.changed,
      this.activeChanged,
      server.client.onNotification(ProfilesChangedNotification.type, () => void this.reload()),
      // A restarted server (crashed, or Restart Language Server) knows no profiles: load the
      // ones this view listed again, the active one last so it stays active.
      server.client.onDidChangeState(({ newState }) => {
        if (newState === State.Running && this.profiles.length) void this.restore(this.profiles);
      }),
    );
  }

  private async restore(previous: readonly ProfileSummaryItem[]): Promise<void> {
    const ordered = [...previous.filter((profile) => !profile.active), ...previous.filter((profile) => profile.active)];
    for (const profile of ordered) {
      if (!existsSync(profile.path)) continue;
      try {
        await this.server.request(LoadProfileRequest.type, { path: profile.path });
      } catch {
        // A profile that no longer reads stays out; the others come back.
      }
    }
    await this.reload();
  }

  dispose(): void {
    this.disposables.forEach((disposable) => disposable.dispose());
  }

  get active(): ProfileSummaryItem | undefined {
    return this.profiles.find((profile) => profile.active);
  }

  async reload(): Promise<void> {
    try {
      this.profiles = await this.server.request(ProfilesRequest.type);
    } catch (error) {
      this.server.output.warn(`the Profiles view could not be read: ${errorText(error)}`);
      return;
    }
    this.changed.fire(undefined);
    this.activeChanged.fire();
  }

  /** Loads a profile file in the language server, with progress; it becomes the active one. */
  async open(file?: vscode.Uri): Promise<ProfileSummaryItem | undefined> {
    const target = file ?? (await this.pickProfileFile());
    if (!target) return undefined;
    try {
      const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Perf Lab: reading ${path.basename(target.fsPath)}` }, () =>
        this.server.request(LoadProfileRequest.type, { path: target.fsPath }),
      );
      await this.reload();
      vscode.window.setStatusBarMessage(`Perf Lab: ${path.basename(summary.path)}: ${summary.samples} samples (${summary.format})`, 5000);
      this.reportMissingSources(summary);
      this.reportSymbolization(summary);
      return summary;
    } catch (error) {
      void vscode.window.showErrorMessage(`Perf Lab: ${errorText(error)}`);
      return undefined;
    }
  }

  /** Says when a profile's hot code is in files that are nowhere here, and offers to map their folder. */
  private reportMissingSources(summary: ProfileSummaryItem): void {
    const missing = summary.missingSources;
    if (!missing) return;
    const files = `${missing.files[0]}${missing.files.length > 1 ? ', …' : ''}`;
    const map = 'Map to a Workspace Folder…';
    const action = missing.prefix ? map : 'Open Settings';
    const advice = missing.prefix ? `Map ${missing.prefix} to a folder of this workspace?` : 'perfLab.profiles.prefixMap maps them.';
    void vscode.window
      .showWarningMessage(
        `Perf Lab: ${missing.percent.toFixed(0)}% of ${path.basename(summary.path)} is in source files not on this machine (${files}), so no heat or lens shows for it. ${advice}`,
        action,
      )
      .then((choice) => {
        if (choice === map) void vscode.commands.executeCommand('perfLab.mapSourceFolder', { profile: summary.path, from: missing.prefix });
        else if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'perfLab.profiles.prefixMap');
      });
  }

  /** Says why most of a profile has no names or no callers, with the build's fix in the output. */
  private reportSymbolization(summary: ProfileSummaryItem): void {
    const report = summary.symbolization;
    if (!report) return;
    const show = 'Show How to Fix';
    void vscode.window.showWarningMessage(`Perf Lab: ${path.basename(summary.path)}: ${report.problems[0] ?? 'most of its frames have no names'}`, show).then((choice) => {
      if (choice !== show) return;
      const output = this.server.output;
      output.info(
        `${path.basename(summary.path)}: ${report.unnamedPercent.toFixed(0)}% of the time in frames without names, ${report.truncatedPercent.toFixed(0)}% in stacks that stop before main or a thread's start`,
      );
      for (const problem of report.problems) output.info(`  problem: ${problem}`);
      for (const fix of report.fixes) output.info(`  fix: ${fix}`);
      output.show(true);
    });
  }

  /**
   * "Perf Lab: Map Profile Sources to a Folder…": adds `from` → a workspace folder (picked, or
   * `to`) to perfLab.profiles.prefixMap and reads the profile again with it. Without arguments,
   * for the active profile's missing sources.
   */
  async mapSourceFolder(request?: { profile?: string; from?: string; to?: string }): Promise<ProfileSummaryItem | undefined> {
    const active = this.active;
    const profile = request?.profile ?? active?.path;
    const from = request?.from ?? active?.missingSources?.prefix;
    if (!profile || !from) {
      void vscode.window.showInformationMessage('Perf Lab: the active profile has no source files to map; perfLab.profiles.prefixMap maps build paths by hand.');
      return undefined;
    }
    const workspace = vscode.workspace.workspaceFolders?.[0];
    const to =
      request?.to ??
      (
        await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          defaultUri: workspace?.uri,
          openLabel: 'Map Here',
          title: `Where is ${from} in this workspace?`,
        })
      )?.[0]?.fsPath;
    if (!to) return undefined;
    // Written for the whole workspace: the language server reads prefixMap for all folders at once.
    const settings = vscode.workspace.getConfiguration('perfLab.profiles', workspace?.uri);
    await settings.update('prefixMap', { ...settings.get<Record<string, string>>('prefixMap', {}), [from]: to }, vscode.ConfigurationTarget.Workspace);
    const summary = await this.open(vscode.Uri.file(profile));
    if (summary && !summary.missingSources) void vscode.window.showInformationMessage(`Perf Lab: ${from} now reads as ${to}; the heat of ${path.basename(profile)} shows in its files.`);
    return summary;
  }

  /** Profile files of the workspace (recorded ones first), or any file through "Browse…". */
  private async pickProfileFile(): Promise<vscode.Uri | undefined> {
    const found = await vscode.workspace.findFiles(`{${profileFilePatterns.map((pattern) => `**/${pattern}`).join(',')}}`, '{**/node_modules/**,**/target/**}', 500);
    const recorded = (uri: vscode.Uri) => (uri.path.includes('/.perf-lab/') ? 0 : 1);
    found.sort((a, b) => recorded(a) - recorded(b) || a.path.localeCompare(b.path));
    const browse = { label: '$(folder-opened) Browse…', uri: undefined };
    const picked = await vscode.window.showQuickPick([...found.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })), browse], {
      title: 'Open Profile',
      placeHolder: 'A profile file of the workspace, or browse for one',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
    return (await vscode.window.showOpenDialog({ title: 'Open Profile', canSelectMany: false, openLabel: 'Open Profile', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri }))?.[0];
  }

  async setActive(profile: ProfileSummaryItem): Promise<void> {
    await this.server.request(SetActiveProfileRequest.type, { id: profile.id });
    await this.reload();
  }

  getChildren(): ProfileSummaryItem[] {
    return this.profiles;
  }

  getTreeItem(profile: ProfileSummaryItem): vscode.TreeItem {
    const item = new vscode.TreeItem(path.basename(profile.path));
    item.description = `${profile.active ? 'active · ' : ''}${profile.format} · ${profile.samples.toLocaleString()} samples`;
    item.tooltip = `${profile.path}\n${profile.totalWeight.toLocaleString()} ${profile.sampleType}, recorded ${new Date(profile.recordedAt).toLocaleString()}${profile.skippedLines ? `\n${profile.skippedLines} unreadable lines skipped` : ''}`;
    item.iconPath = new vscode.ThemeIcon(profile.active ? 'flame' : 'history');
    item.contextValue = profile.active ? 'profile.active' : 'profile';
    item.command = { command: 'perfLab.profiles.setActive', title: 'Make Active', arguments: [profile] };
    item.id = profile.id;
    return item;
  }
}
