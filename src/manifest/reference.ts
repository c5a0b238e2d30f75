import { manifestSchema, type Field, type Schema } from './schema.js';

/** Every key path of the schema with its type and doc, in schema order (`[]` marks list items, `.*` map values). */
export function schemaKeys(schema: Schema = manifestSchema, prefix = ''): Array<{ path: string; type: string; required: boolean; doc: string }> {
  const rows: Array<{ path: string; type: string; required: boolean; doc: string }> = [];
  const visit = (s: Schema, path: string) => {
    if (s.type === 'object') {
      for (const [key, field] of Object.entries(s.fields) as Array<[string, Field]>) {
        const p = path ? `${path}.${key}` : key;
        rows.push({ path: p, type: typeName(field), required: field.required ?? false, doc: docOf(field) });
        visit(field, p);
      }
    } else if (s.type === 'array') visit(s.items, `${path}[]`);
  };
  visit(schema, prefix);
  return rows;
}

function typeName(s: Schema): string {
  switch (s.type) {
    case 'array':
      return `list of ${typeName(s.items)}`;
    case 'map':
      return `map of ${typeName(s.values)}`;
    case 'object':
      return s.name === 'source' ? 'source' : 'mapping';
    case 'strings':
      return 'string or list of strings';
    case 'string':
      return s.enum ? s.enum.map((v) => `\`${v}\``).join(' \\| ') : 'string';
    default:
      return s.type;
  }
}

function docOf(f: Field): string {
  const together = f.type === 'object' ? (f.together ?? []).map((t) => `, or ${t.keys.map((k) => `\`${k}\``).join(' with ')}`).join('') : '';
  const extra = f.type === 'object' && f.exactlyOne ? ` (exactly one of ${f.exactlyOne.map((k) => `\`${k}\``).join(', ')}${together})` : '';
  return f.doc + extra;
}

/** The README's manifest reference table, generated so it cannot drift from the validator. */
export function renderReference(): string {
  const lines = ['| key | type | required | meaning |', '| --- | --- | --- | --- |'];
  for (const r of schemaKeys()) {
    if (r.path.includes('.source.') || /\.(srpm|tarball|sources\[\])\./.test(r.path)) continue; // sources: one table below
    lines.push(`| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${r.doc} |`);
  }
  lines.push('', 'A **source** is one file and the ways to get it: a mapping with `path`, or with `url` and/or `apt` (tried in that order):', '', '| key | type | meaning |', '| --- | --- | --- |');
  const source = manifestSchema.type === 'object' ? manifestSchema.fields.python : undefined;
  if (source?.type === 'object') {
    for (const r of schemaKeys(source.fields.source!)) lines.push(`| \`${r.path}\` | ${r.type} | ${r.doc} |`);
  }
  return lines.join('\n');
}
