import { type BatchCall, refuse, reply } from './batch-call.js';
import { fileObject, storeFile } from './file-store.js';
import { parseMultipart } from './multipart.js';

/** POST /v1/files: multipart/form-data with `purpose` and `file`, as the SDK's files.create sends it. */
export function uploadFile(call: BatchCall): void {
  const parts = parseMultipart(call.body, call.req.headers['content-type']);
  const purpose = typeof parts === 'string' ? undefined : parts.find((p) => p.name === 'purpose')?.data.toString('utf8');
  const file = typeof parts === 'string' ? undefined : parts.find((p) => p.name === 'file');
  if (typeof parts === 'string') refuse(call, 400, parts);
  else if (!purpose) refuse(call, 400, "purpose: Field required ('batch' for batch input)");
  else if (!file) refuse(call, 400, 'file: Field required');
  else reply(call, fileObject(storeFile(call.state, file.filename ?? 'upload', purpose, file.data.toString('utf8'))));
}

function findFile(call: BatchCall) {
  const file = call.id === undefined ? undefined : call.state.files.get(call.id);
  if (!file) refuse(call, 404, `No such File object: ${call.id}`);
  return file;
}

export function retrieveFile(call: BatchCall): void {
  const file = findFile(call);
  if (file) reply(call, fileObject(file));
}

/** GET /v1/files/:id/content: the file's bytes, as uploaded or as the batch wrote them. */
export function fileContent(call: BatchCall): void {
  const file = findFile(call);
  if (!file) return;
  call.res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': Buffer.byteLength(file.content),
    ...call.headers,
  });
  call.res.end(file.content);
}

export function deleteFile(call: BatchCall): void {
  const file = findFile(call);
  if (!file) return;
  call.state.files.delete(file.id);
  reply(call, { id: file.id, object: 'file', deleted: true });
}
