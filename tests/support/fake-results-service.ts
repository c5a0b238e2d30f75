/**
 * GitHub's artifact service (the "results" twirp API @actions/artifact talks to, and the blob storage
 * its signed URLs point at) as a local HTTP server, with the service's rules: one artifact per name in
 * a run (CreateArtifact answers 409 Conflict for a second one), not found is 404. The real client
 * (DefaultArtifactClient) runs against it unchanged: the fake sits exactly at the service boundary.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';
const RUN = '11111111-1111-1111-1111-111111111111';
const JOB = '22222222-2222-2222-2222-222222222222';

interface Stored {
  id: number;
  name: string;
  data: Buffer;
  createdAt: string;
}

export class FakeResultsService {
  private server?: Server;
  private nextId = 1;
  private readonly pending = new Map<string, { blocks: Map<string, Buffer>; data?: Buffer }>();
  readonly artifacts = new Map<string, Stored>();
  /** Every twirp method called, in order. */
  readonly calls: string[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => send(res, 500, { code: 'internal', msg: e.message }));
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  /** The variables the runner gives a JavaScript action for the artifact service. */
  env(): Record<string, string> {
    const claims = { scp: `Actions.GenericRead:00000000 Actions.Results:${RUN}:${JOB}` };
    return { ACTIONS_RESULTS_URL: `${this.url}/`, ACTIONS_RUNTIME_TOKEN: `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.x` };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    if (url.pathname.startsWith(SERVICE)) return this.twirp(url.pathname.slice(SERVICE.length), JSON.parse(body.toString() || '{}') as Record<string, unknown>, res);
    if (url.pathname.startsWith('/blob/') && req.method === 'PUT') return this.blob(decodeURIComponent(url.pathname.slice(6)), url.searchParams, body, res);
    if (url.pathname.startsWith('/download/') && req.method === 'GET') {
      const a = this.artifacts.get(decodeURIComponent(url.pathname.slice(10)));
      if (!a) return send(res, 404, {});
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': a.data.length });
      res.end(a.data);
      return;
    }
    send(res, 404, { code: 'not_found', msg: `no route ${req.method} ${url.pathname}` });
  }

  private twirp(method: string, body: Record<string, unknown>, res: ServerResponse): void {
    this.calls.push(method);
    const name = String(body.name ?? '');
    switch (method) {
      case 'CreateArtifact':
        if (this.artifacts.has(name)) return send(res, 409, { code: 'already_exists', msg: 'an artifact with this name already exists on the workflow run' });
        this.pending.set(name, { blocks: new Map() });
        return send(res, 200, { ok: true, signed_upload_url: `${this.url}/blob/${encodeURIComponent(name)}?sig=fake` });
      case 'FinalizeArtifact': {
        const p = this.pending.get(name);
        if (!p?.data) return send(res, 400, { code: 'invalid_argument', msg: `nothing uploaded for ${name}` });
        this.pending.delete(name);
        const id = this.nextId++;
        this.artifacts.set(name, { id, name, data: p.data, createdAt: new Date().toISOString() });
        return send(res, 200, { ok: true, artifact_id: String(id) });
      }
      case 'ListArtifacts': {
        const byName = body.name_filter as string | undefined;
        const byId = body.id_filter as string | undefined;
        const list = [...this.artifacts.values()].filter((a) => (byName === undefined || a.name === byName) && (byId === undefined || String(a.id) === String(byId)));
        return send(res, 200, {
          artifacts: list.map((a) => ({ workflow_run_backend_id: RUN, workflow_job_run_backend_id: JOB, database_id: String(a.id), name: a.name, size: String(a.data.length), created_at: a.createdAt })),
        });
      }
      case 'GetSignedArtifactURL':
        if (!this.artifacts.has(name)) return send(res, 404, { code: 'not_found', msg: 'artifact not found' });
        return send(res, 200, { signed_url: `${this.url}/download/${encodeURIComponent(name)}` });
      case 'DeleteArtifact': {
        const a = this.artifacts.get(name);
        if (!a) return send(res, 404, { code: 'not_found', msg: 'artifact not found' });
        this.artifacts.delete(name);
        return send(res, 200, { ok: true, artifact_id: String(a.id) });
      }
      default:
        return send(res, 404, { code: 'bad_route', msg: method });
    }
  }

  /** Azure block blob uploads: Put Block, then Put Block List (or one Put Blob). */
  private blob(name: string, query: URLSearchParams, body: Buffer, res: ServerResponse): void {
    const p = this.pending.get(name);
    if (!p) return send(res, 404, {});
    const comp = query.get('comp');
    if (comp === 'block') p.blocks.set(query.get('blockid')!, body);
    else if (comp === 'blocklist') p.data = Buffer.concat([...body.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map((m) => p.blocks.get(m[1]!)!));
    else p.data = body;
    res.writeHead(201, { etag: '"0x1"', 'last-modified': new Date().toUTCString(), 'x-ms-request-compliant': 'true', 'content-length': 0 });
    res.end();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
