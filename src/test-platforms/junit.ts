/** JUnit XML of the stage: one testsuite per platform, a testcase per check and per failing item. */
import { failedItems, type PlatformResult } from './types.js';

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlEscape(text: string): string {
  // Control characters other than tab and newline are not allowed in XML 1.0 at all.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '?').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

function testcase(classname: string, name: string, failure?: { message: string; body: string }): string {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}"`;
  if (!failure) return `${open}/>`;
  return `${open}>\n      <failure message="${xmlEscape(failure.message)}">${xmlEscape(failure.body)}</failure>\n    </testcase>`;
}

export function junitXml(platforms: readonly PlatformResult[]): string {
  const suites = platforms.map((p) => {
    const cases: string[] = [];
    for (const c of p.checks) {
      const summary = `${failedItems(c)} failing, ${c.passed} passed`;
      cases.push(testcase(p.name, c.check, c.failures.length ? { message: summary, body: c.failures.map((f) => `${f.item}: ${f.message}`).join('\n') } : undefined));
      for (const f of c.failures) cases.push(testcase(`${p.name}.${c.check}`, f.item, { message: f.message, body: f.message }));
    }
    const failures = cases.filter((c) => c.includes('<failure')).length;
    return [
      `  <testsuite name="${xmlEscape(p.name)}" tests="${cases.length}" failures="${failures}" errors="0">`,
      `    <properties><property name="required" value="${p.required}"/></properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="test-platforms">\n${suites.join('\n')}\n</testsuites>\n`;
}
