import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (docs/architecture.md). A stage imports the shared layers and its own files
 * only; a shared layer imports no stage and no shell. Listed here so that a new folder has to be placed.
 */
export const STAGES = ['bootstrap-python', 'build-rpms', 'bundle-diracos', 'test-platforms'];
export const SHARED_LAYERS = ['cache', 'elf', 'manifest', 'platform', 'reporting', 'repo', 'rules', 'runtime', 'shared', 'sources'];
/** Above the stages: the pipeline runs them in order, the CLI and the actions are the shells, import-v1 a converter. */
export const SHELLS = ['actions', 'cli', 'import-v1', 'pipeline'];

// The core never talks to GitHub: only the action shells adapt @actions/*.
const NO_ACTIONS_TOOLKIT = { group: ['@actions/*'], message: 'only src/actions/ may import @actions/*' };

/** A relative import of one of `folders` (from a file one or more levels below src/). */
function importsOf(folders, message, except = '') {
  return { regex: `^(?:\\.\\./)+(?:${folders.join('|')})(?:/${except}|$)`, message };
}

/** no-restricted-imports for the files of `folder`: the toolkit rule plus its layer's border. */
function border(folder, patterns) {
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...(folder === 'actions' ? [] : [NO_ACTIONS_TOOLKIT]), ...patterns] }] },
  };
}

const stageBorders = STAGES.map((stage) => {
  const others = STAGES.filter((s) => s !== stage && !(stage === 'bootstrap-python' && s === 'build-rpms'));
  const message = `a stage (src/${stage}) imports the shared layers (${SHARED_LAYERS.join(', ')}) and its own files only: move what stages share to a shared layer`;
  return border(stage, [
    importsOf([...others, ...SHELLS], message),
    // bootstrap-python builds CPython through the build engine: it may call the engine's entry
    // (build-rpms/index.ts), nothing inside it.
    ...(stage === 'bootstrap-python' ? [importsOf(['build-rpms'], `${message}; bootstrap-python may use build-rpms/index.js (the engine's entry) only`, '(?!index\\.js$)')] : []),
  ]);
});

const sharedBorders = SHARED_LAYERS.map((layer) =>
  border(layer, [importsOf([...STAGES, ...SHELLS], `a shared layer (src/${layer}) imports no stage (${STAGES.join(', ')}) and no shell (${SHELLS.join(', ')})`)]),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/**', '.work/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/actions/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_ACTIONS_TOOLKIT] }] },
  },
  // Each block below sets no-restricted-imports for its folder whole (a later block replaces an
  // earlier one's options), so border() repeats the toolkit rule.
  ...stageBorders,
  ...sharedBorders,
  border('pipeline', [importsOf(['cli', 'actions'], 'the pipeline is the shells\' common core: it imports neither src/cli nor src/actions')]),
  border('cli', [importsOf(['actions'], 'the CLI does not import the actions')]),
  border('import-v1', [importsOf([...STAGES, 'pipeline', 'cli', 'actions'], 'import-v1 converts manifests: it imports the shared layers only')]),
  border('actions', [importsOf(['cli'], 'the actions do not import the CLI')]),
);
