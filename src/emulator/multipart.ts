/** One field of a multipart/form-data body. */
export interface MultipartField {
  name: string;
  contentType?: string;
  value: string;
}

/**
 * Parses a multipart/form-data body into its text fields. Small on purpose: the calls endpoint
 * needs two text parts (`sdp` and `session`), not files or streaming. Returns undefined when the
 * body does not follow the boundary it declares.
 */
export function parseMultipart(body: Buffer, contentTypeHeader: string): MultipartField[] | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentTypeHeader);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return undefined;
  const text = body.toString('utf8');
  const delimiter = `--${boundary}`;
  const pieces = text.split(delimiter);
  if (pieces.length < 3) return undefined;
  const fields: MultipartField[] = [];
  // pieces[0] is the preamble; the last piece starts with "--" (the close delimiter).
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    const part = piece.replace(/^\r?\n/, '');
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) return undefined;
    const headerText = part.slice(0, split);
    const value = part.slice(split).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, '');
    const headers = new Map<string, string>();
    for (const line of headerText.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const name = /\bname="([^"]*)"/i.exec(headers.get('content-disposition') ?? '')?.[1];
    if (name === undefined) return undefined;
    const contentType = headers.get('content-type');
    fields.push(contentType ? { name, contentType, value } : { name, value });
  }
  return fields;
}
