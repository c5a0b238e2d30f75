import * as core from '@actions/core';
import { DiracosError } from '../../shared/errors.js';

/**
 * Typed action inputs. The runner applies action.yml defaults; the same defaults are repeated
 * here so the bundle behaves the same when run directly (tests, other runners).
 * Every error names the input.
 */
export const inputs = {
  string(name: string, fallback = ''): string {
    return core.getInput(name).trim() || fallback;
  },

  /** true/false in the YAML 1.2 core spellings, as core.getBooleanInput accepts. */
  boolean(name: string, fallback: boolean): boolean {
    const raw = core.getInput(name).trim();
    if (raw === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    throw new DiracosError(`input '${name}': expected true or false, got '${raw}'`);
  },

  /** A whole number >= min, or undefined when empty. */
  int(name: string, min = 1): number | undefined {
    const raw = core.getInput(name).trim();
    if (raw === '') return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min) throw new DiracosError(`input '${name}': expected a whole number >= ${min}, got '${raw}'`);
    return Number(raw);
  },

  /** One of `choices`, or undefined when empty. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const raw = core.getInput(name).trim();
    if (raw === '') return undefined;
    if (!(choices as readonly string[]).includes(raw)) throw new DiracosError(`input '${name}': expected one of ${choices.join(', ')}, got '${raw}'`);
    return raw as T;
  },

  /** A comma or newline separated list; empty entries dropped. */
  list(name: string): string[] {
    return core
      .getInput(name)
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  },

  /** A JSON value, or undefined when empty. */
  json(name: string): unknown {
    const raw = core.getInput(name).trim();
    if (raw === '') return undefined;
    try {
      return JSON.parse(raw);
    } catch (e) {
      throw new DiracosError(`input '${name}': not valid JSON (${(e as Error).message})`);
    }
  },
};
