// EventBridge event patterns: validation when a rule is saved, matching when an event is put.
// Covers the part of the pattern language the pipeline's rules use and a little around it:
// nested fields (AND), arrays of matchers (OR), literal values, prefix / suffix / equals-ignore-case
// (prefix and suffix also with equals-ignore-case), anything-but (value, list, prefix, suffix,
// equals-ignore-case), exists, wildcard, numeric, and $or. Anything else is refused when the rule is
// saved, so a rule can never silently match differently here than in EventBridge.

/** Thrown for a pattern EventBridge would refuse, or one this emulation does not cover. */
export class EventPatternError extends Error {}

const fail = (message) => {
  throw new EventPatternError(message);
};

const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isScalar = (value) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Parses a pattern (JSON text) and checks it; returns the parsed object. */
export function parseEventPattern(text) {
  let pattern;
  try {
    pattern = JSON.parse(text);
  } catch {
    fail('Event pattern is not valid JSON');
  }
  if (!isPlainObject(pattern) || Object.keys(pattern).length === 0) fail('Event pattern must be a non-empty JSON object');
  checkObject(pattern, '');
  return pattern;
}

function checkObject(pattern, path) {
  for (const [field, value] of Object.entries(pattern)) {
    const at = path === '' ? field : `${path}.${field}`;
    if (field === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail(`${at}: $or needs an array of at least two patterns`);
      for (const branch of value) {
        if (!isPlainObject(branch) || Object.keys(branch).length === 0) fail(`${at}: each $or branch must be a non-empty object`);
        checkObject(branch, path);
      }
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail(`${at}: an empty matcher list matches nothing`);
      for (const matcher of value) checkMatcher(matcher, at);
    } else if (isPlainObject(value)) {
      if (Object.keys(value).length === 0) fail(`${at}: empty object`);
      checkObject(value, at);
    } else {
      fail(`${at}: a field's value must be an array of matchers or an object`);
    }
  }
}

const stringOrIgnoreCase = (value, at, name) => {
  if (typeof value === 'string') return;
  if (isPlainObject(value) && Object.keys(value).length === 1 && typeof value['equals-ignore-case'] === 'string') return;
  fail(`${at}: ${name} takes a string or {"equals-ignore-case": string}`);
};

function checkMatcher(matcher, at) {
  if (isScalar(matcher)) return;
  if (!isPlainObject(matcher) || Object.keys(matcher).length !== 1) fail(`${at}: a matcher is a value or an object with one operator`);
  const [[operator, operand]] = Object.entries(matcher);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return stringOrIgnoreCase(operand, at, operator);
    case 'equals-ignore-case':
      if (typeof operand !== 'string') fail(`${at}: equals-ignore-case takes a string`);
      return undefined;
    case 'wildcard':
      if (typeof operand !== 'string') fail(`${at}: wildcard takes a string`);
      if (operand.includes('**')) fail(`${at}: consecutive wildcard characters are not allowed`);
      return undefined;
    case 'exists':
      if (typeof operand !== 'boolean') fail(`${at}: exists takes true or false`);
      return undefined;
    case 'numeric':
      return checkNumeric(operand, at);
    case 'anything-but':
      return checkAnythingBut(operand, at);
    default:
      return fail(`${at}: operator '${operator}' is not supported by the local event bus`);
  }
}

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function checkNumeric(operand, at) {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) fail(`${at}: numeric takes [op, number, ...]`);
  for (let i = 0; i < operand.length; i += 2) {
    if (!NUMERIC_OPERATORS.has(operand[i]) || typeof operand[i + 1] !== 'number') fail(`${at}: numeric takes [op, number, ...]`);
  }
}

function checkAnythingBut(operand, at) {
  if (isScalar(operand) && operand !== null) return;
  if (Array.isArray(operand) && operand.length > 0 && operand.every((v) => typeof v === 'string' || typeof v === 'number')) return;
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [[operator, value]] = Object.entries(operand);
    if ((operator === 'prefix' || operator === 'suffix' || operator === 'wildcard') && typeof value === 'string') return;
    if (operator === 'equals-ignore-case' && (typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')))) return;
  }
  fail(`${at}: anything-but takes a value, a list of values, or {prefix|suffix|wildcard|equals-ignore-case: ...}`);
}

/** Whether an event (a parsed JSON object) matches a pattern that parseEventPattern accepted. */
export function eventMatches(pattern, event) {
  return objectMatches(pattern, event);
}

function objectMatches(pattern, value) {
  for (const [field, expected] of Object.entries(pattern)) {
    if (field === '$or') {
      if (!expected.some((branch) => objectMatches(branch, value))) return false;
      continue;
    }
    const actual = isPlainObject(value) ? value[field] : undefined;
    if (Array.isArray(expected)) {
      if (!expected.some((matcher) => leafMatches(matcher, actual))) return false;
    } else if (!objectMatches(expected, actual)) {
      return false;
    }
  }
  return true;
}

/** One matcher against a field that may be missing, a scalar, or an array (any element may match). */
function leafMatches(matcher, actual) {
  if (isPlainObject(matcher) && 'exists' in matcher) {
    const present = actual !== undefined && !isPlainObject(actual) && !(Array.isArray(actual) && actual.length === 0);
    return matcher.exists === present;
  }
  if (actual === undefined || isPlainObject(actual)) return false;
  const values = Array.isArray(actual) ? actual : [actual];
  if (isPlainObject(matcher) && 'anything-but' in matcher) {
    return values.every((v) => isScalar(v) && !anythingButExcludes(matcher['anything-but'], v));
  }
  return values.some((v) => isScalar(v) && scalarMatches(matcher, v));
}

const lower = (text) => text.toLowerCase();

function scalarMatches(matcher, value) {
  if (!isPlainObject(matcher)) return matcher === value;
  const [[operator, operand]] = Object.entries(matcher);
  if (operator === 'numeric') return typeof value === 'number' && numericMatches(operand, value);
  if (typeof value !== 'string') return false;
  switch (operator) {
    case 'prefix':
      return typeof operand === 'string' ? value.startsWith(operand) : lower(value).startsWith(lower(operand['equals-ignore-case']));
    case 'suffix':
      return typeof operand === 'string' ? value.endsWith(operand) : lower(value).endsWith(lower(operand['equals-ignore-case']));
    case 'equals-ignore-case':
      return lower(value) === lower(operand);
    case 'wildcard':
      return wildcardMatches(operand, value);
    default:
      return false;
  }
}

function numericMatches(operand, value) {
  for (let i = 0; i < operand.length; i += 2) {
    const bound = operand[i + 1];
    const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[operand[i]];
    if (!ok) return false;
  }
  return true;
}

function wildcardMatches(pattern, value) {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's').test(value);
}

/** Whether anything-but's operand rules this value out. */
function anythingButExcludes(operand, value) {
  if (Array.isArray(operand)) return operand.includes(value);
  if (!isPlainObject(operand)) return operand === value;
  const [[operator, argument]] = Object.entries(operand);
  if (typeof value !== 'string') return false;
  switch (operator) {
    case 'prefix':
      return value.startsWith(argument);
    case 'suffix':
      return value.endsWith(argument);
    case 'wildcard':
      return wildcardMatches(argument, value);
    case 'equals-ignore-case':
      return (Array.isArray(argument) ? argument : [argument]).some((a) => lower(a) === lower(value));
    default:
      return false;
  }
}
