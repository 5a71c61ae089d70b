// Vue's self-contained browser build (runtime + template compiler, no bare imports, no `process`): the
// test runner serves ES modules as they are, so this is the build that loads without a bundler. Same API
// as 'vue'.
declare module 'vue/dist/vue.esm-browser.js' {
  export * from 'vue';
}
