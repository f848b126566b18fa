import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { format, resolveConfig } from 'prettier';
import ts from 'typescript';

export const ROUTER_TYPES_FILE = new URL('../src/router-types.ts', import.meta.url);

const HEADER = `/**
 * The BuyBuy tRPC router as a client sees it: every procedure's kind, input
 * and output, the error shape and the transformer. Generated from the
 * server's router types (\`AppRouter\` in @buybuy/api), written out in full
 * so that the published SDK names no server package: the server's context
 * and procedure meta (database, Redis, OpenAPI settings) are left out, as a
 * client never sees them.
 * Do not edit: run \`pnpm --filter @buybuy/client generate\`.
 */
`;

const packageDir = dirname(fileURLToPath(new URL('../package.json', import.meta.url)));
/** A module that only names the types to read; it exists in memory only. */
const PROBE = `${packageDir}/scripts/__router-probe.ts`;
const PROBE_SOURCE = `import type { AppRouter } from '@buybuy/api';
export type Probe = {
  record: AppRouter['_def']['record'];
  errorShape: AppRouter['_def']['_config']['$types']['errorShape'];
};
`;

const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType |
  ts.TypeFormatFlags.WriteArrayAsGenericType;

function program(): ts.Program {
  const configPath = ts.findConfigFile(packageDir, (path) => ts.sys.fileExists(path));
  if (!configPath) throw new Error(`no tsconfig.json in ${packageDir}`);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  // The probe reads @buybuy/api's source, which lies outside this project's
  // files: check it as a plain program, not as the composite project `tsc -b`
  // builds (that one would see the api's declaration output instead).
  const options: ts.CompilerOptions = {
    ...parsed.options,
    composite: false,
    declaration: false,
    emitDeclarationOnly: false,
    incremental: false,
    noEmit: true,
    rootDir: undefined,
    outDir: undefined,
    tsBuildInfoFile: undefined,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    fileName === PROBE
      ? ts.createSourceFile(fileName, PROBE_SOURCE, language)
      : getSourceFile(fileName, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === PROBE || fileExists(fileName);
  return ts.createProgram({ rootNames: [PROBE], options, host });
}

/**
 * Writes a type out in full: objects as their members, unions and
 * intersections of those, arrays as `Array<...>`. Never a name that would
 * need an import, so the result stands alone; anything else (a class, a
 * function) is refused rather than guessed at.
 */
function writer(checker: ts.TypeChecker) {
  /** Object types being written (a recursive type meets itself) and the names given to those that did. */
  const open = new Set<ts.Type>();
  const named = new Map<ts.Type, string>();
  const declarations: string[] = [];
  const nameOf = (type: ts.Type) => {
    let name = named.get(type);
    if (!name) {
      const base = type.aliasSymbol?.name ?? 'Recursive';
      name = [...named.values()].includes(base) ? `${base}${named.size + 1}` : base;
      named.set(type, name);
    }
    return name;
  };

  const write = (type: ts.Type): string => {
    if (type.isUnion()) {
      const written = type.types.map(write);
      // `boolean` is the union of its two literals: say it by name.
      const bool = written.includes('false') && written.includes('true');
      const parts = bool ? written.filter((part) => part !== 'false' && part !== 'true') : written;
      return [...parts, ...(bool ? ['boolean'] : [])].join(' | ');
    }
    if (type.isIntersection()) return type.types.map(write).join(' & ');
    const flags = type.flags;
    if (
      flags &
      (ts.TypeFlags.StringLike |
        ts.TypeFlags.NumberLike |
        ts.TypeFlags.BooleanLike |
        ts.TypeFlags.BigIntLike |
        ts.TypeFlags.Null |
        ts.TypeFlags.Undefined |
        ts.TypeFlags.Void |
        ts.TypeFlags.Never |
        ts.TypeFlags.Unknown |
        ts.TypeFlags.Any)
    ) {
      return checker.typeToString(type, undefined, FLAGS);
    }
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      return `Array<${write(element!)}>`;
    }
    if (checker.isTupleType(type)) {
      return `[${checker
        .getTypeArguments(type as ts.TypeReference)
        .map(write)
        .join(', ')}]`;
    }
    if (flags & ts.TypeFlags.Object) {
      if (type.getSymbol()?.getName() === 'Date') return 'Date';
      // A type that contains itself (a category tree) is declared once, by name.
      if (open.has(type)) return nameOf(type);
      open.add(type);
      const text = writeObject(type);
      open.delete(type);
      const name = named.get(type);
      if (name === undefined) return text;
      if (!declarations.some((line) => line.startsWith(`type ${name} =`)))
        declarations.push(`type ${name} = ${text};`);
      return name;
    }
    throw new Error(`cannot write type ${checker.typeToString(type)}`);
  };

  const writeObject = (type: ts.Type): string => {
    {
      if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
        throw new Error(`cannot write a callable type: ${checker.typeToString(type)}`);
      }
      const members = checker.getPropertiesOfType(type).map((property) => {
        const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
        const key = /^[A-Za-z_$][\w$]*$/.test(property.name)
          ? property.name
          : JSON.stringify(property.name);
        // An optional property's type includes undefined already.
        return `${key}${optional}: ${write(checker.getTypeOfSymbol(property))};`;
      });
      const index = checker
        .getIndexInfosOfType(type)
        .map((info) => `[key: ${checker.typeToString(info.keyType)}]: ${write(info.type)};`);
      return `{ ${[...members, ...index].join(' ')} }`;
    }
  };
  return { write, declarations };
}

/** The source of src/router-types.ts, read from the server's router types in-process. */
export async function generateRouterTypes(): Promise<string> {
  const built = program();
  const checker = built.getTypeChecker();
  const problems = ts.getPreEmitDiagnostics(built, built.getSourceFile(PROBE));
  if (problems.length > 0) {
    throw new Error(
      problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'),
    );
  }
  const probe = built.getSourceFile(PROBE)!;
  const alias = probe.statements.find(ts.isTypeAliasDeclaration)!;
  const probeType = checker.getTypeAtLocation(alias);
  const member = (type: ts.Type, name: string) => {
    const symbol = checker.getPropertyOfType(type, name);
    if (!symbol) throw new Error(`no "${name}" in ${checker.typeToString(type)}`);
    return checker.getTypeOfSymbol(symbol);
  };
  const { write, declarations } = writer(checker);

  /** A router record: procedures as TRPCQueryProcedure / TRPCMutationProcedure, sub-routers nested. */
  const writeRecord = (record: ts.Type): string => {
    const entries = checker.getPropertiesOfType(record).map((property) => {
      const value = checker.getTypeOfSymbol(property);
      const def = checker.getPropertyOfType(value, '_def');
      if (!def) return `${property.name}: ${writeRecord(value)};`;
      const definition = checker.getTypeOfSymbol(def);
      const kind = checker.typeToString(member(definition, 'type'));
      const types = member(definition, '$types');
      const procedure =
        kind === '"query"'
          ? 'TRPCQueryProcedure'
          : kind === '"mutation"'
            ? 'TRPCMutationProcedure'
            : undefined;
      if (!procedure) throw new Error(`${property.name}: unsupported procedure type ${kind}`);
      const input = write(member(types, 'input'));
      const output = write(member(types, 'output'));
      return `${property.name}: ${procedure}<{ input: ${input}; output: ${output}; meta: object }>;`;
    });
    return `{ ${entries.join(' ')} }`;
  };

  const errorShape = write(member(probeType, 'errorShape'));
  const record = writeRecord(member(probeType, 'record'));
  const source = `${HEADER}
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';

/** The error of every failed call; its \`data\` has the machine code, the HTTP status and the field errors. */
export type ErrorShape = ${errorShape};

export type AppRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: ErrorShape;
    transformer: true;
  },
  ${record}
>;

${declarations.join('\n\n')}
`;
  const filepath = fileURLToPath(ROUTER_TYPES_FILE);
  return format(source, { ...(await resolveConfig(filepath)), filepath });
}
