import { describe, expect, it } from 'vitest';
import { MOCK_CREDENTIALS } from '../../src/testing/index.js';
import { call, useMockApis } from './support.js';

const apis = useMockApis();
const LOOKUP = 'https://scamverify.ai/api/v1/phone/lookup';
const { testKey, liveKey, noSubscriptionKey } = MOCK_CREDENTIALS.scamverify;

describe('ScamVerify mock', () => {
  it('seeds keys in the documented format', () => {
    for (const key of [testKey, liveKey, noSubscriptionKey]) {
      expect(key).toMatch(/^sv_(live|test)_[A-Za-z0-9_-]{40}$/);
      expect(key).toHaveLength(48);
    }
    expect(testKey.startsWith('sv_test_')).toBe(true);
    expect(liveKey.startsWith('sv_live_')).toBe(true);
    expect(noSubscriptionKey.startsWith('sv_live_')).toBe(true);
  });

  it('looks up a number deterministically, test_mode follows the key', async () => {
    const a = await call(LOOKUP, { token: testKey, json: { phone_number: '+12025551234' } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ phone_number: '+12025551234', test_mode: true });
    expect(a.body.risk_score).toBeGreaterThanOrEqual(0);
    expect(a.body.risk_score).toBeLessThanOrEqual(100);
    expect(['safe', 'suspicious', 'scam']).toContain(a.body.verdict);
    expect(typeof a.body.carrier).toBe('string');
    expect(typeof a.body.line_type).toBe('string');
    const b = await call(LOOKUP, { token: liveKey, json: { phone_number: '+12025551234' } });
    expect(b.body).toEqual({ ...a.body, test_mode: false });
    const verdicts = new Set<string>();
    for (let i = 0; i < 15; i += 1) {
      const r = await call(LOOKUP, { token: liveKey, json: { phone_number: `+1202555${String(1000 + i)}` } });
      verdicts.add(r.body.verdict);
    }
    expect(verdicts.size).toBeGreaterThan(1);
  });

  it('answers each documented error body exactly', async () => {
    const missing = await call(LOOKUP, { json: { phone_number: '+12025551234' } });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: 'missing_api_key',
      message: 'The Authorization header is required. Include your API key as a Bearer token.',
      status: 401,
    });
    const invalid = await call(LOOKUP, { token: 'sv_live_unknown', json: { phone_number: '+12025551234' } });
    expect(invalid.status).toBe(401);
    expect(invalid.body).toEqual({
      error: 'invalid_api_key',
      message: 'The provided API key is invalid or has been revoked.',
      status: 401,
    });
    const noSub = await call(LOOKUP, { token: noSubscriptionKey, json: { phone_number: '+12025551234' } });
    expect(noSub.status).toBe(403);
    expect(noSub.body).toEqual({
      error: 'subscription_required',
      message:
        'An active subscription is required to use this API. Visit https://scamverify.ai/settings/api to manage your plan.',
      status: 403,
    });
    for (const body of [{}, { phone_number: 12025551234 }, { phone_number: '' }]) {
      const bad = await call(LOOKUP, { token: testKey, json: body });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'invalid_request', message: 'phone_number is required', status: 400 });
    }
  });

  it('addKey (with and without subscription) and revokeKey', async () => {
    const key = 'sv_live_' + 'A'.repeat(40);
    const noSub = 'sv_test_' + 'B'.repeat(40);
    apis.scamverify.addKey(key);
    apis.scamverify.addKey(noSub, { subscription: false });
    expect((await call(LOOKUP, { token: key, json: { phone_number: '+1' } })).status).toBe(200);
    expect((await call(LOOKUP, { token: noSub, json: { phone_number: '+1' } })).status).toBe(403);
    apis.scamverify.revokeKey(key);
    const revoked = await call(LOOKUP, { token: key, json: { phone_number: '+1' } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('invalid_api_key');
    apis.scamverify.reset();
    expect((await call(LOOKUP, { token: key, json: { phone_number: '+1' } })).status).toBe(200);
  });

  it('a 429 fault without a body uses the ScamVerify envelope', async () => {
    apis.scamverify.failNext(1, { status: 429, headers: { 'Retry-After': '2' } });
    const limited = await call(LOOKUP, { token: testKey, json: { phone_number: '+1' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body).toMatchObject({ error: 'rate_limited', status: 429 });
    expect(typeof limited.body.message).toBe('string');
    expect((await call(LOOKUP, { token: testKey, json: { phone_number: '+1' } })).status).toBe(200);
  });
});
