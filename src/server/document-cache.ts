import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/** Bounds of the parsed-document cache. */
export interface DocumentCacheOptions {
  /** Most documents kept parsed. Default 1024. */
  maxDocuments?: number;
  /**
   * Most characters of document text kept parsed, all documents together; a parsed document
   * weighs several times its text. Default 4 Mi characters.
   */
  maxCharacters?: number;
}

const DOCUMENT_CACHE_DEFAULTS = Object.freeze({ maxDocuments: 1024, maxCharacters: 4 * 1024 * 1024, ttlMs: 3_600_000 });

/** What Yoga's `parserAndValidationCache` option takes. */
interface ParserCaches {
  documentCache: { get(key: string): DocumentNode | undefined; set(key: string, value: DocumentNode): void };
  errorCache: { get(key: string): unknown; set(key: string, value: unknown): void };
  validationCache: true;
}

export interface DocumentCache {
  /** For `createYoga({ parserAndValidationCache })`. */
  caches: ParserCaches;
  /** Drops a document from the cache as soon as it fails validation. */
  plugin: Plugin;
  /** Documents and parse errors held now, and the characters of their text. */
  stats(): { documents: number; errors: number; characters: number };
}

/**
 * Yoga's parse and validation caches, bounded by count and by the size of the documents, and
 * holding only documents that pass validation. Yoga keeps a document's validation result as long
 * as its parsed form is cached, so without this a stream of distinct invalid documents (each with
 * its errors and their long messages) would stay in memory for an hour.
 */
export function createDocumentCache(options: DocumentCacheOptions = {}): DocumentCache {
  const bounds = {
    max: options.maxDocuments ?? DOCUMENT_CACHE_DEFAULTS.maxDocuments,
    maxSize: options.maxCharacters ?? DOCUMENT_CACHE_DEFAULTS.maxCharacters,
    ttl: DOCUMENT_CACHE_DEFAULTS.ttlMs,
    sizeCalculation: (_value: unknown, key: string) => Math.max(1, key.length),
  };
  const documents = new LRUCache<string, DocumentNode>(bounds);
  const errors = new LRUCache<string, { error: unknown }>(bounds);
  const textOf = new WeakMap<DocumentNode, string>();

  const caches: ParserCaches = {
    documentCache: {
      get: (key) => documents.get(key),
      set: (key, document) => {
        textOf.set(document, key);
        documents.set(key, document);
      },
    },
    errorCache: {
      get: (key) => errors.get(key)?.error,
      set: (key, error) => {
        errors.set(key, { error });
      },
    },
    validationCache: true,
  };

  const plugin: Plugin = {
    onValidate({ params }) {
      return ({ result }) => {
        if (result.length === 0) return;
        const text = textOf.get(params.documentAST);
        if (text !== undefined) documents.delete(text);
      };
    },
  };

  return {
    caches,
    plugin,
    stats: () => ({ documents: documents.size, errors: errors.size, characters: documents.calculatedSize + errors.calculatedSize }),
  };
}
