import * as vscode from 'vscode';

/**
 * Views whose features have not landed yet. An empty tree makes VS Code show the view's welcome
 * text (package.json `viewsWelcome`) instead of "no data provider". Each feature replaces its
 * entry with a real provider.
 */
const placeholderViewIds = ['perfLab.experiments'];

const emptyTree: vscode.TreeDataProvider<never> = {
  getChildren: () => [],
  getTreeItem: (element: never) => element,
};

export function registerPlaceholderViews(): vscode.Disposable[] {
  return placeholderViewIds.map((id) => vscode.window.registerTreeDataProvider(id, emptyTree));
}
