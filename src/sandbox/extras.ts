/** Workspace state beyond records: comments, files, saved lists and schema jobs. */

export interface Comment {
  id: string;
  object: string;
  recordId: string;
  /** Flat BlockNote blocks, stored as sent. */
  body: unknown[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface PendingUpload {
  id: string;
  token: string;
  object: string;
  recordId: string;
  fileName: string;
  contentType: string;
  /** Declared size in bytes; the upload must match it. */
  size: number;
  expiresAt: number;
  /** The bytes, once the signed PUT has arrived. */
  content?: Buffer;
  linked: boolean;
}

export interface Attachment {
  id: string;
  object: string;
  recordId: string;
  fileName: string;
  contentType: string;
  size: number;
  content: Buffer;
  createdAt: string;
  createdBy: string;
}

export interface DownloadGrant {
  attachmentId: string;
  expiresAt: number;
}

export interface SavedList {
  id: string;
  object: string;
  name: string;
  kind: 'static' | 'dynamic';
  /** Dynamic lists: a `filter` query object in the `/resources` syntax. */
  filter: Record<string, unknown> | null;
  /** Static lists: member ids in the order they were added. */
  members: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export type SchemaJobStatus = 'pending' | 'succeeded' | 'failed';

export interface SchemaJob {
  id: string;
  kind: string;
  entity: string;
  field: string;
  status: SchemaJobStatus;
  createdAt: string;
  /** Sandbox-clock time at which the change is applied. */
  dueAt: number;
  apply: () => void;
  error: string | null;
  completedAt: string | null;
}

export interface Extras {
  comments: Map<string, Comment>;
  uploads: Map<string, PendingUpload>;
  attachments: Map<string, Attachment>;
  /** Signed download URLs by token. */
  downloads: Map<string, DownloadGrant>;
  lists: Map<string, SavedList>;
  schemaJobs: Map<string, SchemaJob>;
}

export function createExtras(): Extras {
  return { comments: new Map(), uploads: new Map(), attachments: new Map(), downloads: new Map(), lists: new Map(), schemaJobs: new Map() };
}
