import { ClarifyError } from '../../client/errors.js';
import { ERROR_CODES, isUpstreamErrorCode, type ErrorCode } from '../../errors/codes.js';
import type { ObjectParts, SchemaRegistry } from './registry.js';
import type { UserErrorValue } from './values.js';

/** Codes the gateway itself gives, beside the upstream ones (`VALIDATION`, `BAD_REQUEST`, `NOT_FOUND`). */
export const USER_ERROR_CODES = {
  /** A required value is missing or empty. */
  required: 'REQUIRED',
  /** A value the schema can tell is wrong (malformed email, number out of range, …). */
  invalid: 'INVALID',
  /** An item that was valid but not written, because its batch or request failed. */
  notWritten: 'NOT_WRITTEN',
  /** `atomic: true` with more inputs than one upstream batch holds. */
  tooManyForAtomic: 'TOO_MANY_FOR_ATOMIC',
  /** An item whose write reached Clarify but whose answer was lost: it may or may not be written. */
  outcomeUnknown: 'OUTCOME_UNKNOWN',
} as const satisfies Record<string, ErrorCode>;

/** Upstream failures caused by the input (the error table's user errors): returned as `userErrors` instead of thrown. */
export function isUserFacing(error: unknown): error is ClarifyError {
  if (!ClarifyError.is(error)) return false;
  const { code } = error;
  return isUpstreamErrorCode(code) && ERROR_CODES[code].userError;
}

export function isClarifyError(error: unknown): error is ClarifyError {
  return ClarifyError.is(error);
}

export function addUserErrorType(registry: SchemaRegistry) {
  return registry.builder.objectRef<UserErrorValue>('UserError').implement({
    description: 'A problem with the input, reported as data. `field` is the input path it concerns, when known.',
    fields: (t) => ({
      field: t.stringList({
        nullable: { list: true, items: false },
        description: 'Path of the input argument the problem is about, e.g. `["input", "emailAddresses", "0"]`.',
        resolve: (error) => error.field,
      }),
      message: t.exposeString('message', { nullable: false }),
      code: t.exposeString('code', {
        nullable: false,
        description: '`VALIDATION`, `BAD_REQUEST`, `NOT_FOUND` from Clarify; `REQUIRED`, `INVALID`, `NOT_WRITTEN`, `TOO_MANY_FOR_ATOMIC` from the gateway; `OUTCOME_UNKNOWN` when a write reached Clarify but its answer was lost (it may or may not have been applied).',
      }),
    }),
  });
}

/**
 * Maps the part of a `source.pointer` inside one item's attributes (`email_addresses/items/0`) to
 * GraphQL input path segments (`emailAddresses`, `0`). Collections are lists in the input, so the
 * `items` step disappears; object keys are camelCased.
 */
export function attributePath(parts: ObjectParts, segments: string[]): string[] {
  const [attribute, ...rest] = segments;
  if (attribute === undefined) return [];
  const name = parts.fieldNames.get(attribute)?.value ?? parts.fieldNames.get(attribute)?.relation ?? attribute;
  const tail = rest[0] === 'items' ? rest.slice(1) : rest;
  return [name, ...tail.map(camelSegment)];
}

function camelSegment(segment: string): string {
  return segment.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Where a pointer lands: the item index for bulk bodies (`/data/3/…`), and the path inside the item. */
export interface PointerTarget {
  item?: number;
  /** Segments after `/data[/n]`: `attributes/name`, `id`, `type`. */
  inside: string[];
}

export function parsePointer(pointer: string | undefined): PointerTarget | undefined {
  if (pointer === undefined) return undefined;
  const segments = pointerSegments(pointer);
  if (segments[0] !== 'data') return undefined;
  const second = segments[1];
  if (second !== undefined && /^\d+$/.test(second)) return { item: Number(second), inside: segments.slice(2) };
  return { inside: segments.slice(1) };
}

/**
 * The GraphQL path for a pointer inside one item. `root` is where that item sits in the
 * arguments (`["input"]` or `["inputs", "3"]`); an `id` pointer of a single update names the
 * `id` argument itself.
 */
export function inputPath(parts: ObjectParts, root: string[], inside: string[], idArgument?: string[]): string[] {
  if (inside[0] === 'attributes') return [...root, ...attributePath(parts, inside.slice(1))];
  if (inside[0] === 'id') return idArgument ?? [...root, 'id'];
  return root;
}

/**
 * The input path for a pointer into a plain body (not JSON:API), as the comment and upload
 * endpoints take: `/file_name` → `["input", "fileName"]`; `/body/2/children` → `["input", "body", "blocks", "2", "children"]`.
 */
export function plainBodyPath(pointer: string | undefined): string[] {
  if (!pointer) return ['input'];
  const segments = pointerSegments(pointer);
  if (segments[0] === 'body') return ['input', 'body', 'blocks', ...segments.slice(1)];
  return ['input', ...segments.map(camelSegment)];
}

/** Runs a write; the caller's input problems come back as `userErrors`, anything else throws. */
export async function asUserErrors<T>(write: () => Promise<T>, locate: (pointer: string | undefined) => string[] | null): Promise<{ value?: T; userErrors: UserErrorValue[] }> {
  try {
    return { value: await write(), userErrors: [] };
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    return { userErrors: userErrorsFrom(error, locate) };
  }
}

/** One user error per upstream issue, with `field` mapped through `locate`. */
export function userErrorsFrom(error: ClarifyError, locate: (pointer: string | undefined) => string[] | null): UserErrorValue[] {
  const issues = error.issues.length > 0 ? error.issues : [{ detail: error.message }];
  return issues.map((issue) => ({ field: locate(issue.pointer), message: issue.detail, code: error.code }));
}

/**
 * Positions in `ids` of the ids a 404's detail names (`No person with id "…", "…"`), so a
 * not-found error can point at the input that named an unknown record.
 */
export function idsNamedIn(detail: string, ids: readonly string[]): number[] {
  const positions: number[] = [];
  ids.forEach((id, index) => {
    if (id && detail.includes(`"${id}"`) && ids.indexOf(id) === index) positions.push(index);
  });
  return positions;
}
