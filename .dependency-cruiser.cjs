/**
 * The folder map, checked by `npm test` (npm run deps). Arrows between folders run one way, lowest first:
 *   domain, threads <- ml <- format <- app, store <- audio <- collection <- labeler, search <- ui <- commands <- cli.ts
 * Each folder names the folders it may import; anything else under src/ is refused, so no two folders can ever
 * import each other. The pure folders also import no I/O, threads, terminal UI or storage.
 */
const MAY_IMPORT = {
  domain: [],
  threads: [],
  ml: ['domain'],
  format: ['domain', 'ml'],
  app: ['domain', 'ml', 'format'],
  store: ['domain', 'ml', 'format'],
  audio: ['domain', 'ml', 'format', 'store', 'threads'],
  collection: ['domain', 'ml', 'format', 'app', 'store', 'audio', 'threads'],
  labeler: ['domain', 'ml', 'format', 'app', 'store', 'audio', 'collection', 'threads'],
  search: ['domain', 'ml', 'format', 'app', 'store', 'audio', 'collection'],
  ui: ['domain', 'ml', 'format', 'app', 'audio', 'labeler'],
  commands: ['domain', 'ml', 'format', 'app', 'store', 'audio', 'collection', 'labeler', 'search', 'ui', 'threads'],
};
const PURE = ['domain', 'ml', 'format', 'app'];
const IO_MODULES = '^(node:)?(fs|fs/promises|child_process|worker_threads|net|http|https|dgram|cluster)$';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'modules that import each other, directly or round a loop',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
      name: `${folder}-imports-only-${allowed.join('-') || 'itself'}`,
      severity: 'error',
      comment: `src/${folder}/ may import ${allowed.length ? allowed.map((f) => `src/${f}/`).join(', ') : 'nothing else in src/'}`,
      from: { path: `^src/${folder}/` },
      to: { path: '^src/', pathNot: [`^src/(${[folder, ...allowed, 'types'].join('|')})/`] },
    })),
    {
      name: 'nothing-imports-the-program',
      severity: 'error',
      comment: 'src/cli.ts is the top: only the entry point src/hark.ts imports it',
      from: { pathNot: '^src/(cli|hark)\\.ts$' },
      to: { path: '^src/(cli|hark)\\.ts$' },
    },
    {
      name: 'pure-folders-do-no-io',
      severity: 'error',
      comment: `${PURE.map((f) => `src/${f}/`).join(', ')} are pure: no files, processes, threads, sockets, terminal UI or store library`,
      from: { path: `^src/(${PURE.join('|')})/` },
      to: { path: [IO_MODULES, '^node_modules/(ink|ink-[a-z-]+|react|lowdb|speaker)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js'] },
  },
};
