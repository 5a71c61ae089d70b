/**
 * Tool plumbing for the session manager: parameter schema normalisation, validation of the model's
 * arguments, and sanitising of handler results.
 * @packageDocumentation
 */
export {
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_MAX_RESULT_DEPTH,
  toJsonSafeObject,
  type JsonSafeOptions,
  type JsonSafeResult,
} from './json-safe.js';
export {
  ensureObjectSchema,
  isZodSchema,
  toJsonSchema,
  type JsonSchema,
  type JsonSchemaObject,
  type JsonSchemaTypeName,
  type ZodSchema,
} from './schema.js';
export {
  DEFAULT_MAX_ARGUMENT_ERRORS,
  DEFAULT_MAX_ARGUMENT_DEPTH,
  DEFAULT_MAX_VALIDATION_STEPS,
  validateToolArguments,
  type ToolArgumentIssue,
  type ToolArgumentValidation,
  type ValidateToolArgumentsOptions,
} from './validate-arguments.js';
