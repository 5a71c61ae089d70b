// ESM stand-in for the CommonJS `debug` package that @openai/agents-core imports for logging.
// The browser build needs only a callable logger with `enabled` and `extend`.
function createDebug(namespace) {
  const log = () => {};
  log.namespace = namespace;
  log.enabled = false;
  log.extend = (suffix) => createDebug(`${namespace}:${suffix}`);
  return log;
}
createDebug.enable = () => {};
createDebug.disable = () => '';
createDebug.enabled = () => false;
export default createDebug;
