/**
 * Expressions as GitHub evaluates them: GitHub's own lexer, parser and evaluator (@actions/expressions),
 * with the status functions of the place being evaluated (job `if` or step `if`) and the contexts as
 * data. Reading an output that the job or step producing it never set evaluates to '' on GitHub, which
 * hides wiring errors: here such reads are reported (see strict).
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
  always(): boolean;
}

export interface EvalContext {
  values: Record<string, Json>;
  status: StatusFunctions;
  /**
   * Paths of objects whose missing keys are wiring errors (e.g. `needs.plan.outputs` of a job that
   * succeeded): a read of one calls onMiss with the full path.
   */
  strict?: Set<string>;
  onMiss?: (path: string) => void;
}

/** Dictionary that reports reads of keys it does not have. */
class StrictDictionary extends data.Dictionary {
  constructor(
    private readonly path: string,
    private readonly onMiss: (path: string) => void,
  ) {
    super();
  }
  override get(key: string): data.ExpressionData | undefined {
    const v = super.get(key);
    if (v === undefined) this.onMiss(`${this.path}.${key}`);
    return v;
  }
}

function toData(value: Json, path: string, ctx: EvalContext): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'string') return new data.StringData(value);
  if (Array.isArray(value)) return new data.Array(...value.map((v, i) => toData(v, `${path}[${i}]`, ctx)));
  const strict = ctx.strict?.has(path.toLowerCase()) && ctx.onMiss;
  const d = strict ? new StrictDictionary(path, ctx.onMiss!) : new data.Dictionary();
  for (const [k, v] of Object.entries(value)) d.add(k, toData(v, path ? `${path}.${k}` : k, ctx));
  return d;
}

export function fromData(d: data.ExpressionData): Json {
  switch (d.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
      return (d as data.BooleanData).value;
    case data.Kind.Number:
      return d.number();
    case data.Kind.String:
      return d.coerceString();
    case data.Kind.Array:
      return (d as data.Array).values().map(fromData);
    default: {
      const out: Record<string, Json> = {};
      for (const p of (d as data.Dictionary).pairs()) out[p.key] = fromData(p.value);
      return out;
    }
  }
}

const fn = (name: string, call: (...args: data.ExpressionData[]) => data.ExpressionData, minArgs = 0, maxArgs = 0) => ({ name, description: name, minArgs, maxArgs, call });

/** Evaluates one expression (the text between `${{` and `}}`). */
export function evaluate(expression: string, ctx: EvalContext): Json {
  const functions = [
    fn('success', () => new data.BooleanData(ctx.status.success())),
    fn('failure', () => new data.BooleanData(ctx.status.failure())),
    fn('cancelled', () => new data.BooleanData(ctx.status.cancelled())),
    fn('always', () => new data.BooleanData(ctx.status.always())),
    fn(
      'hashFiles',
      () => {
        throw new Error('hashFiles() is not supported by the workflow walk');
      },
      1,
      255,
    ),
  ];
  const { tokens } = new Lexer(expression).lex();
  const tree = new Parser(tokens, Object.keys(ctx.values), functions).parse();
  const root = new data.Dictionary();
  for (const [name, value] of Object.entries(ctx.values)) root.add(name, toData(value, name, ctx));
  const result = new Evaluator(tree, root, new Map(functions.map((f) => [f.name.toLowerCase(), f]))).evaluate();
  return fromData(result);
}

/** GitHub's truthiness of an `if` result. */
export function truthy(v: Json): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  return true;
}

/** A token of the parsed workflow, evaluated: mappings and sequences recursively. */
export function evaluateToken(token: TemplateToken | undefined, ctx: EvalContext): Json {
  if (!token) return null;
  if (isBasicExpression(token)) return evaluate(token.expression, ctx);
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map((t) => evaluateToken(t, ctx));
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const { key, value } of token) out[String(evaluateToken(key, ctx))] = evaluateToken(value, ctx);
    return out;
  }
  return null;
}

/** A value where the runner needs a string (action inputs, env, outputs): as the runner formats it. */
export function asString(v: Json, what: string): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  throw new Error(`${what}: an object or array where a string is expected (${JSON.stringify(v).slice(0, 80)})`);
}
