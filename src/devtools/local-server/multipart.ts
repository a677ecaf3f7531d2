export interface FormPart {
  name: string;
  filename: string | undefined;
  data: Buffer;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** The parts of a multipart/form-data body (RFC 7578), or a message for a 400. Byte-exact for file parts. */
export function parseMultipart(body: Buffer, contentType: string | undefined): FormPart[] | string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !boundary)
    return 'expected a multipart/form-data body with a boundary';
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return 'multipart body has no parts';
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) return 'multipart body is not terminated';
    // Each part sits between the CRLF after one delimiter and the CRLF before the next.
    const part = body.subarray(pos + 2, next - 2);
    const split = part.indexOf(CRLF2);
    if (split < 0) return 'multipart part without headers';
    const head = part.subarray(0, split).toString('utf8');
    const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return 'multipart part without a name';
    parts.push({ name, filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1], data: part.subarray(split + CRLF2.length) });
    pos = next;
  }
}
