import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerRuntime } from '../../src/runtime/container.js';
import { createRuntime } from '../../src/runtime/detect.js';
import { HostRuntime } from '../../src/runtime/host.js';
import { forceRemoveArgs, OWNER_LABEL, ownerLabelValue } from '../../src/runtime/owned.js';
import { createTools } from '../../src/runtime/tools.js';
import { DiracosError } from '../../src/shared/errors.js';
import { ExecError, nodeExec, type Exec } from '../../src/shared/exec.js';

const IMAGE = (suite: string) => `localhost/diracos-platform:${suite}`;
const GLIBC: Record<string, string> = { bullseye: '2.31', bookworm: '2.36', trixie: '2.41' };

/** nodeExec, counting the podman subcommands it ran (real podman underneath). */
function countingExec(): { exec: Exec; count: (sub: string) => number } {
  const subs: string[] = [];
  const exec: Exec = (command, args, options) => {
    subs.push(args[0] ?? '');
    return nodeExec(command, args, options);
  };
  return { exec, count: (sub) => subs.filter((s) => s === sub).length };
}

/** The host:port of this machine's Debian mirror (read at run time, never written down). */
function mirrorHostPort(): { host: string; port: string } | undefined {
  const file = '/etc/apt/sources.list.d/debian.sources';
  if (!existsSync(file)) return undefined;
  const uri = /^URIs:\s*(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1];
  if (!uri) return undefined;
  const url = new URL(uri);
  return { host: url.hostname, port: url.port || (url.protocol === 'https:' ? '443' : '80') };
}

const podman = new ContainerRuntime('podman', nodeExec);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'runtime-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('podman runtime', () => {
  it.each(Object.keys(GLIBC))('runs in %s and sees its own glibc', async (suite) => {
    const r = await podman.run({ image: IMAGE(suite), command: ['bash', '-c', 'ldd --version | head -n 1'] });
    expect(r.stdout.trim()).toMatch(new RegExp(` ${GLIBC[suite].replace('.', '\\.')}$`));
  });

  it('passes bind mounts through; a read-only mount cannot be written', async () => {
    const ro = join(work, 'ro');
    const rw = join(work, 'rw');
    await mkdir(ro);
    await mkdir(rw);
    await writeFile(join(ro, 'in.txt'), 'from host\n');
    const mounts = [
      { source: ro, target: '/in', readOnly: true },
      { source: rw, target: '/out' },
    ];
    await podman.run({ image: IMAGE('bookworm'), mounts, command: ['bash', '-c', 'cp /in/in.txt /out/copied.txt'] });
    expect(await readFile(join(rw, 'copied.txt'), 'utf8')).toBe('from host\n');

    const denied = await podman.run({
      image: IMAGE('bookworm'),
      mounts,
      command: ['bash', '-c', 'echo x > /in/new.txt'],
      allowFailure: true,
    });
    expect(denied.exitCode).not.toBe(0);
    expect(denied.stderr).toMatch(/Read-only file system/);
    expect(existsSync(join(ro, 'new.txt'))).toBe(false);
  });

  it('passes environment and exit codes through', async () => {
    const r = await podman.run({
      image: IMAGE('bullseye'),
      env: { GREETING: 'hello world', EMPTY: '' },
      command: ['bash', '-c', 'echo "$GREETING|${EMPTY-unset}"; exit 7'],
      allowFailure: true,
    });
    expect(r.exitCode).toBe(7);
    expect(r.stdout).toBe('hello world|\n');

    const thrown = await podman.run({ image: IMAGE('bullseye'), command: ['bash', '-c', 'echo oops >&2; exit 3'] }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ExecError);
    expect((thrown as ExecError).exitCode).toBe(3);
    expect((thrown as ExecError).message).toMatch(/oops/);
  });

  it('streams output through onOutput', async () => {
    const seen: string[] = [];
    await podman.run({
      image: IMAGE('bookworm'),
      command: ['bash', '-c', 'echo out; echo err >&2'],
      capture: false,
      onOutput: (chunk, stream) => seen.push(`${stream}:${chunk.toString().trim()}`),
    });
    expect(seen.sort()).toEqual(['stderr:err', 'stdout:out']);
  });

  it('honours workdir and user', async () => {
    const r = await podman.run({
      image: IMAGE('trixie'),
      workdir: '/var/tmp',
      user: '1234:2345',
      command: ['bash', '-c', 'pwd; id -u; id -g'],
    });
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['/var/tmp', '1234', '2345']);
  });

  it('has no network when network is false', async () => {
    const script = 'ls /sys/class/net | tr "\\n" " "';
    const off = await podman.run({ image: IMAGE('bookworm'), network: false, command: ['bash', '-c', script] });
    expect(off.stdout.trim()).toBe('lo');
    const on = await podman.run({ image: IMAGE('bookworm'), command: ['bash', '-c', script] });
    expect(on.stdout.trim().split(' ').length).toBeGreaterThan(1);

    const mirror = mirrorHostPort();
    if (mirror) {
      // The same TCP connection that works with network succeeds and fails without.
      const connect = `exec 3<>/dev/tcp/${mirror.host}/${mirror.port}`;
      const reached = await podman.run({ image: IMAGE('bookworm'), command: ['timeout', '20', 'bash', '-c', connect], allowFailure: true });
      expect(reached.exitCode).toBe(0);
      const blocked = await podman.run({
        image: IMAGE('bookworm'),
        network: false,
        command: ['timeout', '20', 'bash', '-c', connect],
        allowFailure: true,
      });
      expect(blocked.exitCode).not.toBe(0);
    }
  });

  it('reports whether an image exists', async () => {
    expect(await podman.imageExists(IMAGE('bullseye'))).toBe(true);
    expect(await podman.imageExists(`localhost/runtime-test-absent:${randomBytes(4).toString('hex')}`)).toBe(false);
  });
});

describe('podman prepareImage', () => {
  const token = randomBytes(6).toString('hex');
  const setup = [`echo ${token} > /prepared-marker`, 'test -s /prepared-marker'];
  const made: string[] = [];

  afterAll(async () => {
    for (const tag of made) await nodeExec('podman', ['rmi', '--force', tag], { allowFailure: true });
  });

  it('builds once, then re-uses the image (also for concurrent calls)', async () => {
    const { exec, count } = countingExec();
    const runtime = new ContainerRuntime('podman', exec);
    const expected = await runtime.preparedTag(IMAGE('bullseye'), setup);
    made.push(expected);
    expect(await runtime.imageExists(expected)).toBe(false);

    const [a, b] = await Promise.all([runtime.prepareImage(IMAGE('bullseye'), setup), runtime.prepareImage(IMAGE('bullseye'), setup)]);
    expect(a).toBe(expected);
    expect(b).toBe(expected);
    expect(count('commit')).toBe(1);
    const firstId = await runtime.imageId(expected);
    expect(firstId).toBeTruthy();

    const again = await runtime.prepareImage(IMAGE('bullseye'), setup);
    expect(again).toBe(expected);
    expect(await runtime.imageId(expected)).toBe(firstId);
    expect(count('commit')).toBe(1);

    const r = await runtime.run({ image: expected, command: ['cat', '/prepared-marker'] });
    expect(r.stdout.trim()).toBe(token);
    // Its default command is a shell, not the setup script.
    const cmd = await nodeExec('podman', ['image', 'inspect', '--format', '{{json .Config.Cmd}}', expected]);
    expect(JSON.parse(cmd.stdout)).toEqual(['/bin/bash']);
    // The setup container is gone.
    const ps = await nodeExec('podman', ['ps', '--all', '--format', '{{.Names}}']);
    expect(ps.stdout).not.toMatch(expected.split(':')[1]);
  });

  it('a different base or setup gives a different tag; no setup gives the base', async () => {
    const onBookworm = await podman.preparedTag(IMAGE('bookworm'), setup);
    const other = await podman.preparedTag(IMAGE('bullseye'), [...setup, 'true']);
    const same = await podman.preparedTag(IMAGE('bullseye'), setup);
    expect(new Set([onBookworm, other, same]).size).toBe(3);
    expect(await podman.prepareImage(IMAGE('bookworm'), [])).toBe(IMAGE('bookworm'));
  });

  it('names the failing setup command and leaves no image or container', async () => {
    const failing = [`echo ${token}-fail`, 'false && true; ls /no-such-dir-here', 'echo never'];
    const tag = await podman.preparedTag(IMAGE('bookworm'), failing);
    made.push(tag);
    const error = await podman.prepareImage(IMAGE('bookworm'), failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiracosError);
    const message = (error as DiracosError).message;
    expect(message).toContain('setup command 2 of 3 failed (exit 2): false && true; ls /no-such-dir-here');
    expect(message).toContain('/no-such-dir-here');
    expect(message).not.toMatch(/diracos-setup-failed/);
    expect(await podman.imageExists(tag)).toBe(false);
    const ps = await nodeExec('podman', ['ps', '--all', '--format', '{{.Names}}']);
    expect(ps.stdout).not.toMatch(tag.split(':')[1]);
  });

  it('names a base image that is neither present nor pullable', async () => {
    const absent = `localhost/runtime-test-absent:${token}`;
    await expect(podman.prepareImage(absent, ['true'])).rejects.toThrow(new RegExp(`'${absent}' is not present locally`));
  });
});

describe('host runtime', () => {
  const host = new HostRuntime(nodeExec);

  it('runs on this machine with env and workdir', async () => {
    const r = await host.run({ image: 'ignored', command: ['bash', '-c', 'pwd; echo "$RT_VAR"'], env: { RT_VAR: 'v1' }, workdir: work });
    expect(r.stdout).toBe(`${work}\nv1\n`);
  });

  it('remaps mounts through bubblewrap, read-only ones cannot be written', async () => {
    const src = join(work, 'host-src');
    const target = join(work, 'host-target');
    const roTarget = join(work, 'host-ro-target');
    await mkdir(src);
    await mkdir(target);
    await mkdir(roTarget);
    await writeFile(join(src, 'f.txt'), 'remapped\n');
    const mounts = [
      { source: src, target },
      { source: src, target: roTarget, readOnly: true },
    ];
    const r = await host.run({ image: 'ignored', mounts, workdir: target, command: ['bash', '-c', 'cat f.txt; echo w > written.txt'] });
    expect(r.stdout).toBe('remapped\n');
    expect(await readFile(join(src, 'written.txt'), 'utf8')).toBe('w\n');
    expect(existsSync(join(target, 'f.txt'))).toBe(false); // only visible inside the sandbox

    const denied = await host.run({ image: 'ignored', mounts, command: ['bash', '-c', `echo x > ${roTarget}/new.txt`], allowFailure: true });
    expect(denied.exitCode).not.toBe(0);
    expect(existsSync(join(src, 'new.txt'))).toBe(false);
  });

  it('passes exit codes through and refuses setup commands', async () => {
    const r = await host.run({ image: 'ignored', command: ['bash', '-c', 'exit 5'], allowFailure: true });
    expect(r.exitCode).toBe(5);
    expect(await host.prepareImage('any', [])).toBe('any');
    await expect(host.prepareImage('any', ['yum install -y gcc'])).rejects.toThrow(/host runtime cannot prepare image 'any'.*yum install/);
  });

  it('has no network when network is false', async () => {
    const r = await host.run({ image: 'ignored', network: false, command: ['ls', '/proc/self/net/dev'] });
    expect(r.exitCode).toBe(0);
    const dev = await host.run({ image: 'ignored', network: false, command: ['cat', '/proc/self/net/dev'] });
    const interfaces = dev.stdout.split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0].trim());
    expect(interfaces).toEqual(['lo']);
  });
});

describe('createRuntime', () => {
  it('auto picks docker when its engine answers, else podman', async () => {
    const dockerWorks = await nodeExec('docker', ['info'], { allowFailure: true }).then(
      (r) => r.exitCode === 0,
      () => false,
    );
    const runtime = await createRuntime(nodeExec);
    expect(runtime.name).toBe(dockerWorks ? 'docker' : 'podman');
    expect(await runtime.imageExists(IMAGE('bullseye'))).toBe(true);
  });

  it('gives the runtime asked for', async () => {
    expect((await createRuntime(nodeExec, 'host')).name).toBe('host');
    expect((await createRuntime(nodeExec, 'docker')).name).toBe('docker');
    expect((await createRuntime(nodeExec, 'podman')).name).toBe('podman');
  });

  it('says clearly when no engine works', async () => {
    // An Exec that finds neither binary, as on a machine without them (the not-found error nodeExec gives).
    const missing: Exec = (command, args, options) => nodeExec(`${command}-runtime-test-missing`, args, options);
    await expect(createRuntime(missing)).rejects.toThrow(/no working container engine found[\s\S]*docker[\s\S]*podman[\s\S]*apt-get install podman/);
  });
});

describe('containers a run starts: named, labelled with their owner, orphans removed', () => {
  it('a container carries a name of its own and its owner (pid, start, host) while it runs', async () => {
    const running = podman.run({ image: IMAGE('bookworm'), name: 'probe step', command: ['sleep', '3'] });
    let listed = '';
    for (let i = 0; i < 40 && !listed.includes('diracos-probe-step-'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      listed = (await nodeExec('podman', ['ps', '--filter', `label=${OWNER_LABEL}=${ownerLabelValue()}`, '--format', '{{.Names}}'])).stdout;
    }
    expect(listed.trim()).toMatch(new RegExp(`^diracos-probe-step-${process.pid}-[0-9a-f]{6}$`));
    await running;
  });

  it('createRuntime removes the containers of dead processes of this host, not those of live ones or of other hosts', async () => {
    // Every run on this host removes the orphans it sees, so a test file running beside this one could remove
    // ours first. A private container store (the shared one lends its images read-only) hides them from others.
    const graphRoot = (await nodeExec('podman', ['info', '--format', '{{.Store.GraphRoot}}'])).stdout.trim();
    const store = await mkdtemp(join(tmpdir(), 'runtime-test-store-'));
    await writeFile(
      join(store, 'storage.conf'),
      `[storage]\ndriver = "overlay"\ngraphroot = "${store}/graph"\nrunroot = "${store}/run"\n` +
        `[storage.options]\nadditionalimagestores = ["${graphRoot}"]\n`,
    );
    const sharedStore = process.env.CONTAINERS_STORAGE_CONF;
    process.env.CONTAINERS_STORAGE_CONF = join(store, 'storage.conf');
    const dead = spawn('true');
    await new Promise((r) => dead.on('close', r));
    const alive = spawn('sleep', ['60']);
    const started: string[] = [];
    const start = async (owner: string) => {
      const name = `runtime-test-orphan-${randomBytes(3).toString('hex')}`;
      await nodeExec('podman', ['run', '-d', '--rm', '--name', name, '--label', `${OWNER_LABEL}=${owner}`, IMAGE('bookworm'), 'sleep', '60']);
      started.push(name);
      return name;
    };
    try {
      const orphan = await start(`${dead.pid}.1@${hostname()}`);
      const live = await start(`${alive.pid}.@${hostname()}`);
      const remote = await start(`${dead.pid}.1@elsewhere.example.org`);
      const notes: string[] = [];
      expect((await createRuntime(nodeExec, 'podman', (m) => notes.push(m))).name).toBe('podman');
      const left = (await nodeExec('podman', ['ps', '--all', '--format', '{{.Names}}'])).stdout.split('\n');
      expect({ orphan: left.includes(orphan), live: left.includes(live), remote: left.includes(remote) }).toEqual({ orphan: false, live: true, remote: true });
      expect(notes).toEqual([expect.stringMatching(new RegExp(`^removed \\d+ container\\(s\\) left running by an earlier run that was killed: .*${orphan}`))]);
    } finally {
      alive.kill();
      await nodeExec('podman', ['rm', '--force', '--ignore', '--time', '0', ...started], { allowFailure: true });
      if (sharedStore === undefined) delete process.env.CONTAINERS_STORAGE_CONF;
      else process.env.CONTAINERS_STORAGE_CONF = sharedStore;
      await rm(store, { recursive: true, force: true });
    }
  });
});

describe('removing containers', () => {
  it('removes the running ones at once even when another of the names is already gone (podman 4 would remove none)', async () => {
    const name = `runtime-test-rm-${randomBytes(3).toString('hex')}`;
    await nodeExec('podman', ['run', '-d', '--rm', '--name', name, IMAGE('bookworm'), 'sleep', '60']);
    const started = Date.now();
    await nodeExec('podman', forceRemoveArgs('podman', [`${name}-gone`, name]), { allowFailure: true });
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await nodeExec('podman', ['ps', '--all', '--format', '{{.Names}}'])).stdout.split('\n')).not.toContain(name);
  });
});

describe('the tools container', () => {
  it('sees a shared folder that was removed and made again (not the removed one)', async () => {
    const shared = join(work, 'tools-shared');
    await mkdir(shared, { recursive: true });
    const tools = createTools(podman, nodeExec, [shared]);
    try {
      await writeFile(join(shared, 'a'), 'first\n');
      expect((await tools.exec('cat', [join(shared, 'a')])).stdout).toBe('first\n');
      await rm(shared, { recursive: true });
      await mkdir(shared);
      await writeFile(join(shared, 'a'), 'second\n');
      expect((await tools.exec('cat', [join(shared, 'a')])).stdout).toBe('second\n');
    } finally {
      await tools.close();
    }
  });
});
