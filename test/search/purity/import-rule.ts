// The boundary of search/ as a checkable rule: search/ is pure TypeScript, so it must not import the server, the
// dashboard, the database, sockets, TF.js or any Node module. Parsed with the TypeScript compiler, so every form
// of import counts (static, type-only, re-export, dynamic import(), require, import types) and comments do not.
import { builtinModules } from "node:module";
import { dirname, posix, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface ImportViolation {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}

/** Package names (and their sub-paths) search/ must not use. */
export const FORBIDDEN_PACKAGES = ["drizzle-orm", "socket.io", "socket.io-client", "next", "postgres", "@electric-sql", "@tensorflow", "react", "react-dom"];
/** Project folders outside search/ it must not reach into. */
export const FORBIDDEN_FOLDERS = ["server", "app"];

const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith("_")));

function isForbiddenPackage(specifier: string): boolean {
  return FORBIDDEN_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/** Why `specifier`, imported from `file` (a path inside `searchRoot`), breaks the rule; null when it is fine. */
export function importProblem(specifier: string, file: string, searchRoot: string): string | null {
  if (specifier.startsWith("node:") || NODE_BUILTINS.has(specifier.split("/")[0])) return "Node modules (I/O) are not allowed in search/";
  if (isForbiddenPackage(specifier)) return `${specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/")} is outside search/'s boundary`;
  if (specifier.startsWith("@/")) return "project aliases reach outside search/";
  if (specifier.startsWith(".")) {
    const target = relative(searchRoot, resolve(dirname(file), specifier));
    if (target.startsWith("..")) {
      const folder = target.split(sep).find((part) => part !== "..");
      return FORBIDDEN_FOLDERS.includes(folder ?? "") ? `search/ must not import from ${folder}/` : "search/ must stay self-contained";
    }
  }
  return null;
}

/** Every module specifier in a source text, with its line. */
export function moduleSpecifiers(source: string, fileName = "file.ts"): { specifier: string; line: number }[] {
  const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      if (isDynamicImport || isRequire) add(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

export function checkSource(source: string, file: string, searchRoot: string): ImportViolation[] {
  return moduleSpecifiers(source, file).flatMap(({ specifier, line }) => {
    const reason = importProblem(specifier, file, searchRoot);
    return reason ? [{ file: posix.normalize(relative(searchRoot, file).split(sep).join("/")), line, specifier, reason }] : [];
  });
}
