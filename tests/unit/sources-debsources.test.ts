import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDsc, pickUpstreamTarball } from '../../src/sources/apt.js';
import {
  debSrcStanzas,
  parseDeb822,
  readSystemRepositories,
  reposFromDeb822,
  reposFromOneLine,
} from '../../src/sources/debSources.js';

const fixtures = join(import.meta.dirname, '../fixtures/sources');
const read = (name: string) => readFile(join(fixtures, name), 'utf8');

describe('system apt repositories', () => {
  it('reads deb822 stanzas: deb and deb-src, skipping disabled ones and comments', async () => {
    const repos = reposFromDeb822(await read('debian.sources'));
    expect(repos.map((r) => r.uris[0])).toEqual([
      'http://mirror.example/debian',
      'http://mirror.example/debian-security',
      'http://mirror.example/debian',
    ]);
    expect(repos[0]).toEqual({
      uris: ['http://mirror.example/debian'],
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main', 'contrib'],
      signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
    });
    expect(repos[1].signedBy?.split('\n')).toEqual([
      '',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      '',
      'mDMEZfakekeyline1',
      'fakekeyline2==',
      '-----END PGP PUBLIC KEY BLOCK-----',
    ]);
  });

  it('reads one-line sources.list entries with their signed-by option', async () => {
    expect(reposFromOneLine(await read('sources.list'))).toEqual([
      {
        uris: ['http://mirror.example/debian'],
        suites: ['bullseye'],
        components: ['main'],
        signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      },
      { uris: ['http://mirror.example/debian-security'], suites: ['bullseye-security'], components: ['main', 'contrib'], signedBy: undefined },
    ]);
  });

  it('takes the first file that exists, and drops duplicate repositories', async () => {
    const repos = await readSystemRepositories([join(fixtures, 'absent.sources'), join(fixtures, 'debian.sources')]);
    expect(repos).toHaveLength(2);
    expect(await readSystemRepositories([join(fixtures, 'absent.sources')])).toEqual([]);
    const fromList = await readSystemRepositories([join(fixtures, 'sources.list')]);
    expect(fromList.map((r) => r.suites[0])).toEqual(['bullseye', 'bullseye-security']);
  });

  it('writes deb-src stanzas that apt-style parsing reads back identically (inline key included)', async () => {
    const repos = await readSystemRepositories([join(fixtures, 'debian.sources')]);
    const text = debSrcStanzas(repos);
    expect(text).not.toMatch(/^Types: deb$/m);
    const back = parseDeb822(text);
    expect(back.map((s) => s.types)).toEqual(['deb-src', 'deb-src']);
    expect(reposFromDeb822(text)).toEqual(repos);
  });
});

describe('upstream tarball of a source package', () => {
  it('parses a signed .dsc: package, version and its files', async () => {
    expect(parseDsc(await read('signed.dsc'))).toEqual({
      debian: { package: 'foo', version: '1:2.3-4+deb12u1' },
      files: ['foo_2.3.orig.tar.xz', 'foo_2.3.orig-docs.tar.xz', 'foo_2.3-4+deb12u1.debian.tar.xz', 'foo_2.3.orig.tar.xz.asc'],
    });
    expect(parseDsc('Hash: SHA512\n')).toBeUndefined();
  });

  it('takes the main orig tarball over component tarballs, signatures and the debian tarball', async () => {
    const { files } = parseDsc(await read('signed.dsc'))!;
    expect(pickUpstreamTarball(files)).toBe('foo_2.3.orig.tar.xz');
    expect(pickUpstreamTarball([...files].reverse())).toBe('foo_2.3.orig.tar.xz');
  });

  it('takes a native package tarball when there is no orig', () => {
    expect(pickUpstreamTarball(['tzdata_2024a-0+deb12u1.tar.xz', 'tzdata_2024a-0+deb12u1.dsc'])).toBe('tzdata_2024a-0+deb12u1.tar.xz');
    expect(pickUpstreamTarball(['foo_1.0-1.debian.tar.xz', 'foo_1.0.orig-docs.tar.gz', 'foo_1.0-1.dsc'])).toBeUndefined();
  });
});
