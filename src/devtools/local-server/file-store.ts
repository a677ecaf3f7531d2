import type { StoredFile } from './batch-record.js';
import { nextId, type ServerState } from './server-state.js';

export function storeFile(state: ServerState, filename: string, purpose: string, content: string): StoredFile {
  const file: StoredFile = { id: `file-${nextId(state)}`, filename, purpose, createdAt: state.opts.now(), content };
  state.files.set(file.id, file);
  return file;
}

/** The File object of OpenAI's Files API. */
export function fileObject(file: StoredFile) {
  return {
    id: file.id,
    object: 'file',
    bytes: Buffer.byteLength(file.content),
    created_at: Math.floor(file.createdAt / 1000),
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    expires_at: null,
    status_details: null,
  };
}
