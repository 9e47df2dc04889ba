/**
 * Import rules `npm run deps:check` enforces (dependency-cruiser). Paths are relative to the
 * repository root. Type-only imports are analysed too (`tsPreCompilationDeps`), so a rule can
 * tell `import type { X }` (erased at compile time) from an import that runs code.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order fragile and hide which module owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'views-only-views-and-domain-types',
      severity: 'error',
      comment:
        'Block Kit builders are pure functions: they may import other views, the I/O-free helpers in common/, and types from the domain or from packages (e.g. Block Kit types), nothing else.',
      from: { path: '^src/slack/views/' },
      to: { pathNot: ['^src/slack/views/', '^src/common/', '^src/domain/', 'node_modules'] },
    },
    {
      name: 'common-is-a-leaf',
      severity: 'error',
      comment:
        'common/ holds pure helpers (money, zoned time, stages, errors) used by every layer; it imports nothing of ours.',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'views-only-type-imports-from-domain',
      severity: 'error',
      comment: 'Views take data already loaded and computed; they use domain and package types only.',
      from: { path: '^src/slack/views/' },
      to: { path: ['^src/domain/', 'node_modules'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'production-not-to-domain',
      severity: 'error',
      comment: 'The Metabase client knows nothing of CRM rules; move what both need into a shared leaf module.',
      from: { path: '^src/production/' },
      to: { path: '^src/domain/' },
    },
    {
      name: 'domain-not-to-slack',
      severity: 'error',
      comment: 'The domain is free of Slack: listeners call the domain, never the other way round.',
      from: { path: '^src/domain/' },
      to: { path: '^src/slack/' },
    },
    {
      name: 'jobs-not-to-listeners',
      severity: 'error',
      comment: 'Scheduled jobs call the domain (and views to render), not Slack listeners.',
      from: { path: '^src/jobs/' },
      to: { path: '^src/slack/listeners/' },
    },
    {
      name: 'src-not-to-test-or-bench',
      severity: 'error',
      comment: 'Application code never depends on test or benchmark helpers.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['^src/generated/', '^dist/', '^coverage/', '^preview/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
    reporterOptions: { text: { highlightFocused: true } },
  },
};
