import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  /** http://127.0.0.1:<port> */
  base: string;
  /** Every request's path, in order (tests empty it between cases). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A local HTTP server for download tests: `files` by path (with content-length), `/endless/...` a body
 * that never ends (no content-length, as fast as the reader takes it), anything else 404. `special`
 * answers a request first when it returns true.
 */
export async function fileServer(files: Record<string, Buffer>, special?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (special?.(req, res)) return;
    if (req.url?.startsWith('/endless/')) {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      return pump();
    }
    const body = files[req.url ?? ''];
    if (!body) res.writeHead(404, 'Not Found').end('no such file');
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
