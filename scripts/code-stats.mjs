#!/usr/bin/env node
// Prints the numbers a reader of the source asks about first: files per folder, the largest
// functions, and the type assertions (`as`, `as unknown as`, non-null `!`) in src/ outside the
// sandbox. Usage: node scripts/code-stats.mjs [--functions=N]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import ts from 'typescript';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const topFunctions = Number(process.argv.find((arg) => arg.startsWith('--functions='))?.split('=')[1] ?? 5);

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const perFolder = new Map();
const functions = [];
const casts = { as: 0, asUnknownAs: 0, nonNull: 0 };

for (const path of sources(join(root, 'src'))) {
  const file = relative(root, path);
  const folder = dirname(file);
  perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
  if (file.startsWith('src/sandbox/')) continue;
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      // `x as const` is a literal annotation, not an assertion.
      const constant = ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === 'const';
      if (!constant) casts.as += 1;
      if (ts.isAsExpression(node) && ts.isAsExpression(node.expression) && node.expression.type.kind === ts.SyntaxKind.UnknownKeyword) {
        casts.asUnknownAs += 1;
      }
    }
    if (ts.isNonNullExpression(node)) casts.nonNull += 1;
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      let name = node.name?.getText(source);
      if (!name && ts.isVariableDeclaration(node.parent)) name = node.parent.name.getText(source);
      if (!name && ts.isPropertyAssignment(node.parent)) name = node.parent.name.getText(source);
      functions.push({ name: name ?? '(anonymous)', file: `${file}:${lineOf(node.getStart(source)) + 1}`, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

console.log('files per folder');
for (const [folder, count] of [...perFolder].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${String(count).padStart(3)}  ${folder}`);
console.log(`largest functions (src/ outside the sandbox)`);
for (const fn of functions.sort((a, b) => b.lines - a.lines).slice(0, topFunctions)) console.log(`  ${String(fn.lines).padStart(4)}  ${fn.name}  ${fn.file}`);
console.log('type assertions (src/ outside the sandbox)');
console.log(`  as: ${casts.as}   as unknown as: ${casts.asUnknownAs}   non-null !: ${casts.nonNull}`);
