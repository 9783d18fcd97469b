/**
 * Why a string cannot be sent as a record id, if it cannot. An id travels as exactly one path
 * segment (`…/records/{id}`), percent-encoded; it may not be empty, `.` or `..` (a proxy that
 * normalises paths would resolve those as dot segments, onto another route such as the bulk
 * `DELETE …/records`), and it must be well-formed Unicode (a lone surrogate cannot be encoded).
 */
export function unusableIdReason(id: string): string | undefined {
  if (id.trim() === '') return 'an id cannot be empty';
  if (id === '.' || id === '..') return `"${id}" is not a record id`;
  if (/\p{Cs}/u.test(id)) return 'an id must be well-formed Unicode (it holds a lone surrogate)';
  return undefined;
}

/** One opaque path segment: every character outside the unreserved set is percent-encoded. */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
