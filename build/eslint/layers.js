// ESLint rule `layers/imports`: which layer may import what. The layer of a file is decided by its path;
// relative imports are resolved to the layer of their target, bare imports are checked by package name.
// VS Code's code-layering rule is the model: the rule, not goodwill, keeps the layers apart.
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages that only run in Node (native addons, sockets, file system). */
const NODE_ONLY_PACKAGES = ['ssh2', 'better-sqlite3', 'ws', 'electron-builder', 'playwright-core'];

/**
 * Each layer: which layers it may import from, and which bare packages it may or may not use.
 * `allowPackages` is an allowlist (only these); `denyPackages` is a denylist.
 */
export const LAYERS = {
  shared: { canImport: ['shared'], allowPackages: ['zod'], nodeBuiltins: false, electron: false },
  renderer: {
    canImport: ['shared', 'renderer'],
    denyPackages: NODE_ONLY_PACKAGES,
    nodeBuiltins: false,
    electron: false,
  },
  core: { canImport: ['shared', 'core'], nodeBuiltins: true, electron: false },
  host: { canImport: ['shared', 'core', 'host'], nodeBuiltins: true, electron: false },
  shell: { canImport: ['shared', 'core', 'host', 'shell'], nodeBuiltins: true, electron: true },
  preload: { canImport: ['shared', 'preload'], nodeBuiltins: false, electron: true },
};

/** The layer a repository-relative path belongs to, or null for files outside the layers (tests, build). */
export function layerOf(relPath) {
  const p = relPath.split(path.sep).join('/');
  if (p.startsWith('shared/')) return 'shared';
  if (p.startsWith('renderer/')) return 'renderer';
  if (p.startsWith('electron/core/')) return 'core';
  if (p.startsWith('electron/host/')) return 'host';
  if (p.startsWith('electron/shell/')) return 'shell';
  if (p.startsWith('electron/preload/')) return 'preload';
  return null;
}

function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0];
}

/** Returns a message if `spec` imported from layer `from` (file at `fileRel`) breaks a rule, else null. */
export function checkImport(root, fileAbs, spec) {
  const fileRel = path.relative(root, fileAbs).split(path.sep).join('/');
  const from = layerOf(fileRel);
  if (!from) {
    // A file under electron/ outside its four layers must not become a back door to Electron.
    if (fileRel.startsWith('electron/') && !spec.startsWith('.') && packageName(spec) === 'electron') {
      return `only electron/shell and electron/preload may import 'electron' (found in ${path.posix.dirname(fileRel)}/)`;
    }
    return null;
  }
  const rules = LAYERS[from];
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = path.resolve(path.dirname(fileAbs), spec);
    const rel = path.relative(root, target);
    if (rel.startsWith('..')) return `${from}/ must not import files outside the repository (${spec})`;
    const to = layerOf(rel);
    // Node layers may read the app's package.json (its version); nothing else outside the layers.
    if (to === null && rel === 'package.json' && rules.nodeBuiltins) return null;
    if (to === null) return `${from}/ must not import ${rel} (not part of any layer)`;
    if (!rules.canImport.includes(to)) return `${from}/ must not import from ${to}/ (${spec})`;
    return null;
  }
  if (NODE_BUILTINS.has(spec) || spec.startsWith('node:')) {
    return rules.nodeBuiltins ? null : `${from}/ must not import Node built-in '${spec}'`;
  }
  const pkg = packageName(spec);
  if (pkg === 'electron') {
    return rules.electron ? null : `only electron/shell and electron/preload may import 'electron' (found in ${from}/)`;
  }
  if (rules.allowPackages && !rules.allowPackages.includes(pkg)) {
    return `${from}/ may only use the packages ${rules.allowPackages.join(', ')} (found '${pkg}')`;
  }
  if (rules.denyPackages && rules.denyPackages.includes(pkg)) {
    return `${from}/ must not import the Node-only package '${pkg}'`;
  }
  return null;
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer boundaries: shared, renderer, electron/{core,host,shell,preload}' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const message = checkImport(root, file, source.value);
      if (message) context.report({ node: source, message });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};

export default { rules: { imports: importsRule } };
