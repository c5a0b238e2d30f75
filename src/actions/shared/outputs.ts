import * as core from '@actions/core';

/** Sets several outputs at once; numbers and booleans as their text. */
export function setOutputs(values: Record<string, string | number | boolean>): void {
  for (const [name, value] of Object.entries(values)) core.setOutput(name, String(value));
}
