import type { Endpoint, EndpointSpec } from '../lib/http/endpoint';

/** The endpoint definitions among a module's exports (HTTP functions built by defineEndpoint). */
export function endpointsOf(exports: Record<string, unknown>): EndpointSpec[] {
  return Object.entries(exports)
    .filter(([, value]) => typeof value === 'function' && 'endpoint' in value)
    .map(([name, value]) => {
      const spec = (value as Endpoint).endpoint;
      if (spec.name !== name) {
        throw new Error(`export ${name} is defined with name "${spec.name}": they must match`);
      }
      return spec;
    });
}
