import { describe, expect, test } from 'vitest';
import { classifyHttpAnswer, classifyRows, commandAccepted } from '../../../../src/core/probe/answer.js';

const base = { status: 200, pendingStatus: [404] };

describe('classifyHttpAnswer', () => {
  test('status alone: 200 visible, 404 pending, 500 error', () => {
    expect(classifyHttpAnswer({ status: 200, body: '' }, base)).toBe('visible');
    expect(classifyHttpAnswer({ status: 404, body: 'no' }, base)).toBe('pending');
    expect(classifyHttpAnswer({ status: 500, body: 'boom' }, base)).toBe('error');
    expect(classifyHttpAnswer({ status: 401, body: '' }, base)).toBe('error');
  });

  test('jsonPath exists', () => {
    const c = { ...base, jsonPath: '$.order.id' };
    expect(classifyHttpAnswer({ status: 200, body: '{"order":{"id":"p-1"}}' }, c)).toBe('visible');
    expect(classifyHttpAnswer({ status: 200, body: '{"order":{}}' }, c)).toBe('pending');
    expect(classifyHttpAnswer({ status: 200, body: '{"order":null}' }, c)).toBe('pending');
    expect(classifyHttpAnswer({ status: 200, body: 'not json' }, c)).toBe('error');
  });

  test('jsonPath equals compares text; numbers and booleans as JSON', () => {
    const c = { ...base, jsonPath: '$.items[1].ref', equals: 'p-1' };
    expect(classifyHttpAnswer({ status: 200, body: '{"items":[{"ref":"x"},{"ref":"p-1"}]}' }, c)).toBe('visible');
    expect(classifyHttpAnswer({ status: 200, body: '{"items":[{"ref":"x"},{"ref":"p-2"}]}' }, c)).toBe('pending');
    expect(classifyHttpAnswer({ status: 200, body: '{"n":3}' }, { ...base, jsonPath: '$.n', equals: '3' })).toBe('visible');
    expect(classifyHttpAnswer({ status: 200, body: '{"ok":true}' }, { ...base, jsonPath: '$.ok', equals: 'true' })).toBe('visible');
    expect(classifyHttpAnswer({ status: 200, body: '{"o":{"a":1}}' }, { ...base, jsonPath: '$.o', equals: '{"a":1}' })).toBe('pending');
  });

  test('another expected status; a list of pending statuses', () => {
    const c = { status: 204, pendingStatus: [404, 409] };
    expect(classifyHttpAnswer({ status: 204, body: '' }, c)).toBe('visible');
    expect(classifyHttpAnswer({ status: 409, body: '' }, c)).toBe('pending');
    expect(classifyHttpAnswer({ status: 200, body: '' }, c)).toBe('error');
  });
});

describe('classifyRows and commandAccepted', () => {
  test('a row shows the change', () => {
    expect(classifyRows(0)).toBe('pending');
    expect(classifyRows(1)).toBe('visible');
    expect(classifyRows(3)).toBe('visible');
  });

  test('any 2xx by default, else the listed statuses', () => {
    expect(commandAccepted(201, [])).toBe(true);
    expect(commandAccepted(299, [])).toBe(true);
    expect(commandAccepted(302, [])).toBe(false);
    expect(commandAccepted(409, [])).toBe(false);
    expect(commandAccepted(409, [201, 409])).toBe(true);
    expect(commandAccepted(200, [201])).toBe(false);
  });
});
