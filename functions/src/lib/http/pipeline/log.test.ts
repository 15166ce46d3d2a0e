import { logger } from '../../log/logger';
import { ApiError, unavailable } from '../errors';
import { logRequest, newRequestState, recordError } from './log';

afterEach(() => jest.restoreAllMocks());

describe('recordError', () => {
  it('reports an unexpected error to Sentry and logs it, as a 500', async () => {
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const reportError = jest.fn(async () => undefined);
    const state = newRequestState('req-1', 'POST');
    const thrown = new TypeError('boom');
    const error = await recordError(thrown, state, { function: 'moodLog', method: 'POST' }, { reportError });
    expect(error.code).toBe('internal');
    expect(state).toMatchObject({ status: 500, logFields: { errorCode: 'internal' } });
    expect(reportError).toHaveBeenCalledWith(thrown, { requestId: 'req-1', function: 'moodLog', method: 'POST' });
    expect(logger.error).toHaveBeenCalledWith('unexpected error', expect.anything());
  });

  it('puts the cause of another 5xx in the log line, and sends it nowhere', async () => {
    const reportError = jest.fn(async () => undefined);
    const state = newRequestState('r', 'GET');
    await recordError(unavailable('down', 5, new Error('DEADLINE_EXCEEDED')), state, { function: 'f', method: 'GET' }, { reportError });
    expect(state.status).toBe(503);
    expect(String(state.logFields.cause)).toContain('DEADLINE_EXCEEDED');
    expect(reportError).not.toHaveBeenCalled();
  });

  it('records only the code of a 4xx', async () => {
    const state = newRequestState('r', 'GET');
    await recordError(new ApiError('not_found', 'no'), state, { function: 'f', method: 'GET' }, { reportError: jest.fn() });
    expect(state.logFields).toEqual({ method: 'GET', errorCode: 'not_found' });
  });
});

describe('logRequest', () => {
  it('writes one line with status and latency: info below 500, warn from 500', () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const state = newRequestState('r', 'GET');
    state.status = 200;
    logRequest(state, state.started + 12.34);
    expect(info).toHaveBeenCalledWith('request', { method: 'GET', status: 200, latencyMs: 12.3 });
    state.status = 503;
    logRequest(state);
    expect(warn).toHaveBeenCalledWith('request', expect.objectContaining({ status: 503 }));
  });
});
