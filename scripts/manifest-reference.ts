// Rewrites the manifest reference in README.md from the schema (npm run docs). A unit test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReference } from '../src/manifest/reference.js';

const BEGIN = '<!-- manifest-reference:begin -->';
const END = '<!-- manifest-reference:end -->';
const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md has no ${BEGIN} ... ${END} section`);
writeFileSync('README.md', `${readme.slice(0, start + BEGIN.length)}\n${renderReference()}\n${readme.slice(end)}`);
