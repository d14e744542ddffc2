import express from 'express';
import request from 'supertest';
import { OpenApiContract } from './OpenApiContract';

const contract = OpenApiContract.load();

describe('OpenApiContract', () => {
  it('accepts what the document allows', () => {
    expect(
      contract.check({
        method: 'GET',
        path: '/fleet',
        status: 200,
        contentType: 'application/json',
        body: { items: [] },
      }),
    ).toEqual([]);
    expect(
      contract.check({
        method: 'GET',
        path: '/agent/v1/bundle?wait=5',
        status: 304,
        body: '',
      }),
    ).toEqual([]);
    expect(
      contract.check({
        method: 'GET',
        path: '/pools/prod/manifests?format=yaml',
        status: 200,
        contentType: 'application/yaml; charset=utf-8',
        body: 'kind: Service\n',
      }),
    ).toEqual([]);
    expect(
      contract.check({
        method: 'GET',
        path: '/pools/nope',
        status: 404,
        contentType: 'application/json',
        body: {
          error: { name: 'NotFoundError', message: "Pool 'nope' not found" },
          request: { method: 'GET', url: '/' },
          response: { statusCode: 404 },
        },
      }),
    ).toEqual([]);
  });

  it('names what the document does not allow', () => {
    expect(
      contract.check({
        method: 'GET',
        path: '/fleet',
        status: 200,
        contentType: 'application/json',
        body: { items: 'x' },
      }),
    ).toEqual([
      expect.stringMatching(/^GET \/fleet -> 200: body\/items must be array/),
    ]);
    expect(
      contract.check({
        method: 'GET',
        path: '/pools/p/status',
        status: 418,
        contentType: 'application/json',
        body: {},
      }),
    ).toEqual([
      'GET /pools/p/status -> 418: status not documented for GET /pools/{name}/status',
    ]);
    expect(
      contract.check({
        method: 'GET',
        path: '/fleet',
        status: 200,
        contentType: 'text/html',
        body: '<p>',
      }),
    ).toEqual([
      "GET /fleet -> 200: content type 'text/html' is not one of application/json",
    ]);
    expect(
      contract.check({
        method: 'PATCH',
        path: '/pools/p',
        status: 200,
        contentType: 'application/json',
        body: {},
      }),
    ).toEqual(['PATCH /pools/p -> 200: not in the document']);
  });

  it("fails a supertest request of this package's tests whose response breaks the document", async () => {
    const app = express().get('/api/ai-gateway/fleet', (_req, res) => {
      res.json({ items: [{ pool: 'prod' }] });
    });
    await expect(request(app).get('/api/ai-gateway/fleet')).rejects.toThrow(
      /does not match the OpenAPI document[\s\S]*body\/items\/0 must have required property 'project'/,
    );
  });
});
