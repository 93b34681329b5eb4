// A local stand-in for EventBridge's default event bus, just large enough for S3 -> EventBridge
// -> SQS: the rule and target calls of the EventBridge API (JSON 1.1 protocol, `X-Amz-Target:
// AWSEvents.<Action>`, POST / on the S3 + SQS port) and delivery of put events to the SQS
// targets of every enabled rule whose pattern matches. Rules live in memory, like fauxqs' state.

import { EventPatternError, eventMatches, parseEventPattern } from './event-pattern.mjs';
import { parseQueueArn } from '../s3-notifications/notification-config.mjs';

export const ACCOUNT_ID = '000000000000';
const TARGET_PREFIX = 'AWSEvents.';
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const STATES = new Set(['ENABLED', 'DISABLED']);

/** An EventBridge API error: `__type` and `message` in the body, HTTP 400 unless said otherwise. */
export class EventBusError extends Error {
  constructor(type, message, statusCode = 400) {
    super(message);
    this.type = type;
    this.statusCode = statusCode;
  }
}

const validation = (message) => new EventBusError('ValidationException', message);
const notFound = (message) => new EventBusError('ResourceNotFoundException', message);

export class EventBus {
  #rules = new Map(); // name -> { name, arn, pattern, patternText, state, description, targets: Map(id -> { Id, Arn }) }

  /**
   * @param options.stores  FauxqsStores, for delivery to queues
   * @param options.region  region of the bus (rule ARNs, events)
   * @param options.warn    sink for deliveries that failed
   */
  constructor({ stores, region, warn }) {
    this.stores = stores;
    this.region = region;
    this.warn = warn;
  }

  /** Registers the preHandler that answers AWSEvents.* calls on POST /. */
  install(app) {
    app.addHook('preHandler', async (request, reply) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (request.method !== 'POST' || request.routeOptions.url !== '/' || !target.startsWith(TARGET_PREFIX)) return undefined;
      return this.#answer(target.slice(TARGET_PREFIX.length), request.body, reply);
    });
  }

  #answer(action, rawBody, reply) {
    reply.header('content-type', 'application/x-amz-json-1.1');
    try {
      const text = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody ?? {});
      let input;
      try {
        input = text === '' ? {} : JSON.parse(text);
      } catch {
        throw new EventBusError('SerializationException', 'The request body is not valid JSON');
      }
      const handler = this.#actions[action];
      if (handler === undefined) throw new EventBusError('UnknownOperationException', `${action} is not emulated by the local event bus`);
      return reply.code(200).send(JSON.stringify(handler.call(this, input ?? {})));
    } catch (error) {
      if (!(error instanceof EventBusError)) throw error;
      return reply.code(error.statusCode).send(JSON.stringify({ __type: error.type, message: error.message }));
    }
  }

  #actions = {
    PutRule: this.putRule,
    DescribeRule: this.describeRule,
    DeleteRule: this.deleteRule,
    ListRules: this.listRules,
    PutTargets: this.putTargets,
    RemoveTargets: this.removeTargets,
    ListTargetsByRule: this.listTargetsByRule,
  };

  #checkBus(name) {
    if (name === undefined || name === 'default' || name === `arn:aws:events:${this.region}:${ACCOUNT_ID}:event-bus/default`) return;
    throw notFound(`Event bus ${name} does not exist. Only the default bus is emulated locally.`);
  }

  #rule(name, bus) {
    this.#checkBus(bus);
    const rule = this.#rules.get(name);
    if (rule === undefined) throw notFound(`Rule ${name} does not exist on EventBus default.`);
    return rule;
  }

  /** PutRule: creates or replaces a rule's pattern, state and description; targets are kept. */
  putRule({ Name, EventPattern, ScheduleExpression, State = 'ENABLED', Description, EventBusName }) {
    this.#checkBus(EventBusName);
    if (typeof Name !== 'string' || !NAME.test(Name)) throw validation('Name must match [.\\-_A-Za-z0-9]{1,64}');
    if (ScheduleExpression !== undefined) throw validation('ScheduleExpression is not emulated by the local event bus');
    if (typeof EventPattern !== 'string') throw validation('EventPattern is required');
    if (!STATES.has(State)) throw validation(`State must be ENABLED or DISABLED, got ${State}`);
    let pattern;
    try {
      pattern = parseEventPattern(EventPattern);
    } catch (error) {
      if (error instanceof EventPatternError) throw new EventBusError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${error.message}`);
      throw error;
    }
    const arn = `arn:aws:events:${this.region}:${ACCOUNT_ID}:rule/${Name}`;
    const existing = this.#rules.get(Name);
    this.#rules.set(Name, {
      name: Name,
      arn,
      pattern,
      patternText: EventPattern,
      state: State,
      description: Description,
      targets: existing?.targets ?? new Map(),
    });
    return { RuleArn: arn };
  }

  describeRule({ Name, EventBusName }) {
    return describe(this.#rule(Name, EventBusName));
  }

  /** DeleteRule: refused while the rule still has targets, as EventBridge does. */
  deleteRule({ Name, EventBusName }) {
    this.#checkBus(EventBusName);
    const rule = this.#rules.get(Name);
    if (rule === undefined) return {};
    if (rule.targets.size > 0) throw validation("Rule can't be deleted since it has targets.");
    this.#rules.delete(Name);
    return {};
  }

  listRules({ NamePrefix = '', EventBusName }) {
    this.#checkBus(EventBusName);
    const rules = [...this.#rules.values()].filter((r) => r.name.startsWith(NamePrefix)).sort((a, b) => a.name.localeCompare(b.name));
    return { Rules: rules.map(describe) };
  }

  /** PutTargets: SQS queue targets only, delivered the whole event (no Input, InputPath or InputTransformer). */
  putTargets({ Rule, Targets, EventBusName }) {
    const rule = this.#rule(Rule, EventBusName);
    if (!Array.isArray(Targets) || Targets.length === 0 || Targets.length > 10) throw validation('Targets must hold 1 to 10 entries');
    for (const target of Targets) {
      if (typeof target?.Id !== 'string' || !NAME.test(target.Id)) throw validation('Target Id must match [.\\-_A-Za-z0-9]{1,64}');
      if (parseQueueArn(String(target.Arn)) === undefined) throw validation(`Target ${target.Id}: only SQS queue ARNs are emulated locally, got ${target.Arn}`);
      for (const unsupported of ['Input', 'InputPath', 'InputTransformer', 'RoleArn']) {
        if (target[unsupported] !== undefined) throw validation(`Target ${target.Id}: ${unsupported} is not emulated by the local event bus`);
      }
    }
    if (new Set([...rule.targets.keys(), ...Targets.map((t) => t.Id)]).size > 5) {
      throw new EventBusError('LimitExceededException', 'The requested resource exceeds the maximum number allowed (5 targets per rule).');
    }
    for (const target of Targets) rule.targets.set(target.Id, { Id: target.Id, Arn: target.Arn });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  removeTargets({ Rule, Ids, EventBusName }) {
    const rule = this.#rule(Rule, EventBusName);
    if (!Array.isArray(Ids) || Ids.length === 0) throw validation('Ids must hold at least one entry');
    for (const id of Ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule({ Rule, EventBusName }) {
    return { Targets: [...this.#rule(Rule, EventBusName).targets.values()] };
  }

  /** Delivers an event to the targets of every enabled rule it matches; returns the names of those rules. */
  put(event) {
    const matched = [];
    const body = JSON.stringify(event);
    for (const rule of this.#rules.values()) {
      if (rule.state !== 'ENABLED' || !eventMatches(rule.pattern, event)) continue;
      matched.push(rule.name);
      for (const target of rule.targets.values()) {
        if (!this.stores.sendMessage(target.Arn, body)) {
          this.warn(`event bus: rule ${rule.name} could not deliver ${event['detail-type']} to ${target.Arn}`);
        }
      }
    }
    return matched;
  }
}

function describe(rule) {
  const described = { Name: rule.name, Arn: rule.arn, EventPattern: rule.patternText, State: rule.state, EventBusName: 'default' };
  if (rule.description !== undefined) described.Description = rule.description;
  return described;
}
