// The layering rule (DEVELOPERS.md "Layers"): every import — static, re-export, dynamic `import()`, `require`,
// `import x = require()`, and `import('x').T` types — is resolved to the folder it lands in and checked against
// the layer table; relative paths are resolved, so `../../electron/core/x` from the renderer is caught as
// surely as a bare specifier. Node built-ins are refused in shared/ and renderer/.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folder prefix → layer. Files outside these (tests, scripts, configs) are not layered. */
const LAYER_OF_FOLDER = [
  ['shared/', 'shared'],
  ['electron/core/', 'core'],
  ['electron/host/', 'node'],
  ['electron/cli/', 'node'],
  ['electron/node/', 'node'],
  ['electron/main/', 'shell'],
  ['electron/preload/', 'shell'],
  ['renderer/', 'renderer'],
];

const LAYER_NAMES = {
  shared: 'shared/',
  core: 'electron/core',
  node: 'electron/host, electron/cli, electron/node',
  shell: 'electron/main, electron/preload',
  renderer: 'renderer/',
};

/** Which layers each layer may import (the one-way table). */
export const MAY_IMPORT = {
  shared: ['shared'],
  core: ['shared', 'core'],
  node: ['shared', 'core', 'node'],
  shell: ['shared', 'core', 'node', 'shell'],
  renderer: ['shared', 'renderer'],
};

/** npm packages a layer must not use (beyond the table and the Node built-ins). */
const PACKAGES_REFUSED = {
  shared: ['electron', 'react', 'react-dom', 'antd', 'better-sqlite3', 'kysely', 'exceljs', 'iconv-lite', '@e965/xlsx', 'pdfjs-dist', 'fastify'],
  core: ['electron', 'react', 'react-dom', 'antd'],
  node: ['electron', 'react', 'react-dom', 'antd'],
  shell: ['react', 'react-dom', 'antd'],
  renderer: ['electron', 'better-sqlite3', 'kysely', 'exceljs', 'iconv-lite', '@e965/xlsx', 'fastify'],
};
const NO_NODE_BUILTINS = new Set(['shared', 'renderer']);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

export function layerOfPath(absPath) {
  const rel = relative(ROOT, absPath).split(sep).join('/');
  if (rel.startsWith('..')) return null;
  for (const [prefix, layer] of LAYER_OF_FOLDER) if (rel.startsWith(prefix)) return layer;
  return null;
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function isNodeBuiltin(spec) {
  if (spec.startsWith('node:')) return true;
  return BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

/** Where a specifier lands: a layer of ours, a Node built-in, a package, or outside the layered folders. */
export function classify(spec, fromFile) {
  if (spec.startsWith('@shared/') || spec === '@shared') return { kind: 'ours', layer: 'shared' };
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const target = isAbsolute(spec) ? spec : resolve(dirname(fromFile), spec);
    return { kind: 'ours', layer: layerOfPath(target), path: relative(ROOT, target).split(sep).join('/') };
  }
  if (isNodeBuiltin(spec)) return { kind: 'builtin' };
  return { kind: 'package', name: packageName(spec) };
}

function literalOf(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table; no Node built-ins in shared/ and renderer/.' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} ("{{spec}}"): the layers run shared ← core ← host/cli/node ← main/preload; renderer sees only shared.',
      outside: '{{from}} may not import "{{spec}}", which lies outside the layered folders.',
      builtin: '{{from}} is pure (no Node): "{{spec}}" is a Node built-in.',
      package: '{{from}} may not use the package "{{spec}}".',
      computed: 'A computed import()/require() specifier cannot be checked against the layers: use a literal string.',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = layerOfPath(resolve(file));
    if (!from) return {};
    const check = (node, spec) => {
      if (spec === null) {
        context.report({ node, messageId: 'computed' });
        return;
      }
      const c = classify(spec, resolve(file));
      const data = { from: LAYER_NAMES[from], spec };
      if (c.kind === 'builtin') {
        if (NO_NODE_BUILTINS.has(from)) context.report({ node, messageId: 'builtin', data });
      } else if (c.kind === 'package') {
        if (PACKAGES_REFUSED[from].includes(c.name)) context.report({ node, messageId: 'package', data });
      } else if (!c.layer) {
        context.report({ node, messageId: 'outside', data });
      } else if (!MAY_IMPORT[from].includes(c.layer)) {
        context.report({ node, messageId: 'layer', data: { ...data, to: LAYER_NAMES[c.layer] } });
      }
    };
    const checkSource = (node) => {
      if (node.source) check(node.source, literalOf(node.source));
    };
    return {
      ImportDeclaration: checkSource,
      ExportNamedDeclaration: checkSource,
      ExportAllDeclaration: checkSource,
      ImportExpression: (node) => check(node.source, literalOf(node.source)),
      CallExpression(node) {
        const callee = node.callee;
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'require' && callee.property.name === 'resolve');
        if (isRequire && node.arguments.length > 0) check(node.arguments[0], literalOf(node.arguments[0]));
      },
      TSImportType(node) {
        // typescript-eslint 8: `argument` is a TSLiteralType wrapping the string literal.
        const arg = node.argument?.literal ?? node.argument;
        check(node, literalOf(arg));
      },
      TSExternalModuleReference: (node) => check(node, literalOf(node.expression)),
    };
  },
};

export default { meta: { name: 'incubase-layers' }, rules: { layers: rule } };
