import { codedError } from '../errors/coded-error.js';
import type { ErrorCode } from '../errors/codes.js';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

/** What `POST /export` takes: a GraphQL request whose operation selects one root connection. */
export interface ExportRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

/**
 * The export's plan of a document: the document each page runs (the connection's `first` and
 * `after` taken from two variables of its own, and its `pageInfo` added under an alias), where
 * the lines sit in a page's answer, and the caller's own `first` (a cap) and `after` (the start).
 */
export interface ExportDocument {
  /** The page document, printed. */
  query: string;
  operationName: string | undefined;
  /** The caller's variables, less those only the connection's `first`/`after` used. */
  variables: Record<string, unknown>;
  /** Response key of the root connection field. */
  rootKey: string;
  /** Response key of `nodes` or `edges` under it: each item is one line. */
  itemsKey: string;
  /** Most lines the caller wants (its `first`); undefined for every record. */
  cap: number | undefined;
  /** The cursor to start after (its `after`); undefined for the beginning. */
  after: string | undefined;
}

/** The variables the export sets on every page. */
export const PAGE_SIZE_VARIABLE = 'bulkExportFirst';
export const PAGE_CURSOR_VARIABLE = 'bulkExportAfter';
/** Alias of the `pageInfo` the export adds to the connection. */
export const PAGE_INFO_ALIAS = 'bulkExportPage';

function refusal(message: string, code: ErrorCode = 'GRAPHQL_VALIDATION_FAILED'): GraphQLError {
  return codedError(message, code);
}

/** Plain fields only: the export needs to know what each selection is without the schema. */
function plainFields(selectionSet: SelectionSetNode, where: string): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) {
      throw refusal(`An export selects plain fields ${where}: no fragments or directives there.`);
    }
    fields.push(selection);
  }
  return fields;
}

const responseKey = (field: FieldNode): string => field.alias?.value ?? field.name.value;

/** The value an argument gives: a literal, or a variable's value from the request. */
function argumentValue(value: ValueNode, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case Kind.VARIABLE:
      return variables[value.name.value];
    case Kind.INT:
      return Number(value.value);
    case Kind.STRING:
      return value.value;
    case Kind.NULL:
      return null;
    default:
      return Symbol.for('unsupported');
  }
}

function capOf(argument: ArgumentNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!argument) return undefined;
  const value = argumentValue(argument.value, variables);
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw refusal('`first` of an exported connection must be a whole number of 0 or more.', 'BAD_USER_INPUT');
  }
  return value;
}

function startOf(argument: ArgumentNode | undefined, variables: Record<string, unknown>): string | undefined {
  if (!argument) return undefined;
  const value = argumentValue(argument.value, variables);
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw refusal('`after` of an exported connection must be a cursor string.', 'BAD_USER_INPUT');
  return value;
}

/** The declared defaults of the operation's variables. */
function defaultsOf(operation: OperationDefinitionNode): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return defaults;
}

/** Names of the variables a node uses. */
function variablesUsed(node: Parameters<typeof visit>[0]): Set<string> {
  const used = new Set<string>();
  visit(node, {
    Variable(variable) {
      used.add(variable.name.value);
    },
  });
  return used;
}

const variable = (name: string) => ({ kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } }) as const;
const named = (name: string) => ({ kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: name } }) as const;
const field = (name: string, selections?: FieldNode[], alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: { kind: Kind.NAME, value: name },
  ...(alias ? { alias: { kind: Kind.NAME, value: alias } } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** The document's operation to run, which must be a query. */
function readOperation(request: ExportRequest, maxTokens: number): { document: DocumentNode; operation: OperationDefinitionNode } {
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens });
  } catch (error) {
    throw refusal(error instanceof GraphQLError ? error.message : 'The document is not GraphQL.', 'GRAPHQL_PARSE_FAILED');
  }
  const operation = getOperationAST(document, request.operationName);
  if (!operation) {
    throw refusal(
      request.operationName ? `The document has no operation named "${request.operationName}".` : 'The document must name the operation to run (operationName).',
      'OPERATION_RESOLUTION_FAILURE',
    );
  }
  if (operation.operation !== 'query') throw refusal(`An export runs a query, not a ${operation.operation}.`);
  return { document, operation };
}

/** The operation's one root field, a connection, and the `nodes` or `edges` it selects. */
function readConnection(operation: OperationDefinitionNode): { root: FieldNode; list: FieldNode } {
  const roots = plainFields(operation.selectionSet, 'at the root');
  const root = roots[0];
  if (roots.length !== 1 || !root) throw refusal('An export selects exactly one root field: a connection such as `deals { nodes { … } }`.');
  if (!root.selectionSet) throw refusal(`\`${root.name.value}\` is not a connection: select its \`nodes\` or \`edges\`.`);
  const items = plainFields(root.selectionSet, `on \`${root.name.value}\``);
  const list = items[0];
  if (items.length !== 1 || !list || (list.name.value !== 'nodes' && list.name.value !== 'edges')) {
    throw refusal(`An export selects one of \`nodes { … }\` or \`edges { cursor node { … } }\` on \`${root.name.value}\`, and nothing else: count and end cursor come in the last line.`);
  }
  if (responseKey(list) === PAGE_INFO_ALIAS) throw refusal(`The alias \`${PAGE_INFO_ALIAS}\` is the export's own.`);
  return { root, list };
}

/**
 * The operation each page runs: the connection's `first` and `after` set from the export's own
 * variables, its `pageInfo` added under the export's alias; and the caller's variable
 * definitions it keeps.
 */
function pageOperationOf(operation: OperationDefinitionNode, root: FieldNode, list: FieldNode): { pageOperation: OperationDefinitionNode; kept: VariableDefinitionNode[] } {
  const pageRoot: FieldNode = {
    ...root,
    arguments: [
      ...(root.arguments ?? []).filter((arg) => arg.name.value !== 'first' && arg.name.value !== 'after'),
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: variable(PAGE_SIZE_VARIABLE) },
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'after' }, value: variable(PAGE_CURSOR_VARIABLE) },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [list, field('pageInfo', [field('hasNextPage'), field('endCursor')], PAGE_INFO_ALIAS)],
    },
  };
  // A variable only the replaced arguments used would be declared and unused: invalid.
  const used = variablesUsed({ ...operation, variableDefinitions: [], selectionSet: { kind: Kind.SELECTION_SET, selections: [pageRoot] } });
  for (const own of [PAGE_SIZE_VARIABLE, PAGE_CURSOR_VARIABLE]) {
    if ((operation.variableDefinitions ?? []).some((definition) => definition.variable.name.value === own)) {
      throw refusal(`The variable \`$${own}\` is the export's own.`);
    }
  }
  const kept = (operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value));
  const definitions: VariableDefinitionNode[] = [
    ...kept,
    { kind: Kind.VARIABLE_DEFINITION, variable: variable(PAGE_SIZE_VARIABLE), type: { kind: Kind.NON_NULL_TYPE, type: named('Int') } },
    { kind: Kind.VARIABLE_DEFINITION, variable: variable(PAGE_CURSOR_VARIABLE), type: named('String') },
  ];
  return {
    pageOperation: { ...operation, variableDefinitions: definitions, selectionSet: { kind: Kind.SELECTION_SET, selections: [pageRoot] } },
    kept,
  };
}

/** The page document: the page operation, and the fragments it still spreads (directly or through another). */
function pageDocumentOf(document: DocumentNode, pageOperation: OperationDefinitionNode): DocumentNode {
  const spreads = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      FragmentSpread(spread) {
        spreads.add(spread.name.value);
      },
    });
  collect(pageOperation);
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  for (let grew = true; grew; ) {
    const before = spreads.size;
    for (const fragment of fragments) if (spreads.has(fragment.name.value)) collect(fragment);
    grew = spreads.size > before;
  }
  return { kind: Kind.DOCUMENT, definitions: [pageOperation, ...fragments.filter((fragment) => spreads.has(fragment.name.value))] };
}

/**
 * Reads an export document: one query operation whose only root field is a connection, of which
 * it selects `nodes` or `edges`. Throws a coded `GraphQLError` (400) for anything else; the
 * schema checks the rest when the first page runs, before any upstream call.
 */
export function planExportDocument(request: ExportRequest, maxTokens: number): ExportDocument {
  const { document, operation } = readOperation(request, maxTokens);
  const { root, list } = readConnection(operation);
  const argument = (name: string) => root.arguments?.find((arg) => arg.name.value === name);
  if (argument('last') || argument('before')) throw refusal('An export reads forward: use `first` and `after`, not `last` or `before`.');
  // A variable the request leaves out takes its declared default, as it would on `/graphql`.
  const given = { ...defaultsOf(operation), ...request.variables };
  const cap = capOf(argument('first'), given);
  const after = startOf(argument('after'), given);
  const { pageOperation, kept } = pageOperationOf(operation, root, list);
  const keptNames = new Set(kept.map((definition) => definition.variable.name.value));
  const variables = Object.fromEntries(Object.entries(request.variables).filter(([name]) => keptNames.has(name)));
  return {
    query: print(pageDocumentOf(document, pageOperation)),
    operationName: operation.name?.value,
    variables,
    rootKey: responseKey(root),
    itemsKey: responseKey(list),
    cap,
    after,
  };
}
