// The bucket notification configuration as S3 stores it: parsing the
// PutBucketNotificationConfiguration body, the checks S3 applies before accepting it,
// rule matching, and the GetBucketNotificationConfiguration body.

import { randomBytes } from 'node:crypto';
import { S3ApiError } from '../s3-sqs-sns/s3-error.mjs';
import { child, childrenNamed, parseXml, xmlDocument, XmlSyntaxError } from '../s3-sqs-sns/xml.mjs';

/** Event patterns a queue or topic configuration may use here: the ones the bridge can emit. */
export const SUPPORTED_EVENTS = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
]);

const UNEMULATED_DESTINATIONS = new Set(['CloudFunctionConfiguration', 'LambdaFunctionConfiguration']);

// Element name -> destination kind and the child element holding its ARN.
const DESTINATIONS = {
  QueueConfiguration: { kind: 'queue', arnElement: 'Queue' },
  TopicConfiguration: { kind: 'topic', arnElement: 'Topic' },
};

const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

const malformed = () =>
  new S3ApiError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');

const invalidArgument = (message, name, value) =>
  new S3ApiError(400, 'InvalidArgument', message, name === undefined ? [] : [['ArgumentName', name], ['ArgumentValue', value]]);

/**
 * Parses and validates a NotificationConfiguration body.
 * Returns { destinations: [{ id, kind: 'queue' | 'topic', arn, events, prefix, suffix }], eventBridge };
 * `eventBridge` is true when the body holds an EventBridgeConfiguration (every event of the bucket
 * then also goes to the default event bus). An empty body clears the configuration.
 * Checks everything S3 checks without looking elsewhere; destination existence is the caller's job.
 */
export function parseNotificationConfiguration(body) {
  let root;
  try {
    root = parseXml(body);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw malformed();
    throw error;
  }
  if (root.name !== 'NotificationConfiguration') throw malformed();

  const configurations = [];
  let eventBridge = false;
  for (const element of root.children) {
    if (element.name in DESTINATIONS) {
      configurations.push(parseDestination(element, DESTINATIONS[element.name]));
    } else if (element.name === 'EventBridgeConfiguration') {
      // S3 takes one empty element; it has no settings.
      if (eventBridge || element.children.length > 0 || element.text.trim() !== '') throw malformed();
      eventBridge = true;
    } else if (UNEMULATED_DESTINATIONS.has(element.name)) {
      throw new S3ApiError(501, 'NotImplemented', `${element.name} is not emulated locally; queue, topic and EventBridge destinations are`);
    } else {
      throw malformed();
    }
  }

  const ids = new Set();
  for (const configuration of configurations) {
    if (ids.has(configuration.id)) throw invalidArgument('Configuration Ids must be unique', 'Id', configuration.id);
    ids.add(configuration.id);
  }
  assertNoOverlap(configurations);
  return { destinations: configurations, eventBridge };
}

function parseDestination(element, { kind, arnElement }) {
  const known = new Set(['Id', arnElement, 'Event', 'Filter']);
  if (element.children.some((c) => !known.has(c.name))) throw malformed();

  const destination = childrenNamed(element, arnElement);
  const ids = childrenNamed(element, 'Id');
  const events = childrenNamed(element, 'Event').map((e) => e.text.trim());
  if (destination.length !== 1 || ids.length > 1 || events.length === 0) throw malformed();

  for (const event of events) {
    if (!SUPPORTED_EVENTS.has(event)) {
      throw invalidArgument('The event is not supported for notifications (the local bridge emits s3:ObjectCreated:* events only)', 'Event', event);
    }
  }

  const { prefix, suffix } = parseFilter(childrenNamed(element, 'Filter'));
  const id = ids.length === 1 && ids[0].text.trim() !== '' ? ids[0].text.trim() : generatedId();
  return { id, kind, arn: destination[0].text.trim(), events: [...new Set(events)], prefix, suffix };
}

function parseFilter(filters) {
  if (filters.length === 0) return { prefix: '', suffix: '' };
  if (filters.length > 1) throw malformed();
  const keyFilters = childrenNamed(filters[0], 'S3Key');
  if (keyFilters.length !== 1 || filters[0].children.length !== 1) throw malformed();

  const rules = { prefix: undefined, suffix: undefined };
  for (const rule of keyFilters[0].children) {
    const name = rule.name === 'FilterRule' ? child(rule, 'Name') : undefined;
    const value = rule.name === 'FilterRule' ? child(rule, 'Value') : undefined;
    if (!name || !value) throw malformed();
    const kind = name.text.trim().toLowerCase();
    if (kind !== 'prefix' && kind !== 'suffix') throw invalidArgument('Invalid filter name', 'FilterRule', name.text);
    if (rules[kind] !== undefined) {
      throw invalidArgument(`Cannot specify more than one ${kind} rule in a filter.`, 'FilterRule', kind);
    }
    if (value.text.length > 1024) throw invalidArgument('The filter value is longer than 1024 characters', 'FilterRule', kind);
    rules[kind] = value.text;
  }
  return { prefix: rules.prefix ?? '', suffix: rules.suffix ?? '' };
}

function generatedId() {
  return randomBytes(24).toString('base64');
}

function eventsOverlap(a, b) {
  const covers = (wildcard, other) => wildcard.endsWith(':*') && other.startsWith(wildcard.slice(0, -1));
  return a === b || covers(a, b) || covers(b, a);
}

/**
 * S3 refuses two configurations that could both fire for one object: they share an
 * event type and neither their prefixes nor their suffixes tell them apart.
 */
export function configurationsOverlap(a, b) {
  const sharesEvent = a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)));
  const prefixes = a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
  const suffixes = a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
  return sharesEvent && prefixes && suffixes;
}

function assertNoOverlap(configurations) {
  for (let i = 0; i < configurations.length; i++) {
    for (let j = i + 1; j < configurations.length; j++) {
      if (configurationsOverlap(configurations[i], configurations[j])) {
        throw invalidArgument(
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
          'Event',
          `${configurations[i].id} / ${configurations[j].id}`,
        );
      }
    }
  }
}

/** Splits a queue ARN into region, account and queue name; undefined when it is not one. */
export function parseQueueArn(arn) {
  const match = QUEUE_ARN.exec(arn);
  return match ? { region: match[1], account: match[2], name: match[3] } : undefined;
}

/** Splits a topic ARN into region, account and topic name; undefined when it is not one. */
export function parseTopicArn(arn) {
  const match = TOPIC_ARN.exec(arn);
  return match ? { region: match[1], account: match[2], name: match[3] } : undefined;
}

/** Whether a configuration fires for an event name such as 's3:ObjectCreated:Put' on a raw (decoded) key. */
export function configurationMatches(configuration, eventName, key) {
  return (
    configuration.events.some((pattern) => eventsOverlap(pattern, eventName)) &&
    key.startsWith(configuration.prefix) &&
    key.endsWith(configuration.suffix)
  );
}

/** The GetBucketNotificationConfiguration body for a stored { destinations, eventBridge }. */
export function notificationConfigurationXml({ destinations, eventBridge }) {
  const configuration = (c, arnElement) => {
    const rules = [
      c.prefix !== '' ? { Name: 'Prefix', Value: c.prefix } : undefined,
      c.suffix !== '' ? { Name: 'Suffix', Value: c.suffix } : undefined,
    ].filter(Boolean);
    return {
      Id: c.id,
      [arnElement]: c.arn,
      Event: c.events,
      ...(rules.length === 0 ? {} : { Filter: { S3Key: { FilterRule: rules } } }),
    };
  };
  // S3's schema order: topics, then queues, then the EventBridge switch.
  const topics = destinations.filter((c) => c.kind === 'topic').map((c) => configuration(c, 'Topic'));
  const queues = destinations.filter((c) => c.kind === 'queue').map((c) => configuration(c, 'Queue'));
  return xmlDocument({
    NotificationConfiguration: {
      '@_xmlns': 'http://s3.amazonaws.com/doc/2006-03-01/',
      ...(topics.length === 0 ? {} : { TopicConfiguration: topics }),
      ...(queues.length === 0 ? {} : { QueueConfiguration: queues }),
      ...(eventBridge ? { EventBridgeConfiguration: '' } : {}),
    },
  });
}
