import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, EmailAddressResolver, LocalDateResolver } from 'graphql-scalars';
import type { LiveContext } from '../../live/feeds.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../plan/paging.js';
import { BoundedJsonScalar } from './input-scalars.js';

export interface GatewaySchemaTypes {
  Context: GatewayContext & LiveContext;
  DefaultFieldNullability: true;
  /** Connections never hold null edges or nodes: `edges: [PersonEdge!]!`, `nodes: [Person!]!`. */
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  /** Every connection carries its list's total (`toConnection`), which `totalCount` exposes. */
  Connection: { totalCount: number };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: string | Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    EmailAddress: { Input: string; Output: string };
  };
}

export type GatewayBuilder = PothosSchemaTypes.SchemaBuilder<PothosSchemaTypes.ExtendDefaultTypes<GatewaySchemaTypes>>;

/** `YYYY-MM-DD`, kept as a string both ways (Clarify's date fields). */
const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: 'Date',
  description: 'A calendar date, `YYYY-MM-DD`.',
});

/**
 * A fresh builder with the plugins, scalars and context type. Each schema build makes its own,
 * because the schema is rebuilt whenever the workspace changes. `federation` adds the plugins of
 * a Federation v2 subgraph (`schema/federation.ts`); without it the schema is exactly as before.
 */
export function createBuilder(options: { federation?: boolean } = {}): GatewayBuilder {
  const builder = new SchemaBuilder<GatewaySchemaTypes>({
    plugins: options.federation ? [RelayPlugin, DirectivesPlugin, FederationPlugin] : [RelayPlugin],
    relay: {
      cursorType: 'String',
      nodeQueryOptions: false,
      nodesQueryOptions: false,
      nodesOnConnection: {},
      edgesFieldOptions: { nullable: { list: false, items: false } },
      nodeFieldOptions: { nullable: false },
      pageInfoTypeOptions: { description: 'Where a page sits in its connection.' },
      firstArgOptions: {
        description: `The first n records (after \`after\`). Default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}; above Clarify's page size of 500 the gateway fetches several pages, each counted in the cost.`,
      },
      lastArgOptions: {
        description: `The last n records (before \`before\`), at most ${MAX_PAGE_SIZE}. Without \`before\` it costs one extra call to learn the total. Not together with \`first\`.`,
      },
      afterArgOptions: { description: 'Start after this cursor (an `endCursor` or edge `cursor` from this connection).' },
      beforeArgOptions: { description: 'End before this cursor (a `startCursor` or edge `cursor` from this connection).' },
    },
  });
  builder.addScalarType('DateTime', DateTimeResolver);
  builder.addScalarType('Date', DateScalar);
  builder.addScalarType('JSON', BoundedJsonScalar);
  builder.addScalarType('EmailAddress', EmailAddressResolver);
  return builder;
}
