// One lint config for the repository. The AppSync plugin (recommended rules) applies only to
// resolvers/ and to the modules of infra/ bundled into them: that code runs on APPSYNC_JS.
import js from '@eslint/js'
import appsync from '@aws-appsync/eslint-plugin'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'

const appsyncFiles = [
  'resolvers/**/*.ts',
  'infra/model.ts',
  'infra/mailbox.ts',
  'infra/settings/declaration.ts',
  'infra/settings/decode.ts',
]

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'cdk.out/',
      'web/dist/',
      'examples/two-step/web/dist/',
      'generated/',
      'test-results/',
      '.local/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['web/**/*.vue', 'examples/**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // TypeScript (vue-tsc) checks names, so no-undef only misreads DOM types; Prettier owns the layout.
    rules: {
      'no-undef': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: appsyncFiles,
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { ...appsync.configs.recommended.rules, 'no-console': 'error' },
  },
)
