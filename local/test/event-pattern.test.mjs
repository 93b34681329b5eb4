// EventBridge pattern matching as the local event bus applies it (pure functions, no stack).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventPatternError, eventMatches, parseEventPattern } from '../emulators/eventbridge/event-pattern.mjs';

const s3Event = (key, { bucket = 'photos', size = 10, detailType = 'Object Created' } = {}) => ({
  source: 'aws.s3',
  'detail-type': detailType,
  resources: [`arn:aws:s3:::${bucket}`],
  detail: { bucket: { name: bucket }, object: { key, size, etag: 'abc' }, reason: 'PutObject' },
});

const matches = (pattern, event) => eventMatches(parseEventPattern(JSON.stringify(pattern)), event);

describe('event patterns', () => {
  it('Suffix_WithEqualsIgnoreCase_MatchesAnyCase', () => {
    const pattern = { detail: { object: { key: [{ suffix: { 'equals-ignore-case': '.jpg' } }] } } };
    assert.ok(matches(pattern, s3Event('IMG_0001.Jpg')));
    assert.ok(matches(pattern, s3Event('a/b.JPG')));
    assert.ok(!matches(pattern, s3Event('a/b.jpeg')));
  });

  it('Suffix_Plain_IsCaseSensitive', () => {
    const pattern = { detail: { object: { key: [{ suffix: '.jpg' }] } } };
    assert.ok(matches(pattern, s3Event('a.jpg')));
    assert.ok(!matches(pattern, s3Event('a.Jpg')));
  });

  it('Prefix_PlainAndIgnoringCase', () => {
    assert.ok(matches({ detail: { object: { key: [{ prefix: 'uploads/' }] } } }, s3Event('uploads/a.jpg')));
    assert.ok(!matches({ detail: { object: { key: [{ prefix: 'uploads/' }] } } }, s3Event('Uploads/a.jpg')));
    assert.ok(matches({ detail: { object: { key: [{ prefix: { 'equals-ignore-case': 'UPLOADS/' } }] } } }, s3Event('uploads/a.jpg')));
  });

  it('MatchersOfOneField_AreOred_FieldsAreAnded', () => {
    const pattern = {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: ['photos'] }, object: { key: [{ suffix: '.png' }, { suffix: '.gif' }] } },
    };
    assert.ok(matches(pattern, s3Event('a.gif')));
    assert.ok(!matches(pattern, s3Event('a.gif', { bucket: 'other' })));
    assert.ok(!matches(pattern, s3Event('a.gif', { detailType: 'Object Deleted' })));
    assert.ok(!matches(pattern, s3Event('a.jpg')));
  });

  it('ArrayField_MatchesWhenAnyElementMatches', () => {
    assert.ok(matches({ resources: ['arn:aws:s3:::photos'] }, s3Event('a')));
    assert.ok(!matches({ resources: ['arn:aws:s3:::other'] }, s3Event('a')));
  });

  it('AnythingBut_ValueListPrefixSuffixAndIgnoreCase', () => {
    const key = (matcher) => ({ detail: { object: { key: [matcher] } } });
    assert.ok(!matches(key({ 'anything-but': 'a.jpg' }), s3Event('a.jpg')));
    assert.ok(matches(key({ 'anything-but': 'a.jpg' }), s3Event('b.jpg')));
    assert.ok(!matches(key({ 'anything-but': ['a', 'b'] }), s3Event('b')));
    assert.ok(!matches(key({ 'anything-but': { prefix: 'tmp/' } }), s3Event('tmp/x')));
    assert.ok(matches(key({ 'anything-but': { suffix: '.tmp' } }), s3Event('x.jpg')));
    assert.ok(!matches(key({ 'anything-but': { 'equals-ignore-case': ['A.JPG'] } }), s3Event('a.jpg')));
    assert.ok(!matches({ detail: { missing: [{ 'anything-but': 'x' }] } }, s3Event('a')), 'a missing field matches nothing but exists:false');
  });

  it('Exists_TrueAndFalse', () => {
    assert.ok(matches({ detail: { object: { etag: [{ exists: true }] } } }, s3Event('a')));
    assert.ok(matches({ detail: { object: { 'version-id': [{ exists: false }] } } }, s3Event('a')));
    assert.ok(!matches({ detail: { object: { 'version-id': [{ exists: true }] } } }, s3Event('a')));
  });

  it('NumericWildcardAndOr', () => {
    assert.ok(matches({ detail: { object: { size: [{ numeric: ['>', 0, '<=', 10] }] } } }, s3Event('a', { size: 10 })));
    assert.ok(!matches({ detail: { object: { size: [{ numeric: ['>', 10] }] } } }, s3Event('a', { size: 10 })));
    assert.ok(matches({ detail: { object: { key: [{ wildcard: 'uploads/*.png' }] } } }, s3Event('uploads/x/y.png')));
    assert.ok(!matches({ detail: { object: { key: [{ wildcard: 'uploads/*.png' }] } } }, s3Event('uploads/y.PNG')));
    const either = { $or: [{ detail: { object: { key: [{ prefix: 'a/' }] } } }, { detail: { object: { size: [0] } } }] };
    assert.ok(matches(either, s3Event('a/x')));
    assert.ok(matches(either, s3Event('b/x', { size: 0 })));
    assert.ok(!matches(either, s3Event('b/x', { size: 1 })));
  });

  it('Parse_RefusesWhatEventBridgeRefusesOrWhatIsNotEmulated', () => {
    for (const text of ['[]', '{}', '{"source":"aws.s3"}', '{"source":[]}', '{"a":[{"cidr":"10.0.0.0/8"}]}', '{"a":[{"prefix":1}]}', '{"a":[{"numeric":[">"]}]}', 'nope']) {
      assert.throws(() => parseEventPattern(text), EventPatternError, text);
    }
  });
});
