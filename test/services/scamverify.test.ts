import { http, HttpResponse } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  Client,
  ConfigurationError,
  PermissionDeniedError,
  ResponseValidationError,
  SubscriptionRequiredError,
} from '../../src/index.js';
import { ScamVerify, SCAMVERIFY_BASE_URL, type PhoneLookup } from '../../src/services/scamverify/index.js';
import { MOCK_CREDENTIALS, scamVerifyLookup } from '../../src/testing/index.js';
import { expectKeyRefused, rejection, renderings, thrown, useMockApis } from '../helpers.js';

const { apis, server, sent } = useMockApis();

const mock = apis.scamverify;
const creds = MOCK_CREDENTIALS.scamverify;
const ORIGIN = 'https://scamverify.ai';
const LOOKUP = `${ORIGIN}/api/v1/phone/lookup`;
const PHONE = '+12025551234';

/** Every rendering of an error a user might print or log. */


describe('ScamVerify: default base URL and lookup', () => {
  it('a client built without baseURL posts to https://scamverify.ai/api/v1/phone/lookup', async () => {
    const sv = new ScamVerify(creds.liveKey);
    expect(SCAMVERIFY_BASE_URL).toBe(ORIGIN);
    expect(sv.baseURL).toBe(ORIGIN);
    await sv.phone.lookup({ phone_number: PHONE });
    expect(sent).toEqual([`POST ${LOOKUP}`]);
  });

  it('baseURL: undefined still means the documented default', async () => {
    const sv = new ScamVerify(creds.liveKey, { baseURL: undefined });
    expect(sv.baseURL).toBe(ORIGIN);
  });

  it('phone.lookup(): POST with {phone_number} JSON and the key as Bearer; the whole answer is kept', async () => {
    const result = await new ScamVerify(creds.liveKey).phone.lookup({ phone_number: PHONE });
    expect(mock.log).toEqual([
      {
        method: 'POST',
        path: '/api/v1/phone/lookup',
        authorization: `Bearer ***${creds.liveKey.slice(-4)}`,
        body: { phone_number: PHONE },
      },
    ]);
    expect(mock.stats.byRoute).toEqual({ 'POST /api/v1/phone/lookup': 1 });
    // carrier, line_type and test_mode are not in the schema: they must survive.
    expect(result).toEqual(scamVerifyLookup(PHONE, false));
    expect(result).toHaveProperty('carrier');
    expect(result.test_mode).toBe(false);
    expectTypeOf(result).toEqualTypeOf<PhoneLookup>();
  });

  it('an sv_test_ key with the production URL is fine (mock data by design)', async () => {
    const sv = new ScamVerify(creds.testKey);
    expect(sv.baseURL).toBe(ORIGIN);
    const result = await sv.phone.lookup({ phone_number: PHONE });
    expect(result.test_mode).toBe(true);
    expect(sent).toEqual([`POST ${LOOKUP}`]);
  });

  it('extra fields in a scripted answer survive', async () => {
    server.use(
      http.post(LOOKUP, () =>
        HttpResponse.json({ phone_number: PHONE, risk_score: 3, verdict: 'safe', reports: [{ at: '2025-01-01' }], new_field: { a: 1 } }),
      ),
    );
    const result = await new ScamVerify(creds.liveKey).phone.lookup({ phone_number: PHONE });
    expect(result).toEqual({ phone_number: PHONE, risk_score: 3, verdict: 'safe', reports: [{ at: '2025-01-01' }], new_field: { a: 1 } });
  });

  it.each([
    ['a wrongly typed field', { phone_number: PHONE, risk_score: 'high' }],
    ['an array instead of an object', [{ risk_score: 1 }]],
    ['a string instead of an object', 'ok'],
  ])('%s → ResponseValidationError', async (_name, body) => {
    server.use(http.post(LOOKUP, () => HttpResponse.json(body as never)));
    const error = await rejection(new ScamVerify(creds.liveKey).phone.lookup({ phone_number: PHONE }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.status).toBe(200);
    expect(error.issues.length).toBeGreaterThan(0);
  });
});

describe('ScamVerify error envelopes', () => {
  it('no key at all → 401 AuthenticationError with code missing_api_key', async () => {
    const bare = new Client({ baseURL: ORIGIN });
    const error = await rejection(bare.post('/api/v1/phone/lookup', { json: { phone_number: PHONE } }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('missing_api_key');
    expect(error.message).toContain('The Authorization header is required');
    expect(error.body).toMatchObject({ error: 'missing_api_key', status: 401 });
    expect(mock.log[0]?.authorization).toBeUndefined();
  });

  it('an unknown key → 401 AuthenticationError invalid_api_key, sent once (no replay for a static key)', async () => {
    const key = `sv_live_${'x'.repeat(40)}`;
    const error = await rejection(new ScamVerify(key).phone.lookup({ phone_number: PHONE }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('invalid_api_key');
    expect(error.message).toContain('invalid or has been revoked');
    expect(error.method).toBe('POST');
    expect(error.url).toBe(LOOKUP);
    expect(mock.stats.requests).toBe(1);
  });

  it('a revoked key → 401 invalid_api_key', async () => {
    const sv = new ScamVerify(creds.liveKey);
    await sv.phone.lookup({ phone_number: PHONE });
    mock.revokeKey(creds.liveKey);
    const error = await rejection(sv.phone.lookup({ phone_number: PHONE }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('invalid_api_key');
    expect(mock.stats.requests).toBe(2);
  });

  it('no subscription → SubscriptionRequiredError (a PermissionDeniedError), code subscription_required', async () => {
    const error = await rejection(new ScamVerify(creds.noSubscriptionKey).phone.lookup({ phone_number: PHONE }));
    expect(error).toBeInstanceOf(SubscriptionRequiredError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.name).toBe('SubscriptionRequiredError');
    expect(error.status).toBe(403);
    expect(error.code).toBe('subscription_required');
    expect(error.message).toContain('An active subscription is required');
    expect(mock.stats.requests).toBe(1);
  });

  it('a missing phone number → 400 BadRequestError invalid_request, not retried', async () => {
    const error = await rejection(new ScamVerify(creds.liveKey).phone.lookup({ phone_number: '' }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('phone_number is required');
    expect(mock.log).toEqual([expect.objectContaining({ method: 'POST', body: { phone_number: '' } })]);
  });
});

describe('ScamVerify key checks', () => {
  const SECRET = 'S3cretPartZZ9abcdefghijklmnopqrstuvwxyz0';
  it.each([
    ['a wrong prefix', `sk_live_${SECRET}`],
    ['an upper-case prefix', `SV_LIVE_${SECRET}`],
    ['no prefix', SECRET],
    ['another service prefix', `lnc_live_${SECRET}`],
    ['a space inside', `sv_live_${SECRET.slice(0, 10)} ${SECRET.slice(10)}`],
    ['a leading space', ` sv_live_${SECRET}`],
    ['a trailing line break', `sv_live_${SECRET}\n`],
    ['a line break inside', `sv_live_${SECRET.slice(0, 10)}\r\n${SECRET.slice(10)}`],
    ['a tab', `sv_test_${SECRET}\t`],
    ['a character a header cannot carry', `sv_live_${SECRET}é`],
  ])('%s → ConfigurationError that does not show the key', (_name, key) => {
    expectKeyRefused(() => new ScamVerify(key), key, SECRET, sent);
  });

  it.each([
    ['empty', ''],
    ['undefined', undefined],
    ['only the prefix', 'sv_live_'],
  ])('%s → ConfigurationError', (_name, key) => {
    expect(() => new ScamVerify(key)).toThrow(ConfigurationError);
  });

  it('the error names the expected prefixes', () => {
    const error = thrown(() => new ScamVerify('nope'));
    expect(error.message).toContain('sv_live_');
    expect(error.message).toContain('sv_test_');
  });

  it.each([20, 60])('lenient on length: an sv_live_ key with a %i-character body is accepted and sent', async (length) => {
    const key = `sv_live_${'k'.repeat(length - 4)}${String(length).padStart(4, 'Z')}`;
    mock.addKey(key);
    const result = await new ScamVerify(key).phone.lookup({ phone_number: PHONE });
    expect(result.phone_number).toBe(PHONE);
    expect(mock.log[0]?.authorization).toBe(`Bearer ***${key.slice(-4)}`);
  });

  it('the two documented key shapes (sv_test_ and sv_live_ + 40) are accepted', () => {
    expect(new ScamVerify(creds.testKey).baseURL).toBe(ORIGIN);
    expect(new ScamVerify(creds.liveKey).baseURL).toBe(ORIGIN);
  });
});
